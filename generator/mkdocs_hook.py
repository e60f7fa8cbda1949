"""MkDocs hook: regenerate pages before every build and watch catalogue/ while serving.

A thin adapter. The same work is `python -m generator build` without MkDocs, so the
generated docs also build with other engines that ignore `hooks:` (e.g. Zensical).
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from generator.build import HANDBOOK_VARIANTS, Project, build, build_handbook
from generator.problems import CatalogueError
from generator.render import site_settings
from generator.typeset import HandbookError
from generator.write import WriteError

log = logging.getLogger("mkdocs.hooks.traitbook")

#: The nav entry in mkdocs.yml that stands for the generated trait sections.
NAV_PLACEHOLDER = "traits/index.md"

#: Material's offline plugin loads this shim (search in a web worker from file://) from
#: unpkg.com. The site must not call other hosts, so a vendored copy (MIT) is used instead.
SHIM_REMOTE = "iframe-worker"
SHIM_LOCAL = "assets/vendor/iframe-worker-shim.js"

#: Written by every successful generation (see pages.py): the last good site settings.
SITE_CONFIG = "_generated/site.json"


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


@dataclass
class _Run:
    """What MkDocs is doing. Hooks are modules, so the command has to live at module level."""

    serving: bool = False


_RUN = _Run()


#: Errors shown while previewing go to the terminal outside MkDocs' logger: MkDocs' strict mode
#: counts every error it logs and would abort the rebuild that keeps the last good site up.
preview_log = logging.getLogger("traitbook.preview")


def on_startup(*, command: str, dirty: bool) -> None:
    _RUN.serving = command == "serve"
    if _RUN.serving and not preview_log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("ERROR   -  %(message)s"))
        preview_log.addHandler(handler)
        preview_log.propagate = False


def _apply(config: MkDocsConfig, settings: Mapping[str, Any]) -> None:
    # MkDocs' templates print these into HTML without escaping; catalogue text is plain text.
    config.site_name = html.escape(settings["site_name"])
    config.site_description = html.escape(settings["site_description"])
    if config.nav is not None:
        config.nav = _expand_nav(config.nav, escape_nav(settings["nav"]))
    polyfills = config.extra.get("polyfills")
    if polyfills:
        config.extra["polyfills"] = [SHIM_LOCAL if SHIM_REMOTE in url else url for url in polyfills]


def _last_good(project: Project) -> dict[str, Any] | None:
    try:
        data = json.loads((project.docs_dir / SITE_CONFIG).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    project = _project(config)
    try:
        result = build(project)
        # Pages link to the PDFs, so they must exist for `--strict`. Rendering takes seconds,
        # so the hook only creates missing ones; `make site` (python -m generator handbook)
        # refreshes them, and skips the work when nothing changed.
        if not all((project.docs_dir / pdf).is_file() for pdf in HANDBOOK_VARIANTS):
            for warning in build_handbook(project, result.plan).warnings:
                log.info("warning: %s", warning)  # info: --strict must not fail a handbook that degraded
    except CatalogueError as exc:
        lines = "\n".join(str(p) for p in exc.problems)
        message = f"the catalogue has {len(exc.problems)} problem(s):\n{lines}"
        last_good = _last_good(project) if _RUN.serving else None
        if last_good is None:
            raise PluginError(message) from None
        # While previewing, an error must not take the site away: report it and rebuild the
        # last good pages (nothing was written), so the browser keeps working.
        preview_log.error("%s\nStill serving the last good version; fix the catalogue and save again.", message)
        _apply(config, last_good)
        return config
    except (WriteError, HandbookError) as exc:
        raise PluginError(str(exc)) from None
    _apply(config, site_settings(result.plan))
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
