"""Browser fixtures: the built site served on 127.0.0.1 and Debian's Chromium via Playwright.

Playwright's own browser download does not work on this project's machines, so the tests
launch ``/usr/bin/chromium`` (installed by ``.ci/run``). Every request to a host other than
127.0.0.1 is aborted and recorded, and each test asserts that none happened.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route, expect, sync_playwright

CHROMIUM = os.environ.get("TRAITBOOK_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying Google's hosts, which this
# machine's closed network refuses; they are not requests of the site under test.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def require_chromium() -> None:
    if shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; .ci/run should have installed Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files like GitHub Pages: a missing path under the site gets its 404.html.

    ``origin``: (the origin the site was built for, the origin it is served at), both the same
    length; the first is replaced by the second in every page, sitemap and index served, so a
    site built once serves on any port as if built for it (``site_url`` reaches nothing else).
    """

    not_found_page: Path | None = None
    origin: tuple[bytes, bytes] | None = None

    def copyfile(self, source: Any, outputfile: Any) -> None:
        if self.origin is None:
            super().copyfile(source, outputfile)
            return
        built, served = self.origin
        outputfile.write(source.read().replace(built, served))

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code == 404 and self.not_found_page is not None and self.not_found_page.is_file():
            body = self.not_found_page.read_bytes()
            if self.origin is not None:
                body = body.replace(*self.origin)
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


class _Server(http.server.ThreadingHTTPServer):
    """A browser that navigates away closes connections mid-response: not an error of the site."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


@dataclass
class Server:
    root: Path
    prefix: str
    base_url: str
    _httpd: http.server.ThreadingHTTPServer = field(repr=False)

    def url(self, path: str = "") -> str:
        return self.base_url + path.lstrip("/")

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def listen() -> http.server.ThreadingHTTPServer:
    """A server that holds a free port on 127.0.0.1 and serves nothing yet (see :func:`serve`).

    A site built for its port is built while the port is already taken by us: a port only
    looked up (:func:`free_port`) can be taken meanwhile by any other process of a shared
    machine, even as the source port of an outgoing connection.
    """
    return _Server(("127.0.0.1", 0), _QuietHandler)


def serve(
    site: Path,
    prefix: str = "/",
    port: int = 0,
    httpd: http.server.ThreadingHTTPServer | None = None,
    built_for: str | None = None,
) -> Server:
    """Serve ``site`` at ``http://127.0.0.1:<port><prefix>`` (a folder laid out to mimic a
    GitHub Pages project path when ``prefix`` is not ``/``), with ``httpd`` from
    :func:`listen` when given. ``built_for``: the origin of the site's ``site_url``, when it is
    not the one served (see ``_QuietHandler.origin``)."""
    root = site
    if prefix != "/":
        root = site.parent / "served"
        target = root / prefix.strip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            target.symlink_to(site, target_is_directory=True)
    if httpd is None:
        httpd = _Server(("127.0.0.1", port), _QuietHandler)
    served = f"http://127.0.0.1:{httpd.server_address[1]}/"
    origin = None
    if built_for is not None and built_for != served:
        assert len(built_for) == len(served), "an origin of another length would change Content-Length"
        origin = (built_for.encode(), served.encode())
    handler_class = type("Handler", (_QuietHandler,), {"not_found_page": site / "404.html", "origin": origin})
    httpd.RequestHandlerClass = functools.partial(handler_class, directory=str(root))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return Server(root, prefix, served.rstrip("/") + prefix, httpd)


def free_port() -> int:
    """A port free now, for a server another process starts at once (``mkdocs serve``). Where
    this process serves, use :func:`listen`: it keeps the port while the site is built."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def server(real_site: Path) -> Iterator[Server]:
    """The real catalogue's site (built once per run), served as if built for its port.

    Material's instant navigation only intercepts links that its sitemap (written from
    ``site_url``) lists, so the served pages and sitemap name the origin they are served at.
    """
    from tests.artefacts import REAL_SITE_URL

    srv = serve(real_site / "site", built_for=REAL_SITE_URL)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def zensical_server(tmp_path_factory: pytest.TempPathFactory, real_downloads: Path) -> Iterator[Server]:
    """The real catalogue built by Zensical (which runs no plugin), served like :func:`server`."""
    from tests.conftest import ROOT
    from tests.sitebuild import make_site

    root = make_site(
        tmp_path_factory.mktemp("zensical"), ROOT / "catalogue", engine="zensical", downloads=real_downloads
    )
    srv = serve(root / "site")
    yield srv
    srv.stop()


@dataclass
class Guard:
    """Records requests that tried to leave 127.0.0.1 (they are aborted)."""

    external: list[str] = field(default_factory=list)

    def handle(self, route: Route) -> None:
        url = route.request.url
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:", "file:")) or host == "127.0.0.1":
            route.continue_()
        else:
            self.external.append(url)
            route.abort()


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    require_chromium()
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@dataclass
class Session:
    context: BrowserContext
    page: Page
    guard: Guard
    errors: list[str]


@pytest.fixture
def session(browser: Browser) -> Iterator[Session]:
    """A fresh browser context for one test, dialogs accepted; at the end the test fails if a
    request left 127.0.0.1 or the page logged an error."""
    s = open_session(browser, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    s.page.on("dialog", lambda d: d.accept())
    yield s
    external, errors = list(s.guard.external), list(s.errors)
    s.context.close()
    assert external == [], f"requests left 127.0.0.1: {external}"
    assert errors == [], f"browser errors: {errors}"


def open_session(browser: Browser, **options: object) -> Session:
    context = browser.new_context(**options)  # type: ignore[arg-type]
    guard = Guard()
    context.route("**/*", guard.handle)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"{exc} {exc.stack}"))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return Session(context, page, guard, errors)


#: How long a search may take to answer (the worker loads the whole index first).
SEARCH_WAIT_MS = 60_000


def search(page: Page, query: str) -> list[str]:
    """Type into Material's search box; return the result pages in order (paths without suffix)."""
    box = page.locator(".md-search__input")
    items = page.locator(".md-search-result__list > li a.md-search-result__link")
    meta = page.locator(".md-search-result__meta")
    # Material searches on keyup, and renders each answer of its worker (the list, and the
    # count in the meta line) in one go. Clear the box and wait for the empty query's answer,
    # then send the whole query in one keyup and wait for its answer: the list is then this
    # query's results (typing key by key sends a query per prefix; their answers arrive later).
    box.click()
    box.fill("")
    box.press("End")
    # Generous waits: on a busy machine the search worker can take seconds to load the index.
    expect(meta).to_have_text("Type to start searching", timeout=SEARCH_WAIT_MS)
    box.fill(query)
    box.press("End")
    wait_for_answer(page, query)
    pages: list[str] = []
    for href in items.evaluate_all("els => els.map(e => e.href)"):
        path = urlsplit(href).path
        if path not in pages:
            pages.append(path)
    return pages


def wait_for_answer(page: Page, query: str) -> None:
    """Until the results shown are the search worker's answer to ``query`` (search.js marks the
    form with the query each answer is for; the worker tries the query's forms before it answers)."""
    meta = page.locator(".md-search-result__meta")
    expect(meta).to_contain_text("matching document", timeout=SEARCH_WAIT_MS)  # "No matching documents", "1 …"
    page.wait_for_function(
        "query => document.querySelector('.md-search__form').getAttribute('data-tb-answered') === query",
        arg=query,
        timeout=SEARCH_WAIT_MS,
    )


def normalise(path: str, prefix: str) -> str:
    return path.removeprefix(prefix).removesuffix("index.html").removesuffix(".html").rstrip("/")


def search_zensical(page: Page, query: str) -> list[str]:
    """Zensical's own search dialog (a shadow-DOM component opened by its button): type the
    query and return the result pages in order (paths without suffix, as :func:`search`)."""
    box = page.locator("dialog input[role=combobox]")
    if not box.is_visible():
        page.click(".md-search__button")
    status = page.locator("dialog [role=status]")
    box.fill("")
    expect(status).to_have_text("", timeout=SEARCH_WAIT_MS)  # the previous answer is gone
    box.fill(query)
    expect(status).to_contain_text("result", timeout=SEARCH_WAIT_MS)  # "No results", "1 result", "N results"
    pages: list[str] = []
    for href in page.locator("dialog [role=listbox] a[href]").evaluate_all("els => els.map(e => e.href)"):
        path = urlsplit(href).path
        if path not in pages:
            pages.append(path)
    return pages
