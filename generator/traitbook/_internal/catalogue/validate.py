"""Stage 2: loaded documents → typed :class:`Catalogue`, plus catalogue-wide rules.

Every problem of every file is collected before anything is raised, so an author fixes
a whole catalogue in one round trip instead of one error per run.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from ..i18n import BASE, grammar, override_problems
from .cache import ModelCache
from .load import Document, PathKey, ReadError, load_document, read_source, released
from .model import (
    LANGUAGE_TAG,
    Catalogue,
    Exercise,
    MultipleSelect,
    Reading,
    Reference,
    Reflection,
    Related,
    SingleChoice,
    Site,
    Slug,
    Task,
    Trait,
    share_fields_sets,
)
from .problems import CatalogueError, Problem, display_path
from .safety import MarkdownError
from .scale import scale
from .syntax import quote_text

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

CATALOGUE_FILE = "catalogue.yml"
TRAITS_DIR = "traits"


@dataclass(frozen=True)
class Loaded:
    """The validated catalogue and the documents it came from (to locate later problems)."""

    catalogue: Catalogue
    site_doc: Document
    trait_docs: dict[str, Document]


def _walk_loc(data: Any, loc: tuple[str | int, ...]) -> PathKey:
    """The document path of a pydantic error location.

    Pydantic inserts the discriminator value of a tagged union (``exercises.0.single.options``);
    such parts are not keys of the data, so they are dropped.
    """
    path: list[str | int] = []
    node = data
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if isinstance(node, dict) and isinstance(part, str) and part not in node and not last:
            continue
        path.append(part)
        if isinstance(node, dict) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(path)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"text ({value!r})"


def _message(error: Any, model: type[BaseModel], path: PathKey) -> tuple[PathKey, str]:  # noqa: PLR0912
    """A human message for one pydantic error, and the path to report it at: a missing key at
    its mapping, an unknown key at itself (so an annotation lands on the line that added it)."""
    kind = error["type"]
    value = error.get("input")
    if kind == "missing":
        return path[:-1], f"{path[-1]} is required"
    if kind == "extra_forbidden":
        key = str(path[-1])
        known = _known_keys(model, path[:-1])
        close = difflib.get_close_matches(key, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; expected one of: {', '.join(known)}"
        return path, f"unknown key {key!r}{hint}"
    if kind == "string_type":
        hint = " (quote it if you meant text)" if not isinstance(value, (list, dict)) else _colon_hint(value)
        return path, f"must be text, not {_describe(value)}{hint}"
    if kind == "bool_type":
        hint = " (write true or false; YAML 1.2 reads yes/no/on/off as text)" if isinstance(value, str) else ""
        return path, f"must be true or false, not {_describe(value)}{hint}"
    if kind in ("list_type", "tuple_type"):
        return path, f"must be a list, not {_describe(value)}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return path, f"must be a mapping of keys to values, not {_describe(value)}"
    if kind == "int_type":
        return path, f"must be a whole number, not {_describe(value)}"
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        if pattern == LANGUAGE_TAG:
            return path, language_problem(value) or ""
        if "a-z0-9" in pattern:
            return path, f"{value!r} is not a valid id: use lower-case letters, digits and single hyphens"
        return path, f"{value!r} does not match the expected format {pattern}"
    if kind == "string_too_long":
        return path, f"too long ({len(value)} characters, at most {error['ctx']['max_length']})"
    if kind == "too_short":
        return path, f"needs at least {error['ctx']['min_length']} item(s)"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return path, "kind must be one of: single, multiple, reflection, task"
    if kind == "value_error":
        return path, str(error["ctx"]["error"])
    return path, error["msg"]


def _colon_hint(value: Any) -> str:
    """Text with ': ' in it, unquoted, is a mapping of one key (``- Check the chart: pulse``):
    say so, with the text as it was meant."""
    if not isinstance(value, dict) or len(value) != 1:
        return ""
    ((key, rest),) = value.items()
    if not isinstance(key, str) or not isinstance(rest, str | None):
        return ""
    meant = f"{key}: {rest}" if rest else f"{key}:"
    why = f"the ': ' after {key!r} makes YAML read a key and its value"
    return f" ({why}; put the whole text in quotes: {quote_text(meant)})"


def language_problem(value: str) -> str | None:
    """Why ``value`` cannot be a ``language`` (with the tag probably meant); or None."""
    if re.fullmatch(LANGUAGE_TAG, value):
        return None
    return f"{value!r} is not a language tag (BCP 47: 'en', 'de-AT', 'zh-Hant'){_tag_hint(value)}"


def _tag_hint(value: str) -> str:
    """The tag ``value`` was probably meant to be (``fr_FR`` → ``fr-FR``, ``FR`` → ``fr``)."""
    parts = [p for p in re.split(r"[-_\s]+", value.strip()) if p]
    if not parts:
        return ""
    cased = [parts[0].lower()] + [
        p.upper() if len(p) == 2 else p.title() if len(p) == 4 and p.isalpha() else p.lower() for p in parts[1:]
    ]
    tag = "-".join(cased)
    return f"; did you mean {tag!r}?" if re.fullmatch(LANGUAGE_TAG, tag) else ""


def site_words(path: Path, file: str) -> tuple[str | None, dict[str, str]]:
    """The ``language`` and the text ``messages`` catalogue.yml holds, read leniently: a
    translator can start before every problem of the catalogue is fixed."""
    try:
        doc = load_document(path, file, within=path.parent.resolve())  # as load_catalogue reads it
    except ReadError as exc:
        doc = exc.document
    data = doc.data if isinstance(doc.data, dict) else {}
    language = data.get("language", "en")
    return (language if isinstance(language, str) else None), SiteParts.of(doc, valid=False).messages


def id_problem(value: str) -> str | None:
    """Why ``value`` cannot be an id (the model's ``Slug``), in the words of a check; or None."""
    try:
        _SLUG.validate_python(value, strict=True)
    except ValidationError as exc:
        return "; ".join(_message(error, Trait, ("id",))[1] for error in exc.errors())
    return None


def _known_keys(model: type[BaseModel], path: PathKey) -> list[str]:
    """Field names of the sub-model at ``path`` (for "did you mean" hints)."""
    current: type[BaseModel] | None = model
    for part in path:
        if current is None:
            return []
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        if field is None:
            return []
        current = _inner_model(field.annotation)
    return list(current.model_fields) if current else []


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _validate_model(model: type[M], doc: Document) -> tuple[M | None, list[Problem]]:
    try:
        return model.model_validate(doc.data, strict=True), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            path = _walk_loc(doc.data, tuple(error["loc"]))
            cause = error.get("ctx", {}).get("error")
            if isinstance(cause, MarkdownError):  # each finding at its own line inside the text
                problems += [doc.problem_in_text(path, f.message, f.offset, error["input"]) for f in cause.findings]
                continue
            report_at, message = _message(error, model, path)
            problems.append(doc.problem(report_at, message, at_key=error["type"] == "extra_forbidden"))
        return None, problems


def load_catalogue(root: Path, project_root: Path | None = None, cache: ModelCache | None = None) -> Loaded:
    """Load and validate ``root/catalogue.yml`` and ``root/traits/*.yml``.

    With a ``cache``, a trait file whose bytes were valid before is not parsed again; the
    caller saves the cache once the whole run has succeeded.
    """
    shown_root = project_root or root.parent
    inside = root.resolve()

    def name(path: Path) -> str:
        return display_path(path, shown_root)

    site = _read_site(root / CATALOGUE_FILE, name(root / CATALOGUE_FILE), inside)
    found_files = (root / TRAITS_DIR).glob("*.yml") if (root / TRAITS_DIR).is_dir() else []
    # Hidden files (an editor's lock or backup file) are not trait files, as MkDocs skips them in docs/.
    trait_files = sorted(p for p in found_files if not p.name.startswith("."))
    traits, parts, problems = _read_traits(trait_files, name, cache, inside)
    problems += site.problems
    problems += (Problem(name(path), 1, 1, "", why) for path, why in _unread(root / TRAITS_DIR))
    if not trait_files:
        problems.append(Problem(name(root / TRAITS_DIR), 1, 1, "", "no trait files (*.yml) found"))
    # Ids of every trait *file*, valid or not: a broken file must not turn every link to it
    # into an error as well (its id must equal its file name, checked above).
    problems += catalogue_rules(site.parts, parts, {p.stem for p in trait_files})
    if site.parts is not None and site.doc is not None:
        problems += path_rules(site.parts, site.doc, {p.stem for p in trait_files})
    if problems:
        raise CatalogueError(problems)
    if site.model is None or site.doc is None:  # pragma: no cover - a problem was recorded above
        raise CatalogueError([Problem(CATALOGUE_FILE, 1, 1, "", "catalogue.yml could not be read")])
    ordered = sorted(traits, key=lambda pair: pair[0].id)
    return Loaded(
        catalogue=Catalogue(site=site.model, traits=tuple(t for t, _ in ordered)),
        site_doc=site.doc,
        trait_docs={t.id: d for t, d in ordered},
    )


@dataclass(frozen=True)
class _SiteRead:
    """catalogue.yml as far as it could be read: its model if valid, its document (also one
    with problems of its own, for the rules across files), and its problems."""

    model: Site | None
    doc: Document | None
    parts: SiteParts | None
    problems: list[Problem]


def _read_site(path: Path, file: str, inside: Path) -> _SiteRead:
    try:
        doc = load_document(path, file, within=inside)
    except ReadError as exc:
        parts = SiteParts.of(exc.document, valid=False)  # read, with problems: its ids still count
        return _SiteRead(None, exc.document, parts, [*exc.problems, *site_rules(parts, exc.document)])
    except CatalogueError as exc:
        return _SiteRead(None, None, None, exc.problems)
    site, problems = _validate_model(Site, doc)
    parts = SiteParts.of(doc, valid=site is not None)
    problems += site_rules(parts, doc)
    if site is not None:
        problems += scale_rules(site, doc)
    return _SiteRead(site, doc, parts, problems)


def _read_traits(
    files: list[Path], name: Callable[[Path], str], cache: ModelCache | None, inside: Path
) -> tuple[list[tuple[Trait, Document]], list[TraitParts], list[Problem]]:
    """Each file is parsed, validated and released before the next one is read, so memory
    holds one file's positions at a time, not the whole catalogue's."""
    problems: list[Problem] = []
    traits: list[tuple[Trait, Document]] = []
    parts: list[TraitParts] = []
    shared: dict[frozenset[str], set[str]] = {}
    for path in files:
        try:
            trait, doc, found = _load_trait(path, name(path), cache, inside)
        except CatalogueError as exc:
            problems += exc.problems
            if isinstance(exc, ReadError):  # read, with problems of its own: check the rest too
                parts.append(TraitParts.salvage(exc.document, path.stem))
                problems += _file_name_rule(exc.document, None, path.stem)
            continue
        problems += found
        if trait is not None:
            share_fields_sets(trait, shared)
            traits.append((trait, doc))
            parts.append(TraitParts.of(trait, doc))
        else:
            # Check what did validate too, so one run reports every problem of the file.
            parts.append(TraitParts.salvage(doc, path.stem))
        problems += _file_name_rule(doc, trait, path.stem)
    return traits, parts, problems


def _file_name_rule(doc: Document, trait: Trait | None, stem: str) -> Iterator[Problem]:
    """A trait's id is its file's name (read from the data when the model failed)."""
    written = trait.id if trait is not None else doc.data.get("id") if isinstance(doc.data, dict) else None
    if isinstance(written, str) and written != stem and id_problem(written) is None:
        yield doc.problem(("id",), f"id {written!r} must match the file name {stem!r}")


def _unread(traits_dir: Path) -> Iterator[tuple[Path, str]]:
    """What in traits/ looks like a trait file but would not be read: it must not vanish from
    the site without a word. Hidden files and other kinds of file (a README) are left alone."""
    if not traits_dir.is_dir():
        return
    for path in sorted(traits_dir.iterdir()):
        if path.name.startswith("."):
            continue
        if path.is_dir() and any(p.suffix.lower() in (".yml", ".yaml") for p in path.rglob("*")):
            yield path, "trait files in sub-folders are not read: move them into traits/ (drafts: outside catalogue/)"
        elif path.is_file() and path.suffix.lower() in (".yml", ".yaml") and path.suffix != ".yml":
            yield path, f"trait files end in .yml: rename it to {path.stem}.yml"


def _load_trait(
    path: Path, file: str, cache: ModelCache | None, within: Path
) -> tuple[Trait | None, Document, list[Problem]]:
    """One trait file: its model (None if invalid), its document and its problems."""
    raw = read_source(path, file, within)
    cached = cache.get(raw) if cache is not None else None
    if cached is not None:
        return cached, released(path, file), []
    doc = load_document(path, file, raw)
    trait, problems = _validate_model(Trait, doc)
    if trait is not None:
        doc.release()  # the model holds the data now; positions are re-read if ever needed
        if cache is not None:
            cache.remember(raw, trait)
    return trait, doc, problems


Indexed = list[tuple[int, T]]


@dataclass(frozen=True)
class TraitParts:
    """The parts of a trait the cross-file rules read, each item with its index in the file.

    Built from a valid :class:`Trait`, or salvaged item by item from a file whose model failed,
    so a type error in one exercise does not hide a broken link elsewhere in the same file.
    """

    doc: Document
    id: str
    category: str | None
    related: Indexed[Related]
    terms: Indexed[str]
    references: Indexed[Reference]
    reading: Indexed[Reading]
    exercises: Indexed[SingleChoice | MultipleSelect | Reflection | Task]

    @classmethod
    def of(cls, trait: Trait, doc: Document) -> TraitParts:
        return cls(
            doc, trait.id, trait.category,
            list(enumerate(trait.related)), list(enumerate(trait.terms)),
            list(enumerate(trait.references)), list(enumerate(trait.reading)),
            list(enumerate(trait.exercises)),
        )  # fmt: skip

    @classmethod
    def salvage(cls, doc: Document, stem: str) -> TraitParts:
        data = doc.data if isinstance(doc.data, dict) else {}
        category = data.get("category")
        return cls(
            doc,
            stem,
            category if isinstance(category, str) else None,
            _valid_items(_RELATED, data.get("related")),
            _valid_items(_SLUG, data.get("terms")),
            _valid_items(_REFERENCE, data.get("references")),
            _valid_items(_READING, data.get("reading")),
            _valid_items(_EXERCISE, data.get("exercises")),
        )


_RELATED = TypeAdapter(Related)
_SLUG: TypeAdapter[str] = TypeAdapter(Slug)
_REFERENCE = TypeAdapter(Reference)
_READING = TypeAdapter(Reading)
_EXERCISE: TypeAdapter[SingleChoice | MultipleSelect | Reflection | Task] = TypeAdapter(Exercise)


def _valid_items(adapter: TypeAdapter[T], items: Any) -> Indexed[T]:
    if not isinstance(items, list):
        return []
    out: Indexed[T] = []
    for index, item in enumerate(items):
        try:
            out.append((index, adapter.validate_python(item, strict=True)))
        except ValidationError:
            continue
    return out


def _fold(identifier: str) -> str:
    """Ids that look the same to a person (case, Unicode normalisation) count as the same."""
    return unicodedata.normalize("NFKC", identifier).casefold()


def _duplicates(items: Iterable[tuple[str, PathKey]], doc: Document, what: str) -> Iterator[Problem]:
    seen: dict[str, PathKey] = {}
    for identifier, path in items:
        key = _fold(identifier)
        if key in seen:
            line, _ = doc.locate(seen[key])
            yield doc.problem(path, f"duplicate {what} id {identifier!r} (first at line {line})")
        else:
            seen[key] = path


#: The lists of catalogue.yml whose items have ids, and what a message calls one.
_SITE_LISTS = (
    ("categories", "category"),
    ("glossary", "glossary term"),
    ("frameworks", "framework"),
    ("sources", "source"),
    ("paths", "path"),
)


@dataclass(frozen=True)
class SiteParts:
    """What the cross-file rules read of catalogue.yml, taken from its data whether or not the
    whole file validated: an error in one field must not hide a broken link in a trait file
    (every item with a text ``id`` counts as declared, so a category with a wrong title does
    not turn each trait of it into an error too)."""

    ids: dict[str, Indexed[str] | None]  # list name -> (index, id); None: not known
    messages: dict[str, str]
    steps: list[tuple[int, int, str]]  # (path index, step index, trait id)
    language: str = BASE  # the language, when it is a valid tag (English's rules otherwise)
    unit: dict[str, Any] | None = None  # the unit mapping as written

    @classmethod
    def of(cls, doc: Document, *, valid: bool) -> SiteParts:
        """``valid``: the file passed its model. When it did not, a list that is not there (a
        misspelt key) or not a list, and an empty list of categories (itself an error), are
        not known rather than empty: every trait linking to them would be blamed otherwise."""
        data = doc.data if isinstance(doc.data, dict) else {}
        ids = {
            name: None
            if not valid and (not isinstance(data.get(name), list) or (name == "categories" and not data[name]))
            else _ids(data.get(name))
            for name, _ in _SITE_LISTS
        }
        messages = data.get("messages")
        texts = (
            {k: v for k, v in messages.items() if isinstance(k, str) and isinstance(v, str)}
            if isinstance(messages, dict)
            else {}
        )
        steps = [
            (i, j, step["trait"])
            for i, path in enumerate(_dicts(data.get("paths")))
            for j, step in enumerate(_dicts(path.get("steps")))
            if isinstance(step.get("trait"), str)
        ]
        language = data.get("language", BASE)
        unit = data.get("unit")
        return cls(
            ids,
            texts,
            steps,
            language if isinstance(language, str) and language_problem(language) is None else BASE,
            unit if isinstance(unit, dict) else None,
        )

    def known(self, name: str) -> set[str] | None:
        listed = self.ids[name]
        return None if listed is None else {identifier for _, identifier in listed}


def _dicts(items: Any) -> list[dict[str, Any]]:
    """The items of a list, with anything that is not a mapping as an empty one (indexes kept)."""
    return [item if isinstance(item, dict) else {} for item in items] if isinstance(items, list) else []


def _ids(items: Any) -> Indexed[str]:
    return [(i, item["id"]) for i, item in enumerate(_dicts(items)) if isinstance(item.get("id"), str)]


def site_rules(parts: SiteParts, doc: Document) -> Iterator[Problem]:
    """Rules inside catalogue.yml that hold item by item: unique ids per list, valid overrides,
    a unit gender the language knows."""
    for name, what in _SITE_LISTS:
        listed = parts.ids[name] or []
        yield from _duplicates(((ident, (name, i, "id")) for i, ident in listed), doc, what)
    for key, message, at_key in override_problems(parts.messages, parts.language):
        yield doc.problem(("messages", key), message, at_key=at_key)
    if parts.unit is not None:
        for path, message in unit_problems(parts.unit, parts.language):
            yield doc.problem(path, message)


def unit_problems(unit: dict[str, Any], language: str) -> Iterator[tuple[PathKey, str]]:
    """The unit's gender against the genders ``language``'s message file knows: required where
    its words agree with the unit (German), refused where they do not (English). A gender that
    is not text is the model's to report."""
    genders = grammar(language).genders
    gender = unit.get("gender")
    choices = ", ".join(genders)
    if not genders and isinstance(gender, str):
        yield (
            ("unit", "gender"),
            f"{gender!r} is not a gender language {language!r} knows: it has none (its words do not change "
            "with the unit), so remove gender",
        )
    elif genders and "gender" not in unit:
        yield ("unit",), f"gender is required in language {language!r}, whose words agree with it; one of: {choices}"
    elif genders and isinstance(gender, str) and gender not in genders:
        yield ("unit", "gender"), f"{gender!r} is not a gender language {language!r} knows; use one of: {choices}"


def scale_rules(site: Site, doc: Document) -> Iterator[Problem]:
    """Rules that need the whole of a valid catalogue.yml: path targets on its scale, anchors."""
    levels = scale(site)
    frameworks = {f.id for f in site.frameworks}
    for i, path in enumerate(site.paths):
        for j, step in enumerate(path.steps):
            if step.target > len(levels):
                yield doc.problem(
                    ("paths", i, "steps", j, "target"),
                    f"target {step.target} is above the top of the self-assessment scale "
                    f"({len(levels)}, {levels[-1].label!r})",
                )
        for j, anchor in enumerate(path.anchors):
            if anchor.framework not in frameworks:
                yield doc.problem(
                    ("paths", i, "anchors", j, "framework"),
                    f"unknown framework {anchor.framework!r}; declared: {_listing(frameworks)}",
                )


def path_rules(parts: SiteParts, doc: Document, trait_ids: set[str]) -> Iterator[Problem]:
    """Every step of a path names a trait that exists, once per path."""
    seen: dict[int, set[str]] = {}
    for i, j, trait in parts.steps:
        where = ("paths", i, "steps", j, "trait")
        earlier = seen.setdefault(i, set())
        if trait not in trait_ids:
            yield doc.problem(where, f"unknown trait {trait!r}{_suggest(trait, trait_ids)}")
        elif trait in earlier:
            yield doc.problem(where, f"trait {trait!r} is a step of this path twice")
        earlier.add(trait)


def _listing(ids: Iterable[str]) -> str:
    return ", ".join(sorted(ids)) or "(none)"


def catalogue_rules(site: SiteParts | None, traits: list[TraitParts], trait_ids: set[str]) -> Iterator[Problem]:
    """Rules across files: ids unique, references resolve, exercises well formed.

    Rules that need catalogue.yml (categories, terms, frameworks) are skipped when it cannot
    be read at all; its own problems are reported instead.
    """
    first_doc: dict[str, Document] = {}
    for parts in traits:
        folded = _fold(parts.id)
        if folded in first_doc:
            yield parts.doc.problem(("id",), f"duplicate trait id {parts.id!r} (also in {first_doc[folded].file})")
        else:
            first_doc[folded] = parts.doc
        yield from _related_rules(parts, trait_ids)
        yield from _exercise_rules(parts)
        if site is not None:
            yield from _site_links(parts, site)


def _suggest(value: str, known: set[str]) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else f"; known: {_listing(known)}"


def _related_rules(parts: TraitParts, trait_ids: set[str]) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, rel in parts.related:
        path = ("related", i, "id")
        if rel.id == parts.id:
            yield parts.doc.problem(path, "a trait cannot be related to itself")
        elif rel.id not in trait_ids:
            yield parts.doc.problem(path, f"unknown trait {rel.id!r}{_suggest(rel.id, trait_ids - {parts.id})}")
        elif rel.id in seen:
            yield parts.doc.problem(path, f"trait {rel.id!r} is listed twice")
        seen.add(rel.id)


def _site_links(parts: TraitParts, site: SiteParts) -> Iterator[Problem]:
    """Links from a trait into catalogue.yml. A list catalogue.yml does not make known (see
    :meth:`SiteParts.of`) is not checked: its own problem is reported instead."""
    doc = parts.doc
    categories = site.known("categories")
    terms = site.known("glossary")
    frameworks = site.known("frameworks")
    sources = site.known("sources")
    if categories is not None and parts.category is not None and parts.category not in categories:
        yield doc.problem(("category",), f"unknown category {parts.category!r}; declared: {_listing(categories)}")
    seen_terms: set[str] = set()
    for i, term in parts.terms:
        if terms is not None and term not in terms:
            yield doc.problem(
                ("terms", i), f"glossary term {term!r} is not defined in catalogue.yml{_suggest(term, terms)}"
            )
        elif term in seen_terms:
            yield doc.problem(("terms", i), f"glossary term {term!r} is listed twice")
        seen_terms.add(term)
    for i, ref in parts.references:
        if frameworks is not None and ref.framework not in frameworks:
            yield doc.problem(
                ("references", i, "framework"),
                f"unknown framework {ref.framework!r}; declared: {_listing(frameworks)}",
            )
    listed: set[str] = set()
    for i, reading in parts.reading:
        path = ("reading", i, "source")
        if sources is not None and reading.source not in sources:
            yield doc.problem(
                path,
                f"unknown source {reading.source!r} (declare it under sources in catalogue.yml)"
                f"{_suggest(reading.source, sources)}",
            )
        elif reading.source in listed:
            yield doc.problem(path, f"source {reading.source!r} is listed twice")
        listed.add(reading.source)


def _exercise_rules(parts: TraitParts) -> Iterator[Problem]:
    doc = parts.doc
    yield from _duplicates(((e.id, ("exercises", i, "id")) for i, e in parts.exercises), doc, "exercise")
    for i, exercise in parts.exercises:
        if isinstance(exercise, (Reflection, Task)):
            continue
        path: PathKey = ("exercises", i, "options")
        options = exercise.options
        if len(options) < 2:
            yield doc.problem(path, f"needs at least 2 options, has {len(options)}")
        seen: dict[str, int] = {}
        for j, option in enumerate(options):
            key = " ".join(option.text.split()).casefold()
            if key in seen:
                yield doc.problem((*path, j, "text"), f"same text as option {seen[key]}")
            seen.setdefault(key, j)
        correct = sum(o.correct for o in options)
        if isinstance(exercise, SingleChoice) and correct != 1:
            yield doc.problem(path, f"a single-choice question needs exactly 1 correct option, has {correct}")
        if isinstance(exercise, MultipleSelect) and correct == 0:
            yield doc.problem(path, "a multiple-select question needs at least 1 correct option")
