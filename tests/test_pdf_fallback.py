"""The handbook degrades, never breaks: when WeasyPrint's layout boxes are not what the fast
path (handbook/typeset.py) expects, the PDF is typeset through WeasyPrint's public API alone,
with one warning, and never prints a placeholder. A canary compares the fast path's numbers
with WeasyPrint's own ``target-counter``."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.conftest import MINI, run_cli
from tests.synth import write_catalogue
from tests.test_pdf_typeset import Readback
from traitbook import Project, load_and_validate
from traitbook._internal import pipeline
from traitbook._internal.handbook import typeset
from traitbook._internal.handbook.pdf import HandbookPdf, render_handbook
from traitbook._internal.handbook.printhtml import HandbookOptions
from traitbook._internal.handbook.typeset import PAGE_MARK, PAGES_MARK, Measure, Numbers, Public, Typeset, Unpatchable
from traitbook._internal.handbook.workers import Worker
from traitbook._internal.plan import Plan, plan

UNKNOWN = "WeasyPrint 71.0 is not 70.x, the version whose layout boxes typeset.py knows"


@pytest.fixture(scope="module")
def mini_plan() -> Plan:
    return plan(load_and_validate(Project.at(MINI.parent, catalogue=MINI)).catalogue)


def footers(read: Readback) -> list[tuple[int, int] | None]:
    """Each page's "Page X of Y", or None where it has none (the cover)."""
    found = [re.findall(r"Page (\d+) of (\d+)", text) for text in read.texts]
    return [(int(f[-1][0]), int(f[-1][1])) if f else None for f in found]


def page_references(read: Readback) -> list[int]:
    """Every "see page N" and "question on page N", in order."""
    text = " ".join(" ".join(t.split()) for t in read.texts)
    return [int(n) for n in re.findall(r"(?:see page|question on page) (\d+)", text)]


def assert_numbered_right(result: HandbookPdf) -> Readback:
    """Every number the reader sees is right, and nothing else is printed in its place."""
    read = Readback.of(result.data)
    assert len(read.texts) == result.pages
    for text in read.texts:
        assert PAGE_MARK not in text and PAGES_MARK not in text
        assert not re.search(r"(?:page|Page) 0+\b", text), text
    contents = read.contents()
    assert len(contents) >= 5
    assert contents == {title: read.chapters()[title] for title in contents}
    assert footers(read) == [None] + [(n, result.pages) for n in range(2, result.pages + 1)]
    assert "/StructTreeRoot" in PdfReader(io.BytesIO(result.data)).root_object  # tagged on this path too
    return read


@pytest.mark.parametrize("processes", [False, True], ids=["here", "workers"])
def test_forced_public_path_numbers_every_page_with_weasyprints_counters(
    mini_plan: Plan, request: pytest.FixtureRequest, processes: bool
) -> None:
    worker = request.getfixturevalue("workers")[0] if processes else None
    result = render_handbook(mini_plan, HandbookOptions(), environ={}, worker=worker, fast=False)
    assert result.warning is None  # forced, so no warning
    assert_numbered_right(result)
    assert result.pagination.page("cover") == 1 and result.pagination.page("contents") == 2


def test_internals_that_are_not_as_expected_mean_the_public_path_and_one_warning(
    mini_plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[bool] = []

    def problem() -> str:
        checked.append(True)
        return UNKNOWN

    monkeypatch.setattr(typeset, "fast_path_problem", problem)
    result = render_handbook(mini_plan, HandbookOptions(), environ={})
    assert checked  # the check ran before any layout
    assert result.warning is not None and UNKNOWN in result.warning and "\n" not in result.warning
    assert_numbered_right(result)


def _raise_attribute_error(*_: Any) -> None:
    raise AttributeError("'PageBox' object has no attribute 'children'")


def _no_text_boxes(*_: Any) -> Iterator[Any]:
    return iter(())


def _unshaped(box: Any, text: str) -> float:
    """New text without the shaping that drawing needs (as if the layout object had changed)."""
    box.text = text
    box.pango_layout = None
    return 0.0


BREAKAGES: dict[str, tuple[str, Callable[..., Any], str]] = {
    # name: (what typeset.py uses, its replacement, what the warning says)
    "an attribute is gone": ("number_footer", _raise_attribute_error, "AttributeError"),
    "numbers not written": ("_set_number", lambda *_: None, "placeholder was left"),
    "footer not written": ("number_footer", lambda *_: None, "mark was left"),
    "no line holds text boxes": ("line_text", _no_text_boxes, "placeholder was left"),
    "a written box cannot be drawn": ("_retext", _unshaped, "drawing the numbered pages failed"),
}


@pytest.mark.parametrize("name", list(BREAKAGES))
def test_a_failure_while_writing_numbers_falls_back_and_never_prints_a_placeholder(
    mini_plan: Plan, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    target, replacement, said = BREAKAGES[name]
    monkeypatch.setattr(typeset, target, replacement)
    result = render_handbook(mini_plan, HandbookOptions(), environ={})
    assert result.warning is not None and said in result.warning, result.warning
    assert_numbered_right(result)


def test_unpatchable_crosses_from_a_worker_which_then_typesets_through_the_public_api(
    workers: list[Worker],
) -> None:
    worker = workers[0]
    # A page number that is never laid out (display: none) cannot be written: one of one missing.
    worker.send('<html><body><p>x <span data-page-of="x" style="display: none">000</span></p></body></html>')
    assert isinstance(worker.receive(), Measure)
    worker.send(Numbers(1, 1, {"x": 1}))
    with pytest.raises(Unpatchable, match="0 of 1 page numbers"):
        worker.receive()
    worker.send(Public('<html lang="en"><head><title>t</title></head><body><h1 id="a">A</h1></body></html>'))
    reply = worker.receive()
    assert isinstance(reply, Typeset) and reply.measure.pages == 1 and "a" in reply.measure.anchors
    assert PdfReader(io.BytesIO(reply.pdf)).pages[0].extract_text().strip() == "A"


@pytest.mark.parametrize("output", [False, True], ids=["both PDFs", "--output"])
def test_the_cli_says_it_in_one_warning_line_and_succeeds(
    project: Path, monkeypatch: pytest.MonkeyPatch, output: bool
) -> None:
    monkeypatch.setattr(typeset, "fast_path_problem", lambda: UNKNOWN)
    # In this process, so that the replaced check applies (workers import their own typeset).
    monkeypatch.setattr(pipeline, "workers_for", lambda _: 0)
    target = project / "handbook.pdf"
    run = run_cli("--root", str(project), "handbook", *(["--output", str(target)] if output else []))
    assert run.code == 0, run.err
    warnings = [line for line in run.err.splitlines() if line.strip()]
    assert len(warnings) == 1 and warnings[0].startswith("warning: ") and UNKNOWN in warnings[0], run.err
    pdfs = [target] if output else [project / "docs" / "downloads" / f"{n}.pdf" for n in ("handbook", "worksheet")]
    for pdf in pdfs:
        texts = [page.extract_text() for page in PdfReader(pdf).pages]
        assert texts and not any(PAGE_MARK in t or PAGES_MARK in t or "page 000" in t for t in texts)


def test_canary_the_fast_path_prints_the_numbers_of_weasyprints_target_counter(
    workers: list[Worker], tmp_path: Path
) -> None:
    """The fast path writes numbers into WeasyPrint's private boxes; WeasyPrint's own
    ``target-counter`` and ``counter(page)`` must print the same ones. A synthetic catalogue of
    three traits has every kind of number the real handbook has (contents, footers, "see page",
    "question on page", two-digit pages) at a third of its layout time."""
    catalogue = write_catalogue(tmp_path / "catalogue", 3)
    small = plan(load_and_validate(Project.at(tmp_path, catalogue=catalogue)).catalogue)
    with ThreadPoolExecutor(2) as pool:  # each layout on its own worker process, at once
        fast_job = pool.submit(render_handbook, small, HandbookOptions(), environ={}, worker=workers[0])
        public_job = pool.submit(render_handbook, small, HandbookOptions(), environ={}, worker=workers[1], fast=False)
        fast, public = fast_job.result(), public_job.result()
    assert fast.pages >= 10
    assert (fast.warning, public.warning) == (None, None)
    read_fast, read_public = assert_numbered_right(fast), assert_numbered_right(public)
    assert fast.pages == public.pages
    assert read_fast.contents() == read_public.contents()
    assert footers(read_fast) == footers(read_public)
    references = page_references(read_fast)
    assert len(references) > 10 and references == page_references(read_public)
    assert read_fast.outline == read_public.outline
