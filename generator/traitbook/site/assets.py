"""The site's own JavaScript and CSS: readable sources in ``site/assets/``, minified copies in
the project's ``overrides/assets/traitbook/``, which the pages load.

Every engine reads ``overrides/`` as it is (Zensical runs no plugin), so the minified files are
committed like any other theme file; ``python -m generator assets`` writes them from the sources,
and a test fails when they differ. Minifying keeps the whole interactive layer, self-check,
self-assessment and search included, within its 30 KB budget without giving up readable,
commented sources.
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

    body = rjsmin.jsmin(text) if name.endswith(".js") else rcssmin.cssmin(text)
    source = f"generator/traitbook/site/assets/{name}"
    return f"/* Built from {source} by `python -m generator assets`: edit that file. */\n{body}\n"


def built_assets() -> dict[str, str]:
    """Every asset's served text, by file name."""
    return {
        path.name: minified(path.name, path.read_text(encoding="utf-8"))
        for path in sorted(SOURCES.iterdir())
        if path.suffix in (".js", ".css")
    }
