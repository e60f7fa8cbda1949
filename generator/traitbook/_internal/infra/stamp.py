"""The build stamp: whether everything the last build wrote still stands, without rebuilding it.

A build that finds nothing changed used to load, plan and render every page (and lay out the
print HTML of both PDFs) only to find the same bytes on disk; run once by ``traitbook build``
and once more by the MkDocs plugin, that doubled the time of a build with nothing to do. The
stamp lets both skip the work: after a build that succeeded, ``.cache/traitbook/build.json``
records

- a digest of the **inputs**: every file of the catalogue (by content), the generator's own
  files (by size and modification time, which any edit or upgrade changes), the state of the
  environment's site-packages (any install or upgrade changes it), and the environment variables
  the output reads; and
- a listing of the **outputs**: every file under the folders the generator owns (path, size,
  modification time), so a page edited by hand, a deleted PDF or a stray file makes the build
  run again (and, for the stray file, refuse as it always did).

A build that fails leaves the stamp as it was: a failure before writing leaves the files of the
stamped inputs, which the new inputs' digest does not match, and a failure after writing some
of them changes the listing.

It lives beside the model cache (``--no-cache`` turns both off). The next build is skipped
only when both match exactly. Anything unreadable is "not fresh": the stamp can only save work,
never keep a stale page. Only the standard library is imported, so the check costs
milliseconds where the build it saves costs a second.
"""

from __future__ import annotations

import hashlib
import json
import os
import site
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .files import read_or_none
from .layout import HANDBOOK_DIR, HANDBOOK_PDF, OWNED_DIRS, WORKSHEET_PDF, Project
from .write import atomic_write

STAMP_FILE = "build.json"
#: The stamp's own format; a stamp of another version is not fresh.
VERSION = 1
#: Environment variables the output reads (the handbook's date falls back to the first).
ENVIRONMENT = ("SOURCE_DATE_EPOCH",)
#: The generator's own files: the traitbook package, two folders above this one.
PACKAGE = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Stamp:
    inputs: str
    #: Relative path under docs/ → [size, mtime_ns], for every file the generator owns.
    outputs: dict[str, list[int]]


def _files(folder: Path) -> Iterable[Path]:
    """Every file under ``folder``, in a stable order; nothing when it is missing."""
    for parent, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            yield Path(parent) / name


def _code_digest(package: Path) -> str:
    digest = hashlib.sha256()
    for path in _files(package):
        info = path.stat()
        digest.update(f"{path.relative_to(package).as_posix()}|{info.st_size}|{info.st_mtime_ns}\n".encode())
    # Any package installed, upgraded or removed changes its site-packages folder (a
    # distribution's .dist-info folder is added or removed): cheaper than asking each library
    # that shapes the output for its version, and never less strict.
    for folder in site_packages():
        try:
            digest.update(f"{folder}|{os.stat(folder).st_mtime_ns}\n".encode())
        except OSError:
            continue
    return digest.hexdigest()


def site_packages() -> list[str]:
    """The folders packages are installed into for this Python (the same in every process of
    one environment, unlike sys.path, which starts with the script's or working folder)."""
    folders = [*site.getsitepackages()]
    if site.ENABLE_USER_SITE:
        folders.append(site.getusersitepackages())
    return sorted(set(folders))


def _read_digest(catalogue_dir: Path, environ: Mapping[str, str], package: Path = PACKAGE) -> str:
    """One digest of everything a build reads."""
    digest = hashlib.sha256(f"v{VERSION}|{_code_digest(package)}\n".encode())
    for name in ENVIRONMENT:
        digest.update(f"{name}={environ.get(name, '')}\n".encode())
    for path in _files(catalogue_dir):
        digest.update(f"{path.relative_to(catalogue_dir).as_posix()}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _with_handbook(read: str, handbook: bool) -> str:
    return hashlib.sha256(f"{read}|handbook={handbook}".encode()).hexdigest()


def input_digest(catalogue_dir: Path, environ: Mapping[str, str], *, handbook: bool, package: Path = PACKAGE) -> str:
    """The stamp's inputs: what a build reads, and whether it also wrote the PDFs."""
    return _with_handbook(_read_digest(catalogue_dir, environ, package), handbook)


def output_listing(docs_dir: Path) -> dict[str, list[int]]:
    listing: dict[str, list[int]] = {}
    for folder in (*OWNED_DIRS, HANDBOOK_DIR):
        for path in _files(docs_dir / folder):
            info = path.stat()
            listing[path.relative_to(docs_dir).as_posix()] = [info.st_size, info.st_mtime_ns]
    return listing


def stamp_path(project: Project) -> Path | None:
    """None without a cache folder (``--no-cache``): every build then runs in full."""
    return project.cache_dir / STAMP_FILE if project.cache_dir is not None else None


def current(project: Project, environ: Mapping[str, str], *, handbook: bool) -> Stamp:
    """The stamp of the files as they are now: taken before a build for its inputs, whose
    outputs are then listed again with :func:`finished`."""
    return Stamp(input_digest(project.catalogue_dir, environ, handbook=handbook), {})


def finished(project: Project, before: Stamp) -> Stamp:
    return Stamp(before.inputs, output_listing(project.docs_dir))


def _read(path: Path) -> Stamp | None:
    raw = read_or_none(path)
    try:
        data = json.loads(raw) if raw is not None else None
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return None
        return Stamp(str(data["inputs"]), {str(k): list(v) for k, v in dict(data["outputs"]).items()})
    except (ValueError, KeyError, TypeError):
        return None


def pdfs_present(project: Project) -> bool:
    return all((project.docs_dir / HANDBOOK_DIR / name).is_file() for name in (HANDBOOK_PDF, WORKSHEET_PDF))


def is_fresh(project: Project, environ: Mapping[str, str], *, handbook: bool, missing_only: bool = False) -> bool:
    """Whether a build with these inputs would write exactly what is on disk now.

    ``handbook``: the build also writes the PDFs (and question banks); with ``missing_only``,
    only when a PDF is missing. A stamp from a build with the handbook also stands for one
    without it (the pages are the same)."""
    if handbook and missing_only and not pdfs_present(project):
        return False
    complete = handbook and not missing_only
    path = stamp_path(project)
    saved = _read(path) if path is not None else None
    if saved is None:
        return False
    try:
        if saved.outputs != output_listing(project.docs_dir):
            return False
        read = _read_digest(project.catalogue_dir, environ)  # once, for either variant
        variants = (True,) if complete else (True, False)
        return saved.inputs in {_with_handbook(read, h) for h in variants}
    except OSError:
        return False


def record(project: Project, stamp: Stamp) -> None:
    """After a build that succeeded. A stamp that cannot be written only costs the next build time."""
    path = stamp_path(project)
    if path is None:
        return
    data = {"version": VERSION, "inputs": stamp.inputs, "outputs": stamp.outputs}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps(data, sort_keys=True).encode("utf-8"), durable=False)
    except OSError:
        return
