"""Print HTML → PDF: the handbook cut into parts, laid out on every core, numbered, joined.

WeasyPrint is single-threaded. The handbook is cut at a page break into two parts, each laid
out by a worker process with placeholder page numbers; each worker reports where its anchors
landed. Once every part has reported, the page numbers are known: each worker writes
them into its laid-out pages (typeset.py) and draws its PDF, and pypdf joins the parts. So
every page is laid out once, even on a first build, and nothing depends on an earlier build.
With no worker (one core), the parts go through the same steps in this process, one after the
other, and give the same PDF.
"""

from __future__ import annotations

import html as html_lib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from markupsafe import escape

from .handbook import DIGITS, HandbookOptions, Pagination, Part, balance, handbook_html, join, pieces
from .pages import Plan
from .parallel import cores
from .render import Renderer, make_renderer
from .structure import join_structure
from .typeset import Measure, Numbers, Public, Typeset, Unpatchable
from .workers import InProcess, Typesetter

#: The handbook is always cut in two: two worker processes keep two cores busy, and a fixed cut
#: gives the same PDF, byte for byte, on any machine (one core renders both parts in turn).
PARTS = 2


def workers_for(pdfs: int) -> int:
    """Worker processes for rendering ``pdfs`` PDFs at once: none on one core, where the parts
    are laid out in this process instead."""
    return PARTS * pdfs if cores() > 1 else 0


_ID = re.compile(r'\sid="([^"]+)"')
_STUB_SLOT = "<!-- stubs -->"
T = TypeVar("T")


@dataclass(frozen=True)
class HandbookPdf:
    data: bytes
    pages: int
    pagination: Pagination
    parts: int  # PARTS, or 1 for a handbook too small to cut or typeset through the public API
    layouts: int  # layout rounds: 1, more only when the placeholders were too narrow for the page count
    warning: str | None = None  # set when the fast path was unavailable: one line for the user


def render_handbook(
    page_plan: Plan,
    options: HandbookOptions,
    *,
    environ: dict[str, str] | None = None,
    workers: Sequence[Typesetter] = (),
    renderer: Renderer | None = None,
    fast: bool = True,
) -> HandbookPdf:
    """The handbook PDF, its parts laid out by ``workers`` (in this process without).

    When WeasyPrint's layout boxes are not what the fast path expects (typeset.Unpatchable),
    the handbook is typeset in one piece through WeasyPrint's public API instead, and the
    result carries a one-line ``warning``. ``fast=False`` goes that way directly (a test and
    debug switch: the fallback and the canary test use it).
    """
    renderer = renderer or make_renderer()
    if fast:
        try:
            return _in_parts(page_plan, options, environ, workers, renderer)
        except Unpatchable as exc:
            warning = "page numbers were set by WeasyPrint's public API (slower): " + " ".join(str(exc).split())
    else:
        warning = None
    html = handbook_html(page_plan, options, environ, renderer, public=True)
    setter = workers[0] if workers else InProcess()
    setter.send(Public(html))
    result = _expect(_replies([setter])[0], Typeset)
    pagination = paginate([result.measure], [set()])
    return HandbookPdf(result.pdf, pagination.total, pagination, 1, 1, warning)


def _in_parts(
    page_plan: Plan,
    options: HandbookOptions,
    environ: dict[str, str] | None,
    workers: Sequence[Typesetter],
    renderer: Renderer,
) -> HandbookPdf:
    def html(part: Part, digits: int) -> str:
        return handbook_html(page_plan, options, environ, renderer, part=part, digits=digits)

    parts = cut(page_plan, options, PARTS, renderer)
    setters = [*workers, *(InProcess() for _ in range(len(parts) - len(workers)))][: len(parts)]
    digits, layouts = DIGITS, 0
    while True:
        layouts += 1
        sources = [html(part, digits) for part in parts]
        ids = set().union(*(ids_in(source) for source in sources))
        documents = [with_stubs(source, ids) for source in sources]
        for setter, (document, _) in zip(setters, documents, strict=True):
            setter.send(document)
        measures = [_expect(reply, Measure) for reply in _replies(setters)]
        stubs = [s for _, s in documents]
        pagination = paginate(measures, stubs)
        if pagination.total < 10**digits:
            break
        digits = len(str(pagination.total))  # the placeholders were too narrow: lay out again
    first = 1
    for setter, measure in zip(setters, measures, strict=True):
        setter.send(Numbers(first, pagination.total, pagination.anchors))
        first += measure.pages
    pdfs = [_expect(reply, bytes) for reply in _replies(setters)]
    data = pdfs[0] if len(pdfs) == 1 else assemble(pdfs, measures, stubs)
    return HandbookPdf(data, pagination.total, pagination, len(parts), layouts)


def _replies(setters: Sequence[Typesetter]) -> list[object]:
    """Every setter's reply, read before any failure is raised, so that no reply is left in a
    pipe to be mistaken for the answer to the next message (the fallback reuses a worker)."""
    replies: list[object] = []
    failure: BaseException | None = None
    for setter in setters:
        try:
            replies.append(setter.receive())
        except BaseException as exc:  # raised below, once every reply is in
            failure = failure or exc
    if failure is not None:
        raise failure
    return replies


def cut(page_plan: Plan, options: HandbookOptions, jobs: int, renderer: Renderer) -> list[Part]:
    """The handbook in at most ``jobs`` parts of about equal work, each beginning on a new page.

    The amount of HTML is a fair guess of the layout work, known before any layout; so the cut
    depends on the catalogue only, never on an earlier build.
    """
    all_pieces = pieces(page_plan, options.worksheet)
    weights = [len(handbook_html(page_plan, options, {}, renderer, part=piece)) for piece in all_pieces]
    return [join(all_pieces[r.start : r.stop]) for r in balance(weights, jobs)]


def _expect(reply: object, kind: type[T]) -> T:
    if not isinstance(reply, kind):  # pragma: no cover - a protocol error, not a user's
        raise RuntimeError(f"a typesetter replied {type(reply).__name__}, not {kind.__name__}")
    return reply


def ids_in(html: str) -> set[str]:
    return {html_lib.unescape(value) for value in _ID.findall(html)}


def with_stubs(html: str, ids: set[str]) -> tuple[str, set[str]]:
    """Add empty anchors for the ids that live in other parts, so links to them are kept."""
    stubs = ids - ids_in(html)
    spans = "".join(f'<span id="{escape(name)}"></span>' for name in sorted(stubs))
    return html.replace(_STUB_SLOT, spans, 1), stubs


def paginate(measures: Sequence[Measure], stubs: Sequence[set[str]]) -> Pagination:
    """The pagination of the parts laid end to end (stub anchors left out)."""
    anchors: dict[str, int] = {}
    offset = 0
    for part, skip in zip(measures, stubs, strict=True):
        for name, (page, _, _) in part.anchors.items():
            if name not in skip:
                anchors.setdefault(name, offset + page + 1)
        offset += part.pages
    return Pagination(offset, anchors)


def assemble(pdfs: Sequence[bytes], measures: Sequence[Measure], stubs: Sequence[set[str]]) -> bytes:
    """One PDF from the parts: pages in order, one outline, one table of named destinations,
    one structure tree (tagged PDF), and the first part's language, title and PDF/UA marks.

    Link annotations name their destination (WeasyPrint writes ``/Dest (id)``), so links across
    parts work once the joined document's name table has every id at its final page.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import Destination, Fit, NameObject, TextStringObject

    writer = PdfWriter()
    readers = [PdfReader(io.BytesIO(pdf)) for pdf in pdfs]
    if readers[0].metadata:
        writer.add_metadata({NameObject(k): TextStringObject(str(v)) for k, v in readers[0].metadata.items()})
    writer.pdf_header = readers[0].pdf_header
    destinations: dict[str, tuple[int, float, float]] = {}
    marks: list[tuple[int, str, int, float, float]] = []
    offset = 0
    for part, reader, skip in zip(measures, readers, stubs, strict=True):
        for page in reader.pages:
            writer.add_page(page)
        for name, (page_index, x, y) in part.anchors.items():
            if name not in skip:
                destinations.setdefault(name, (offset + page_index, x, y))
        marks += [(level, label, offset + page_index, x, y) for level, label, page_index, x, y in part.bookmarks]
        offset += part.pages
    join_structure(writer, readers)
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
