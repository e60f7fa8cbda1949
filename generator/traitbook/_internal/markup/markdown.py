"""Catalogue text made safe for each output: the one Markdown sanitiser and the escaping rules.

Shared by the site's pages, the handbook and the LMS export, so it sits below all three.

- Plain text in Markdown (titles, summaries): :func:`md_plain`, shown literally, so ``*x*`` or
  ``{: onclick=… }`` in a title never becomes markup.
- Catalogue Markdown in Markdown: inserted as written (the model already refused raw HTML), its
  code written as escaped HTML (:func:`md_block`).
- Catalogue Markdown shown as HTML (exercises, the handbook, the export): :func:`sanitised_html`,
  converted and then cleaned with nh3 as a second line of defence.
- Front matter: ``yaml`` dump, never string pasting (:func:`front_matter`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import markdown as md
import nh3
import yaml

from ..catalogue.safety import code_as_html

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


#: Front-matter keys that MkDocs themes print into HTML *without* escaping (MkDocs' Jinja
#: environment does not autoescape): the page title in <title> and the navigation, the
#: description in a <meta> attribute. They are escaped here, once.
_HTML_META = ("title", "description")


def front_matter(meta: dict[str, object]) -> str:
    meta = {k: html.escape(v) if k in _HTML_META and isinstance(v, str) else v for k, v in meta.items()}
    # libyaml's emitter: the same output as safe_dump, several times faster.
    dumped = yaml.dump(meta, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=True, width=10_000)
    return f"---\n{dumped}---\n"


_SEARCH_WORD = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?")


def searched_as(meta: dict[str, object], phrases: Iterable[str], common: str = "") -> dict[str, object]:
    """``meta`` with the words of ``phrases`` as the page's search keywords: the ``tags`` that
    Material's search indexes (each as one term, so a phrase gives its words, and a hyphenated
    word also its parts) and that the page never shows (``hide: [tags]``; the theme shows tags
    only with the tags plugin, which Traitbook does not use). Words of ``common`` (the site's
    title) are left out: they describe every page, so they would only lift this one above the
    pages that teach them."""
    skip = set(_SEARCH_WORD.findall(common.lower()))
    words: dict[str, None] = {}
    for phrase in phrases:
        for word in _SEARCH_WORD.findall(phrase.lower()):
            words.update(dict.fromkeys(w for w in (word, *word.split("-")) if w not in skip))
    if not words:
        return meta
    return {**meta, "tags": [w for w in words if w], "hide": ["tags"]}


def one_line(fragment: str) -> str:
    """Raw HTML inside Markdown must not contain blank lines, or Markdown ends the block."""
    return re.sub(r"\n\s*\n", "\n", fragment).strip()
