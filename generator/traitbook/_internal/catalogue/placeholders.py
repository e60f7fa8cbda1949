"""Placeholders left in a course: ``TODO``, ``FIXME`` and ``TBD`` in the catalogue's text, and
the same or an example page's "Replace this paragraph…" in the hand-written pages.

A draft full of them builds and previews (``build`` does not lint), but ``check``, the gate
before publishing, fails on each, at its line and column, when ``minimums.placeholders`` is on
(as in every project ``traitbook init`` makes).

The markers are upper-case words only: "a to-do list" or "todo" in a sentence are prose. The
catalogue is read through its validated models, dumped with the keys as written, so each
problem points at the field where the text is; comments are not text and are not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from .load import Document, PathKey
from .problems import Problem
from .validate import Loaded

#: Words an author leaves where text is still to come.
MARKER = re.compile(r"\b(TODO|FIXME|TBD)\b")
#: The sentences of the example pages that ask the author to write their own.
EXAMPLE_SENTENCE = re.compile(r"\bReplace this (?:paragraph|page|section|text)\b[^.\n]*")
#: The "field path" of a problem in a Markdown page (it has no fields).
PAGE_PATH = "text"


def _strings(value: Any, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _as_written(model: BaseModel) -> Any:
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


def _message(found: str) -> str:
    return f"placeholder {found!r} left in the text: write the text, or turn the check off (minimums.placeholders)"


def _in_document(model: BaseModel, doc: Document) -> Iterator[Problem]:
    for path, text in _strings(_as_written(model), ()):
        match = MARKER.search(text)
        if match is not None:
            yield doc.problem(path, _message(match.group(0)))


def catalogue_placeholders(loaded: Loaded) -> Iterator[Problem]:
    """Each text field of catalogue.yml and the trait files holding a placeholder word."""
    yield from _in_document(loaded.catalogue.site, loaded.site_doc)
    for trait in loaded.catalogue.traits:
        yield from _in_document(trait, loaded.trait_docs[trait.id])


def page_placeholders(file: str, text: str) -> Iterator[Problem]:
    """Each placeholder word or example sentence in a hand-written Markdown page, at its line
    and column (1-based)."""
    for number, line in enumerate(text.splitlines(), start=1):
        for pattern in (MARKER, EXAMPLE_SENTENCE):
            for match in pattern.finditer(line):
                yield Problem(file, number, match.start() + 1, PAGE_PATH, _message(match.group(0).rstrip()))
