"""Publishing: a project sub-path, the offline zip, and search quality (the Pages workflow: test_workflows.py)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, expect

from tests.browser import Server, Session, listen, open_session, search, serve
from tests.conftest import ROOT
from tests.htmlscan import scan
from tests.sitebuild import make_site

PREFIX = "/some-repo/"


# ---- a project sub-path: crawl everything ----------------------------------------------------


@pytest.fixture(scope="module")
def subpath_server(tmp_path_factory: pytest.TempPathFactory, real_downloads: Path) -> Iterator[Server]:
    httpd = listen()  # the port is ours while the site is built for it
    port = httpd.server_address[1]
    root = make_site(
        tmp_path_factory.mktemp("subpath"),
        ROOT / "catalogue",
        f"http://127.0.0.1:{port}{PREFIX}",
        downloads=real_downloads,
    )
    srv = serve(root / "site", prefix=PREFIX, httpd=httpd)
    yield srv
    srv.stop()


@dataclass
class Crawl:
    pages: int
    broken: list[str]
    failed_requests: list[str]


def _site_path(server: Server, url: str) -> Path | None:
    """The file a same-site URL maps to, or None when it points outside the prefix."""
    parts = urlsplit(url)
    if not parts.path.startswith(server.prefix):
        return None
    rel = unquote(parts.path[len(server.prefix) :])
    target = server.root / server.prefix.strip("/") / rel
    return target / "index.html" if rel == "" or rel.endswith("/") else target


def crawl(session: Session, server: Server) -> Crawl:
    site = server.root / server.prefix.strip("/")
    pages = sorted(site.rglob("*.html"))
    broken: list[str] = []
    failed: list[str] = []
    page = session.page
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    for html_file in pages:
        if html_file.name == "404.html":
            continue
        url = server.url(html_file.relative_to(site).as_posix().removesuffix("index.html"))
        page.goto(url)
        page.wait_for_load_state("networkidle")
        found = scan(html_file)  # the raw HTML, so links inside raw HTML blocks are checked too
        for ref in [*found.links, *found.assets]:
            absolute = urljoin(url, ref)
            if urlsplit(absolute).hostname != "127.0.0.1":
                continue  # external links are not followed (and never fetched: see the guard)
            target = _site_path(server, absolute)
            if target is None or not target.is_file():
                broken.append(f"{html_file.relative_to(site)}: {ref}")
                continue
            fragment = urlsplit(absolute).fragment
            if fragment and target.suffix == ".html" and unquote(fragment) not in scan(target).ids:
                broken.append(f"{html_file.relative_to(site)}: {ref} (no such anchor)")
    return Crawl(len(pages), broken, failed)


def test_every_page_works_under_a_project_sub_path(browser: Browser, subpath_server: Server) -> None:
    session = open_session(browser)
    result = crawl(session, subpath_server)
    errors, external = list(session.errors), list(session.guard.external)
    session.context.close()
    assert result.pages >= 20  # home, how-to, about, overview, 4 categories, 8 traits, 3 reference, 404
    assert result.broken == []
    assert result.failed_requests == []
    assert errors == [] and external == []


def test_404_page_is_styled_under_the_prefix(browser: Browser, subpath_server: Server) -> None:
    session = open_session(browser)
    page = session.page
    response = page.goto(subpath_server.url("no/such/page/"))
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_contain_text("404")
    # Material's stylesheet loaded from under the prefix: the header is laid out and coloured.
    header = page.locator(".md-header")
    expect(header).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in ("sticky", "fixed")
    home = page.locator(".md-header__button.md-logo").get_attribute("href")
    assert home is not None and urljoin(page.url, home).endswith(PREFIX)
    external = list(session.guard.external)
    session.context.close()
    assert external == []


def test_pages_have_description_canonical_url_and_sitemap(subpath_server: Server) -> None:
    site = subpath_server.root / PREFIX.strip("/")
    html = (site / "traits" / "leader" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<meta name="description" content="Leading in security means', html)
    assert f'<link rel="canonical" href="{subpath_server.url("traits/leader/")}">' in html
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert subpath_server.url("traits/leader/") in sitemap


# ---- offline: the zip works from file:// ------------------------------------------------------


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory, real_downloads: Path) -> Path:
    tmp = tmp_path_factory.mktemp("offline")
    root = make_site(
        tmp,
        ROOT / "catalogue",
        extra_env={"TRAITBOOK_OFFLINE": "true"},
        site_dir="site-offline",
        downloads=real_downloads,
    )
    archive = tmp / "traitbook-offline.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted((root / "site-offline").rglob("*")):
            zf.write(path, path.relative_to(root))
    unpacked = tmp / "unpacked"
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(unpacked)
    return unpacked / "site-offline"


def test_offline_zip_works_from_disk_with_search_and_self_check(browser: Browser, offline_site: Path) -> None:
    session = open_session(browser)
    page = session.page
    page.goto((offline_site / "index.html").as_uri())
    assert not any("unpkg.com" in p.read_text() for p in offline_site.rglob("*.html"))
    page.click(".tb-trait-link[data-trait=leader]")
    expect(page).to_have_url(re.compile(r"traits/leader\.html$"))
    exercise = page.locator(".tb-exercise[data-kind=single]").first
    exercise.locator("input").first.check()
    exercise.locator("text=Check answer").click()
    expect(exercise.locator(".tb-result")).not_to_be_empty()
    expect(page.locator(".tb-progress__text")).to_contain_text("1 of")
    results = search(page, "persistence")
    assert results and results[0].endswith("traits/determined.html")
    # The graph's links follow the page's own trait links, which use .html files here.
    page.goto((offline_site / "traits" / "index.html").as_uri())
    page.click("a.tb-node[data-trait=consultative]")
    expect(page).to_have_url(re.compile(r"traits/consultative\.html$"))
    # Ratings work from disk too.
    page.goto((offline_site / "self-assessment" / "index.html").as_uri())
    page.check("input[name='tb-rate-leader'][value='2']")
    expect(page.locator(".tb-profile tr[data-trait='leader'] td").first).to_have_text("2")
    errors, external = list(session.errors), list(session.guard.external)
    session.context.close()
    assert external == []
    assert errors == []
