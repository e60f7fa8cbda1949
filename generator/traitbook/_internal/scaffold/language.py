"""A new project in the catalogue's language, and what of it is still English.

The generator's own words follow ``catalogue.yml``'s ``language`` (i18n/). Two parts of a
project are the author's instead and are written once by ``init``: the navigation titles and
theme switches in ``mkdocs.yml``, and the hand-written pages of ``docs/``. ``init --language``
writes the first in that language (from the ``project.*`` messages) together with the language's
search separator; the pages ship in English only. :func:`english_leftovers` finds both in an
existing project (``traitbook messages`` and ``init`` list them), so a German course is not
silently half English.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ..i18n import BASE, Messages, messages
from ..i18n.search import language_separator

#: The scaffold's mkdocs.yml lines each message fills: a nav entry or a theme switch's name.
PROJECT_KEYS = (
    "project.nav_home",
    "project.nav_how_to_use",
    "project.nav_traits",
    "project.nav_paths",
    "project.nav_self_assessment",
    "project.nav_reference",
    "project.nav_about",
    "project.dark_mode",
    "project.light_mode",
)
_NAV_LINE = re.compile(r"^(?P<head>\s*- )(?P<title>[^:#\n]+?)(?P<tail>:(?:\s.*)?)$")
_NAME_LINE = re.compile(r"^(?P<head>\s*name: )(?P<title>[^#\n]+?)(?P<tail>\s*(?:#.*)?)$")
_SEPARATOR_LINE = re.compile(r"^(?P<head>\s*separator: ).*$")
_LANGUAGE_LINE = re.compile(r"^(?P<head>language: )(?P<code>[A-Za-z0-9-]+)(?P<tail>.*)$")
#: A page shares a sentence with an English example page when it repeats this many words of one.
_SHARED_WORDS = 8


@dataclass(frozen=True)
class Leftover:
    """Something of a project still in English: where, and what to do."""

    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def _plain(title: str) -> str:
    """``title`` as a YAML scalar: plain where that is safe, else double-quoted."""
    if re.fullmatch(r"[^\W\d_][\w .'()/-]*", title) and not title.endswith((" ", ":")):
        return title
    return json.dumps(title, ensure_ascii=False)


def _titles(words: Messages) -> dict[str, str]:
    return {key: words(key) for key in PROJECT_KEYS}


def localise_mkdocs(text: str, language: str) -> str:
    """The scaffold's mkdocs.yml with its titles and switches in ``language`` (where its message
    file has them) and the search separator for that language's stop words."""
    english, own = _titles(messages(BASE)), _titles(messages(language))
    replace = {english[key]: own[key] for key in PROJECT_KEYS if own[key] != english[key]}
    out = []
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\n")
        for pattern in (_NAV_LINE, _NAME_LINE):
            match = pattern.match(body)
            if match and match["title"] in replace:
                body = f"{match['head']}{_plain(replace[match['title']])}{match['tail']}"
                break
        separator = _SEPARATOR_LINE.match(body)
        if separator:
            body = f"{separator['head']}{_yaml_single(language_separator(language))}"
        out.append(body + line[len(line.rstrip("\n")) :])
    return "".join(out)


def _yaml_single(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def localise_catalogue(text: str, language: str) -> str:
    """The scaffold's catalogue.yml with ``language:`` set."""
    return "".join(
        f"{m['head']}{language}{m['tail']}\n" if (m := _LANGUAGE_LINE.match(line.rstrip("\n"))) else line
        for line in text.splitlines(keepends=True)
    )


def english_leftovers(
    mkdocs_text: str | None, pages: Mapping[str, str], examples: Mapping[str, str], language: str
) -> list[Leftover]:
    """What is still English in a project whose catalogue is in ``language``: navigation
    titles and theme switches of ``mkdocs.yml`` (``mkdocs_text``) that are the English ones,
    and hand-written ``pages`` (path → text) that repeat a sentence of the English example
    pages (``examples``, path → text). Nothing for an English catalogue."""
    if language.split("-", maxsplit=1)[0].lower() == BASE:
        return []
    found = list(_english_titles(mkdocs_text or "", language))
    sentences = {s for text in examples.values() for s in _sentences(text)}
    for path, text in sorted(pages.items()):
        if sentences & set(_sentences(text)):
            found.append(Leftover(path, "still has the English text of the example page `init` wrote: translate it"))
    return found


def _english_titles(text: str, language: str) -> Iterator[Leftover]:
    english, own = _titles(messages(BASE)), _titles(messages(language))
    for number, line in enumerate(text.splitlines(), start=1):
        for pattern in (_NAV_LINE, _NAME_LINE):
            match = pattern.match(line)
            if match is None:
                continue
            key = next((k for k in PROJECT_KEYS if english[k] == match["title"].strip()), None)
            if key is not None:
                hint = f" (in {language}: {own[key]!r})" if own[key] != english[key] else ""
                yield Leftover(f"mkdocs.yml:{number}", f"{match['title'].strip()!r} is English{hint}")
            break


def _sentences(text: str) -> Iterator[str]:
    """Runs of words long enough to be a sentence of their own, normalised."""
    for sentence in re.split(r"(?<=[.!?])\s+|\n\s*\n", text):
        words = re.findall(r"[\w'’-]+", sentence.lower())
        if len(words) >= _SHARED_WORDS:
            yield " ".join(words)
