"""The site's own JavaScript and CSS: readable sources in ``site/assets/``, minified copies in
the project's ``overrides/assets/traitbook/``, which the pages load.

Every engine reads ``overrides/`` as it is (Zensical runs no plugin), so the minified files are
committed like any other theme file; ``python -m generator assets`` writes them from the sources,
and a test fails when they differ. Minifying keeps the whole interactive layer, self-check,
self-assessment and search included, within its 30 KB budget without giving up readable,
commented sources.

A folder of sources is one served script: ``selfcheck/`` (storage, exercises, progress, profile,
paths…, in the order of their file names) becomes ``selfcheck.js``, its parts sharing one
strict-mode function scope, so no name leaks into the page and no loader is needed.
"""

from __future__ import annotations

from pathlib import Path

SOURCES = Path(__file__).resolve().parent / "assets"
#: Where the pages load them from, relative to the project root.
TARGET = Path("overrides") / "assets" / "traitbook"


def minified(name: str, text: str) -> str:
    """``text`` of the asset ``name`` minified, under a line saying where its source is."""
    # Imported here: only contributors who change the assets need these (dev dependencies).
    import rcssmin
    import rjsmin

    body = rcssmin.cssmin(text) if name.endswith(".css") else rjsmin.jsmin(text)
    source = f"generator/traitbook/_internal/site/assets/{name}"
    return f"/* Built from {source} by `python -m generator assets`: edit the source, not this file. */\n{body}\n"


def bundle(folder: Path) -> str:
    """The parts of ``folder`` (``*.js``, by name) as one script in one function scope."""
    parts = [part.read_text(encoding="utf-8") for part in sorted(folder.glob("*.js"))]
    return '(function () {\n"use strict";\n' + "\n".join(parts) + "})();\n"


def built_assets() -> dict[str, str]:
    """Every asset's served text, by file name."""
    built: dict[str, str] = {}
    for path in sorted(SOURCES.iterdir()):
        if path.is_dir():
            built[f"{path.name}.js"] = minified(f"{path.name}/", bundle(path))
        elif path.suffix in (".js", ".css"):
            built[path.name] = minified(path.name, path.read_text(encoding="utf-8"))
    return built
