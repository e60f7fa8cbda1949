"""The printed handbook: page plan → print HTML (pure). ``pdf.py`` turns the HTML into a PDF.

The PDF is made from the same model as the site but with its own templates, so it has what
paper needs and the web does not: a table of contents with page numbers, "see page N" cross
references, exercises without answers, lined space for reflections and an answer key that
points back to each question's page.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import jinja2

from ..catalogue.model import Site, Trait
from ..plan import Plan, TraitView
from ..site.render import Renderer, make_renderer

#: The print templates (the HTML of the handbook and its CSS).
TEMPLATES = Path(__file__).resolve().parent / "templates"

Paper = Literal["A4", "Letter"]
#: Digits of the page-number placeholders: room for numbers up to 999. A longer handbook is
#: laid out again with wider placeholders (pdf.py), so a number never overflows its room.
DIGITS = 3


@dataclass(frozen=True)
class HandbookOptions:
    paper: Paper = "A4"
    worksheet: bool = False  # without the answer key: for workshops where answers come later


@dataclass(frozen=True)
class Chapter:
    number: int
    trait: Trait
    view: TraitView


@dataclass(frozen=True)
class Appendix:
    letter: str
    id: str
    title: str


def edition_date(site: Site, environ: dict[str, str]) -> str | None:
    """The catalogue's date, else SOURCE_DATE_EPOCH (reproducible builds); never the clock."""
    if site.date:
        return site.date
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).strftime("%Y-%m-%d")
    return None


def chapters(plan: Plan) -> list[Chapter]:
    """Traits in the site's navigation order: categories as declared, then by title."""
    return [Chapter(n, t, plan.trait_views[t.id]) for n, t in enumerate(plan.ordered_traits, start=1)]


def appendices(worksheet: bool, paths: bool = False) -> list[Appendix]:
    items = [("glossary", "Glossary"), ("crosswalk", "Framework crosswalk")]
    if paths:
        items.append(("paths", "Paths"))
    items.append(("self-assessment", "Self-assessment"))
    if not worksheet:
        items.append(("answer-key", "Answer key"))
    items.append(("sources", "Sources"))
    return [Appendix(chr(ord("A") + i), key, title) for i, (key, title) in enumerate(items)]


@dataclass(frozen=True)
class Pagination:
    """Where everything landed: the page (1-based) of every element id, and the page count."""

    total: int
    anchors: dict[str, int]

    def page(self, anchor: str) -> int:
        return self.anchors[anchor]


def handbook_html(
    plan: Plan,
    options: HandbookOptions,
    environ: dict[str, str] | None = None,
    renderer: Renderer | None = None,
    *,
    digits: int = DIGITS,
    public: bool = False,
) -> str:
    """The handbook as one HTML document, deterministic for a given
    catalogue and options. Every page number is a placeholder of ``digits`` zeros, which the
    typesetter replaces after layout (typeset.py), so the HTML never depends on pagination.

    ``public``: the whole handbook with CSS page numbers instead (``target-counter``,
    ``counter(page)``), for WeasyPrint's public API alone: the fallback when the fast path
    cannot run (typeset.fast_path_problem), and the canary test's reference.
    """
    renderer = renderer or make_renderer()
    site = plan.catalogue.site
    apps = appendices(options.worksheet, bool(plan.paths))
    key = next((a.letter for a in apps if a.id == "answer-key"), "")
    # The print templates live beside the handbook code; the filters are the site's (md_block…).
    env = renderer.html_env.overlay(loader=jinja2.FileSystemLoader(TEMPLATES))
    template = env.get_template("handbook.html.j2")
    return template.render(
        site=site,
        date=edition_date(site, dict(os.environ) if environ is None else environ),
        paper=options.paper,
        worksheet=options.worksheet,
        chapters=chapters(plan),
        appendices=apps,
        key_letter=key,
        terms=plan.terms,
        paths=plan.paths,
        levels=site.self_assessment.levels,
        slot="" if public else "0" * digits,
        public=public,
    )
