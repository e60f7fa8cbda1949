"""The WeasyPrint side of the handbook: print HTML → laid-out pages → PDF, in one process.

Page numbers are not known while the handbook is laid out: a page number in the contents
depends on the pages after it. So every page number is laid out as a placeholder ("000", as wide as any
number of that many digits) and written into the laid-out boxes once the numbers are known.
Each page is laid out once, never again to settle its numbers. A number narrower than its
placeholder shortens its line: the boxes after it move left; after a leader (the contents),
the number moves right instead and the leader gets more dots, so the right edge holds.

This module runs in the worker processes, so it imports nothing heavy at module level: a
worker starts with Python, this file and WeasyPrint only. It reaches into WeasyPrint's box
tree (``weasyprint.formatting_structure.boxes``), which is why pyproject.toml pins
WeasyPrint to one major version; the tests read every patched number back from the PDF.

Those internals can change in any WeasyPrint release. So the fast path is used only when
``fast_path_problem`` finds them as this module expects them, and a failure while writing the
numbers is ``Unpatchable``, not a broken PDF: the caller (pdf.py) then typesets the whole
handbook through WeasyPrint's public API only (``public``: CSS ``target-counter`` and
``counter(page)``, laid out as often as WeasyPrint needs), with one warning.

Every PDF is tagged PDF/UA-1 (``PDF_OPTIONS``): a structure tree of headings, lists, tables,
links and paragraphs in reading order, the document's title and language.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

#: The only folder the renderer may load files from (the print stylesheet).
from ..errors import TraitbookError

PRINT_ROOT = Path(__file__).resolve().parent / "templates"
#: The attribute that marks an element whose text is the page number of the anchor it names.
SLOT_ATTRIBUTE = "data-page-of"
#: Marks in the page footer (handbook.css): this page's number and the number of pages.
PAGE_MARK, PAGES_MARK = "\ue000", "\ue001"  # private-use characters: never in catalogue text
_MARKS = re.compile(f"[{PAGE_MARK}{PAGES_MARK}]")
_SLOT = re.compile(f"<[a-z]+ [^<>]*{SLOT_ATTRIBUTE}=")  # in a tag: catalogue text has its "<" escaped
#: Every PDF is tagged PDF/UA-1: structure tree, /MarkInfo, title shown, language (WeasyPrint's
#: public options of ``write_pdf``).
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1"}
#: The WeasyPrint major version whose layout boxes the fast path was written for and tested with.
KNOWN_MAJOR = 70


class HandbookError(TraitbookError):
    """The PDF could not be rendered (for example a refused resource)."""


class Unpatchable(Exception):
    """WeasyPrint's layout boxes are not what the fast path expects: typeset through the
    public API instead (pdf.py). The message says what was found."""


@dataclass(frozen=True)
class Public:
    """A message to a typesetter: lay this whole document out and draw it through WeasyPrint's
    public API only (its page numbers are CSS counters); the reply is a ``Typeset``."""

    html: str


@dataclass(frozen=True)
class Measure:
    """Where a laid-out document's anchors landed (plain data, so it crosses process boundaries)."""

    pages: int
    anchors: dict[str, int]  # element id → 0-based page (its first, for an id given twice)


@dataclass(frozen=True)
class Numbers:
    """What a laid-out document needs to print its page numbers."""

    first: int  # the number of its first page
    total: int  # pages in the handbook
    pages: dict[str, int]  # anchor → page number


@dataclass(frozen=True)
class Typeset:
    """A document drawn through the public API: the PDF and where its anchors landed."""

    pdf: bytes
    measure: Measure


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


def lay_out(html: str) -> tuple[Any, Measure]:
    """Lay one HTML document out into pages (WeasyPrint's Document) and measure it."""
    import weasyprint  # imported here: loading Pango is slow and only the handbook needs it
    from weasyprint.urls import FatalURLFetchingError

    try:
        document = weasyprint.HTML(
            string=html, base_url=PRINT_ROOT.as_uri() + "/", url_fetcher=local_files_only(PRINT_ROOT)
        ).render()
    except FatalURLFetchingError as exc:  # a BaseException in WeasyPrint: turn it into an error
        raise HandbookError(f"{exc}: {exc.__cause__}") from None
    anchors: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, index)
    return document, Measure(len(document.pages), anchors)


def draw(document: Any) -> bytes:
    """The laid-out document as a tagged PDF (public API)."""
    data = document.write_pdf(finisher=complete_structure, **PDF_OPTIONS)
    if data is None:  # pragma: no cover - write_pdf returns bytes when given no target
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(data)


def complete_structure(_document: Any, pdf: Any) -> None:
    """What WeasyPrint 70's structure tree leaves out, added before the PDF is written (its public
    ``finisher`` hook, on pydyf objects): the /IDTree that the PDF format requires when elements
    have ids (WeasyPrint gives table header cells ids, which data cells name in /Headers),
    /ParentTreeNextKey, and /Scope /Column on the header cells of a table head, which checkers
    look for. It reads the objects WeasyPrint made, whose shape a release may change: then the
    PDF keeps WeasyPrint's own tree as it is (tests/test_pdf_tagged.py checks these additions)."""
    try:
        _complete_structure(pdf)
    except (AttributeError, KeyError, TypeError, ValueError, IndexError):
        return


def _complete_structure(pdf: Any) -> None:
    import pydyf

    objects = {obj.number: obj for obj in pdf.objects if isinstance(obj, pydyf.Dictionary)}

    def parent(element: Any) -> Any:
        reference = element.get("P")
        return objects.get(int(reference.split()[0])) if isinstance(reference, bytes) else None

    ids: dict[str, bytes] = {}
    root = None
    for obj in objects.values():
        if obj.get("Type") == "/StructTreeRoot":
            root = obj
        if obj.get("Type") != "/StructElem":
            continue
        if "ID" in obj:
            ids[str(obj["ID"].string)] = obj.reference
        row = parent(obj) if obj.get("S") == "/TH" else None
        head = parent(row) if row is not None else None
        if head is not None and head.get("S") == "/THead" and isinstance(obj.get("A"), pydyf.Dictionary):
            obj["A"]["Scope"] = "/Column"
    if root is None:
        return
    parent_tree = objects.get(int(root["ParentTree"].split()[0]))
    if parent_tree is not None:  # its keys are 0 … n-1: pages, then annotations
        root["ParentTreeNextKey"] = len(parent_tree["Nums"]) // 2
    if ids:
        names = pydyf.Array([x for name in sorted(ids) for x in (pydyf.String(name), ids[name])])
        tree = pydyf.Dictionary({"Names": names})
        pdf.add_object(tree)
        root["IDTree"] = tree.reference


def public(html: str) -> Typeset:
    """Lay out and draw a whole document through WeasyPrint's public API only: its page numbers
    are CSS (``target-counter``, ``counter(page)``), which WeasyPrint settles by laying pages out
    again as often as it needs. The slow path, for when the fast one is unavailable."""
    document, measure = lay_out(html)
    return Typeset(draw(document), measure)


def fast_path_problem() -> str | None:
    """Why the fast path cannot run with the installed WeasyPrint, or None if it can.

    A check before use: the version it was written for, and every private name it touches.
    What it cannot see (a name that stayed but changed its meaning) is caught while the numbers
    are written (``finish``), and by a canary test that compares the fast path's numbers with
    WeasyPrint's own ``target-counter``.
    """
    import weasyprint

    version = str(getattr(weasyprint, "__version__", "unknown"))
    if version.split(".", maxsplit=1)[0] != str(KNOWN_MAJOR):
        return f"WeasyPrint {version} is not {KNOWN_MAJOR}.x, the version whose layout boxes typeset.py knows"
    try:
        from weasyprint.document import Page
        from weasyprint.formatting_structure import boxes
        from weasyprint.layout.leader import leader_index
        from weasyprint.text.line_break import Layout, line_size
    except ImportError as exc:
        return f"WeasyPrint {version} has no {exc.name or exc}"
    expected = {
        boxes: ("Box", "ParentBox", "LineBox", "InlineBox", "TextBox", "MarginBox"),
        boxes.Box: ("translate", "is_in_normal_flow", "copy", "descendants"),
        boxes.ParentBox: ("all_children",),
        Layout: ("set_text", "get_first_line"),
    }
    missing = [f"{getattr(owner, '__name__', owner)}.{name}" for owner, names in expected.items()
               for name in names if not hasattr(owner, name)]  # fmt: skip
    if missing:
        return f"WeasyPrint {version} has no {', '.join(missing)}"
    if not (callable(leader_index) and callable(line_size) and callable(Page)):
        return f"WeasyPrint {version} changed its layout helpers"  # pragma: no cover - names that stayed, changed
    return None


def finish(document: Any, numbers: Numbers, slots: int | None = None) -> bytes:
    """Write the page numbers into the laid-out pages, then draw the PDF.

    ``slots``: how many page-number elements the document's HTML holds; each must have been
    written, or the PDF would print a placeholder. Any failure of WeasyPrint's internals while
    writing (a changed attribute, a box of another shape) is ``Unpatchable``.
    """
    try:
        from weasyprint.document import Page

        written = 0
        for index, page in enumerate(document.pages):
            box = page._page_box  # the laid-out tree: WeasyPrint has no public handle
            written += number_slots(box, numbers.pages)
            number_footer(box, numbers.first + index, numbers.total)
            _verify(box)
            document.pages[index] = Page(box)  # gathers the links again, from the patched boxes
    except HandbookError:
        raise
    except Exception as exc:
        raise Unpatchable(f"writing page numbers failed: {type(exc).__name__}: {exc}") from None
    if slots is not None and written != slots:
        raise Unpatchable(f"{written} of {slots} page numbers were found in the laid-out pages")
    try:
        return draw(document)
    except HandbookError:
        raise
    except Exception as exc:  # drawing boxes written into: the public path will tell if it was that
        raise Unpatchable(f"drawing the numbered pages failed: {type(exc).__name__}: {exc}") from None


def _verify(page_box: Any) -> None:
    """No mark and no placeholder left on a page, checked by another walk of its boxes than the
    one that wrote the numbers (``descendants`` rather than line by line)."""
    from weasyprint.formatting_structure import boxes

    for box in page_box.descendants():
        if not isinstance(box, boxes.TextBox):
            continue
        if _MARKS.search(box.text):
            raise Unpatchable("a page-number mark was left in the page footer")
        if _own_text(box) and box.element.get(SLOT_ATTRIBUTE) is not None and set(box.text) == {"0"}:
            raise Unpatchable(f"a placeholder was left for #{box.element.get(SLOT_ATTRIBUTE)}")


class Session:
    """A worker's state between two messages: the document it laid out last.

    Messages: HTML (lay it out; reply with its Measure), then Numbers (reply with the PDF); or
    Public (lay out and draw a whole document through the public API; reply with a Typeset).
    The same class runs the protocol in this process, when there is no worker to send to.
    Before the first fast-path layout, ``fast_path_problem`` is checked: Unpatchable if it fails.
    """

    def __init__(self) -> None:
        self._document: Any = None
        self._slots = 0
        self._checked = False

    def handle(self, message: str | Numbers | Public) -> Measure | bytes | Typeset:
        if isinstance(message, Public):
            self._document = None
            return public(message.html)
        if isinstance(message, str):
            self._document = None  # a failed layout must not leave the previous one behind
            if not self._checked:
                problem = fast_path_problem()
                if problem:
                    raise Unpatchable(problem)
                self._checked = True
            self._document, measure = lay_out(message)
            self._slots = len(_SLOT.findall(message))
            return measure
        if self._document is None:
            raise RuntimeError("numbers sent before a document")
        document, self._document = self._document, None
        return finish(document, message, self._slots)


def serve(conn: Connection) -> None:
    """A worker process's loop: answer each message until None (or the parent goes away).

    Every failure goes back to the parent as an exception it can raise: a HandbookError or
    Unpatchable as it is, anything else (a bug, WeasyPrint that cannot load) as a RuntimeError
    that names it.
    """
    try:
        preload()
        failure: Exception | None = None
    except Exception as exc:  # reported in answer to the first message
        failure = _reportable(exc)
    session = Session()
    while True:
        try:
            message = conn.recv()
        except EOFError:
            message = None
        if message is None:
            # A worker writes no file and holds nothing to release, and the interpreter's
            # teardown of WeasyPrint's objects takes about 0.2 s, which the build would wait for.
            conn.close()
            os._exit(0)
        if failure is not None:  # WeasyPrint could not load: every message gets that answer
            conn.send(failure)
            continue
        try:
            reply: object = session.handle(message)
        except Exception as exc:
            reply = _reportable(exc)
        conn.send(reply)


def _reportable(exc: Exception) -> Exception:
    """An exception that survives pickling, with what the parent needs to tell the user."""
    if isinstance(exc, HandbookError | Unpatchable):
        return type(exc)(str(exc))
    import traceback

    trace = "".join(traceback.format_exception(exc)).rstrip()
    return RuntimeError(f"in a typesetting process: {type(exc).__name__}: {exc}\n{trace}")


# ---- Writing numbers into laid-out boxes ----------------------------------------------------
#
# WeasyPrint lays a line out as a LineBox whose children are inline boxes and text boxes with
# absolute positions. A text box is drawn by shaping its ``pango_layout.text`` again, so new
# text only needs a new width and the right positions for what follows it on the line. The
# handbook's own CSS puts numbers in left-aligned text, after a leader, or in a centred footer:
# those are the cases handled; anything else stops with an error rather than a misplaced line.


def number_slots(page_box: Any, pages: dict[str, int]) -> int:
    """Replace every placeholder on a page by the page number of the anchor it names; returns
    how many there were."""
    written = 0
    for line in line_boxes(page_box):
        for path, box in list(line_text(line, ())):
            anchor = box.element.get(SLOT_ATTRIBUTE) if _own_text(box) else None
            if anchor is None:
                continue
            if anchor not in pages:
                raise HandbookError(f"page reference to #{anchor}, which is nowhere in the handbook")
            _set_number(line, path, box, str(pages[anchor]))
            written += 1
    return written


def number_footer(page_box: Any, page: int, total: int) -> None:
    """Write the page number and count into the marks of the page's margin boxes."""
    from weasyprint.formatting_structure import boxes

    for margin in page_box.children:
        if not isinstance(margin, boxes.MarginBox):
            continue
        for line in line_boxes(margin):
            for path, box in list(line_text(line, ())):
                if _MARKS.search(box.text):
                    text = box.text.replace(PAGE_MARK, str(page)).replace(PAGES_MARK, str(total))
                    _follow(line, path, _retext(box, text))


def line_boxes(box: Any) -> Iterator[Any]:
    """The line boxes of a laid-out box tree, in order."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.LineBox):
        yield box
        return
    for child in box.all_children() if isinstance(box, boxes.ParentBox) else ():
        yield from line_boxes(child)


def line_text(box: Any, path: tuple[int, ...] = ()) -> Iterator[tuple[tuple[int, ...], Any]]:
    """Text boxes of a line, in order, with their path of child indices from the line. Only
    inline boxes are entered: an inline-block is laid out as a block of its own."""
    from weasyprint.formatting_structure import boxes

    for index, child in enumerate(box.children):
        if isinstance(child, boxes.TextBox):
            yield (*path, index), child
        elif isinstance(child, boxes.InlineBox):
            yield from line_text(child, (*path, index))


def _own_text(box: Any) -> bool:
    """The element's own text, not generated content (a leader in a ::before, for instance)."""
    return box.element is not None and "::" not in (box.element_tag or "")


def _set_number(line: Any, path: tuple[int, ...], box: Any, text: str) -> None:
    from weasyprint.layout.leader import leader_index

    if text == box.text:
        return
    delta = _retext(box, text)
    leader_at, leader = leader_index(line)
    if leader is not None and _flat(leader_at) < path:
        # After a leader the number is right-aligned: keep its right edge, refit the dots.
        box.translate(dx=-delta)
        _fit_leader(leader, box.position_x)
        return
    _follow(line, path, delta)


def _follow(line: Any, path: tuple[int, ...], delta: float) -> None:
    """The box at ``path`` changed width by ``delta``: what follows it on the line moves by as
    much, its inline ancestors widen by as much, and the line keeps its alignment."""
    if not delta:
        return
    parent = line
    for depth, index in enumerate(path):
        for sibling in parent.children[index + 1 :]:
            if sibling.is_in_normal_flow():  # floats and absolute boxes stay where they are
                sibling.translate(dx=delta)
        parent = parent.children[index]
        if depth < len(path) - 1:
            parent.width += delta
    _realign(line, delta)


def _retext(box: Any, text: str) -> float:
    """Give a laid-out text box new text; returns how much wider it became (negative: narrower).

    Drawing shapes the text again from ``pango_layout.text``; the layout object may be shared
    with copies of the box, so the box gets its own.
    """
    delta = _width(text, box.style) - _width(box.text, box.style)
    box.text = text
    box.pango_layout = copy.copy(box.pango_layout)
    box.pango_layout.text = text
    box.width += delta
    return delta


def _width(text: str, style: Any) -> float:
    from weasyprint.text.line_break import Layout, line_size

    layout = Layout(style)
    layout.set_text(text)
    line, _ = layout.get_first_line()
    width: float = line_size(line, style)[0]
    return width


def _realign(line: Any, delta: float) -> None:
    """A centred or right-aligned line moves back by half or all of its change of width."""
    if line.style["direction"] != "ltr":
        raise HandbookError("page numbers in right-to-left lines are not supported")
    align = line.style["text_align_all"]
    if align == "justify":
        raise HandbookError("page numbers in justified lines are not supported")
    factor = {"center": 0.5, "right": 1.0, "end": 1.0}.get(align, 0.0)
    if factor:
        for child in line.children:
            child.translate(dx=-delta * factor)


def _fit_leader(leader: Any, end: float) -> None:
    """Dots of a leader on their grid, from where they start up to ``end`` (the number's new
    left edge): more dots when the number got narrower, fewer if it got wider."""
    dots = list(leader.children)
    if not dots:  # a leader with no room for a single dot stays empty
        return
    step = dots[0].width
    dots = [dot for dot in dots if dot.position_x + step <= end + 1e-6]
    x = max((dot.position_x for dot in dots), default=leader.position_x - step) + step
    while x + step <= end + 1e-6:
        dot = leader.children[0].copy()
        dot.position_x = x
        dots.append(dot)
        x += step
    # In WeasyPrint's order (right to left), so text extraction reads the dots as one run.
    leader.children = tuple(sorted(dots, key=lambda dot: -dot.position_x))


def _flat(index: tuple[int, Any] | None) -> tuple[int, ...]:
    """WeasyPrint's nested leader index ``(i, (j, (k, None)))`` as a path ``(i, j, k)``."""
    path: list[int] = []
    while index is not None:
        path.append(index[0])
        index = index[1]
    return tuple(path)
