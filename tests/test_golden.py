"""Golden tests: the mini catalogue's generated Markdown, pinned byte for byte.

After an intended change, regenerate with ``make golden`` (UPDATE_GOLDEN=1) and review the diff.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from tests.conftest import MINI, run_cli
from traitbook._internal.infra.layout import Project
from traitbook._internal.infra.write import as_bytes
from traitbook._internal.pipeline import generate

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def _compare(expected_dir: Path, actual: Mapping[str, str]) -> None:
    if UPDATE:
        shutil.rmtree(expected_dir, ignore_errors=True)
        for rel, text in actual.items():
            (expected_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / rel).write_text(text, encoding="utf-8")
    expected = {
        p.relative_to(expected_dir).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(expected_dir.rglob("*"))
        if p.is_file()
    }
    assert sorted(actual) == sorted(expected), "set of pages changed; run `make golden`"
    for rel, text in actual.items():
        assert text == expected[rel], f"{rel} differs from tests/golden; run `make golden` if intended"


def test_mini_catalogue_pages(tmp_path: Path) -> None:
    project = Project.at(tmp_path, catalogue=MINI, docs=tmp_path / "docs")
    _, _, pages = generate(project)
    _compare(GOLDEN / "mini", {rel: as_bytes(content).decode("utf-8") for rel, content in pages.items()})


def test_error_report(tmp_path: Path) -> None:
    broken = tmp_path / "catalogue"
    shutil.copytree(GOLDEN.parent / "fixtures" / "broken", broken)
    result = run_cli("--root", str(tmp_path), "check")
    assert result.code == 2
    _compare(GOLDEN / "errors", {"broken.txt": result.err})
