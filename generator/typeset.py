"""The WeasyPrint side of the handbook: HTML → PDF in one process.

This module runs in the worker processes that render parts of the handbook, so it imports
nothing heavy at module level: a worker starts with Python, this file and WeasyPrint only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: The only folder the renderer may load files from (the print stylesheet).
PRINT_ROOT = Path(__file__).resolve().parent / "templates"
PT_PER_PX = 0.75  # WeasyPrint positions are CSS pixels from the top left; PDF uses points from the bottom left


class HandbookError(Exception):
    """The PDF could not be rendered (for example a refused resource)."""


@dataclass(frozen=True)
class Rendered:
    """What a rendering process sends back (plain data, so it crosses process boundaries)."""

    pdf: bytes
    pages: int
    anchors: dict[str, tuple[int, float, float]]  # element id → (0-based page, x, y in PDF points)
    bookmarks: list[tuple[int, str, int, float, float]]  # (level, label, 0-based page, x, y)


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


def render_html(html: str, write: bool = True) -> Rendered:
    """Render one HTML document to PDF, with where its anchors and bookmarks landed.

    ``write=False`` only lays the pages out (the PDF comes back empty): enough to measure.
    """
    import weasyprint  # imported here: loading Pango is slow and only the handbook needs it
    from weasyprint.urls import FatalURLFetchingError

    try:
        document = weasyprint.HTML(
            string=html, base_url=PRINT_ROOT.as_uri() + "/", url_fetcher=local_files_only(PRINT_ROOT)
        ).render()
    except FatalURLFetchingError as exc:  # a BaseException in WeasyPrint: turn it into an error
        raise HandbookError(f"{exc}: {exc.__cause__}") from None
    data = document.write_pdf() if write else b""
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
