"""Reading files whose absence is an answer, not an error."""

from __future__ import annotations

from pathlib import Path


def read_or_none(path: Path) -> bytes | None:
    """The bytes of ``path``, or None when it cannot be read (missing, a folder, no permission).

    For files the generator wrote itself and only compares or reuses (a page on disk, a
    handbook's print HTML, a cache entry): one it cannot read is one it writes again.
    """
    try:
        return path.read_bytes()
    except OSError:
        return None
