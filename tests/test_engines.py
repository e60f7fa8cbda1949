"""The real catalogue built by the other engines that read mkdocs.yml: ProperDocs (the plugin
runs) and Zensical (no plugin runs: only the files `python -m generator build` wrote).

Each site is served and checked in a real browser: every trait in the sidebar under its
category, the catalogue's title and language, one exercise answered (and still answered,
its answer shown again, after a reload), search, the handbook links, and no request to another host.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser import Server, Session, listen, open_session, serve
from tests.conftest import MINI, ROOT
from tests.sitebuild import copy_project, make_site, mkdocs_build
from traitbook import Project, load_and_validate
from traitbook._internal.catalogue.model import Catalogue, SingleChoice, option_letter

ENGINES = ["properdocs", "zensical"]

#: Links of the primary sidebar, each with the titles of the sections it sits in, outermost first.
SIDEBAR = """() => [...document.querySelectorAll('nav.md-nav--primary a.md-nav__link[href]')].map(a => {
  const sections = [];
  let item = a.closest('li.md-nav__item');
  while (item) {
    const parent = item.parentElement.closest('li.md-nav__item--nested');
    if (!parent) break;
    const head = [...parent.children].find(child => child.tagName !== 'INPUT');
    sections.unshift(head.textContent.trim());
    item = parent;
  }
  return [new URL(a.href).pathname, sections];
})"""


#: The focused element is a text box, looking into shadow roots (Zensical's search lives in one).
FOCUSED_INPUT = """() => {
  let active = document.activeElement;
  while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
  return active !== null && active.tagName === 'INPUT';
}"""


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_and_validate(Project.at(ROOT)).catalogue


@pytest.fixture(scope="module", params=ENGINES)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A fresh copy (no PDFs) built as documented: `python -m generator build`, then the engine."""
    httpd = listen()
    port = httpd.server_address[1]
    root = copy_project(tmp_path_factory.mktemp(request.param) / "proj", ROOT / "catalogue")
    assert not (root / "docs" / "downloads").exists()
    mkdocs_build(root, f"http://127.0.0.1:{port}/", engine=request.param, handbook=True)
    server = serve(root / "site", httpd=httpd)
    yield server
    server.stop()


@pytest.fixture
def session(browser: Browser) -> Iterator[Session]:
    s = open_session(browser, viewport={"width": 1280, "height": 900})
    yield s
    external, errors = list(s.guard.external), list(s.errors)
    s.context.close()
    assert external == [], f"requests left 127.0.0.1: {external}"
    assert errors == [], f"browser errors: {errors}"


def test_every_trait_is_in_the_sidebar_under_its_category(site: Server, session: Session, catalogue: Catalogue) -> None:
    titles = {c.id: c.title for c in catalogue.site.categories}
    page = session.page
    for trait in catalogue.traits:
        page.goto(site.url(f"traits/{trait.id}/"))
        links = {path: sections for path, sections in page.evaluate(SIDEBAR)}
        assert links.get(f"/traits/{trait.id}/") == ["Traits", titles[trait.category]], trait.id
    for category_id, title in titles.items():
        page.goto(site.url(f"categories/{category_id}/"))
        links = {path: sections for path, sections in page.evaluate(SIDEBAR)}
        assert links.get(f"/categories/{category_id}/") == ["Traits", title], category_id


def test_title_and_language_come_from_the_catalogue(site: Server, session: Session, catalogue: Catalogue) -> None:
    page = session.page
    page.goto(site.url("traits/leader/"))
    assert page.locator("html").get_attribute("lang") == catalogue.site.language
    assert page.title().endswith(catalogue.site.title)


def test_an_exercise_is_answered_and_progress_kept_after_a_reload(
    site: Server, session: Session, catalogue: Catalogue
) -> None:
    trait = catalogue.trait("leader")
    exercise = next(e for e in trait.exercises if isinstance(e, SingleChoice))
    right = next(i for i, o in enumerate(exercise.options) if o.correct)
    box = f"#ex-leader-{exercise.id}"
    page = session.page
    page.goto(site.url("traits/leader/"))
    page.check(f"{box}-{option_letter(right)}")
    page.click(f"{box} >> text=Check answer")
    expect(page.locator(f"{box} .tb-result")).to_contain_text("Correct")
    done = f"Self-check: 1 of {len(trait.exercises)} done, 1 correct on first try"
    expect(page.locator(".tb-progress__text")).to_have_text(done)
    page.reload()
    expect(page.locator(".tb-progress__text")).to_have_text(done)
    expect(page.locator(f"{box}-{option_letter(right)}")).to_be_checked()  # and the answer is shown again
    expect(page.locator(f"{box} .tb-result")).to_contain_text("Correct")


def test_search_finds_a_trait_page(site: Server, session: Session) -> None:
    page = session.page
    page.goto(site.url())
    page.keyboard.press("/")
    page.wait_for_function(FOCUSED_INPUT)  # typing before the box has focus would lose keys
    page.keyboard.type("consultative")
    # Material's results are .md-search-result__link; Zensical's are options (in a shadow root,
    # which CSS locators pierce).
    result = page.locator(".md-search-result__link, a[role=option]").first
    expect(result).to_have_attribute("href", re.compile(r"traits/consultative/"))


def test_the_handbook_links_resolve(site: Server, session: Session) -> None:
    page = session.page
    page.goto(site.url("traits/leader/"))
    # The site's own PDFs (further reading may link other hosts' PDFs).
    hrefs = [
        h
        for h in page.locator("a[href$='.pdf']").evaluate_all("links => links.map(a => a.href)")
        if h.startswith(site.url(""))
    ]
    assert {Path(h).name for h in hrefs} == {"handbook.pdf", "worksheet.pdf"}
    for href in hrefs:
        response = page.request.get(href)
        assert response.status == 200, href
        assert response.body().startswith(b"%PDF-")


#: Titles that are text, whatever they look like to Markdown, HTML or a YAML reader.
HOSTILE_CATEGORY = 'Beta <img src=x onerror="alert(1)"> & *co* [x](y) `z` #1'
HOSTILE_SITE = "Mini <b>bold</b> & 'quoted' \"site\""


def sidebar_labels(page: str) -> list[str]:
    """The text of every navigation label (Material's and Zensical's templates share the class)."""
    found = re.findall(r'class="md-ellipsis">(.*?)</span>', page, re.S)
    return [html.unescape(" ".join(text.split())) for text in found]


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_hostile_titles_are_shown_as_written_by_each_engine(engine: str, tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue"
    shutil.copytree(MINI, catalogue)
    config = catalogue / "catalogue.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("title: Beta things", f"title: {json.dumps(HOSTILE_CATEGORY)}")
    text = text.replace("title: Mini catalogue", f"title: {json.dumps(HOSTILE_SITE)}")
    config.write_text(text, encoding="utf-8")
    site = make_site(tmp_path, catalogue, engine=engine) / "site"
    page = (site / "traits" / "three" / "index.html").read_text(encoding="utf-8")
    assert "<img" not in page and "<b>bold" not in page  # nothing in a title became markup
    assert HOSTILE_CATEGORY in sidebar_labels(page)  # the section of the open page, exactly as written
    one = (site / "traits" / "one" / "index.html").read_text(encoding="utf-8")
    assert "Trait One: the *first* {: onclick=alert(1) }" in sidebar_labels(one)
    title = html.unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1))  # type: ignore[union-attr]
    assert title == f"Trait Three - {HOSTILE_SITE}"
