"""Plain text with punctuation reaches every part of the built pages as written.

Titles and keywords go through several escapers (Markdown, HTML, the navigation file, the
theme's own templates); text escaped twice shows its escape codes to readers and screen
readers (``Next: Hyper&#45;critical``). This reads every page of a real build, decoded as a
browser would, and looks for escape codes left in text and in attribute values.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import MINI
from tests.htmlscan import page_text
from tests.sitebuild import make_site

SITE_TITLE = "Children's R&D: a-b *x*"
TITLE = "Patient, calm & careful: a-b (c) *d* _e_ [f] #g + h. !i {j} `k` 50% \"q\" 'r' ~s | t = u"
KEYWORDS = ["root-cause: why?", "a_b*c", "x & y", "[tag]"]

#: What an escape left in decoded text looks like: a character reference, or a Markdown
#: backslash escape of a punctuation character.
LEFTOVER = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+\d*);|\\[!-/:-@\[-`{-~]")


def strings(page: Path) -> list[tuple[str, str]]:
    """Every text node and attribute value of a page, decoded, outside scripts and styles."""
    text = page_text(page.read_text(encoding="utf-8"))
    attributes = [
        (f"<{tag} {name}>", value)
        for tag, attrs in text.tags
        for name, value in attrs
        if value and name not in ("href", "src", "d", "content", "srcset")
    ]
    return attributes + [("text", data) for data in text.texts if data.strip()]


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same catalogue built by MkDocs and by Zensical, which reads the navigation itself."""
    tmp = tmp_path_factory.mktemp("plain")
    catalogue = tmp / "catalogue"
    shutil.copytree(MINI, catalogue)
    changes = (
        ("traits/two.yml", {"title": TITLE, "keywords": KEYWORDS}),
        ("traits/one.yml", {"keywords": KEYWORDS}),
        ("catalogue.yml", {"title": SITE_TITLE}),
    )
    for name, change in changes:
        file = catalogue / name
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        data.update(change)
        file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return make_site(tmp, catalogue, engine=request.param) / "site"


def test_no_page_shows_an_escape_code(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 10
    leftovers = [
        f"{page.relative_to(site)}: {where}: {text.strip()[:120]!r}"
        for page in pages
        for where, text in strings(page)
        if LEFTOVER.search(text)
    ]
    assert leftovers == []


def test_the_title_is_written_as_is_in_headings_navigation_and_footer_labels(site: Path) -> None:
    found = {text.strip() for page in site.rglob("*.html") for _, text in strings(page)}
    assert TITLE in found  # the h1, the navigation entries
    labels = [text for page in site.rglob("*.html") for where, text in strings(page) if where == "<a aria-label>"]
    assert any(label.endswith(": " + TITLE) for label in labels), sorted(set(labels))


def test_the_site_title_is_written_as_is_in_the_header_and_the_logo_tooltip(site: Path) -> None:
    found = [(where, text.strip()) for where, text in strings(site / "index.html")]
    assert ("<a title>", SITE_TITLE) in found
    assert ("text", SITE_TITLE) in found


def test_keywords_line_reads_as_written(site: Path) -> None:
    page = site / "traits" / "two" / "index.html"
    texts = [text for _, text in strings(page)]
    assert ", ".join(KEYWORDS) in texts  # as written, in the hidden paragraph the search reads
