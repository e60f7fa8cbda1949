"""A cache of validated trait models, keyed by the bytes of the file they came from.

Parsing YAML with a position for every node and validating it is most of the time of a build
(about 1.8 ms of 2.5 ms per trait file). A file that has not changed since the last build
gives the same model, so the model is kept, as JSON, under ``.cache/traitbook/`` and read back
on the next build (``Trait.model_validate_json``: pydantic's Rust parser, about 8× faster).

- **Keyed by content**, not by name or time: the SHA-256 of the file's bytes, in a folder named
  after a fingerprint of the code that turns bytes into a model (the loader, the model, the
  pydantic and Python versions). A changed file or a changed generator is a miss, never a
  stale model; a copied or renamed file is a hit.
- **JSON, not pickle**: a cache file that someone else wrote cannot run code, and a damaged
  one fails validation and counts as a miss.
- **Only valid files** are cached; a file with problems is parsed again every time, so its
  positions are exact. A hit keeps no positions either: if a catalogue-wide rule reports a
  problem in that file later, the file is parsed again to locate it (``Document.release``).
- **Optional**: a cache that cannot be read or written is skipped without a word; the build
  gives byte-identical pages with or without it (a test checks that).
"""

from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pydantic_core
from pydantic import ValidationError

from ..infra.files import read_or_none
from ..infra.layout import CACHE_DIR
from ..infra.write import LEFTOVERS, atomic_write
from .model import Trait

#: Under the project root; git-ignored.
DEFAULT_DIR = CACHE_DIR
#: The code that decides which model a file's bytes give, as files beside this one
#: (tests/test_module_names.py checks each is there). Editing any of them changes the
#: fingerprint, so a cache written by other code is never read.
_SOURCES = ("load.py", "syntax.py", "model.py", "validate.py", "cache.py")
_ENTRY = re.compile(r"[0-9a-f]{64}\.json\Z")
_FOLDER = re.compile(r"models-[0-9a-f]{16}\Z")


def fingerprint() -> str:
    digest = hashlib.sha256()
    for name in _SOURCES:
        digest.update((Path(__file__).parent / name).read_bytes())
    digest.update(f"{sys.version}|{pydantic_core.__version__}".encode())
    return digest.hexdigest()[:16]


def content_key(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@dataclass
class ModelCache:
    """One build's view of the cache. Reading is free of side effects; :meth:`save` writes
    the new entries and prunes the rest, and only a build that succeeded calls it, so a run
    that reports problems (or ``check``, which writes nothing) leaves the cache as it was."""

    folder: Path
    used: set[str] = field(default_factory=set)
    pending: dict[str, Trait] = field(default_factory=dict)

    @classmethod
    def open(cls, root: Path) -> ModelCache:
        return cls(root / f"models-{fingerprint()}")

    def get(self, raw: bytes) -> Trait | None:
        key = content_key(raw)
        entry = read_or_none(self.folder / f"{key}.json")
        if entry is None:
            return None
        try:
            trait = Trait.model_validate_json(entry)
        except ValidationError:
            return None
        self.used.add(key)
        return trait

    def remember(self, raw: bytes, trait: Trait) -> None:
        self.pending[content_key(raw)] = trait

    def save(self) -> None:
        """Write the entries remembered by this build; drop the ones it did not use (so the
        cache holds the catalogue as it is now, never more) and folders of other fingerprints.
        Only names the cache itself writes are touched. Errors are ignored: it is a cache."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for key, trait in sorted(self.pending.items()):
                _write(self.folder / f"{key}.json", trait)
            keep = self.used | set(self.pending)
            _prune(self.folder, keep)
            for folder in self.folder.parent.iterdir():
                if folder != self.folder and _FOLDER.match(folder.name) and folder.is_dir():
                    _prune(folder, set())
                    if not any(folder.iterdir()):
                        folder.rmdir()
        except OSError:
            return


def _write(path: Path, trait: Trait) -> None:
    # exclude_unset: the model read back has the same fields set as the one validated from
    # YAML, so nothing downstream can tell a hit from a miss. Not durable: an entry lost in a
    # crash is only a miss next time.
    atomic_write(path, trait.model_dump_json(exclude_unset=True).encode("utf-8"), durable=False)


def _prune(folder: Path, keep: set[str]) -> None:
    for entry in folder.iterdir():
        if (_ENTRY.match(entry.name) and entry.stem not in keep) or entry.match(LEFTOVERS):
            entry.unlink(missing_ok=True)
