"""Stage 5: only owned files are written, atomically, and stale ones pruned."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from traitbook._internal.infra.write import MANIFEST, Stream, WriteError, write_pages

OWNED = ("traits", "_generated")


def test_writes_then_skips_unchanged_then_prunes(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    first = write_pages(docs, {"traits/a.md": "A\n", "traits/b.md": "B\n"}, OWNED)
    assert first.written == ("traits/a.md", "traits/b.md")
    # A known old time: a rewrite within the file system's clock tick would keep a fresh one.
    mtime = 1_000_000_000_000_000_000
    os.utime(docs / "traits/a.md", ns=(mtime, mtime))
    second = write_pages(docs, {"traits/a.md": "A\n", "traits/c/d.md": "D\n"}, OWNED)
    assert second.unchanged == ("traits/a.md",)
    assert second.written == ("traits/c/d.md",)
    assert second.removed == ("traits/b.md",)
    assert (docs / "traits/a.md").stat().st_mtime_ns == mtime
    assert not (docs / "traits/b.md").exists()
    manifest = json.loads((docs / MANIFEST).read_text())
    assert manifest["files"] == sorted([MANIFEST, "traits/a.md", "traits/c/d.md"])
    third = write_pages(docs, {"traits/a.md": "A\n"}, OWNED)
    assert third.removed == ("traits/c/d.md",) and not (docs / "traits/c").exists()


def test_hand_written_file_in_the_way_is_an_error_and_nothing_is_written(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "traits").mkdir(parents=True)
    (docs / "traits/mine.md").write_text("hand-written\n")
    with pytest.raises(WriteError) as info:
        write_pages(docs, {"traits/mine.md": "generated\n", "traits/other.md": "x\n"}, OWNED)
    assert "docs/traits/mine.md: a hand-written file is in the way" in str(info.value)
    assert (docs / "traits/mine.md").read_text() == "hand-written\n"
    assert not (docs / "traits/other.md").exists() and not (docs / MANIFEST).exists()


def test_hand_written_files_beside_generated_ones_are_never_touched(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "traits").mkdir(parents=True)
    (docs / "traits/notes.md").write_text("mine\n")
    (docs / "index.md").write_text("home\n")
    write_pages(docs, {"traits/a.md": "A\n"}, OWNED)
    write_pages(docs, {}, OWNED)
    assert (docs / "traits/notes.md").read_text() == "mine\n"
    assert (docs / "index.md").read_text() == "home\n"
    assert not (docs / "traits/a.md").exists()


def test_paths_outside_owned_folders_are_refused(tmp_path: Path) -> None:
    with pytest.raises(WriteError):
        write_pages(tmp_path, {"index.md": "x"}, OWNED)
    with pytest.raises(WriteError):
        write_pages(tmp_path, {"traits/../index.md": "x"}, OWNED)
    assert not (tmp_path / "index.md").exists()


def test_leftover_temporary_files_of_a_killed_run_are_removed(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "traits").mkdir(parents=True)
    (docs / "traits/.traitbook-x1.tmp").write_text("half")
    write_pages(docs, {"traits/a.md": "A\n"}, OWNED)
    assert not (docs / "traits/.traitbook-x1.tmp").exists()


def test_identical_unlisted_file_is_adopted(tmp_path: Path) -> None:
    """A lost manifest must not block the next build when the files are ours byte for byte."""
    docs = tmp_path / "docs"
    write_pages(docs, {"traits/a.md": "A\n"}, OWNED)
    (docs / MANIFEST).unlink()
    report = write_pages(docs, {"traits/a.md": "A\n"}, OWNED)
    assert report.unchanged == ("traits/a.md",)


def test_a_stream_is_written_compared_and_kept_piece_by_piece(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    pulls: list[int] = []

    def chunks() -> Iterator[str]:
        pulls.append(1)
        yield from ("# Key\n", "A. ", "Correct.\n" * 3)

    page = {"traits/key.md": Stream(chunks)}
    first = write_pages(docs, page, OWNED)
    assert first.written == ("traits/key.md",)
    assert (docs / "traits/key.md").read_text(encoding="utf-8") == "# Key\nA. " + "Correct.\n" * 3
    mtime = 1_000_000_000_000_000_000  # a known old time, as above
    os.utime(docs / "traits/key.md", ns=(mtime, mtime))
    second = write_pages(docs, page, OWNED)
    assert second.unchanged == ("traits/key.md",)  # same bytes: the file is not replaced
    assert (docs / "traits/key.md").stat().st_mtime_ns == mtime
    assert not list((docs / "traits").glob(".traitbook-*"))  # no temporary file left behind
    third = write_pages(docs, {"traits/key.md": Stream(lambda: iter(["changed\n"]))}, OWNED)
    assert third.written == ("traits/key.md",)
    assert (docs / "traits/key.md").read_text(encoding="utf-8") == "changed\n"
    assert len(pulls) == 2  # produced once per write, never held for a comparison
