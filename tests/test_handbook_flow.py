"""Tables and long addresses in the printed handbook, read back from a real layout.

A course author saw a small table jump to the next page although it fitted, and long addresses
cut after any letter. A synthetic catalogue is laid out by the handbook's own renderer and read
back: a table that fits stays on the page of the text before it; a small table is never cut into
a header and a row; a long one splits between rows with its header on every page; a long URL
breaks only after a separator and stays inside the page.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from tests.conftest import MINI
from traitbook import Project, load_and_validate
from traitbook._internal.handbook.pdf import render_handbook
from traitbook._internal.handbook.printhtml import HandbookOptions, break_url, break_urls
from traitbook._internal.plan import plan

SENTENCE = "Sprockets turn and mesh with other wheels in a long sentence that fills the line. "
LONG_URL = (
    "https://guidance.example.org/nursing/observations/news2_observation_chart.escalation_protocol."
    "adult_inpatients.acute_hospital_settings.national_guidance.second_edition.pdf?format=print&download=true"
)
SEPARATORS = "/.-?&=_#~+"
# A word of `pdftotext -bbox-layout`: its right edge and its text.
_WORD = re.compile(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>')
A4_WIDTH, RIGHT_MARGIN = 595.28, 20 / 25.4 * 72


def small_table(tag: str, rows: int) -> str:
    body = "".join(f"| {tag}-row{n} | {tag} reading {n} |\n" for n in range(1, rows + 1))
    return f"| {tag}-head | Reading |\n|---|---|\n{body}"


def options() -> list[dict[str, object]]:
    text = "call the nurse in charge, record it on the chart and recheck it "
    found: list[dict[str, object]] = [
        {"text": f"Option {c}: {text * 2}", "feedback": "Because it is so here."} for c in "abcd"
    ]
    found[0]["correct"] = True
    return found


def catalogue(root: Path) -> Path:
    """The mini catalogue with tables, long addresses, and chapters that place a small table at
    several heights on their page (each chapter starts a page, so each is laid out on its own)."""
    target = root / "catalogue"
    shutil.copytree(MINI, target)
    site = yaml.safe_load((target / "catalogue.yml").read_text(encoding="utf-8"))
    site["sources"].append({"id": "chart", "title": "The observation chart", "url": LONG_URL})
    (target / "catalogue.yml").write_text(yaml.safe_dump(site, sort_keys=False), encoding="utf-8")

    two = yaml.safe_load((target / "traits" / "two.yml").read_text(encoding="utf-8"))
    # The first exercise fills the exercises page down to about its middle; the second opens
    # with a small table, which fits below it, while the whole exercise does not.
    two["exercises"][0]["scenario"] = SENTENCE * 20
    two["exercises"].append(
        {"id": "observations", "kind": "single", "scenario": "Lead-in of Mr Hill's chart:\n\n" + small_table("hill", 2),
         "question": "What do you do first for Mr Hill?", "options": options()}
    )  # fmt: skip
    two["sections"][0]["body"] = (
        f"Read the chart guide at <{LONG_URL}> before the round.\n\n"
        + "The whole chart, hour by hour:\n\n"
        + small_table("long", 60)
    )
    two["reading"] = [{"source": "chart", "note": "The national chart and its escalation rules."}]
    (target / "traits" / "two.yml").write_text(yaml.safe_dump(two, sort_keys=False), encoding="utf-8")

    for number, sentences in enumerate(range(36, 48, 2), start=4):
        trait = {
            "id": f"t{number}",
            "title": f"Trait {number}",
            "category": "beta",
            "summary": "A trait that places a table.",
            "sections": [
                {"title": "What it means",
                 "body": SENTENCE * sentences + f"\n\nLead-in {number}:\n\n" + small_table(f"t{number}", 3)},
            ],
        }  # fmt: skip
        (target / "traits" / f"t{number}.yml").write_text(yaml.safe_dump(trait, sort_keys=False), encoding="utf-8")
    return target


@dataclass
class Laid:
    path: Path
    pages: list[str]  # each page's text, as pypdf reads it

    def page_of(self, text: str) -> int:
        found = self.pages_of(text)
        assert len(found) == 1, (text, found)
        return found[0]

    def pages_of(self, text: str) -> list[int]:
        """The pages that hold ``text`` (not followed by a digit: "row1" is not "row10")."""
        pattern = re.compile(re.escape(text) + r"(?![0-9])")
        return [n for n, page in enumerate(self.pages) if pattern.search(page)]


@pytest.fixture(scope="module")
def laid(tmp_path_factory: pytest.TempPathFactory) -> Laid:
    root = tmp_path_factory.mktemp("flow")
    folder = catalogue(root)
    page_plan = plan(load_and_validate(Project.at(root, catalogue=folder)).catalogue)
    result = render_handbook(page_plan, HandbookOptions(), environ={})
    assert result.warning is None
    path = root / "handbook.pdf"
    path.write_bytes(result.data)
    return Laid(path, [page.extract_text() for page in PdfReader(path).pages])


def test_a_small_table_that_fits_stays_on_the_page_of_the_text_before_it(laid: Laid) -> None:
    before = laid.page_of("Which is second?")  # the exercise before the one with the table
    assert laid.page_of("Lead-in of Mr Hill") == before
    assert laid.page_of("hill-row1") == before and laid.page_of("hill-row2") == before
    # The question and its options stay together, on the page after if need be.
    assert laid.page_of("What do you do first for Mr Hill?") == laid.page_of("Option d:")


def test_a_small_table_is_never_cut_into_a_header_and_a_row(laid: Laid) -> None:
    moved = 0
    for number in range(4, 10):
        head, rows = laid.pages_of(f"t{number}-head"), [laid.page_of(f"t{number}-row{n}") for n in (1, 2, 3)]
        assert len(head) == 1 and rows == [head[0]] * 3, (number, head, rows)
        moved += head[0] != laid.page_of(f"Lead-in {number}:")
    assert 0 < moved < 6  # the chapters place the table both above and across a page's end


def test_a_long_table_splits_between_rows_with_its_header_on_every_page(laid: Laid) -> None:
    pages = sorted({laid.page_of(f"long-row{n}") for n in range(1, 61)})
    assert len(pages) >= 2
    assert pages == laid.pages_of("long-head"), "the header row is repeated on each page of the table"
    for n in range(1, 61):  # every row whole on one page
        assert laid.page_of(f"long reading {n}") == laid.page_of(f"long-row{n}")


def url_lines(page: str) -> list[str]:
    """The lines one printing of LONG_URL takes on a page, as pypdf reads them."""
    lines = page.split("\n")
    for start, line in enumerate(lines):
        if "https://" not in line:
            continue
        head = line[line.find("https://") :]
        pieces, joined = [head], head
        for following in lines[start + 1 :]:
            if joined == LONG_URL or not LONG_URL.startswith(joined + following.split(" ")[0]):
                break
            piece = following.split(" ")[0]
            pieces.append(piece)
            joined += piece
        if joined.startswith(LONG_URL):
            pieces[-1] = pieces[-1][: len(pieces[-1]) - (len(joined) - len(LONG_URL))]
            return pieces
    return []


@pytest.mark.parametrize("where", ["the text's link", "the reading list", "the sources appendix"])
def test_a_long_url_breaks_only_after_a_separator(laid: Laid, where: str) -> None:
    marker = {
        "the text's link": "Read the chart guide",
        "the reading list": "The national chart and its",
        "the sources appendix": "The observation chart.",
    }[where]
    page = laid.pages[laid.page_of(marker)]
    pieces = url_lines(page[page.index(marker) :])
    assert "".join(pieces) == LONG_URL, page
    assert len(pieces) >= 2
    for piece in pieces[:-1]:
        assert piece[-1] in SEPARATORS, pieces
    assert "\u200b" not in page  # a copied address has no invisible characters in it


def test_no_line_of_a_long_url_runs_past_the_margin(laid: Laid) -> None:
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext is missing; .ci/run installs poppler-utils")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    boxes = subprocess.run(
        ["pdftotext", "-bbox-layout", str(laid.path), "-"], check=True, capture_output=True, text=True
    ).stdout
    words = [(html.unescape(text), float(x_max)) for x_max, text in _WORD.findall(boxes)]
    parts = [(text, x_max) for text, x_max in words if len(text) > 8 and text in LONG_URL]
    assert len(parts) >= 6  # three printings, each on two lines at least
    for text, x_max in parts:
        assert x_max <= A4_WIDTH - RIGHT_MARGIN + 0.5, (text, x_max)


def test_break_opportunities_only_after_separators_and_never_in_code() -> None:
    shown = str(break_url("https://a.example/x-y?q=1&r=2")).replace("\u200b", "|")
    assert shown == "https://a.|example/|x-|y?|q=|1&amp;|r=|2"
    html = '<p>See <a href="https://a.example/b">https://a.example/b</a> and <code>https://a.example/c</code></p>'
    assert str(break_urls(html)).replace("\u200b", "|") == (
        '<p>See <a href="https://a.example/b">https://a.|example/|b</a> and <code>https://a.example/c</code></p>'
    )
