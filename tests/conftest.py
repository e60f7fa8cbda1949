"""Shared fixtures: a copy of a catalogue in a temporary project, and a CLI runner."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests import tiers
from traitbook import Project, load_and_validate
from traitbook._internal.adapters.cli import main
from traitbook._internal.handbook.workers import Worker, typesetters
from traitbook._internal.plan import Plan, plan

# Browser fixtures (Chromium via Playwright, the site served on 127.0.0.1) live in their own
# module; the artefacts many tests read (the real site, the handbook PDFs) are built once per run.
pytest_plugins = ["tests.browser", "tests.artefacts"]

# Hypothesis: a quick profile for the edit-test loop, a thorough one for CI (HYPOTHESIS_PROFILE=ci,
# which .ci/run and the workflow set). No test sets its own number of examples.
settings.register_profile("dev", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fast",
        action="store_true",
        help="the fast tier: only tests that use no browser, site build, PDF, other engine or child process",
    )
    parser.addoption(
        "--tier",
        choices=sorted(tiers.TIERS),
        help="one tier of the suite, as CI's parallel jobs run it (tests/tiers.py); --fast is --tier fast",
    )


def pytest_configure(config: pytest.Config) -> None:
    for name, text in tiers.MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {text}")


def _tier(config: pytest.Config) -> str | None:
    return "fast" if config.getoption("fast") else config.getoption("tier")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    tiers.apply_markers(items)
    tier = _tier(config)
    if tier:
        kept, deselected = tiers.select_tier(items, tier)
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture(autouse=True)
def _fast_tier_guard(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """In the fast tier, a heavy call the markers missed fails the test (tests/tiers.py)."""
    if _tier(request.config) == "fast":
        tiers.guard_fast_tier(monkeypatch)


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


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run_cli(*args: str, terminal: bool = False) -> Run:
    """The command line in this process (fast): ``run_cli("--root", str(project), "check")``.
    ``terminal``: its output streams say they are a terminal (colour on)."""
    stream = _Terminal if terminal else io.StringIO
    out, err = stream(), stream()
    code = main(list(args), out=out, err=err)
    return Run(code, out.getvalue(), err.getvalue())


def run_command(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None, timeout: float | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m generator ARGS`` as a child process in ``cwd``, as a user runs it (its
    ``generator/`` is the one in ``cwd``): for what only the real entry point shows."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


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
