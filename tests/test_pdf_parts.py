"""Rendering the handbook in parts on every core, checked against rendering it whole."""

from __future__ import annotations

import io
import itertools
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from pypdf.generic import Destination

from generator.build import Project, check
from generator.handbook import HandbookOptions, Pagination, balance, pieces
from generator.pages import Plan, plan
from generator.pdf import HandbookPdf, page_weights, render_handbook
from generator.typeset import preload
from tests.conftest import ROOT


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


@pytest.fixture(scope="module")
def real_plan() -> Plan:
    return plan(check(Project.at(ROOT)).catalogue)


@pytest.fixture(scope="module")
def pool() -> Iterator[ProcessPoolExecutor]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context, initializer=preload) as executor:
        yield executor


@pytest.fixture(scope="module")
def whole(real_plan: Plan) -> HandbookPdf:
    return render_handbook(real_plan, HandbookOptions(), environ={})


@pytest.fixture(scope="module")
def in_parts(real_plan: Plan, whole: HandbookPdf, pool: ProcessPoolExecutor) -> HandbookPdf:
    return render_handbook(real_plan, HandbookOptions(), environ={}, previous=whole.pagination, executor=pool, jobs=2)


def test_one_job_renders_one_document_and_records_its_pagination(whole: HandbookPdf) -> None:
    assert (whole.parts, whole.rounds) == (1, 0)
    assert whole.pagination.total == whole.pages == len(PdfReader(io.BytesIO(whole.data)).pages)
    assert whole.pagination.page("cover") == 1
    assert whole.pagination.page("contents") == 2
    assert Pagination.from_json(whole.pagination.to_json()) == whole.pagination


def test_with_a_known_pagination_parts_render_once_and_read_exactly_like_the_whole(
    whole: HandbookPdf, in_parts: HandbookPdf
) -> None:
    assert (in_parts.parts, in_parts.rounds) == (2, 1)
    assert in_parts.pagination == whole.pagination
    joined, single = Readback.of(in_parts.data), Readback.of(whole.data)
    assert joined.texts == single.texts  # every page: same text, same page numbers, same footer
    assert joined.outline == single.outline
    assert joined.destinations == single.destinations
    # WeasyPrint repeats some link annotations of pages it laid out twice; the set is the same.
    assert joined.links == single.links
    # Links from one part into another (the contents, "see page N") resolve in the joined PDF.
    assert all(dest in joined.destinations for _, dest, _ in joined.links)
    assert any(page == 1 and joined.destinations[dest] > 50 for page, dest, _ in joined.links)


def test_a_first_build_with_idle_cores_measures_the_parts_then_renders_them(
    real_plan: Plan, whole: HandbookPdf, pool: ProcessPoolExecutor
) -> None:
    first = render_handbook(real_plan, HandbookOptions(), environ={}, executor=pool, jobs=2)
    assert (first.parts, first.rounds) == (2, 2)  # a round that only measures, then the PDF
    assert first.pagination == whole.pagination
    assert Readback.of(first.data).texts == Readback.of(whole.data).texts


def test_parts_are_deterministic(
    real_plan: Plan, whole: HandbookPdf, in_parts: HandbookPdf, pool: ProcessPoolExecutor
) -> None:
    again = render_handbook(real_plan, HandbookOptions(), environ={}, previous=whole.pagination, executor=pool, jobs=2)
    assert again.data == in_parts.data


def test_a_stale_pagination_costs_a_second_round_not_a_wrong_number(
    real_plan: Plan, whole: HandbookPdf, pool: ProcessPoolExecutor
) -> None:
    # As after an edit that added a page early on: every recorded number is one too high.
    shifted = Pagination(whole.pagination.total + 1, {k: v + 1 for k, v in whole.pagination.anchors.items()})
    result = render_handbook(real_plan, HandbookOptions(), environ={}, previous=shifted, executor=pool, jobs=2)
    assert (result.parts, result.rounds) == (2, 2)
    assert result.pagination == whole.pagination
    assert Readback.of(result.data).texts == Readback.of(whole.data).texts


def test_a_pagination_of_another_document_still_gives_the_right_pdf(
    real_plan: Plan, whole: HandbookPdf, pool: ProcessPoolExecutor
) -> None:
    # The worksheet's numbers for the handbook: different ids and pages. Whatever the rounds, the result is right.
    foreign = Pagination(3, {"cover": 1, "contents": 2, "unknown-id": 3})
    result = render_handbook(real_plan, HandbookOptions(), environ={}, previous=foreign, executor=pool, jobs=2)
    assert result.pagination == whole.pagination
    assert Readback.of(result.data).texts == Readback.of(whole.data).texts


def test_parts_are_cut_at_pieces_of_about_equal_pages(real_plan: Plan, whole: HandbookPdf) -> None:
    weights = page_weights(pieces(real_plan, worksheet=False), whole.pagination)
    assert sum(weights) == whole.pages
    first, second = (sum(weights[i] for i in r) for r in balance(weights, 2))
    assert abs(first - second) <= 12, (first, second)  # a chapter is about 8 pages


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "not json",
        "[]",
        '{"total": 9}',
        '{"total": "9", "anchors": {}}',
        '{"total": 9, "anchors": {"a": "1"}}',
    ],
)
def test_a_damaged_pagination_record_is_ignored(text: str | None) -> None:
    assert Pagination.from_json(text) is None


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=9), st.integers(min_value=1, max_value=4))
def test_balance_finds_the_lightest_heaviest_run(weights: list[int], k: int) -> None:
    runs = balance(weights, k)
    assert [i for r in runs for i in r] == list(range(len(weights)))  # consecutive, in order, complete
    assert 1 <= len(runs) <= k
    best = min(
        max(sum(weights[a:b]) for a, b in itertools.pairwise((0, *cuts, len(weights))))
        for n in range(min(k, len(weights)))
        for cuts in itertools.combinations(range(1, len(weights)), n)
    )
    assert max(sum(weights[i] for i in r) for r in runs) == best
