"""The handbook laid out once, in one process (a worker, or this process), with the page numbers
written into the laid-out pages afterwards (handbook/typeset.py)."""

from __future__ import annotations

import io
import itertools
import multiprocessing
import os
import re
import signal
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import Destination

from traitbook import Project, load_and_validate
from traitbook._internal.handbook import pdf
from traitbook._internal.handbook.pdf import HandbookPdf, render_handbook
from traitbook._internal.handbook.printhtml import HandbookOptions
from traitbook._internal.handbook.typeset import (
    PAGE_MARK,
    PAGES_MARK,
    HandbookError,
    Measure,
    Numbers,
    Session,
    finish,
    lay_out,
    line_boxes,
    line_text,
)
from traitbook._internal.handbook.workers import Worker, typesetters
from traitbook._internal.plan import Plan, plan


@dataclass(frozen=True)
class Readback:
    """What a reader sees in a PDF: text per page, outline, named destinations, links."""

    texts: list[str]
    outline: list[tuple[str, int]]
    destinations: dict[str, int]
    links: set[tuple[int, str, tuple[float, ...]]]

    @classmethod
    def of(cls, data: bytes) -> Readback:
        reader = PdfReader(io.BytesIO(data))
        links = set()
        for index, page in enumerate(reader.pages):
            for annotation in page.get("/Annots") or []:
                annot = annotation.get_object()
                rect = tuple(round(float(v), 1) for v in annot["/Rect"])
                links.add((index, str(annot.get("/Dest")), rect))
        outline = [o for o in reader.outline if isinstance(o, Destination)]
        return cls(
            [p.extract_text() for p in reader.pages],
            [(str(o.title), reader.get_destination_page_number(o) or 0) for o in outline],
            {k: reader.get_destination_page_number(v) or 0 for k, v in reader.named_destinations.items()},
            links,
        )

    def contents(self) -> dict[str, int]:
        """The table of contents (page 2): title → the page number printed after its leader."""
        entries = re.findall(r"^(.*?)\s*\.{3,}[ .]*(\d+)$", self.texts[1], flags=re.M)
        return {re.sub(r"^(\d+|[A-Z])\s+", "", title.strip()): int(number) for title, number in entries}

    def chapters(self) -> dict[str, int]:
        """The outline: title (without "Appendix X") → 1-based page."""
        return {re.sub(r"^Appendix [A-Z] ", "", title): page + 1 for title, page in self.outline}


@pytest.fixture(scope="module")
def here(real_plan: Plan) -> HandbookPdf:
    return render_handbook(real_plan, HandbookOptions(), environ={})


@pytest.fixture(scope="module")
def in_worker(real_handbook: HandbookPdf) -> HandbookPdf:
    """The real handbook as the build lays it out: on a typesetting worker (tests/artefacts.py)."""
    return real_handbook


def test_without_a_worker_the_handbook_is_laid_out_here_once(here: HandbookPdf) -> None:
    assert (here.layouts, here.warning) == (1, None)
    assert here.pagination.total == here.pages == len(PdfReader(io.BytesIO(here.data)).pages)
    assert here.pagination.page("cover") == 1
    assert here.pagination.page("contents") == 2


def test_a_worker_process_gives_the_same_pdf_byte_for_byte(here: HandbookPdf, in_worker: HandbookPdf) -> None:
    # A one-core machine lays the handbook out in this process: the PDF does not depend on it.
    # Two layouts in two processes at two times: this is also the test that the PDF is deterministic.
    assert (in_worker.layouts, in_worker.warning) == (1, None)
    assert in_worker.data == here.data


def test_the_pdf_keeps_every_link_outline_entry_and_the_language(in_worker: HandbookPdf) -> None:
    read = Readback.of(in_worker.data)
    assert len(read.outline) >= 14
    # Every link resolves, the contents' links reach the back of the handbook.
    assert all(dest in read.destinations for _, dest, _ in read.links)
    assert any(page == 1 and read.destinations[dest] > 50 for page, dest, _ in read.links)
    assert str(PdfReader(io.BytesIO(in_worker.data)).root_object.get("/Lang")) == "en"


def test_every_written_number_is_where_its_anchor_landed(in_worker: HandbookPdf) -> None:
    read = Readback.of(in_worker.data)
    contents = read.contents()
    assert len(contents) >= 12
    assert contents == {title: read.chapters()[title] for title in contents}
    for index, text in enumerate(read.texts, start=1):
        assert PAGE_MARK not in text and PAGES_MARK not in text
        assert f"Page {index} of {in_worker.pages}" in text if index > 1 else "Page" not in text
        assert "page 000" not in text


@pytest.mark.parametrize("processes", [False, True], ids=["here", "workers"])
def test_a_handbook_longer_than_its_placeholders_is_laid_out_again(
    project: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest, processes: bool
) -> None:
    monkeypatch.setattr(pdf, "DIGITS", 1)  # room for pages 1-9 only
    worker = request.getfixturevalue("workers")[0] if processes else None
    result = render_handbook(
        plan(load_and_validate(Project.at(project)).catalogue), HandbookOptions(), environ={}, worker=worker
    )
    assert result.pages >= 10  # the premise: some numbers need two digits
    assert result.layouts == 2
    read = Readback.of(result.data)
    contents = read.contents()
    assert any(number >= 10 for number in contents.values()), contents
    assert contents == {title: read.chapters()[title] for title in contents}


# ---- The numbers written into laid-out boxes -------------------------------------------------

SAMPLE = """<html><head><link rel="stylesheet" href="handbook.css">
<style>@page { @bottom-center { content: "Page " "\ue000" " of " "\ue001"; } }</style></head><body>
<nav class="toc"><ol class="toc__list"><li class="toc__item"><a href="#far">
<span class="toc__label">Far away</span><span class="toc__page" data-page-of="far">000</span></a></li></ol></nav>
<p>See page <a class="pageref" href="#far" data-page-of="far">000</a> for more, then read on.</p>
<p style="text-align: center">Pages <a href="#far" data-page-of="far">000</a> and
<span><em><a href="#far" data-page-of="far">000</a></em> again</span>, centred.</p>
<section class="chapter" id="far"><h2 class="chapter__title">Far away</h2></section>
</body></html>"""


def text_boxes(box: Any) -> Iterator[Any]:
    from weasyprint.formatting_structure import boxes

    for child in box.descendants():
        if isinstance(child, boxes.TextBox):
            yield child


def first(boxes: Iterator[Any], text: str) -> Any:
    return next(b for b in boxes if b.text.strip() == text)


def test_a_number_keeps_its_line_looking_as_if_it_had_been_laid_out_so() -> None:
    document, measure = lay_out(SAMPLE)
    assert measure.pages == 2
    contents = document.pages[0]._page_box
    toc_number = next(b for b in text_boxes(contents) if b.text == "000" and b.element.get("class") == "toc__page")
    inline = next(b for b in text_boxes(contents) if b.text == "000" and b.element.get("class") == "pageref")
    after = first(text_boxes(contents), "for more, then read on.")
    right_edge = toc_number.position_x + toc_number.width
    gap_before = after.position_x - (inline.position_x + inline.width)

    data = finish(document, Numbers(first=4, total=9, pages={"far": 5}))

    assert (toc_number.text, inline.text) == ("5", "5")
    # After a leader the number keeps its right edge, and the dots run on up to it.
    assert toc_number.position_x + toc_number.width == pytest.approx(right_edge)
    assert toc_number.width < right_edge - toc_number.position_x + 1  # narrower than "000"
    dots = [b for b in text_boxes(contents) if b.text == "."]
    dot = dots[0].width
    last_dot_end = max(d.position_x + d.width for d in dots)
    assert 0 <= toc_number.position_x - last_dot_end < dot
    # In running text the rest of the line follows the shorter number: no hole where "000" was.
    assert after.position_x - (inline.position_x + inline.width) == pytest.approx(gap_before)
    # The footer shows the number in the whole handbook, centred as laid out.
    footer = first(text_boxes(contents), "Page 4 of 9")
    margin = next(m for m in contents.children if getattr(m, "at_keyword", "") == "@bottom-center")
    assert footer.position_x + footer.width / 2 == pytest.approx(margin.content_box_x() + margin.width / 2, abs=0.5)
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "See page 5 for more" in text and "Page 4 of 9" in text and "000" not in text


def test_numbers_side_by_side_nested_and_centred_keep_the_line_whole() -> None:
    document, _ = lay_out(SAMPLE)
    page = document.pages[0]._page_box
    line = next(line for line in line_boxes(page) if "Pages " in "".join(b.text for _, b in line_text(line, ())))
    paragraph_centre = next(
        b.content_box_x() + b.width / 2 for b in page.descendants() if getattr(b, "element_tag", "") == "p"
    )

    def runs() -> list[tuple[float, float]]:
        return [(b.position_x, b.position_x + b.width) for _, b in line_text(line, ())]

    finish(document, Numbers(first=1, total=2, pages={"far": 2}))

    assert [b.text for _, b in line_text(line, ())][:4] == ["Pages ", "2", " and ", "2"]
    spans = runs()
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert start == pytest.approx(end)  # no hole where a wider placeholder was
    assert (spans[0][0] + spans[-1][1]) / 2 == pytest.approx(paragraph_centre, abs=0.5)


def test_a_reference_to_an_anchor_no_part_holds_is_an_error() -> None:
    document, _ = lay_out(SAMPLE)
    with pytest.raises(HandbookError, match="#far"):
        finish(document, Numbers(first=1, total=2, pages={}))


def test_numbers_before_a_document_are_a_protocol_error() -> None:
    with pytest.raises(RuntimeError, match="before a document"):
        Session().handle(Numbers(1, 1, {}))


# ---- Worker processes --------------------------------------------------------------------------


def test_a_failure_in_a_worker_is_raised_here_and_the_worker_goes_on(workers: list[Worker]) -> None:
    worker = workers[0]
    worker.send('<html><body><img src="https://example.org/track.png"><p>x</p></body></html>')
    with pytest.raises(HandbookError, match="only load its own files"):
        worker.receive()
    worker.send("<html><body><p>x</p></body></html>")
    measure = worker.receive()
    assert isinstance(measure, Measure) and measure.pages == 1
    worker.send(Numbers(1, 1, {}))
    assert isinstance(worker.receive(), bytes)
    worker.send(SAMPLE)  # a failure in the second step comes back too
    assert isinstance(worker.receive(), Measure)
    worker.send(Numbers(1, 2, {}))
    with pytest.raises(HandbookError, match="#far"):
        worker.receive()


def parent_of(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    return int(stat.rsplit(")", 1)[1].split()[1])


@pytest.mark.skipif(sys.platform != "linux", reason="the fork server is used on Linux only")
def test_workers_come_from_a_fork_server_even_for_a_threaded_caller(workers: list[Worker]) -> None:
    # Not forked from this process (pytest runs threads; the MkDocs server does too), but from
    # a clean single-threaded server that has imported WeasyPrint already.
    server = {parent_of(worker.pid) for worker in workers}
    assert len(server) == 1 and os.getpid() not in server
    assert parent_of(server.pop()) == os.getpid()
    started: list[list[Worker]] = []

    def from_a_thread() -> None:
        with typesetters(2) as more:
            more[0].send("<html><body><p>x</p></body></html>")
            assert isinstance(more[0].receive(), Measure)
            started.append(more)

    thread = threading.Thread(target=from_a_thread)
    thread.start()
    thread.join()
    assert started


def _serve_without_weasyprint(conn: Any) -> None:
    """A worker process whose WeasyPrint cannot load (run in a spawned process)."""
    from traitbook._internal.handbook import typeset

    def broken() -> None:
        raise ImportError("libpango-1.0-0 not found")

    typeset.preload = broken
    typeset.serve(conn)


def test_a_worker_whose_weasyprint_cannot_load_says_why() -> None:
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=_serve_without_weasyprint, args=(child,))
    process.start()
    child.close()
    for _ in range(2):  # every message gets the same answer, not a dead pipe
        parent.send("<html><body><p>x</p></body></html>")
        reply = parent.recv()
        assert isinstance(reply, RuntimeError)
        assert "ImportError: libpango-1.0-0 not found" in str(reply)
    parent.send(None)
    process.join()  # a hang is caught by pytest-timeout, with the stacks
    assert process.exitcode == 0


def test_a_worker_that_dies_is_an_error_not_a_hang(real_plan: Plan) -> None:
    with typesetters(2) as started:
        os.kill(started[1].pid, signal.SIGKILL)
        with pytest.raises(HandbookError, match="stopped unexpectedly"):
            render_handbook(real_plan, HandbookOptions(), environ={}, worker=started[1])
