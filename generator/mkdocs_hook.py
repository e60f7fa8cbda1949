"""MkDocs hook: regenerate pages before every build and watch catalogue/ while serving.

A thin adapter. The same work is `python -m generator build` without MkDocs, so the
generated docs also build with other engines that ignore `hooks:` (e.g. Zensical).
"""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from generator.build import HANDBOOK_VARIANTS, Project, build, build_handbook
from generator.handbook import HandbookError
from generator.problems import CatalogueError
from generator.write import WriteError

log = logging.getLogger("mkdocs.hooks.traitbook")

#: The nav entry in mkdocs.yml that stands for the generated trait sections.
NAV_PLACEHOLDER = "traits/index.md"

#: Material's offline plugin loads this shim (search in a web worker from file://) from
#: unpkg.com. The site must not call other hosts, so a vendored copy (MIT) is used instead.
SHIM_REMOTE = "iframe-worker"
SHIM_LOCAL = "assets/vendor/iframe-worker-shim.js"


def _project(config: MkDocsConfig) -> Project:
    root = Path(config.config_file_path).parent
    return Project.at(root, docs=Path(config.docs_dir))


def escape_nav(nav: list[Any]) -> list[Any]:
    """Titles in ``nav`` are printed as HTML by the theme (no autoescaping): escape them."""
    out: list[Any] = []
    for item in nav:
        if isinstance(item, dict):
            ((title, value),) = item.items()
            out.append({html.escape(title): escape_nav(value) if isinstance(value, list) else value})
        else:
            out.append(item)
    return out


def _expand_nav(nav: list[Any], generated: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in nav:
        if isinstance(item, dict):
            ((title, value),) = item.items()
            if value == NAV_PLACEHOLDER:
                out.append({title: generated})
            elif isinstance(value, list):
                out.append({title: _expand_nav(value, generated)})
            else:
                out.append(item)
        elif item == NAV_PLACEHOLDER:
            out.append({"Traits": generated})
        else:
            out.append(item)
    return out


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    project = _project(config)
    try:
        result = build(project)
        # Pages link to the PDFs, so they must exist for `--strict`. Rendering takes seconds,
        # so the hook only creates missing ones; `make site` (python -m generator handbook)
        # refreshes them, and skips the work when nothing changed.
        if not all((project.docs_dir / pdf).is_file() for pdf in HANDBOOK_VARIANTS):
            build_handbook(project, result.plan)
    except CatalogueError as exc:
        lines = "\n".join(str(p) for p in exc.problems)
        raise PluginError(f"the catalogue has {len(exc.problems)} problem(s):\n{lines}") from None
    except (WriteError, HandbookError) as exc:
        raise PluginError(str(exc)) from None
    site = result.loaded.catalogue.site
    # MkDocs' templates print these into HTML without escaping; catalogue text is plain text.
    config.site_name = html.escape(site.title)
    config.site_description = html.escape(site.description)
    if config.nav is not None:
        config.nav = _expand_nav(config.nav, escape_nav(result.plan.nav()))
    polyfills = config.extra.get("polyfills")
    if polyfills:
        config.extra["polyfills"] = [SHIM_LOCAL if SHIM_REMOTE in url else url for url in polyfills]
    report = result.report
    log.info(
        "traitbook: %d written, %d unchanged, %d removed",
        len(report.written),
        len(report.unchanged),
        len(report.removed),
    )
    return config


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    server.watch(str(_project(config).catalogue_dir))
    return server
