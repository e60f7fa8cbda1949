"""The MkDocs plugin (``plugins: - traitbook``): regenerate before every build, watch the catalogue.

A thin adapter over :mod:`traitbook._internal.pipeline`. Everything the site needs is written as files
(pages, ``traits/SUMMARY.md``, ``_generated/site.yml``; see site/engine.py), so the plugin adds
no content of its own: a site built by an engine that skips it (Zensical) after
``traitbook generate`` is the same site. ProperDocs, the fork of MkDocs 1.6, loads it too.

When the last generation still stands (the build stamp, infra/stamp.py: ``traitbook build``
generated just before it ran the engine, or nothing changed since), the plugin does nothing
and imports nothing heavy: the pipeline is imported only when there is work.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config import base
from mkdocs.config import config_options as opt
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files

from ..catalogue.problems import CatalogueError
from ..errors import TraitbookError
from ..infra import stamp
from ..infra.layout import Project

#: MkDocs' logger for plugins: messages read "traitbook: …" and --strict counts its warnings.
log = get_plugin_logger("traitbook")

#: Errors shown while previewing go to the terminal outside MkDocs' logger: MkDocs' strict mode
#: counts every error it logs and would abort the rebuild that keeps the last good site up.
preview_log = logging.getLogger("traitbook.preview")

#: Material's offline plugin loads this shim (search in a web worker from file://) from
#: unpkg.com. The site must not call other hosts, so a vendored copy (MIT) is used instead.
SHIM_REMOTE = "iframe-worker"
SHIM_LOCAL = "assets/vendor/iframe-worker-shim.js"


class TraitbookConfig(base.Config):
    """Options under ``plugins: - traitbook:`` in mkdocs.yml (all optional)."""

    #: Switch the plugin off (``enabled: !ENV [TRAITBOOK, true]`` lets a build skip it): the pages
    #: already in docs/ are built as they are, as an engine without plugins builds them.
    enabled = opt.Type(bool, default=True)
    #: The catalogue folder, relative to mkdocs.yml; it must exist (MkDocs says so at load time).
    catalogue = opt.Dir(exists=True, default="catalogue")
    #: Create the handbook PDFs and the LMS question banks when they are missing (pages link to
    #: them, so a strict build needs them). Rendering takes seconds; ``python -m generator handbook`` refreshes them.
    handbook = opt.Type(bool, default=True)
    #: Material template optimisation (adapters/mkdocs_theme.py): trims template whitespace and
    #: renders each sidebar item once. Pays off from hundreds of traits; depends on Material's
    #: template text (a changed template is used unchanged), so it is off unless asked for.
    optimise_theme = opt.Type(bool, default=False)
    #: Use the model cache (.cache/ beside mkdocs.yml) to skip re-reading unchanged trait files.
    cache = opt.Type(bool, default=True)


class TraitbookPlugin(BasePlugin[TraitbookConfig]):
    def __init__(self) -> None:
        super().__init__()
        self.serving = False

    def project(self, config: MkDocsConfig) -> Project:
        root = Path(config.config_file_path).parent
        catalogue = Path(self.config.catalogue)  # absolute: config_options.Dir resolved it
        return Project.at(root, catalogue=catalogue, docs=Path(config.docs_dir), cache=self.config.cache)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        if self.serving and not preview_log.handlers:
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter("ERROR   -  %(message)s"))
            preview_log.addHandler(handler)
            preview_log.propagate = False

    # Last: Material's offline plugin adds the polyfill replaced below in its own on_config.
    @event_priority(-100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not self.config.enabled:
            return config
        project = self.project(config)
        if not stamp.is_fresh(project, os.environ, handbook=self.config.handbook, missing_only=True):
            self.generate(project, config)
        polyfills = config.extra.get("polyfills")
        if polyfills:
            config.extra["polyfills"] = [SHIM_LOCAL if SHIM_REMOTE in url else url for url in polyfills]
        return config

    def generate(self, project: Project, config: MkDocsConfig) -> None:
        from ..pipeline import generate_site
        from ..site.engine import site_settings

        try:
            done = generate_site(project, os.environ, handbook=self.config.handbook, missing_only=True)
        except CatalogueError as exc:
            message = f"the catalogue has {len(exc.problems)} problem(s):\n" + "\n".join(map(str, exc.problems))
            if not self.serving:
                raise PluginError(message) from None
            # While previewing, an error must not take the site away: nothing was written, so
            # the last good pages, nav and settings are still on disk and are served again.
            preview_log.error("%s\nStill serving the last good version; fix the catalogue and save again.", message)
            return
        except TraitbookError as exc:  # WriteError, HandbookError
            raise PluginError(str(exc)) from None
        for warning in done.downloads.warnings if done.downloads else ():
            log.info("warning: %s", warning)  # info: --strict must not fail a handbook that degraded
        # mkdocs.yml inherits these from the file just written, but it was read before this
        # build: apply the fresh values so the first build after a change shows them.
        settings = site_settings(done.pages.plan)
        config.site_name = settings.site_name
        config.site_description = settings.site_description
        config.theme["language"] = settings.language
        config.extra["traitbook"] = settings.extra()
        report = done.pages.report
        log.info(
            "%d written, %d unchanged, %d removed", len(report.written), len(report.unchanged), len(report.removed)
        )

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        if not (self.config.enabled and self.config.optimise_theme):
            return env
        from .mkdocs_theme import optimise

        return optimise(env, config)

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.config.enabled:
            server.watch(str(self.project(config).catalogue_dir))
        return server
