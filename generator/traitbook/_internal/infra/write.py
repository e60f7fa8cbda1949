"""Stage 5: rendered pages → files under docs/, touching only what the generator owns.

Guarantees, in the order the code establishes them:

1. Every check happens before the first write: a clash with a hand-written file stops the
   run with nothing written (a WriteError that names the file).
2. Every page is rendered into a temporary file beside its target before any file is
   replaced: a run that fails while rendering (or on a full disk) removes its temporary files
   and leaves the folder as it was.
3. The manifest is then written with the union of old and new paths, so if the process
   dies at any moment every file it may have created is still recorded as ours, and the next
   run can replace or prune it. It is rewritten with the new paths at the end.
4. Each file is replaced atomically (``os.replace`` of its temporary file), so a reader,
   MkDocs or a crash never sees half a page.
5. A file whose bytes would not change is not rewritten (keeps mtimes, and `mkdocs serve` quiet).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import TraitbookError
from .files import read_or_none
from .parallel import fork_map, shares

MANIFEST = "_generated/manifest.json"
_TMP_PREFIX = ".traitbook-"
#: The temporary files of :func:`atomic_write` (left behind only by a process that was killed).
LEFTOVERS = f"{_TMP_PREFIX}*.tmp"


class WriteError(TraitbookError):
    """The output folder could not be written (permissions, disk full, a hand-written file in the
    way of a generated one, …). The message names the file."""


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True)
class Stream:
    """Text produced piece by piece (``chunks()`` may be called more than once).

    For the pages that grow with the whole catalogue (the answer key): they are written and
    compared with the file on disk piece by piece, never held in memory whole.
    """

    chunks: Callable[[], Iterator[str]]

    def text(self) -> str:
        return "".join(self.chunks())


Content = str | bytes | Stream


def as_bytes(content: Content) -> bytes:
    if isinstance(content, Stream):
        return content.text().encode("utf-8")
    return content.encode("utf-8") if isinstance(content, str) else content


def read_manifest(docs: Path, manifest: str = MANIFEST) -> set[str]:
    try:
        data = json.loads((docs / manifest).read_text(encoding="utf-8"))
        return {p for p in data.get("files", []) if isinstance(p, str)}
    except (OSError, ValueError, AttributeError):
        return set()


def _owned(path: str, owned_dirs: Iterable[str]) -> bool:
    parts = Path(path).parts
    return len(parts) >= 2 and parts[0] in owned_dirs and ".." not in parts


def clashes(docs: Path, pages: Mapping[str, Content], owned_dirs: Iterable[str], manifest: str = MANIFEST) -> list[str]:
    """Planned paths that would overwrite something the generator did not create, each as
    ``docs/<path>: why``."""
    owned = tuple(owned_dirs)
    known = read_manifest(docs, manifest)
    found = []
    for rel in pages:  # content is only read where a file is in the way (pages may render lazily)
        target = docs / rel
        if not _owned(rel, owned):
            why = "generated path is outside the generator's folders"
        elif any(p.is_symlink() for p in (target, *target.parents) if p != docs and docs in p.parents):
            why = "is a symbolic link; refusing to write through it"
        elif target.is_dir():
            why = "a folder is in the way of a generated page"
        elif target.exists() and rel not in known and read_or_none(target) != as_bytes(pages[rel]):
            why = "a hand-written file is in the way of a generated page; move or rename it"
        else:
            continue
        found.append(f"docs/{rel}: {why}")
    return found


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` so that no reader ever sees half of it."""
    tmp = _stage(path, [data], None, durable=durable)
    if tmp is not None:
        os.replace(tmp, path)


def _stage(path: Path, pieces: Iterable[bytes], unless: str | None, *, durable: bool = False) -> str | None:
    """Write ``pieces`` to a temporary file beside ``path`` and return its name, or None (and
    no file) when the SHA-256 of what was written is ``unless``. Renaming it onto ``path`` is
    the caller's step, so a run can stage every page before it replaces any.

    ``durable`` syncs the data to disk. The manifest needs it (after a crash it must still list
    every file the generator may have created); a generated page does not: the rename alone
    keeps readers from seeing half a page, and a page lost in a crash is written again by the
    next run. Syncing each page cost about 0.3 ms per page.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, suffix=".tmp", dir=path.parent)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as handle:
            for piece in pieces:
                handle.write(piece)
                digest.update(piece)
            if digest.hexdigest() == unless:
                Path(tmp).unlink()
                return None
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _sha256(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def _write_manifest(docs: Path, manifest: str, paths: Iterable[str]) -> None:
    body = {"generator": "traitbook", "files": sorted(set(paths))}
    data = (json.dumps(body, indent=2) + "\n").encode("utf-8")
    if read_or_none(docs / manifest) != data:
        atomic_write(docs / manifest, data)


def _remove_leftovers(docs: Path, owned_dirs: Iterable[str]) -> None:
    """Temporary files of a run that was killed between create and replace."""
    for folder in owned_dirs:
        for tmp in sorted((docs / folder).rglob(LEFTOVERS)):
            tmp.unlink(missing_ok=True)


def _stage_share(docs: Path, pages: Mapping[str, Content], rels: Iterable[str]) -> list[tuple[str, str | None]]:
    """Render each of ``rels`` into a temporary file beside its target: each path with its
    temporary file, or None where the bytes did not change."""
    staged: list[tuple[str, str | None]] = []
    for rel in rels:
        content, target = pages[rel], docs / rel
        if isinstance(content, Stream):
            pieces = (chunk.encode("utf-8") for chunk in content.chunks())
            staged.append((rel, _stage(target, pieces, unless=_sha256(target))))
        elif read_or_none(target) == (data := as_bytes(content)):
            staged.append((rel, None))
        else:
            staged.append((rel, _stage(target, [data], None)))
    return staged


def _missing_folders(docs: Path, rels: Iterable[str]) -> list[Path]:
    """Folders that staging ``rels`` would create, deepest first."""
    missing = {folder for rel in rels for folder in (docs / rel).parents if docs in folder.parents}
    return sorted((f for f in missing if not f.exists()), key=lambda f: len(f.parts), reverse=True)


def write_pages(
    docs: Path,
    pages: Mapping[str, Content],
    owned_dirs: Iterable[str],
    manifest: str = MANIFEST,
    *,
    jobs: int = 1,
    cost: Callable[[str], int] = lambda _: 1,
) -> WriteReport:
    """Write ``pages`` (docs-relative path → text or bytes) and prune stale generated files.

    ``manifest`` (inside one of ``owned_dirs``) lists what this writer created; separate
    writers (pages, handbook) keep separate manifests so neither prunes the other's files.
    With ``jobs`` > 1 the pages are read (rendered) and written by that many processes, each
    with pages of about the same total ``cost`` (see parallel.py); the files and the report
    are the same.
    """
    owned = tuple(owned_dirs)
    found = clashes(docs, pages, owned, manifest)
    if found:
        # The output folder's problem, not the catalogue's: exit status 1, not 2.
        listed = "".join(f"\n  {clash}" for clash in found)
        raise WriteError(f"cannot write the generated files; nothing was written:{listed}")
    previous = read_manifest(docs, manifest)
    written: list[str] = []
    unchanged: list[str] = []
    removed: list[str] = []
    ordered = sorted(pages)
    new_folders = _missing_folders(docs, ordered)
    try:
        _remove_leftovers(docs, owned)
        # Rendering happens here, as each page is read: one share of the pages per process. Every
        # page is staged before any is replaced, so a run that fails (a page that cannot be
        # rendered, a full disk) changes nothing.
        parts = shares(ordered, cost, jobs) if jobs > 1 else [ordered]
        try:
            staged = dict(
                pair
                for share in fork_map(lambda rels: _stage_share(docs, pages, sorted(rels)), parts)
                for pair in share
            )
        except BaseException:
            _remove_leftovers(docs, owned)
            for folder in new_folders:
                with contextlib.suppress(OSError):
                    folder.rmdir()  # only if empty: a folder that holds anything else stays
            raise
        _write_manifest(docs, manifest, previous | set(pages) | {manifest})
        for rel in ordered:
            tmp = staged[rel]
            if tmp is not None:
                os.replace(tmp, docs / rel)
            (written if tmp is not None else unchanged).append(rel)
        for rel in sorted(previous - set(pages) - {manifest}):
            if _owned(rel, owned):
                target = docs / rel
                if target.is_file() and not target.is_symlink():
                    target.unlink()
                    removed.append(rel)
                _prune_empty_dirs(docs, target.parent, owned)
        _write_manifest(docs, manifest, set(pages) | {manifest})
    except OSError as exc:
        raise WriteError(f"cannot write to {exc.filename or docs}: {exc.strerror}") from None
    return WriteReport(tuple(written), tuple(unchanged), tuple(removed))


def _prune_empty_dirs(docs: Path, folder: Path, owned: tuple[str, ...]) -> None:
    roots = {docs / d for d in owned}
    while folder not in roots and docs in folder.parents and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
