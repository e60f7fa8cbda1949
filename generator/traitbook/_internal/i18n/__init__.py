"""The words Traitbook writes itself, in the catalogue's language.

One YAML file per language beside this module (``en.yml``, ``de.yml``), keyed like Hugo's and
Rails' i18n files rather than gettext catalogues, because:

* catalogue authors already write YAML, and ``catalogue.yml``'s ``messages:`` overrides a single
  string by the same key (with gettext the key is the English sentence: fixing an English
  typo would orphan every translation and every override);
* the self-check script needs a keyed subset it can read from the page (``js.*``);
* nothing is compiled: a new language is one file, checked by ``check`` (:func:`missing`).

Values are plain text with named placeholders (``{title}``), filled by :func:`fill`, which
escapes the text around them for the output (Markdown, HTML, CSS) and inserts the values the
caller has already made safe. English is complete; any key another language lacks falls back
to English, and ``check`` says which.

The catalogue's entries are "traits" by default, but an author may call them something else
(``unit:`` in ``catalogue.yml``). Strings name the unit with placeholders ({unit}, {units},
{Unit}, {Units}) and, where a language's words agree with it, with the words its file's
``unit:`` section declares ({a} in English, {diesen} in German). :func:`messages` fills those
once, up front, so every consumer gets finished text and only the fillers' own placeholders
({title}, {count}) are left.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import yaml

FOLDER = Path(__file__).parent
BASE = "en"
# Capitals are allowed so that {Unit} can say "capitalise the first letter".
PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")
#: The section of a language file that describes the unit rather than holding strings.
UNIT_SECTION = "unit"


def _flatten(data: Mapping[object, object], prefix: str = "") -> Iterator[tuple[str, str]]:
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _flatten(value, name + ".")
        else:
            yield name, str(value)


@cache
def _parsed(code: str) -> Mapping[str, Any] | None:
    """``<code>.yml`` as YAML data, or None when there is no such file."""
    path = FOLDER / f"{code}.yml"
    if not re.fullmatch(r"[A-Za-z0-9-]+", code) or not path.is_file():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    assert isinstance(data, dict), f"{path.name} is a mapping"  # noqa: S101 - packaging invariant
    return data


@cache
def language_file(code: str) -> Mapping[str, str] | None:
    """The strings of ``<code>.yml`` (flattened keys), or None when there is no such file. The
    ``unit:`` section is not a string: :func:`grammar` reads it."""
    data = _parsed(code)
    if data is None:
        return None
    return dict(_flatten({k: v for k, v in data.items() if k != UNIT_SECTION}))


def base_strings() -> Mapping[str, str]:
    strings = language_file(BASE)
    assert strings is not None, "en.yml ships with the package"  # noqa: S101 - packaging invariant
    return strings


def available() -> tuple[str, ...]:
    """Languages with a message file, e.g. ``("de", "en")``."""
    return tuple(sorted(p.stem for p in FOLDER.glob("*.yml")))


def _candidates(language: str) -> list[str]:
    """``pt-BR`` → ``["pt-BR", "pt"]``: the most specific file first."""
    parts = language.split("-")
    return ["-".join(parts[:n]) for n in range(len(parts), 0, -1)]


def translated(language: str) -> dict[str, str]:
    """Every string the files for ``language`` give (regional file over the base language's)."""
    found: dict[str, str] = {}
    for code in reversed(_candidates(language)):
        found.update(language_file(code) or {})
    return found


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _same(text: str) -> str:
    return text


def fill(template: str, params: Mapping[str, str], escape: Callable[[str], str] = _same) -> str:
    """``template`` with each ``{name}`` replaced by ``params[name]`` (inserted as given) and
    the text between them passed through ``escape``. A missing parameter is a KeyError: a
    template that forgets one fails the build rather than printing ``{name}``."""
    out: list[str] = []
    position = 0
    for match in PLACEHOLDER.finditer(template):
        out += [escape(template[position : match.start()]), params[match.group(1)]]
        position = match.end()
    out.append(escape(template[position:]))
    return "".join(out)


@dataclass(frozen=True)
class Messages:
    """Every key of the English file, in ``language``, with the catalogue's overrides and its unit
    filled in: finished text, but for the placeholders each string's filler fills."""

    language: str
    strings: Mapping[str, str]
    #: Keys for which English was used: no file of the language has them, and no override.
    missing: tuple[str, ...] = field(default=())

    def __call__(self, key: str, **params: object) -> str:
        """The string as plain text, placeholders filled."""
        return fill(self.strings[key], {k: str(v) for k, v in params.items()})

    def group(self, prefix: str) -> dict[str, str]:
        """The strings under ``prefix.`` with the prefix removed (``js`` → the script's strings)."""
        start = prefix + "."
        return {k.removeprefix(start): v for k, v in sorted(self.strings.items()) if k.startswith(start)}


def messages(language: str, overrides: Mapping[str, str] | None = None, unit: Unit | None = None) -> Messages:
    """The messages for ``language`` (a BCP 47 code as ``catalogue.yml`` writes it), with the
    catalogue's ``overrides`` and its ``unit`` (None: the language's own word) filled in."""
    base = base_strings()
    found = translated(language) if language != BASE else dict(base)
    overrides = overrides or {}
    words = grammar(language).words(unit)
    strings = {key: with_unit(overrides.get(key, found.get(key, english)), words) for key, english in base.items()}
    missing = tuple(sorted(k for k in base if k not in found and k not in overrides))
    return Messages(language, strings, missing)


def with_unit(template: str, words: Mapping[str, str]) -> str:
    """``template`` with the unit's placeholders replaced by ``words``; every other placeholder
    is left for the string's filler. The words hold no brace (validated), so none is added."""
    return PLACEHOLDER.sub(lambda match: words.get(match.group(1), match.group()), template)


# ---- the unit: what the catalogue calls its entries ----


class Unit(Protocol):
    """What a catalogue calls its entries: the catalogue model's ``unit`` or a language's own."""

    @property
    def singular(self) -> str: ...
    @property
    def plural(self) -> str: ...
    @property
    def gender(self) -> str | None: ...


@dataclass(frozen=True)
class Noun:
    """A language's own word for the unit (``trait``, ``Eigenschaft``)."""

    singular: str
    plural: str
    gender: str | None = None


#: The unit's placeholders in every language; the agreeing words come from its file.
UNIT_NAMES = ("unit", "units")
VOWEL, CONSONANT = "vowel", "consonant"


@dataclass(frozen=True)
class Grammar:
    """How a language's strings take the unit: its own word for it, and the words that change
    with it (each a placeholder): by the unit's gender (German "diesen Skill", "diese
    Fähigkeit") or by the sound it starts with (English "a skill", "an ability")."""

    default: Noun
    by_gender: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    by_sound: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: Beginnings spelt with a vowel but spoken with a consonant ("unit", "European"), and the reverse ("hour").
    consonant_sounds: tuple[str, ...] = ()
    vowel_sounds: tuple[str, ...] = ()

    @property
    def genders(self) -> tuple[str, ...]:
        """The genders a unit may have in this language (none: its words do not agree)."""
        return tuple(sorted({gender for forms in self.by_gender.values() for gender in forms}))

    def names(self) -> frozenset[str]:
        """Every placeholder the unit fills, lower-case and capitalised."""
        lower = (*UNIT_NAMES, *self.by_gender, *self.by_sound)
        return frozenset(name for word in lower for name in (word, _capital(word)))

    def words(self, unit: Unit | None = None) -> dict[str, str]:
        """Each placeholder's text for ``unit`` (None: the language's own word). A gender the
        language does not know (``check`` reports it) takes the default's, so words never fail."""
        unit = unit or self.default
        gender = unit.gender if unit.gender in self.genders else self.default.gender
        sound = self.sound(unit.singular)
        lower = {"unit": unit.singular, "units": unit.plural}
        lower |= {name: forms.get(gender or "", "") for name, forms in self.by_gender.items()}
        lower |= {name: forms[sound] for name, forms in self.by_sound.items()}
        return {name: text for word, value in lower.items() for name, text in _both(word, value)}

    def sound(self, word: str) -> str:
        """:data:`VOWEL` or :data:`CONSONANT`: how ``word`` starts when spoken, from its spelling."""
        start = word.casefold()
        if start.startswith(self.vowel_sounds):
            return VOWEL
        if start[:1] and start[:1] in "aeiou" and not start.startswith(self.consonant_sounds):
            return VOWEL
        return CONSONANT


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _both(name: str, value: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """``{name}`` and ``{Name}``: the word as it is, and capitalised (at the start of a sentence)."""
    return (name, value), (_capital(name), _capital(value))


def _unit_section(language: str) -> Mapping[str, Any]:
    """The ``unit:`` section of the most specific file of ``language`` that has one (English's
    when none has: its strings are then the English ones)."""
    for code in (*_candidates(language), BASE):
        section = (_parsed(code) or {}).get(UNIT_SECTION)
        if isinstance(section, Mapping):
            return section
    raise AssertionError("en.yml has a unit: section")  # pragma: no cover - packaging invariant


@cache
def grammar(language: str) -> Grammar:
    """How ``language`` takes the unit. The agreeing words of English's file apply too, under
    the language's own: a string a language lacks is shown in English and must still be filled."""
    own, english = _unit_section(language), _unit_section(BASE)
    noun = Noun(str(own["singular"]), str(own["plural"]), own.get("gender"))
    return Grammar(
        noun,
        by_gender={**english.get("by_gender", {}), **own.get("by_gender", {})},
        by_sound={**english.get("by_sound", {}), **own.get("by_sound", {})},
        consonant_sounds=tuple(own.get("consonant_sounds", english.get("consonant_sounds", ()))),
        vowel_sounds=tuple(own.get("vowel_sounds", english.get("vowel_sounds", ()))),
    )


def fillers(text: str, names: frozenset[str]) -> set[str]:
    """The placeholders of ``text`` that its filler fills: all but the unit's ``names``."""
    return placeholders(text) - names


def override_problems(overrides: Mapping[str, str], language: str = BASE) -> Iterator[tuple[str, str, bool]]:
    """``(key, message, at_key)`` for each override that names no string (at its key) or whose
    text changes the placeholders or has a stray brace (at its text). The unit's placeholders
    (in ``language``) may be used in any string."""
    base = base_strings()
    english, own = grammar(BASE).names(), grammar(language).names()
    for key, text in overrides.items():
        if key not in base:
            yield key, f"unknown message key {key!r}{_nearest(key, base)}", True
            continue
        wanted, given = fillers(base[key], english), fillers(text, own)
        if wanted != given:
            need = ", ".join(f"{{{p}}}" for p in sorted(wanted)) or "none"
            yield (
                key,
                f"placeholders must be exactly those of the English string ({need}), besides the unit's "
                "({unit}, {units}, {Unit}, {Units} and the words that agree with it)",
                False,
            )
        elif re.search(r"[{}]", PLACEHOLDER.sub("", text)):
            yield key, "a brace that is not part of a placeholder such as {title}: it would be printed as is", False


def translation_block(language: str, overrides: Mapping[str, str], *, every: bool = False) -> str:
    """A ``messages:`` block for ``catalogue.yml`` with the English text of every string
    ``language`` lacks (``every``: of all strings), for an author to translate."""
    base = base_strings()
    keys = sorted(base) if every else messages(language, overrides).missing
    if not keys:
        return ""
    head = (
        f"# Strings Traitbook writes itself, in English, for {language!r}: translate each text, keep\n"
        "# every {placeholder} as it is, and put the keys under messages: in catalogue.yml (merge them\n"
        "# into its messages: block if it has one: a YAML file holds one messages: key).\n"
    )
    body = yaml.safe_dump({"messages": {k: base[k] for k in keys}}, allow_unicode=True, sort_keys=False, width=10**6)
    return head + body


def _nearest(key: str, known: Mapping[str, str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""
