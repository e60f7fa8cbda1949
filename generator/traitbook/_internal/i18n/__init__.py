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
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

FOLDER = Path(__file__).parent
BASE = "en"
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _flatten(data: Mapping[object, object], prefix: str = "") -> Iterator[tuple[str, str]]:
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _flatten(value, name + ".")
        else:
            yield name, str(value)


@cache
def language_file(code: str) -> Mapping[str, str] | None:
    """The strings of ``<code>.yml`` (flattened keys), or None when there is no such file."""
    path = FOLDER / f"{code}.yml"
    if not re.fullmatch(r"[A-Za-z0-9-]+", code) or not path.is_file():
        return None
    return dict(_flatten(yaml.safe_load(path.read_text(encoding="utf-8")) or {}))


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
    """Every key of the English file, in ``language``, with the catalogue's overrides."""

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


def messages(language: str, overrides: Mapping[str, str] | None = None) -> Messages:
    """The messages for ``language`` (a BCP 47 code as ``catalogue.yml`` writes it)."""
    base = base_strings()
    found = translated(language) if language != BASE else dict(base)
    overrides = overrides or {}
    strings = {key: overrides.get(key, found.get(key, english)) for key, english in base.items()}
    missing = tuple(sorted(k for k in base if k not in found and k not in overrides))
    return Messages(language, strings, missing)


def override_problems(overrides: Mapping[str, str]) -> Iterator[tuple[str, str, bool]]:
    """``(key, message, at_key)`` for each override that names no string (at its key) or whose
    text changes the placeholders or has a stray brace (at its text)."""
    base = base_strings()
    for key, text in overrides.items():
        if key not in base:
            yield key, f"unknown message key {key!r}{_nearest(key, base)}", True
            continue
        wanted, given = placeholders(base[key]), placeholders(text)
        if wanted != given:
            need = ", ".join(f"{{{p}}}" for p in sorted(wanted)) or "none"
            yield key, f"placeholders must be exactly those of the English string ({need})", False
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
