"""Print HTML → PDF: WeasyPrint lays pages out; pypdf puts separately rendered parts together.

WeasyPrint is single-threaded, and a handbook laid out as one document costs about 1.6 page
layouts per page, because forward page references (the contents, "see page N") make it lay
pages out again until the numbers settle. When the pagination of the previous build is known,
the handbook is cut into parts that each begin on a new page, every part is rendered in its own
process with its page numbers written out, and the parts are joined. The result is checked
against the numbers that were written: if anything moved, the parts are rendered once more with
the numbers just measured (as LaTeX asks for a second run). With nothing recorded, a first
round only measures the parts. Rendering the whole document at once is the fallback, and the
path when there is a single job.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from typing import Any

from markupsafe import escape

from .handbook import HandbookOptions, Pagination, Part, balance, handbook_html, join, pieces
from .pages import Plan
from .render import Renderer, make_renderer
from .typeset import Rendered, render_html

ROUNDS = 2  # rendering rounds in parts before falling back to one document
_ID = re.compile(r'\sid="([^"]+)"')
_STUB_SLOT = "<!-- stubs -->"


@dataclass(frozen=True)
class HandbookPdf:
    data: bytes
    pages: int
    pagination: Pagination
    parts: int  # 1 when rendered as one document
    rounds: int  # renderings of the parts before the numbers held (0 for one document)


def render_handbook(
    page_plan: Plan,
    options: HandbookOptions,
    *,
    environ: dict[str, str] | None = None,
    previous: Pagination | None = None,
    executor: Executor | None = None,
    jobs: int = 1,
    renderer: Renderer | None = None,
) -> HandbookPdf:
    """The handbook PDF, in ``jobs`` parts when there is more than one job, else whole.

    With no ``previous`` pagination, a first round only measures the parts (layout, no PDF)
    with every page number left at 0; that costs one layout per page, less than WeasyPrint's
    own settling of a whole document. A caller that renders several documents at once should
    give each of them fewer jobs: a whole document per core is then the better use of them.
    """
    renderer = renderer or make_renderer()
    submit = executor.submit if executor is not None else _run_here

    def html(part: Part | None = None, numbers: Pagination | None = None) -> str:
        return handbook_html(page_plan, options, environ, renderer, part=part, numbers=numbers)

    measuring = previous is None
    numbers = previous or Pagination(0, {})
    rounds, limit = 0, ROUNDS + measuring
    all_pieces = pieces(page_plan, options.worksheet)
    while jobs > 1 and rounds < limit:
        rounds += 1
        if numbers.total:
            weights = page_weights(all_pieces, numbers)
        else:  # nothing measured yet: the amount of HTML is the best guess of the layout work
            weights = [len(html(piece, numbers)) for piece in all_pieces]
        parts = [join(all_pieces[r.start : r.stop]) for r in balance(weights, jobs)]
        documents = [with_stubs(html(part, numbers), numbers) for part in parts]
        futures = [submit(render_html, doc, not measuring) for doc, _ in documents]
        rendered = [f.result() for f in futures]
        stubs = [s for _, s in documents]
        actual = paginate(rendered, stubs)
        if actual == numbers and not measuring:
            return HandbookPdf(assemble(rendered, stubs), actual.total, actual, len(parts), rounds)
        numbers, measuring = actual, False
    whole = submit(render_html, html(), True).result()
    return HandbookPdf(whole.pdf, whole.pages, paginate([whole], [set()]), 1, 0)


def _run_here(fn: Callable[[str, bool], Rendered], html: str, write: bool) -> Future[Rendered]:
    future: Future[Rendered] = Future()
    future.set_result(fn(html, write))
    return future


def page_weights(pieces: Sequence[Part], numbers: Pagination) -> list[int]:
    """Each piece's number of pages in ``numbers`` (1 where it cannot tell)."""
    starts = [numbers.page(p.start) for p in pieces] + [numbers.total + 1]
    return [max(1, b - a) if a and b else 1 for a, b in itertools.pairwise(starts)]


def with_stubs(html: str, numbers: Pagination) -> tuple[str, set[str]]:
    """Add empty anchors for the ids that live in other parts, so links to them are kept."""
    stubs = set(numbers.anchors) - set(_ID.findall(html))
    spans = "".join(f'<span id="{escape(name)}"></span>' for name in sorted(stubs))
    return html.replace(_STUB_SLOT, spans, 1), stubs


def paginate(rendered: Sequence[Rendered], stubs: Sequence[set[str]]) -> Pagination:
    """The pagination of the parts laid end to end (stub anchors left out)."""
    anchors: dict[str, int] = {}
    offset = 0
    for part, skip in zip(rendered, stubs, strict=True):
        for name, (page, _, _) in part.anchors.items():
            if name not in skip:
                anchors.setdefault(name, offset + page + 1)
        offset += part.pages
    return Pagination(offset, anchors)


def assemble(rendered: Sequence[Rendered], stubs: Sequence[set[str]]) -> bytes:
    """One PDF from the parts: pages in order, one outline, one table of named destinations.

    Link annotations name their destination (WeasyPrint writes ``/Dest (id)``), so links across
    parts work once the joined document's name table has every id at its final page.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import Destination, Fit, NameObject, TextStringObject

    writer = PdfWriter()
    readers = [PdfReader(io.BytesIO(part.pdf)) for part in rendered]
    if readers[0].metadata:
        writer.add_metadata({NameObject(k): TextStringObject(str(v)) for k, v in readers[0].metadata.items()})
    destinations: dict[str, tuple[int, float, float]] = {}
    marks: list[tuple[int, str, int, float, float]] = []
    offset = 0
    for part, reader, skip in zip(rendered, readers, stubs, strict=True):
        for page in reader.pages:
            writer.add_page(page)
        for name, (page_index, x, y) in part.anchors.items():
            if name not in skip:
                destinations.setdefault(name, (offset + page_index, x, y))
        marks += [(level, label, offset + page_index, x, y) for level, label, page_index, x, y in part.bookmarks]
        offset += part.pages
    for name in sorted(destinations):
        page_index, x, y = destinations[name]
        page_ref = writer.pages[page_index].indirect_reference
        if page_ref is None:  # pragma: no cover - a page added to a writer always has one
            raise RuntimeError(f"page {page_index} has no reference")
        writer.add_named_destination_object(Destination(TextStringObject(name), page_ref, Fit.xyz(x, y, 0)))
    parents: list[tuple[int, Any]] = []  # (level, outline item) of the open ancestors
    for level, label, page_index, x, y in marks:
        while parents and parents[-1][0] >= level:
            parents.pop()
        parent = parents[-1][1] if parents else None
        item = writer.add_outline_item(title=label, page_number=page_index, parent=parent, fit=Fit.xyz(x, y, 0))
        parents.append((level, item))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
