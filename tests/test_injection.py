"""Injection through every text field, checked on the built site in Chromium.

Plain-text fields must show payloads literally; Markdown fields must refuse them with the
file and line. Nothing may execute: the page scripts count any call of the payloads.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Dialog

from tests.browser import Server, listen, open_session, serve
from tests.conftest import MINI, run_cli
from tests.sitebuild import make_site

PAYLOADS = [
    "<script>window.__pwned++</script>",
    '<img src=x onerror="window.__pwned++">',
    "</script><script>window.__pwned++</script>",
    '{: onclick="window.__pwned++" }',
    "[click](javascript:window.__pwned++)",
    "&lt;script&gt;window.__pwned++&lt;/script&gt;",
    "&#60;img src=x onerror=window.__pwned++&#62;",
    '"><svg onload="window.__pwned++">',
]
TRICKY_TITLE = 'Risk: "yes" # not a comment\nsecond line'


def poison(data: Any, counter: Iterator[int], plain_keys: set[str]) -> Any:
    """Put a payload into every plain-text field (by key name) of the mini catalogue."""
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            if key in plain_keys and isinstance(value, str):
                out[key] = f"{value} {PAYLOADS[next(counter) % len(PAYLOADS)]}"
            elif key in ("aliases", "keywords") and isinstance(value, list):
                out[key] = [*value, PAYLOADS[next(counter) % len(PAYLOADS)]]
            else:
                out[key] = poison(value, counter, plain_keys)
        return out
    if isinstance(data, list):
        return [poison(item, counter, plain_keys) for item in data]
    return data


PLAIN_KEYS = {"title", "subtitle", "summary", "term", "short", "version", "publisher", "note",
              "reason", "code", "label", "question", "text", "edition", "author"}  # fmt: skip


def write_poisoned(target: Path) -> None:
    counter = iter(range(10_000))
    for path in sorted(MINI.rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        poisoned = poison(data, counter, PLAIN_KEYS)
        if path.name == "two.yml":
            poisoned["title"] = TRICKY_TITLE
        if path.name == "catalogue.yml":  # a plain field here; category descriptions are Markdown
            poisoned["description"] += " " + PAYLOADS[0]
        out = target / path.relative_to(MINI)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(yaml.safe_dump(poisoned, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def poisoned_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("poison")
    write_poisoned(tmp / "catalogue")
    httpd = listen()  # the port is ours while the site is built for it
    port = httpd.server_address[1]
    root = make_site(tmp / "build", tmp / "catalogue", f"http://127.0.0.1:{port}/")
    srv = serve(root / "site", httpd=httpd)
    yield srv
    srv.stop()


def test_payloads_in_plain_text_show_literally_and_never_run(browser: Browser, poisoned_server: Server) -> None:
    session = open_session(browser)
    page = session.page
    page.add_init_script("window.__pwned = 0; window.alert = () => { window.__pwned++ };")
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    site = poisoned_server.root
    pages = sorted(p for p in site.rglob("*.html") if p.name != "404.html")
    assert len(pages) >= 10
    for html_file in pages:
        page.goto(poisoned_server.url(html_file.relative_to(site).as_posix().removesuffix("index.html")))
        # Let everything a payload could hook run first: the self-check script has enhanced
        # every exercise (it builds DOM from catalogue text), then one more turn of the loop.
        page.wait_for_function(
            "document.documentElement.classList.contains('tb-js')"
            " && !document.querySelector('.tb-exercise:not([data-tb-ready])')"
        )
        page.evaluate("new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve)))")
        for selector in ("a[href^='javascript:' i]", "[onclick]", "[onerror]", "[onload]", "script:not([src])"):
            found = page.locator(f".md-content {selector}").count()
            assert found == 0, f"{html_file}: {selector}"
        schemes = page.evaluate("Array.from(document.links, a => a.protocol)")
        assert not {"javascript:", "vbscript:", "data:"} & set(schemes), html_file
        assert page.evaluate("window.__pwned") == 0, html_file
    page.goto(poisoned_server.url("traits/one/"))
    catalogue = poisoned_server.root.parent / "catalogue"  # the built project's copy
    title = yaml.safe_load((catalogue / "traits" / "one.yml").read_text(encoding="utf-8"))["title"]
    assert any(p in title for p in PAYLOADS)
    assert " ".join(page.locator("h1").inner_text().split()).removesuffix("¶").strip() == " ".join(title.split())
    page.goto(poisoned_server.url("traits/two/"))
    tricky = " ".join(TRICKY_TITLE.split())
    assert " ".join(page.locator("h1").inner_text().split()).removesuffix("¶").strip() == tricky
    assert " ".join(page.title().split()).startswith(tricky)
    errors, external = list(session.errors), list(session.guard.external)
    session.context.close()
    assert dialogs == [] and external == []
    assert [e for e in errors if "__pwned" in e] == []


MARKDOWN_FIELDS = [
    (
        "catalogue/traits/one.yml",
        "    body: |\n      Trait one is about **widgets**.",
        "    body: |\n      Trait one {p}",
    ),
    ("catalogue/traits/one.yml", "        feedback: Panic does not help.", "        feedback: 'Panic {p}'"),
    ("catalogue/traits/one.yml", "    scenario: A widget broke.", "    scenario: 'A widget {p}'"),
    ("catalogue/traits/one.yml", "  - explain one thing", "  - 'explain {p}'"),
    ("catalogue/catalogue.yml", "    definition: A small thing used in tests.", "    definition: 'A {p}'"),
    ("catalogue/catalogue.yml", "    description: The *first* category.", "    description: 'The {p}'"),
]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize(
    ("file", "old", "new"), MARKDOWN_FIELDS, ids=[f[1].strip().split(":")[0] for f in MARKDOWN_FIELDS]
)
def test_payloads_in_markdown_fields_are_refused_with_file_and_line(
    project: Path, file: str, old: str, new: str, payload: str
) -> None:
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1 + old.count("\n")
    path.write_text(text.replace(old, new.format(p=payload.replace("'", "''")), 1), encoding="utf-8")
    result = run_cli("--root", str(project), "check")
    assert result.code == 2, payload
    first = result.err.splitlines()[0]
    assert first.startswith(f"{file}:{line}:") or first.startswith(f"{file}:{line - old.count(chr(10))}:"), result.err
    assert "Traceback" not in result.err
    shutil.rmtree(project / "docs", ignore_errors=True)


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


def test_poisoned_fixture_is_valid(tmp_path: Path) -> None:
    """The payloads in plain-text fields are data, not errors: the catalogue validates."""
    write_poisoned(tmp_path / "catalogue")
    result = run_cli("--root", str(tmp_path), "check")
    assert result.code == 0, result.err
    data = yaml.safe_load((tmp_path / "catalogue" / "traits" / "one.yml").read_text())
    assert any(p in value for value in _strings(data) for p in PAYLOADS)
