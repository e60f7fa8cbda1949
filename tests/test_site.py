"""A real `mkdocs build --strict` of the project, with assertions on the built HTML."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import MINI, ROOT
from tests.htmlscan import scan
from tests.sitebuild import make_site
from traitbook import Project, load_and_validate
from traitbook._internal.catalogue.model import MultipleSelect, SingleChoice


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_site(tmp_path_factory.mktemp("mini"), MINI)


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html"))


def test_a_page_per_trait_in_sections_by_category(real_site: Path) -> None:
    catalogue = load_and_validate(Project.at(real_site)).catalogue
    site = real_site / "site"
    for trait in catalogue.traits:
        page = site / "traits" / trait.id / "index.html"
        assert page.is_file(), trait.id
        # The page's one heading is the trait's title (not just the title somewhere in <head>).
        headings = re.findall(r"<h1[^>]*>(.*?)</h1>", page.read_text(), flags=re.DOTALL)
        assert [_text(h).removesuffix("¶").strip() for h in headings] == [trait.title], trait.id
    home = (site / "index.html").read_text()
    for category in catalogue.site.categories:
        assert category.title in home
        assert (site / "categories" / category.id / "index.html").is_file()


def test_every_internal_link_and_anchor_resolves(real_site: Path) -> None:
    site = real_site / "site"
    scans = {p: scan(p) for p in html_pages(site)}
    broken = []
    for page, found in scans.items():
        for href in found.links:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("mailto:"):
                continue
            if not parts.path:
                target = page
            elif parts.path.startswith("/"):  # 404.html links from site_url's path (here "/")
                target = (site / unquote(parts.path).lstrip("/")).resolve()
            else:
                target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)} → {href}")
            elif parts.fragment and parts.fragment not in scans.get(target, scan(target)).ids:
                broken.append(f"{page.relative_to(site)} → {href} (anchor)")
    assert broken == []


def test_related_and_reciprocal_links_are_on_the_pages(real_site: Path) -> None:
    catalogue = load_and_validate(Project.at(real_site)).catalogue
    site = real_site / "site"
    for trait in catalogue.traits:
        links = scan(site / "traits" / trait.id / "index.html").links
        for rel in trait.related:
            assert f"../{rel.id}/" in links, (trait.id, rel.id)
        for other in catalogue.traits:
            if any(r.id == trait.id for r in other.related):
                assert f"../{other.id}/" in links, (trait.id, "referenced by", other.id)


def test_search_index_holds_every_trait_title_and_question(real_site: Path) -> None:
    catalogue = load_and_validate(Project.at(real_site)).catalogue
    index = json.loads((real_site / "site" / "search" / "search_index.json").read_text())
    text = " ".join(d["title"] + " " + d["text"] for d in index["docs"])
    titles = {d["title"] for d in index["docs"]}
    exercises = [e for t in catalogue.traits for e in t.exercises]
    questions = [e.question for e in exercises if isinstance(e, SingleChoice | MultipleSelect)]
    assert questions  # the real catalogue has questions: the loop below checks something
    for trait in catalogue.traits:
        assert trait.title in titles
    for question in questions:
        assert " ".join(question.split()) in " ".join(text.split()), question


def test_no_request_to_another_host(real_site: Path) -> None:
    for page in html_pages(real_site / "site"):
        found = scan(page)
        external = [a for a in found.assets if urlsplit(a).scheme in ("http", "https") or a.startswith("//")]
        assert external == [], page
    css = "".join(p.read_text() for p in (real_site / "site").rglob("*.css"))
    assert "fonts.googleapis" not in css and "fonts.gstatic" not in css


def test_hand_written_pages_are_untouched_by_the_build(real_site: Path) -> None:
    for path in (ROOT / "docs").glob("*.md"):
        assert (real_site / "docs" / path.name).read_bytes() == path.read_bytes()


def test_plain_text_fields_show_literally(mini_site: Path) -> None:
    page = mini_site / "site" / "traits" / "one" / "index.html"
    html = page.read_text()
    assert scan(page).event_attrs == []
    assert "Trait One: the *first* {: onclick=alert(1) }" in _text(html)
    assert "&lt;b&gt;literally&lt;/b&gt;" in html
    assert "Look at the widget &lt;i&gt;closely&lt;/i&gt;" in html


def test_exercises_work_without_javascript(mini_site: Path) -> None:
    html = (mini_site / "site" / "traits" / "one" / "index.html").read_text()
    assert '<fieldset class="tb-exercise__options">' in html
    assert '<legend class="tb-exercise__question">What do you do first?</legend>' in html
    assert 'data-exercise="one/pick"' in html and 'data-correct="true"' in html
    assert '<details class="tb-answer"' in html and "Looking first gives you <em>facts</em>." in html


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.parametrize(("uk", "us"), [("defence in depth", "defense in depth"), ("organisation", "organization")])
def test_both_spellings_lead_to_the_same_page(real_site: Path, uk: str, us: str) -> None:
    index = json.loads((real_site / "site" / "search" / "search_index.json").read_text())
    pages: dict[str, str] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#")[0]
        pages[page] = pages.get(page, "") + " " + doc["text"].lower()
    assert any(uk in text and us in text for page, text in pages.items() if page.startswith("traits/"))
