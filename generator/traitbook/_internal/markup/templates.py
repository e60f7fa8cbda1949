"""The Jinja environments every renderer shares: one for Markdown output, one for HTML.

The site (``site/render.py``) and the handbook (``handbook/printhtml.py``) each add their own
templates and globals on top; the filters and the message function ``_`` are the same for both,
so a catalogue text is escaped the same way on a page and on paper.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markdown as md
from markupsafe import Markup

from ..catalogue.model import option_letter, word_count
from ..i18n import BASE, Messages, fill, messages
from .markdown import (
    front_matter,
    make_converter,
    md_block,
    md_indent,
    md_plain,
    one_line,
    sanitised_html,
    searched_as,
)


@dataclass(frozen=True)
class Renderer:
    """Both Jinja environments plus the Markdown converter, built once per run."""

    markdown_env: jinja2.Environment
    html_env: jinja2.Environment
    converter: md.Markdown

    def markdown_html(self, text: str) -> Markup:
        """Catalogue Markdown → sanitised HTML for use inside raw HTML blocks."""
        return Markup(sanitised_html(self.converter, text))  # noqa: S704 - escaped or sanitised by nh3


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


def make_renderer(templates: Path, words: Messages | None = None) -> Renderer:
    """Both environments, loading templates from ``templates``. StrictUndefined: a typo in a
    template fails the build. ``words``: the generator's own strings (default English)."""
    words = words or messages(BASE)
    loader = jinja2.FileSystemLoader(templates)
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
    renderer = Renderer(markdown_env, html_env, make_converter())
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
            searched_as=searched_as,
            letter=option_letter,
            words=word_count,
            one_line=one_line,
        )
        env.globals.update(kind_label=lambda exercise: words(f"kind.{exercise.kind}"))
    return renderer
