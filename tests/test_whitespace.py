"""The theme-whitespace hook removes only whitespace: same words, same elements, same attributes."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.sitebuild import copy_project, mkdocs_build

HOOK_LINE = "  - generator/mkdocs_whitespace.py\n"


class _Reader(HTMLParser):
    """Words of the visible text (text nodes joined with nothing, so glued words show) and tags."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[tuple[str, tuple[tuple[str, str], ...]]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("script", "style")
        self.tags.append((tag, tuple((k, " ".join((v or "").split())) for k, v in attrs)))

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def read(path: Path) -> tuple[list[str], list[tuple[str, tuple[tuple[str, str], ...]]]]:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    return "".join(reader.text).split(), reader.tags


@pytest.fixture(scope="module")
def untrimmed(real_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same project built without the hook (the PDFs are reused from the real build)."""
    root = copy_project(
        tmp_path_factory.mktemp("untrimmed") / "proj", ROOT / "catalogue", real_site / "docs" / "downloads"
    )
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert HOOK_LINE in text
    config.write_text(text.replace(HOOK_LINE, ""), encoding="utf-8")
    return mkdocs_build(root)


def test_trimming_keeps_every_word_element_and_attribute(real_site: Path, untrimmed: Path) -> None:
    pages = sorted(untrimmed.rglob("*.html"))
    assert len(pages) > 15
    before = after = 0
    for page in pages:
        trimmed = real_site / "site" / page.relative_to(untrimmed)
        assert read(trimmed) == read(page), page.relative_to(untrimmed)
        before += page.stat().st_size
        after += trimmed.stat().st_size
    assert after < before * 0.95  # and it is worth having
