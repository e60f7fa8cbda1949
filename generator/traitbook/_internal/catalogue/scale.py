"""The self-assessment scale: the catalogue's own levels, or the language's default four.

It lives with the catalogue rather than in ``i18n`` so that the words (``i18n``) never depend
on the model: the model may use the words, not the other way round.
"""

from __future__ import annotations

from ..i18n import Messages, messages
from .model import Level, Site


def scale(site: Site, words: Messages | None = None) -> tuple[Level, ...]:
    """The self-assessment scale: the catalogue's, else the language's default four levels."""
    if site.self_assessment.levels:
        return tuple(site.self_assessment.levels)
    words = words or messages(site.language, site.messages, site.unit)
    numbers = sorted({int(k.split(".")[1]) for k in words.strings if k.startswith("level.")})
    return tuple(Level(label=words(f"level.{n}.label"), descriptor=words(f"level.{n}.descriptor")) for n in numbers)
