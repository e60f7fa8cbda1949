"""The printed handbook: page plan → print HTML (pure) → PDF (WeasyPrint).

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

from .model import Site, Trait
from .pages import Plan, TraitView
from .render import TEMPLATES, Renderer, make_renderer

Paper = Literal["A4", "Letter"]


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
    ordered = [t for view in plan.categories for t in view.traits]
    return [Chapter(n, t, plan.trait_views[t.id]) for n, t in enumerate(ordered, start=1)]


def appendices(worksheet: bool) -> list[Appendix]:
    items = [("glossary", "Glossary"), ("crosswalk", "Framework crosswalk")]
    if not worksheet:
        items.append(("answer-key", "Answer key"))
    items.append(("sources", "Sources"))
    return [Appendix(chr(ord("A") + i), key, title) for i, (key, title) in enumerate(items)]


def handbook_html(
    plan: Plan,
    options: HandbookOptions,
    environ: dict[str, str] | None = None,
    renderer: Renderer | None = None,
) -> str:
    """The handbook as one HTML document (deterministic for a given catalogue and options)."""
    renderer = renderer or make_renderer()
    site = plan.catalogue.site
    apps = appendices(options.worksheet)
    key = next((a.letter for a in apps if a.id == "answer-key"), "")
    template = renderer.html_env.get_template("handbook.html.j2")
    return template.render(
        site=site,
        date=edition_date(site, dict(os.environ) if environ is None else environ),
        paper=options.paper,
        worksheet=options.worksheet,
        chapters=chapters(plan),
        appendices=apps,
        key_letter=key,
        terms=plan.terms,
    )


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


class HandbookError(Exception):
    """The PDF could not be rendered (for example a refused resource)."""


def pdf_bytes(html: str) -> tuple[bytes, int]:
    """Render the handbook HTML to PDF bytes; also return the number of pages."""
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
    return data, len(document.pages)
