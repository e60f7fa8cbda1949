"""The search separator: which characters and words split text into search terms.

Material's search adds a trailing wildcard to every query term, and lunr does not apply its
stop-word filter to wildcard terms, so "in", "on", "up" or "of" in a query match every word that
starts with them ("in*": incident, information, insight…) and bury the page the reader wants.
The one supported setting that acts on query terms before the wildcard is added is the search
plugin's ``separator``: Material splits each query term with it, and a term that is all
separator disappears. So the separator includes the stop words themselves, as whole words
(``\\b…\\b``), in upper and lower case (the setting is a regular expression without flags).
Stop words are already left out of the index by lunr's filter, so nothing findable is lost; real
prefixes ("analy") keep their wildcard.

The hyphen is not a separator. lunr's query parser splits "buy-in" at the hyphen on its own
(its pattern is fixed when lunr loads) and Material keeps the rest of the word on each part, so
a hyphenated query would bring "in*" back; overrides/assets/traitbook/search.js therefore turns
such hyphens into spaces in the search box. In the index, hyphens next to a stop word go with it
("buy-in" is indexed as "buy"), so "buy in" and "buy-in" find the same pages.

Zensical reads the same setting from mkdocs.yml.
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: lunr.js's English stop-word list (lunr.stopWordFilter), the words its index leaves out.
LUNR_STOP_WORDS_EN = tuple(
    """
    a able about across after all almost also am among an and any are as at be because been but
    by can cannot could dear did do does either else ever every for from get got had has have he
    her hers him his how however i if in into is it its just least let like likely may me might
    most must my neither no nor not of off often on only or other our own rather said say says
    she should since so some than that the their them then there these they this tis to too twas
    us wants was we were what when where which while who whom why will with would yet you your
    """.split()  # noqa: SIM905 - a word list reads better as prose
)

STOP_WORDS = {"en": LUNR_STOP_WORDS_EN}

#: What always splits terms: white space and punctuation that never belongs inside a word, and a
#: full stop not followed by a digit (so "9.3.4" stays one term).
PUNCTUATION = r'[\s,:;!?=\[\]()"/]+|\.(?!\d)'


def _any_case(word: str) -> str:
    return "".join(f"[{c.upper()}{c.lower()}]" if c.upper() != c.lower() else c for c in word)


def separator(stop_words: tuple[str, ...] | list[str] = ()) -> str:
    """The search plugin's ``separator`` for a language with these stop words."""
    if not stop_words:
        return PUNCTUATION
    # Longest first, so that "into" is not read as "in" followed by "to".
    words = sorted({w.lower() for w in stop_words}, key=lambda w: (-len(w), w))
    return PUNCTUATION + r"|-?\b(?:" + "|".join(_any_case(w) for w in words) + r")\b-?"


def language_separator(language: str) -> str:
    """:func:`separator` for a catalogue language (``en-GB`` uses ``en``); punctuation only when
    Traitbook has no stop-word list for it."""
    return separator(STOP_WORDS.get(language.split("-", maxsplit=1)[0].lower(), ()))


def search_words(language: str) -> Callable[[str], list[str]]:
    """The words of a text that the site search keeps: split as :func:`language_separator`
    splits (the pattern means the same in Python and JavaScript)."""
    pattern = re.compile(language_separator(language))
    return lambda text: [word for word in pattern.split(text) if word]
