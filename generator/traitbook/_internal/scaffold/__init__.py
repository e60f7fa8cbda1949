"""``traitbook init DIR``: a complete, buildable project for a new catalogue, like ``mkdocs new``.

The project is the folder ``project/`` beside this file, shipped as package data and copied as
it is: ``mkdocs.yml``, an example catalogue (one category, one trait with every field, modest
minimums it meets), the hand-written pages, a Makefile, a README, ``.gitignore`` and the GitHub
workflows. Names starting with a dot are stored as
``dot-…`` (``dot-gitignore`` → ``.gitignore``): packaging globs skip dot-files, and a real
``.gitignore`` inside the package would apply to this repository. Added to the copy: the JSON
Schemas that the catalogue files name on their first line (``schema/``), from the models, and
``requirements.txt``, whose line installs the Traitbook that wrote the project
(scaffold/requirement.py).

**The theme.** A site needs Traitbook's theme files: ``overrides/main.html`` (loads the
self-check and search scripts, and the words they show), ``overrides/partials/search.html``,
the minified ``overrides/assets/traitbook/*`` and the vendored search worker shim for the
offline build. A new project cannot point at this repository's ``overrides/``, and Zensical
runs no plugin that could add a theme folder from the installed package, so every engine needs
the files in the project itself. ``project/overrides/`` is therefore a copy of the repository's
``overrides/``, kept identical by a test (``make assets`` refreshes both), and ``init`` writes
it like any other file. The copy belongs to the Traitbook version that wrote it, which is why
``requirements.txt`` pins that version.

Planning is separate from writing: :func:`plan_init` decides, from what is on disk, which files
are written and which are skipped; :func:`write_init` writes exactly those. A folder that is
not empty is refused unless ``force``; even then an existing file is never replaced (it is
skipped and reported), and each file is created with ``open(…, "x")``, which fails rather than
overwrite one that appeared in between.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..catalogue.schema import catalogue_schema, trait_schema
from ..errors import TraitbookError
from ..i18n import BASE
from .language import localise_catalogue, localise_mkdocs
from .requirement import requirement_line, running_origin

#: The project's files, as ``init`` writes them (names with ``dot-`` for a leading dot).
PROJECT = Path(__file__).resolve().parent / "project"
_DOT = "dot-"


class InitError(TraitbookError):
    """A folder ``init`` cannot write into (not empty without ``--force``, or a file)."""


@dataclass(frozen=True)
class InitPlan:
    target: Path
    #: Relative paths to write, and relative paths that exist already (or whose folder is a file).
    write: tuple[str, ...]
    skip: tuple[str, ...]


def _schema_text(schema: object) -> str:
    """As ``traitbook schema … > file`` writes it."""
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def requirements_text(requirement: str, version: str) -> str:
    version = version or "from source"
    return (
        "# What `pip install -r requirements.txt` installs for this course: Traitbook, which brings MkDocs,\n"
        "# Material for MkDocs and WeasyPrint (the handbook PDFs). The theme files in overrides/ were\n"
        f"# written by Traitbook {version}: when you move to another version, change this line and compare\n"
        "# overrides/ with the one a fresh `traitbook init` writes (Traitbook's README: Upgrading).\n"
        f"{requirement}\n"
    )


def example_pages() -> dict[str, str]:
    """The hand-written pages a new project starts with (``docs/…`` → text), in English."""
    return {f"docs/{path.name}": path.read_text(encoding="utf-8") for path in sorted((PROJECT / "docs").glob("*.md"))}


def project_files(requirement: str | None = None, language: str = BASE) -> dict[str, bytes]:
    """Every file of a new project by its relative path (``/``-separated), sorted.
    ``requirement``: the line that installs Traitbook (default: the running one's source);
    ``language``: the catalogue's language, which mkdocs.yml's titles and search follow."""
    files = {
        "/".join(part.replace(_DOT, ".", 1) if part.startswith(_DOT) else part for part in rel.parts): path.read_bytes()
        for path in PROJECT.rglob("*")
        if path.is_file() and "__pycache__" not in (rel := PurePosixPath(path.relative_to(PROJECT).as_posix())).parts
    }
    files["schema/catalogue.schema.json"] = _schema_text(catalogue_schema()).encode()
    files["schema/trait.schema.json"] = _schema_text(trait_schema()).encode()
    if language != BASE:
        files["mkdocs.yml"] = localise_mkdocs(files["mkdocs.yml"].decode("utf-8"), language).encode("utf-8")
        catalogue = files["catalogue/catalogue.yml"].decode("utf-8")
        files["catalogue/catalogue.yml"] = localise_catalogue(catalogue, language).encode("utf-8")
    origin = running_origin()
    line = requirement if requirement is not None else requirement_line(origin)
    files["requirements.txt"] = requirements_text(line, origin.version).encode()
    return dict(sorted(files.items()))


def _blocked(target: Path, rel: str) -> bool:
    """Whether ``rel`` exists under ``target``, or one of its folders is a file there."""
    path = target / rel
    if path.exists() or path.is_symlink():
        return True
    folders = [target / folder for folder in PurePosixPath(rel).parents if folder != PurePosixPath(".")]
    return any(folder.exists() and not folder.is_dir() for folder in folders)


def plan_init(target: Path, files: Mapping[str, bytes], force: bool = False) -> InitPlan:
    """Which of ``files`` to write into ``target``; raises :class:`InitError` when the folder
    cannot take a project (nothing is written)."""
    if target.exists() and not target.is_dir():
        raise InitError(f"{target} is a file, not a folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise InitError(
            f"{target} is not empty; nothing was written (--force adds the missing files and never replaces one)"
        )
    skip = tuple(rel for rel in files if _blocked(target, rel))
    return InitPlan(target, tuple(rel for rel in files if rel not in skip), skip)


def write_init(plan: InitPlan, files: Mapping[str, bytes]) -> None:
    """Create the files of ``plan``; never replaces a file."""
    for rel in plan.write:
        path = plan.target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("xb") as handle:
                handle.write(files[rel])
        except FileExistsError:
            raise InitError(f"{path} appeared while the project was written; it was left as it is") from None
