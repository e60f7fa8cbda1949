"""The printed handbook: page plan → print HTML (pure). ``pdf.py`` turns the HTML into a PDF.

The PDF is made from the same model as the site but with its own templates, so it has what
paper needs and the web does not: a table of contents with page numbers, "see page N" cross
references, exercises without answers, lined space for reflections and an answer key that
points back to each question's page.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import jinja2
from markupsafe import Markup, escape

from ..catalogue.model import Site, Trait
from ..i18n import BASE, Messages, fill, messages
from ..markup.templates import Renderer, make_renderer
from ..plan import Plan, TraitView
from .typeset import PAGE_MARK, PAGES_MARK

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


#: Each appendix's title is its site page's (the message key).
_APPENDIX_TITLES = {
    "glossary": "glossary.title",
    "crosswalk": "crosswalk.title",
    "paths": "paths.title",
    "self-assessment": "profile.title",
    "answer-key": "answer_key.title",
    "sources": "sources.title",
}


def appendices(worksheet: bool, paths: bool = False, words: Messages | None = None) -> list[Appendix]:
    words = words or messages(BASE)
    items = ["glossary", "crosswalk", *(["paths"] if paths else []), "self-assessment"]
    items += [*([] if worksheet else ["answer-key"]), "sources"]
    return [Appendix(chr(ord("A") + i), key, words(_APPENDIX_TITLES[key])) for i, key in enumerate(items)]


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string to put in a <style> element: quotes, backslashes, line
    breaks and the characters of HTML markup as CSS escapes, so nothing can end the string or
    the element."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\\n\r<>&' else c for c in text)
    return f'"{escaped}"'


def footer_content(words: Messages, public: bool) -> Markup:
    """The page footer as a CSS ``content`` value: the message's words around either the marks
    the typesetter fills after layout or, in the public variant, WeasyPrint's counters."""
    numbers = (
        {"page": " counter(page) ", "pages": " counter(pages) "}
        if public
        else {"page": f" {css_string(PAGE_MARK)} ", "pages": f" {css_string(PAGES_MARK)} "}
    )
    content = fill(words.strings["handbook.footer"], numbers, lambda text: f" {css_string(text)} " if text else "")
    return Markup(content.strip())  # noqa: S704 - CSS tokens; every text is a css_string


# A URL in text: a scheme or "www." and everything up to white space or markup.
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+")
# Where a URL may break across lines: after a run of these (an entity such as &amp; is one character).
_URL_SEPARATORS = re.compile(r"(?:&[#\w]+;|[/.\-?=&_#~+])+")
# A zero-width space rather than <wbr>: WeasyPrint draws <wbr> as a box of its own, which hides the
# break from Pango's line breaking inside the URL's text once `overflow-wrap` is set (the URL is
# then cut after any letter); and neither ends up in the PDF's text, so a copied address is clean.
_WBR = "\u200b"


def _breakable(escaped_url: str) -> str:
    """An escaped URL with a break opportunity after each run of separators: never inside the
    scheme ("https://"), inside a word, or after the last character."""
    scheme = escaped_url.find("://")
    kept_to = scheme + 3 if scheme >= 0 else 0
    out = [escaped_url[:kept_to]]
    for separators in _URL_SEPARATORS.finditer(escaped_url, kept_to):
        if separators.end() >= len(escaped_url):
            break
        out += [escaped_url[kept_to : separators.end()], _WBR]
        kept_to = separators.end()
    out.append(escaped_url[kept_to:])
    return "".join(out)


def break_url(url: str) -> Markup:
    """A URL shown as text, escaped, breakable at its separators (for a narrow printed line)."""
    return Markup(_breakable(str(escape(url))))  # noqa: S704 - escaped, then only break opportunities added


def break_urls(fragment: str) -> Markup:
    """Sanitised HTML with the URLs of its text (a link's text, a bare address) breakable at their
    separators; code is left as written. Lines of print are narrow, and without these breaks a
    long address runs off the page; breaking anywhere (``word-break: break-all``) would cut its
    words apart."""
    parts = _TAGS.split(str(fragment))
    code = 0
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            name = _TAG_NAME.match(part)
            if name and name.group(2) in ("code", "pre"):
                code += -1 if name.group(1) else 1
        elif not code and ("://" in part or "www." in part):
            parts[index] = _URL.sub(lambda url: _breakable(url.group()), part)
    return Markup("".join(parts))  # noqa: S704 - sanitised HTML, only break opportunities added


_TAGS = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z0-9]+)")


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
    renderer = renderer or make_renderer(TEMPLATES, plan.messages)
    site = plan.catalogue.site
    apps = appendices(options.worksheet, bool(plan.paths), plan.messages)
    key = next((a.letter for a in apps if a.id == "answer-key"), "")
    # The print templates live beside the handbook code; the filters are the site's (md_block…).
    env = renderer.html_env.overlay(loader=jinja2.FileSystemLoader(TEMPLATES))
    # The handbook's own filters on a copy: the overlay shares the site's filter table.
    env.filters = {
        **env.filters,
        "markdown": lambda text: break_urls(renderer.markdown_html(text)),
        "break_url": break_url,
    }
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
        levels=plan.levels,
        footer=footer_content(plan.messages, public=False),
        footer_public=footer_content(plan.messages, public=True),
        slot="" if public else "0" * digits,
        public=public,
    )
