"""What an engine that reads ``mkdocs.yml`` needs beyond the pages, written as plain files.

No engine runs Traitbook's code to get these: MkDocs and ProperDocs (with the Traitbook plugin
or without it) and Zensical (which runs no hooks and no unknown plugins) read the same files.

* **Navigation**: ``traits/SUMMARY.md``, a nav file in the format of mkdocs-literate-nav. The
  hand-written ``mkdocs.yml`` points its ``nav`` at the folder (``- Traits: traits/``);
  MkDocs reads the file through the literate-nav plugin, Zensical natively. Nothing in a title
  is read as Markdown or HTML: links' labels are backslash-escaped (:func:`nav_label`), section
  titles use numeric references (:func:`nav_text`).
* **Site settings**: ``_generated/site.yml``, which ``mkdocs.yml`` inherits (``INHERIT``):
  the title, description and language of ``catalogue.yml``, and the self-check script's strings
  in that language (``extra.traitbook.messages``). Material's templates print the
  title raw in most places and escaped in a few, so only what HTML would read as markup is
  escaped (:func:`theme_text`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from ..plan import NavItem, Plan

#: The nav file's name (literate-nav's default, and what mkdocs.yml's plugin entry names).
NAV_FILE = "SUMMARY.md"


def nav_text(text: str) -> str:
    """A section title (a navigation entry without a link): every ASCII character but letters,
    digits and spaces as a numeric reference. Sections are only shown in the sidebar, which
    prints them as HTML, and literate-nav keeps Markdown's placeholders in them (a backslash
    escape would show as one)."""
    return "".join(c if c.isalnum() or c == " " or not c.isascii() else f"&#{ord(c)};" for c in text)


#: What Python-Markdown reads a backslash escape of; literate-nav turns these back into the
#: character in a link's label.
_NAV_BACKSLASH = frozenset("\\`*_{}[]()>#+-.!")
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")


def nav_label(text: str) -> str:
    """A link's label in the navigation, which the engines read back as exactly ``text``.

    The label becomes the page's title, which the theme prints as HTML in the sidebar and
    escapes in the footer's links (their ``aria-label``), so it must come back as plain
    characters: a numeric reference would be read back literally and read out as ``&#45;``.
    Markdown syntax is backslash-escaped; ``<``, and an ``&`` that would start a reference,
    are written as references because the sidebar would read them as HTML.
    """
    text = theme_text(" ".join(text.split()), quote=False)
    return "".join("\\" + c if c in _NAV_BACKSLASH else c for c in text)


def theme_text(text: str, *, quote: bool = True) -> str:
    """Text for a setting the theme prints as HTML in some places and escapes in others (the
    site name: raw in the header, escaped in the logo's tooltip): only what HTML would read as
    markup is escaped, so the escaped places show no escape codes for ``&`` or ``'``. ``quote``:
    also ``"``, for a setting the theme prints raw inside an attribute."""
    text = _ENTITY_LIKE.sub("&amp;", text).replace("<", "&lt;")
    return text.replace('"', "&quot;") if quote else text


def literate_nav(plan: Plan, folder: str = "traits") -> str:
    """The generated part of the navigation as a literate-nav list, links relative to ``folder``."""
    lines: list[str] = []
    _nav_lines(plan.nav(), folder, 0, lines)
    return "\n".join(lines) + "\n"


def paths_nav(plan: Plan) -> str:
    """The Paths section of the navigation: the overview, then each path in the catalogue's order."""
    overview = nav_label(plan.messages("nav.all_paths"))
    lines = [f"* [{overview}](index.md)"]
    lines += [f"* [{nav_label(p.path.title)}]({p.path.id}.md)" for p in plan.paths]
    return "\n".join(lines) + "\n"


def _nav_lines(items: list[NavItem], folder: str, depth: int, lines: list[str]) -> None:
    indent = "    " * depth
    for item in items:
        ((title, value),) = item.items()
        if isinstance(value, list):
            lines.append(f"{indent}* {nav_text(title)}")
            _nav_lines(value, folder, depth + 1, lines)
        else:
            lines.append(f"{indent}* [{nav_label(title)}]({_relative(value, folder)})")


def _relative(path: str, folder: str) -> str:
    prefix = folder + "/"
    return path.removeprefix(prefix) if path.startswith(prefix) else "../" * (folder.count("/") + 1) + path


@dataclass(frozen=True)
class SiteSettings:
    """The settings ``mkdocs.yml`` inherits (and the plugin applies): title and description
    escaped for Material (:func:`theme_text`), the language, and the self-check script's strings,
    which ``overrides/main.html`` writes into every page as JSON (``config.extra.traitbook``)."""

    site_name: str
    site_description: str
    language: str
    script_messages: dict[str, str]

    def extra(self) -> dict[str, object]:
        return {"messages": self.script_messages}


def site_settings(plan: Plan) -> SiteSettings:
    site = plan.catalogue.site
    return SiteSettings(theme_text(site.title), theme_text(site.description), site.language, plan.messages.group("js"))


def site_config(plan: Plan) -> str:
    """:func:`site_settings` as the YAML file ``mkdocs.yml`` names in ``INHERIT``."""
    settings = site_settings(plan)
    data = {
        "site_name": settings.site_name,
        "site_description": settings.site_description,
        "theme": {"language": settings.language},
        "extra": {"traitbook": settings.extra()},
    }
    header = (
        "# Written by Traitbook from catalogue/catalogue.yml; do not edit (rewritten by every build).\n"
        "# mkdocs.yml inherits these settings (INHERIT), so every engine that reads it shows them.\n"
    )
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=True, width=1000)
