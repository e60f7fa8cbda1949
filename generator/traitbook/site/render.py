"""Stage 4: page plan → Markdown strings. Escaping lives here, one rule per context.

- Plain text in Markdown (titles, summaries): :func:`md_plain` — shown literally, so
  ``*x*`` or ``{: onclick=… }`` in a title never becomes markup.
- Catalogue Markdown in Markdown: inserted as written (the model already refused raw HTML).
- Anything inside the exercise HTML: an autoescaping Jinja environment; Markdown fields there
  are rendered by :func:`markdown_html` and sanitised with nh3 as a second line of defence.
- Front matter: ``yaml.safe_dump``, never string pasting.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markdown as md
import nh3
import yaml
from markupsafe import Markup

from ..catalogue.model import option_letter, word_count
from ..catalogue.safety import code_as_html
from ..i18n import BASE, Messages, fill, messages
from ..infra.write import Stream
from ..plan import NumberedExercise, Page, Plan
from .engine import literate_nav, paths_nav, site_config
from .graph import layout, radar

TEMPLATES = Path(__file__).parent / "templates"

# Python-Markdown honours backslash escapes for exactly these characters…
_BACKSLASH = set("\\`*_{}[]()>#+-.!")
# …and these reach other extensions (tables, emoji, tilde, caret, mark, critic), so they
# become numeric character references, which every Markdown engine passes through.
_ENTITY = set("|:~^=$%")

_ALLOWED_TAGS = {
    "p", "em", "strong", "code", "pre", "ul", "ol", "li", "a", "blockquote", "br", "hr",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "del", "sup", "sub",
}  # fmt: skip


# Text that Python-Markdown would turn into exactly one <p> of the same words: no inline syntax
# characters, no line that could start a block, no hard line break. Most feedback is such
# prose, and converting it through the full Markdown pipeline dominated render time.
_INLINE_SYNTAX = re.compile(r"[*_`\[\]<>&\\!#|~^=:{}$%]")
_BLOCK_START = re.compile(r"^(?:\s|[-+*>#=]|\d+[.)])", re.MULTILINE)


def plain_paragraph_html(text: str) -> str | None:
    """``<p>…</p>`` for plain prose, or None when the text needs the Markdown converter."""
    stripped = text.strip()
    if (
        not stripped
        or _INLINE_SYNTAX.search(stripped)
        or _BLOCK_START.search(stripped)
        or "\n\n" in stripped
        or "  \n" in stripped
        or "\t" in stripped
    ):
        return None
    return f"<p>{html.escape(stripped, quote=False)}</p>"


# Later entries win: ">" is both a Markdown and an HTML character, and must become "&gt;".
_MD_PLAIN = str.maketrans(
    {
        **{c: "\\" + c for c in _BACKSLASH},
        **{c: f"&#{ord(c)};" for c in _ENTITY},
        **{c: html.escape(c) for c in '<>&"'},
    }
)


def md_plain(text: str) -> str:
    """Plain text → Markdown that renders exactly that text, on one line."""
    return " ".join(text.split()).translate(_MD_PLAIN)


def md_block(text: str) -> str:
    """Catalogue Markdown, trimmed so templates control the blank lines around it, with its
    code written as escaped HTML (:func:`safety.code_as_html`).

    The site's Markdown never sees the catalogue's backticks, so it cannot pair them
    differently from the checks in safety.py, which exempt exactly this code. (It also keeps
    MkDocs' anchor validator, which reads the raw Markdown with an HTML parser, from taking a
    ``<script>`` in code for the start of a script and losing every id after it.)
    """
    return code_as_html(text.strip())


def md_indent(text: str, spaces: int = 4) -> str:
    """Markdown placed inside an admonition or list item needs indenting."""
    pad = " " * spaces
    return "\n".join(pad + line if line.strip() else "" for line in text.strip().splitlines())


@dataclass(frozen=True)
class Renderer:
    """Both Jinja environments plus the Markdown converter, built once per run."""

    markdown_env: jinja2.Environment
    html_env: jinja2.Environment
    converter: md.Markdown

    def markdown_html(self, text: str) -> Markup:
        """Catalogue Markdown → sanitised HTML for use inside raw HTML blocks."""
        return Markup(sanitised_html(self.converter, text))  # noqa: S704 - escaped or sanitised by nh3


def make_converter() -> md.Markdown:
    """The Markdown converter for catalogue fields shown as HTML (exercises, the LMS export)."""
    return md.Markdown(extensions=["sane_lists", "tables"], output_format="html")


def sanitised_html(converter: md.Markdown, text: str) -> str:
    """Catalogue Markdown → HTML sanitised with nh3: the one sanitiser, shared by the site's
    exercises, the handbook and the LMS export (export/bank.py)."""
    fast = plain_paragraph_html(text)
    if fast is not None:
        return fast
    converter.reset()
    rendered = converter.convert(text.strip())
    return nh3.clean(
        rendered,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
    )


def _md_text(text: str) -> str:
    """:func:`md_plain` that keeps the spaces at either end: the text between placeholders."""
    core = md_plain(text)
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() and core else ""
    return lead + core + trail


def _say(words: Messages, escape: Callable[[str], str]) -> Callable[..., str]:
    """The templates' ``_(key, **params)``: the message with its text escaped for the output
    and each parameter escaped too, unless it is already markup (a link built by ``link``)."""

    def say(key: str, **params: object) -> str:
        ready = {k: str(v) if isinstance(v, Markup) else escape(str(v)) for k, v in params.items()}
        return fill(words.strings[key], ready, escape)

    return say


def _md_link(text: str, url: str) -> Markup:
    """A Markdown link (for a message parameter) whose text is shown literally: plain text is
    escaped here, a message from ``_`` (marked ``safe``) already was."""
    label = str(text) if isinstance(text, Markup) else md_plain(text)
    return Markup(f"[{label}]({url})")  # noqa: S704 - Markdown, escaped by md_plain or _


def make_renderer(words: Messages | None = None) -> Renderer:
    """Build the environments. StrictUndefined: a typo in a template fails the build.
    ``words``: the generator's own strings (default English)."""
    words = words or messages(BASE)
    loader = jinja2.FileSystemLoader(TEMPLATES)
    markdown_env = jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        # Markdown output: HTML-escaping would corrupt it. Plain text goes through md_plain and
        # all HTML through html_env (autoescaping), so nothing reaches the page unescaped.
        autoescape=False,  # noqa: S701
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    html_env = jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    converter = make_converter()
    renderer = Renderer(markdown_env, html_env, converter)
    in_html = _say(words, html.escape)
    # ``_html``: a message inside raw HTML in a Markdown page, where Markdown escapes would show.
    markdown_env.globals.update(_=_say(words, _md_text), _html=in_html, link=_md_link)
    html_env.globals.update(_=lambda key, **params: Markup(in_html(key, **params)))  # noqa: S704
    for env in (markdown_env, html_env):
        env.filters.update(
            md_plain=md_plain,
            md_block=md_block,
            md_indent=md_indent,
            markdown=renderer.markdown_html,
            front_matter=front_matter,
            letter=option_letter,
            words=word_count,
            one_line=_one_line,
        )
        env.globals.update(
            exercise_html=lambda ex: exercise_html(renderer, ex),
            answer_html=lambda ex: answer_html(renderer, ex),
            kind_label=lambda exercise: words(f"kind.{exercise.kind}"),
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


#: Front-matter keys that MkDocs themes print into HTML *without* escaping (MkDocs' Jinja
#: environment does not autoescape): the page title in <title> and the navigation, the
#: description in a <meta> attribute. They are escaped here, once.
_HTML_META = ("title", "description")


def front_matter(meta: dict[str, object]) -> str:
    meta = {k: html.escape(v) if k in _HTML_META and isinstance(v, str) else v for k, v in meta.items()}
    # libyaml's emitter: the same output as safe_dump, several times faster.
    dumped = yaml.dump(meta, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=True, width=10_000)
    return f"---\n{dumped}---\n"


def _one_line(fragment: str) -> str:
    """Raw HTML inside Markdown must not contain blank lines, or Markdown ends the block."""
    return re.sub(r"\n\s*\n", "\n", fragment).strip()


def _exercise_fragment(renderer: Renderer, template_name: str, item: NumberedExercise) -> str:
    template = renderer.html_env.get_template(template_name)
    return _one_line(template.render(item=item, ex=item.exercise))


def exercise_html(renderer: Renderer, item: NumberedExercise) -> str:
    """The exercise as static HTML (question, options, answers in <details>)."""
    return _exercise_fragment(renderer, "exercise.html.j2", item)


def _fragment(renderer: Renderer, template_name: str, **context: object) -> str:
    """An HTML template rendered as one raw HTML block of a Markdown page."""
    return _one_line(renderer.html_env.get_template(template_name).render(**context))


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
