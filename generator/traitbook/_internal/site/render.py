"""Stage 4: page plan → Markdown strings, through the site's templates.

The escaping rules (one per context) and the sanitiser live in ``markup/``, shared with the
handbook and the LMS export; this module adds the site's templates and HTML fragments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from ..i18n import Messages
from ..infra.write import Stream
from ..markup.markdown import one_line
from ..markup.templates import Renderer
from ..markup.templates import make_renderer as make_base_renderer
from ..plan import NumberedExercise, Page, Plan
from .engine import literate_nav, paths_nav, site_config
from .graph import layout, radar

TEMPLATES = Path(__file__).parent / "templates"


def make_renderer(words: Messages | None = None) -> Renderer:
    """The shared environments (markup/templates.py) with the site's templates and fragments."""
    renderer = make_base_renderer(TEMPLATES, words)
    for env in (renderer.markdown_env, renderer.html_env):
        env.globals.update(
            exercise_html=lambda ex: exercise_html(renderer, ex),
            answer_html=lambda ex: answer_html(renderer, ex),
            graph_of=layout,
            graph_html=lambda graph: _fragment(renderer, "graph.html.j2", graph=graph),
            radar_of=radar,
            radar_html=lambda frame, levels: _fragment(renderer, "radar.html.j2", radar=frame, levels=levels),
            rating_html=lambda trait_id, title, levels: _fragment(
                renderer, "rating.html.j2", trait_id=trait_id, title=title, levels=levels
            ),
            path_select=lambda plan, where: (
                _fragment(renderer, "path-select.html.j2", paths=plan.paths, where=where) if plan.paths else ""
            ),
        )
    return renderer


def _exercise_fragment(renderer: Renderer, template_name: str, item: NumberedExercise) -> str:
    template = renderer.html_env.get_template(template_name)
    return one_line(template.render(item=item, ex=item.exercise))


def exercise_html(renderer: Renderer, item: NumberedExercise) -> str:
    """The exercise as static HTML (question, options, answers in <details>)."""
    return _exercise_fragment(renderer, "exercise.html.j2", item)


def _fragment(renderer: Renderer, template_name: str, **context: object) -> str:
    """An HTML template rendered as one raw HTML block of a Markdown page."""
    return one_line(renderer.html_env.get_template(template_name).render(**context))


def answer_html(renderer: Renderer, item: NumberedExercise) -> str:
    """The exercise's entry in the answer key."""
    return _exercise_fragment(renderer, "answer.html.j2", item)


_TEMPLATE_FOR = {
    "trait": "trait.md.j2",
    "category": "category.md.j2",
    "overview": "overview.md.j2",
    "glossary": "glossary.md.j2",
    "answer-key": "answer-key.md.j2",
    "sources": "sources.md.j2",
    "home-list": "home-list.md.j2",
    "course": "course.md.j2",
    "crosswalk": "crosswalk.md.j2",
    "paths": "paths.md.j2",
    "path": "path.md.j2",
    "self-assessment": "self-assessment.md.j2",
}


#: Files for the engines rather than pages for readers (site/engine.py).
_ENGINE_FILES: dict[str, Callable[[Plan], str]] = {
    "site-config": site_config,
    "nav": literate_nav,
    "paths-nav": paths_nav,
}

#: Pages whose size grows with the whole catalogue: rendered and written piece by piece.
STREAMED_KINDS = frozenset({"answer-key"})


def _context(plan: Plan, page: Page) -> dict[str, object]:
    return {
        "plan": plan,
        "site": plan.catalogue.site,
        "page": page,
        "view": page.trait,
        "cat": page.category,
        "path": page.learning_path,
    }


def render_page(renderer: Renderer, plan: Plan, page: Page) -> str:
    if page.kind in _ENGINE_FILES:
        return _ENGINE_FILES[page.kind](plan)
    template = renderer.markdown_env.get_template(_TEMPLATE_FOR[page.kind])
    return tidy(template.render(_context(plan, page)))


def render_chunks(renderer: Renderer, plan: Plan, page: Page) -> Iterator[str]:
    """:func:`render_page` of a template page (:data:`STREAMED_KINDS`), piece by piece, for
    pages too large to hold (the same text)."""
    template = renderer.markdown_env.get_template(_TEMPLATE_FOR[page.kind])
    yield from tidy_lines(template.generate(_context(plan, page)))


def tidy(text: str) -> str:
    """``text`` without blank lines at either end, trailing spaces on any line or leading
    spaces on the first, ending in one newline: stable bytes whatever the template's whitespace."""
    return "\n".join(line.rstrip() for line in text.strip().splitlines()) + "\n"


def tidy_lines(chunks: Iterable[str]) -> Iterator[str]:
    """:func:`tidy` of the text of ``chunks``, piece by piece (a property test checks the two
    agree for any text and any cut)."""
    blank = 0  # blank lines held back: they are dropped if nothing follows them
    started = False
    for line in _lines(chunks):
        text = line.rstrip()
        if not text:
            blank += started
            continue
        yield "\n" * (blank + 1) + text if started else text.lstrip()
        started, blank = True, 0
    yield "\n"


def _lines(chunks: Iterable[str]) -> Iterator[str]:
    """The lines of the text of ``chunks`` (as ``str.splitlines``), as soon as each is complete."""
    pending = ""
    for chunk in chunks:
        pending += chunk
        lines = pending.splitlines(keepends=True)
        # The last piece may be an unfinished line, or a "\r" whose "\n" is in the next chunk.
        pending = lines.pop() if lines else ""
        yield from lines
    yield from pending.splitlines()


class RenderedPages(Mapping[str, str | Stream]):
    """Every planned page's Markdown by docs-relative path, rendered when it is read.

    The writer reads each page once and writes it, so a catalogue of any size never holds all
    of its pages in memory at the same time; the answer key, which grows with the whole
    catalogue, comes as a :class:`Stream` and is never held whole. Iteration is in path order.
    """

    def __init__(self, plan: Plan, renderer: Renderer) -> None:
        self._plan = plan
        self._renderer = renderer
        self._pages = {page.path: page for page in plan.pages}

    def __getitem__(self, path: str) -> str | Stream:
        page = self._pages[path]
        if page.kind in STREAMED_KINDS:
            return Stream(lambda: render_chunks(self._renderer, self._plan, page))
        return render_page(self._renderer, self._plan, page)

    def __iter__(self) -> Iterator[str]:
        return iter(self._pages)

    def __len__(self) -> int:
        return len(self._pages)


def render(plan: Plan, renderer: Renderer | None = None) -> RenderedPages:
    """Every planned page's Markdown, keyed by docs-relative path (sorted), rendered lazily."""
    return RenderedPages(plan, renderer or make_renderer(plan.messages))
