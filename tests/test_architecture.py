"""ARCHITECTURE.md stays true: every package and module of the implementation, and every
command, is named in it, and its layers are the ones import-linter enforces."""

from __future__ import annotations

import re
import tomllib

import pytest

from tests.conftest import ROOT
from traitbook._internal.adapters.cli import _parser

INTERNAL = ROOT / "generator" / "traitbook" / "_internal"
ARCHITECTURE = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")


def _source_tree() -> str:
    """The ``text`` block under "## Source tree"."""
    section = ARCHITECTURE.split("## Source tree", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```text\n(.*?)```", section, flags=re.S)
    assert match is not None, "ARCHITECTURE.md's source tree has no text block"
    return match.group(1)


def _modules() -> list[str]:
    """Every package (``name/``) and module (``name.py``) under _internal/, by its file name."""
    found = []
    for path in sorted(INTERNAL.rglob("*")):
        if "__pycache__" in path.parts or "project" in path.relative_to(INTERNAL).parts:
            continue
        if path.is_dir() and (path / "__init__.py").exists():
            found.append(path.name + "/")
        elif path.suffix == ".py" and path.name != "__init__.py":
            found.append(path.name)
    return found


@pytest.mark.parametrize("name", _modules())
def test_every_package_and_module_is_in_the_source_tree(name: str) -> None:
    assert re.search(rf"(?m)^\s+{re.escape(name)}(\s|$)", _source_tree()), f"{name} is missing from ARCHITECTURE.md"


def test_every_command_is_named() -> None:
    parser = _parser("traitbook")
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert commands
    missing = [c for c in commands if f"`{c}`" not in ARCHITECTURE]
    assert missing == []


def test_the_layers_are_those_import_linter_enforces() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    enforced = [
        [name.strip().removeprefix("traitbook._internal.") for name in layer.split("|")] for layer in contract["layers"]
    ]
    section = ARCHITECTURE.split("## Layers", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```text\n(.*?)```", section, flags=re.S)
    assert block is not None
    drawn = [[n.strip() for n in line.split("  ")[0].split("|")] for line in block.group(1).splitlines() if line]
    assert drawn == enforced
    # Every package and top-level module of the implementation is in some layer.
    top = {p.name.removesuffix(".py") for p in INTERNAL.iterdir() if p.name not in ("__init__.py", "__pycache__")}
    assert top == {name for layer in enforced for name in layer}
