"""``python -m generator`` from the project root: the same as the ``traitbook`` command.

``generator/`` is the source root of the ``traitbook`` package (the layout of the project's
design card); an installed wheel holds only ``traitbook``. The source next to this file is
used, even when another version of Traitbook is installed.

A Python without Traitbook's dependencies (the system's, say) gets one line saying how to
install them, not an ImportError's traceback from deep inside the command line.
"""

from __future__ import annotations  # this file must parse and run on an older Python too

import importlib.util
import runpy
import sys
from pathlib import Path

#: The modules the command line imports, by the distribution that provides each.
NEEDED = {
    "rich": "rich",
    "yaml": "pyyaml",
    "pydantic": "pydantic",
    "jinja2": "jinja2",
    "markdown": "markdown",
    "nh3": "nh3",
    "mkdocs": "mkdocs",
    "material": "mkdocs-material",
    "weasyprint": "weasyprint",
}


def missing_distributions() -> list[str]:
    return [dist for module, dist in NEEDED.items() if importlib.util.find_spec(module) is None]


def install_hint(missing: list[str]) -> str | None:
    """One line for a Python that cannot run Traitbook, or None when it can."""
    if sys.version_info < (3, 11):  # noqa: UP036 - the system Python may be older than ours
        return f"python -m generator: Traitbook needs Python 3.11 or later; this is {sys.version.split()[0]}."
    if not missing:
        return None
    return (
        f"python -m generator: Traitbook's dependencies are not installed for {sys.executable} "
        f"(missing: {', '.join(missing)}). Run `make site` or `make install` here (they create .venv/), "
        "or `python3 -m pip install -e .` in a virtual environment, or install Traitbook as an "
        "application (`pipx install .`) and run `traitbook`."
    )


if __name__ == "__main__":
    hint = install_hint(missing_distributions())
    if hint is not None:
        print(hint, file=sys.stderr)
        sys.exit(1)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    runpy.run_module("traitbook", run_name="__main__", alter_sys=True)
