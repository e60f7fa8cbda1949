"""Shared fixtures: a copy of a catalogue in a temporary project, and a CLI runner."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from traitbook import Project, load_and_validate
from traitbook.adapters.cli import main
from traitbook.handbook.workers import Worker, typesetters
from traitbook.plan import Plan, plan

# Browser fixtures (Chromium via Playwright, the site served on 127.0.0.1) live in their own module.
pytest_plugins = ["tests.browser"]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "mini"

# Material prints a banner about MkDocs 2 on every build; it is noise in test logs.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")  # ProperDocs (with literate-nav) asks MkDocs users to switch


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(*args: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return Run(code, out.getvalue(), err.getvalue())


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its hash: to prove a failed run changed nothing."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A temporary project: the repository's site config with the mini catalogue."""
    root = tmp_path / "proj"
    root.mkdir()
    shutil.copytree(MINI, root / "catalogue")
    docs = root / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\nHand-written.\n", encoding="utf-8")
    return root


@pytest.fixture
def cli() -> Callable[..., Run]:
    return run_cli


@pytest.fixture(scope="module")
def real_plan() -> Plan:
    """The real catalogue's page plan (for the handbook tests)."""
    return plan(load_and_validate(Project.at(ROOT)).catalogue)


@pytest.fixture(scope="module")
def workers() -> Iterator[list[Worker]]:
    """Two handbook typesetting processes for one test module."""
    with typesetters(2) as started:
        yield started


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real catalogue built with `mkdocs build --strict` once per test run."""
    from tests.sitebuild import make_site

    return make_site(tmp_path_factory.mktemp("real"), ROOT / "catalogue")
