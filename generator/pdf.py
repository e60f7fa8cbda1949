"""Print HTML → PDF: WeasyPrint lays pages out; pypdf puts separately rendered parts together.

WeasyPrint is single-threaded, and a handbook laid out as one document costs about 1.6 page
layouts per page, because forward page references (the contents, "see page N") make it lay
pages out again until the numbers settle. When the pagination of the previous build is known,
the handbook is cut into parts that each begin on a new page, every part is rendered in its own
process with its page numbers written out, and the parts are joined. The result is checked
against the numbers that were written: if anything moved, the parts are rendered once more with
the numbers just measured (as LaTeX asks for a second run); rendering the whole document at once
stays the fallback and the path for a first build.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import escape

from .handbook import HandbookOptions, Pagination, Part, balance, handbook_html, join, pieces
from .pages import Plan
from .render import TEMPLATES, Renderer, make_renderer

PT_PER_PX = 0.75  # WeasyPrint positions are CSS pixels from the top left; PDF uses points from the bottom left
ROUNDS = 2  # rendering rounds in parts before falling back to one document
_ID = re.compile(r'\sid="([^"]+)"')
_STUB_SLOT = "<!-- stubs -->"


class HandbookError(Exception):
    """The PDF could not be rendered (for example a refused resource)."""


@dataclass(frozen=True)
class Rendered:
    """What a rendering process sends back (plain data, so it crosses process boundaries)."""

    pdf: bytes
    pages: int
    anchors: dict[str, tuple[int, float, float]]  # element id → (0-based page, x, y in PDF points)
    bookmarks: list[tuple[int, str, int, float, float]]  # (level, label, 0-based page, x, y)


@dataclass(frozen=True)
class HandbookPdf:
    data: bytes
    pages: int
    pagination: Pagination
    parts: int  # 1 when rendered as one document
    rounds: int  # renderings of the parts before the numbers held (0 for one document)


def local_files_only(root: Path) -> object:
    """A WeasyPrint URL fetcher that serves files under ``root`` and refuses everything else.

    Catalogue text is sanitised already; this also guarantees that no stylesheet, font or
    image can make the renderer reach the network or read elsewhere on disk. With
    ``fail_on_errors`` a refused fetch stops the rendering instead of leaving a silent gap.
    """
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    base = root.resolve()

    class LocalFilesOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            parts = urlsplit(url)
            path = Path(unquote(parts.path)).resolve() if parts.scheme == "file" else None
            if path is None or not path.is_relative_to(base) or not path.is_file():
                raise ValueError(f"the handbook may only load its own files, not {url}")
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": _mime(path)})

    return LocalFilesOnly(allowed_protocols={"file"}, fail_on_errors=True)


def _mime(path: Path) -> str:
    return {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}.get(
        path.suffix, "application/octet-stream"
    )


def preload() -> None:
    """Import WeasyPrint (Pango, fonts: about a second) in a worker before it has work."""
    import weasyprint  # noqa: F401


def render_html(html: str) -> Rendered:
    """Render one HTML document to PDF, with where its anchors and bookmarks landed."""
    import weasyprint  # imported here: loading Pango is slow and only the handbook needs it
    from weasyprint.urls import FatalURLFetchingError

    try:
        document = weasyprint.HTML(
            string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=local_files_only(TEMPLATES)
        ).render()
    except FatalURLFetchingError as exc:  # a BaseException in WeasyPrint: turn it into an error
        raise HandbookError(f"{exc}: {exc.__cause__}") from None
    data = document.write_pdf()
    if data is None:  # pragma: no cover - write_pdf returns bytes when given no target
        raise RuntimeError("WeasyPrint returned no PDF")
    anchors: dict[str, tuple[int, float, float]] = {}
    bookmarks: list[tuple[int, str, int, float, float]] = []
    for index, page in enumerate(document.pages):
        height = page.height
        for name, (x, y, *_) in page.anchors.items():
            anchors.setdefault(name, (index, x * PT_PER_PX, (height - y) * PT_PER_PX))
        for level, label, (x, y), _state in page.bookmarks:
            bookmarks.append((level, label, index, x * PT_PER_PX, (height - y) * PT_PER_PX))
    return Rendered(data, len(document.pages), anchors, bookmarks)


def pdf_bytes(html: str) -> tuple[bytes, int]:
    """Render one HTML document; the PDF and its number of pages."""
    rendered = render_html(html)
    return rendered.pdf, rendered.pages


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
    """The handbook PDF: in ``jobs`` parts when ``previous`` pagination is known, else whole."""
    renderer = renderer or make_renderer()
    submit = executor.submit if executor is not None else _run_here

    def html(part: Part | None = None, numbers: Pagination | None = None) -> str:
        return handbook_html(page_plan, options, environ, renderer, part=part, numbers=numbers)

    numbers = previous
    for round_ in range(1, ROUNDS + 1):
        if numbers is None or jobs < 2:
            break
        parts = split(pieces(page_plan, options.worksheet), numbers, jobs)
        documents = [with_stubs(html(part, numbers), numbers) for part in parts]
        futures = [submit(render_html, doc) for doc, _ in documents]
        rendered = [f.result() for f in futures]
        stubs = [s for _, s in documents]
        actual = paginate(rendered, stubs)
        if actual == numbers:
            return HandbookPdf(assemble(rendered, stubs), actual.total, actual, len(parts), round_)
        numbers = actual
    whole = submit(render_html, html()).result()
    return HandbookPdf(whole.pdf, whole.pages, paginate([whole], [set()]), 1, 0)


def _run_here(fn: Callable[[str], Rendered], arg: str) -> Future[Rendered]:
    future: Future[Rendered] = Future()
    future.set_result(fn(arg))
    return future


def split(parts: Sequence[Part], numbers: Pagination, jobs: int) -> list[Part]:
    """Join the pieces into ``jobs`` runs of about the same number of pages (last build's)."""
    starts = [numbers.page(p.start) for p in parts] + [numbers.total + 1]
    weights = [max(1, b - a) if a and b else 1 for a, b in itertools.pairwise(starts)]
    return [join(parts[r.start : r.stop]) for r in balance(weights, jobs)]


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
