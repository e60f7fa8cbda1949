"""Print HTML → PDF: the handbook laid out once, numbered, drawn, tagged.

WeasyPrint prints forward page references (the contents, "see page N") with
``target-counter`` and lays pages out again until the numbers settle. Traitbook lays every page
out once instead: page numbers are placeholders of fixed width, the layout reports where every
anchor landed, and the numbers are written into the laid-out pages (typeset.py) before the PDF
is drawn. Each PDF is one document, laid out in one process (a worker, or this process), so its
structure tree (tagged PDF/UA-1) is WeasyPrint's own, whole; ``make site`` lays the handbook and
the worksheet out at once, one worker each. When the fast path is unavailable, the handbook is
typeset through WeasyPrint's public API alone, with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from ..infra.parallel import cores
from ..markup.templates import Renderer, make_renderer
from ..plan import Plan
from .printhtml import DIGITS, TEMPLATES, HandbookOptions, Pagination, handbook_html
from .typeset import Measure, Numbers, Public, Typeset, Unpatchable
from .workers import InProcess, Typesetter

T = TypeVar("T")


def workers_for(pdfs: int) -> int:
    """Worker processes for rendering ``pdfs`` PDFs at once, one each: none on one core, where
    they are laid out in this process, one after the other."""
    return pdfs if cores() > 1 else 0


@dataclass(frozen=True)
class HandbookPdf:
    data: bytes
    pages: int
    pagination: Pagination
    layouts: int  # layout rounds: 1, more only when the placeholders were too narrow for the page count
    warning: str | None = None  # set when the fast path was unavailable: one line for the user


def render_handbook(
    page_plan: Plan,
    options: HandbookOptions,
    *,
    environ: dict[str, str] | None = None,
    worker: Typesetter | None = None,
    renderer: Renderer | None = None,
    fast: bool = True,
) -> HandbookPdf:
    """The handbook PDF, laid out by ``worker`` (in this process without).

    When WeasyPrint's layout boxes are not what the fast path expects (typeset.Unpatchable),
    the handbook is typeset through WeasyPrint's public API instead, and the result carries a
    one-line ``warning``. ``fast=False`` goes that way directly (a test and debug switch: the
    fallback's tests and the canary test use it).
    """
    renderer = renderer or make_renderer(TEMPLATES, page_plan.messages)
    setter = worker or InProcess()
    if fast:
        try:
            return _fast(page_plan, options, environ, setter, renderer)
        except Unpatchable as exc:
            warning = "page numbers were set by WeasyPrint's public API (slower): " + " ".join(str(exc).split())
    else:
        warning = None
    setter.send(Public(handbook_html(page_plan, options, environ, renderer, public=True)))
    result = _expect(setter.receive(), Typeset)
    pagination = paginate(result.measure)
    return HandbookPdf(result.pdf, pagination.total, pagination, 1, warning)


def _fast(
    page_plan: Plan, options: HandbookOptions, environ: dict[str, str] | None, setter: Typesetter, renderer: Renderer
) -> HandbookPdf:
    digits, layouts = DIGITS, 0
    while True:
        layouts += 1
        setter.send(handbook_html(page_plan, options, environ, renderer, digits=digits))
        pagination = paginate(_expect(setter.receive(), Measure))
        if pagination.total < 10**digits:
            break
        digits = len(str(pagination.total))  # the placeholders were too narrow: lay out again
    setter.send(Numbers(1, pagination.total, pagination.anchors))
    return HandbookPdf(_expect(setter.receive(), bytes), pagination.total, pagination, layouts)


def _expect(reply: object, kind: type[T]) -> T:
    if not isinstance(reply, kind):  # pragma: no cover - a protocol error, not a user's
        raise RuntimeError(f"a typesetter replied {type(reply).__name__}, not {kind.__name__}")
    return reply


def paginate(measure: Measure) -> Pagination:
    """The page (1-based) of every anchor, and the page count."""
    return Pagination(measure.pages, {name: page + 1 for name, page in measure.anchors.items()})
