"""The expensive artefacts many tests read, each built once per test run.

With pytest-xdist every worker is its own process, so a session fixture alone would build the
artefact once per worker. Here the first worker to ask builds it into a folder all workers share
(beside their own temporary folders) while holding a file lock; the others wait for the lock and
read what it built. Without xdist the folder is this run's temporary folder. Tests must treat an
artefact as read-only: copy it before changing anything.
"""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pytest
from filelock import FileLock

from tests.sitebuild import SITE_URL

if TYPE_CHECKING:
    from traitbook._internal.handbook.pdf import HandbookPdf

T = TypeVar("T")

#: The origin the real site is built for: the one every test site is built for by default.
REAL_SITE_URL = SITE_URL


def shared_folder(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """``name``'s folder, filled by ``build`` once per run, whichever worker asks first."""
    base = factory.getbasetemp()
    if base.name.startswith("popen-gw"):  # an xdist worker: its parent is shared by all workers
        base = base.parent
    target = base / "shared" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        done = target / ".built"
        if not done.exists():
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir()
            build(target)
            done.touch()
    return target


def shared_value(factory: pytest.TempPathFactory, name: str, make: Callable[[], T]) -> T:
    """``make()``, computed once per run and shared by pickling (for results, not folders)."""

    def build(folder: Path) -> None:
        (folder / "value.pickle").write_bytes(pickle.dumps(make()))

    folder = shared_folder(factory, name, build)
    value: T = pickle.loads((folder / "value.pickle").read_bytes())  # noqa: S301 - written by this run
    return value


@pytest.fixture(scope="session")
def real_downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``docs/downloads/`` of the real catalogue as ``python -m generator build`` writes it (both
    PDFs, the question banks, the print HTML the next build compares with), once per run: every
    build of the real site copies it instead of laying the handbook out again."""
    from tests.conftest import ROOT, run_command
    from tests.sitebuild import copy_project

    def build(folder: Path) -> None:
        project = copy_project(folder / "proj", ROOT / "catalogue")
        result = run_command("generate", cwd=project)
        assert result.returncode == 0, result.stderr

    return shared_folder(tmp_path_factory, "real-downloads", build) / "proj" / "docs" / "downloads"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory, real_downloads: Path) -> Path:
    """The real catalogue built with ``mkdocs build --strict`` once per run: the project folder
    (its ``site/`` is the built site, for ``REAL_SITE_URL``)."""
    from tests.conftest import ROOT
    from tests.sitebuild import make_site

    def build(folder: Path) -> None:
        make_site(folder, ROOT / "catalogue", REAL_SITE_URL, downloads=real_downloads)

    return shared_folder(tmp_path_factory, "real-site", build) / "proj"


def _render(worksheet: bool) -> HandbookPdf:
    from tests.conftest import ROOT
    from traitbook import Project, load_and_validate
    from traitbook._internal.handbook.pdf import render_handbook
    from traitbook._internal.handbook.printhtml import HandbookOptions
    from traitbook._internal.handbook.workers import typesetters
    from traitbook._internal.plan import plan

    page_plan = plan(load_and_validate(Project.at(ROOT)).catalogue)
    with typesetters(1) as workers:  # on a worker process, as the build command lays it out
        return render_handbook(page_plan, HandbookOptions(worksheet=worksheet), environ={}, worker=workers[0])


@pytest.fixture(scope="session")
def real_handbook(tmp_path_factory: pytest.TempPathFactory) -> HandbookPdf:
    """The real catalogue's handbook (A4), laid out once per run on a typesetting worker."""
    return shared_value(tmp_path_factory, "real-handbook", lambda: _render(worksheet=False))


@pytest.fixture(scope="session")
def real_worksheet(tmp_path_factory: pytest.TempPathFactory) -> HandbookPdf:
    """The real catalogue's worksheet (A4, no answers), laid out once per run on a worker."""
    return shared_value(tmp_path_factory, "real-worksheet", lambda: _render(worksheet=True))
