"""Search quality of the real site for both query sets, as a reader types them.

    .venv/bin/python -m bench.search_quality [--delay MS]

Builds the real catalogue's site once (``tests/sitebuild.py``), serves it on 127.0.0.1 and runs
each query of ``tests/search_queries.py`` (the set of issue 18) and of
``tests/search_queries_readers.py`` (the reader-intent set of issue 32, written before any change
to search) through Material's search in Chromium, in two ways: the whole query at once (as
``tests/test_search.py`` does) and typed key by key with ``--delay`` ms between keys. Reports
top-1, top-3 and MRR per set, per kind and per way, and whether the box still holds what was
typed. Writes ``bench/RESULTS-search-quality.md``. Measures; asserts nothing.
"""

from __future__ import annotations

import argparse
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from tests.browser import CHROMIUM, CHROMIUM_ARGS, normalise, open_session, search, serve, wait_for_answer
from tests.conftest import ROOT
from tests.search_queries import QUERIES, Query
from tests.search_queries_readers import QUERIES_READERS
from tests.sitebuild import make_site

RESULTS = ROOT / "bench" / "RESULTS-search-quality.md"


def typed(delay: int, boxes: dict[str, str]) -> Callable[[Page, str], list[str]]:
    """Type ``query`` key by key, then read the results as :func:`tests.browser.search` does;
    ``boxes`` records what the search box held after the last key."""

    def run(page: Page, query: str) -> list[str]:
        box = page.locator(".md-search__input")
        box.click()
        box.fill("")
        box.press("End")
        page.keyboard.type(query, delay=delay)
        boxes[query] = box.input_value()
        return search_after_typing(page, query)

    return run


def search_after_typing(page: Page, query: str) -> list[str]:
    wait_for_answer(page, query)
    links = page.locator(".md-search-result__list > li a.md-search-result__link")
    seen: list[str] = []
    for href in links.evaluate_all("els => els.map(e => new URL(e.href).pathname)"):
        if href not in seen:
            seen.append(href)
    return seen


def figures(ranks: list[int | None]) -> str:
    n = len(ranks)
    top1 = sum(r == 1 for r in ranks) / n
    top3 = sum(r is not None and r <= 3 for r in ranks) / n
    mrr = sum(1 / r for r in ranks if r) / n
    return f"{n} | {top1:.0%} | {top3:.0%} | {mrr:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--delay", type=int, default=80, help="milliseconds between keys when typing")
    args = parser.parse_args()
    typed_box: dict[str, str] = {}
    sets = {
        "issue 18 (`search_queries.py`)": QUERIES,
        "readers, issue 32 (`search_queries_readers.py`)": QUERIES_READERS,
    }
    ways: dict[str, Callable[[Page, str], list[str]]] = {
        "at once": search,
        f"typed, {args.delay} ms a key": typed(args.delay, typed_box),
    }
    with tempfile.TemporaryDirectory() as tmp:
        root = make_site(Path(tmp), ROOT / "catalogue")
        server = serve(root / "site")
        rows: dict[tuple[str, str], list[tuple[Query, int | None]]] = defaultdict(list)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for way, box in ways.items():
                session = open_session(browser)
                session.page.goto(server.url(""))
                for name, queries in sets.items():
                    for query in queries:
                        found = [normalise(x, server.prefix) for x in box(session.page, query.text)]
                        rank = next((i for i, page in enumerate(found, 1) if page in query.wanted), None)
                        rows[(name, way)].append((query, rank))
                session.context.close()
            browser.close()
        server.stop()
    changed = {q: v for q, v in typed_box.items() if v != q}
    lines = [
        "# Search quality as readers type",
        "",
        f"`python -m bench.search_quality --delay {args.delay}` on the real catalogue; one run.",
        "",
        "| set | way | queries | top 1 | top 3 | MRR |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for (name, way), found in rows.items():
        lines.append(f"| {name} | {way} | {figures([r for _, r in found])} |")
    lines += [
        "",
        "By kind (readers set):",
        "",
        "| kind | way | queries | top 1 | top 3 | MRR |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for (name, way), found in rows.items():
        if "readers" not in name:
            continue
        kinds: dict[str, list[int | None]] = defaultdict(list)
        for query, rank in found:
            kinds[query.kind].append(rank)
        lines += [f"| {kind} | {way} | {figures(ranks)} |" for kind, ranks in sorted(kinds.items())]
    lines += ["", f"Queries whose box no longer held what was typed: {len(changed)} of {len(typed_box)}."]
    lines += [f"- `{q}` → `{v}`" for q, v in sorted(changed.items())[:20]]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
