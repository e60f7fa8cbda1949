"""The pipeline, as one call per use: load → validate → plan → render → write.

The CLI and the MkDocs hook are thin adapters over these functions; tests call them directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .pages import OWNED_DIRS, Plan, plan
from .render import render
from .validate import Loaded, load_catalogue
from .write import WriteReport, write_pages


@dataclass(frozen=True)
class Project:
    """Where things are. Defaults follow the repository layout; tests point it at fixtures."""

    root: Path
    catalogue_dir: Path
    docs_dir: Path

    @classmethod
    def at(cls, root: Path, catalogue: Path | None = None, docs: Path | None = None) -> Project:
        root = root.resolve()
        return cls(root, (catalogue or root / "catalogue").resolve(), (docs or root / "docs").resolve())


@dataclass(frozen=True)
class Result:
    loaded: Loaded
    plan: Plan
    report: WriteReport


def check(project: Project) -> Loaded:
    """Load and validate only (raises CatalogueError with every problem)."""
    return load_catalogue(project.catalogue_dir, project.root)


def generate(project: Project) -> tuple[Loaded, Plan, dict[str, str]]:
    """Everything up to, not including, the disk: pure apart from reading the catalogue."""
    loaded = check(project)
    page_plan = plan(loaded.catalogue)
    return loaded, page_plan, render(page_plan)


def build(project: Project) -> Result:
    loaded, page_plan, pages = generate(project)
    report = write_pages(project.docs_dir, pages, OWNED_DIRS)
    return Result(loaded, page_plan, report)
