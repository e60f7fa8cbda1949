"""Completeness lint: the minimums a catalogue sets for itself in ``catalogue.yml``.

Separate from validation on purpose: validation says whether a catalogue *can* be built;
the lint says whether it is *finished*. ``check`` runs both; ``build`` only validates, so
authors can preview a draft.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from ..i18n import available, messages, translated
from ..i18n.search import search_words
from .cues import ChoiceItem, answer_cues, choice_items
from .load import Document
from .model import Minimums, MultipleSelect, Reflection, SingleChoice, Task, Trait, word_count
from .placeholders import catalogue_placeholders
from .problems import Problem
from .validate import Loaded


@dataclass(frozen=True)
class TraitStats:
    """What the lint measures, also printed by ``check --summary``."""

    id: str
    explanation_words: int
    scenario_words: int
    objectives: int
    takeaways: int
    behaviours: int
    practices: int
    pitfalls: int
    single: int
    single_with_scenario: int
    multiple: int
    reflection: int
    task: int
    reading: int
    related: int
    referenced_by: int
    terms: int
    references: int

    @property
    def exercises(self) -> int:
        return self.single + self.multiple + self.reflection + self.task


def trait_stats(trait: Trait, referenced_by: int) -> TraitStats:
    kinds = [type(e) for e in trait.exercises]
    return TraitStats(
        id=trait.id,
        explanation_words=sum(word_count(s.body) for s in trait.sections),
        scenario_words=word_count(trait.scenario.body) if trait.scenario else 0,
        objectives=len(trait.objectives),
        takeaways=len(trait.takeaways),
        behaviours=len(trait.behaviours),
        practices=len(trait.practices),
        pitfalls=len(trait.pitfalls),
        single=kinds.count(SingleChoice),
        single_with_scenario=sum(isinstance(e, SingleChoice) and e.scenario is not None for e in trait.exercises),
        multiple=kinds.count(MultipleSelect),
        reflection=kinds.count(Reflection),
        task=kinds.count(Task),
        reading=len(trait.reading),
        related=len(trait.related),
        referenced_by=referenced_by,
        terms=len(trait.terms),
        references=len(trait.references),
    )


def catalogue_stats(loaded: Loaded) -> list[TraitStats]:
    traits = loaded.catalogue.traits
    # How many traits list each one as related (each other trait counts once).
    referenced = Counter(r for t in traits for r in {rel.id for rel in t.related})
    return [trait_stats(t, referenced[t.id]) for t in traits]


# (field of Minimums and TraitStats, path in the trait file, what to call it in a message)
_COUNTS = (
    ("objectives", "objectives", "objectives"),
    ("takeaways", "takeaways", "takeaways"),
    ("behaviours", "behaviours", "behaviours"),
    ("practices", "practices", "practices"),
    ("pitfalls", "pitfalls", "pitfalls"),
    ("related", "related", "related traits"),
    ("terms", "terms", "glossary terms"),
    ("references", "references", "framework references"),
    ("exercises", "exercises", "exercises"),
    ("single_choice_with_scenario", "exercises", "single-choice questions with a scenario"),
    ("multiple_select", "exercises", "multiple-select questions"),
    ("reflection", "exercises", "reflection prompts"),
    ("tasks", "exercises", "constructed tasks"),
    ("further_reading", "reading", "further-reading entries"),
)
_STAT_FOR = {
    "multiple_select": "multiple",
    "single_choice_with_scenario": "single_with_scenario",
    "tasks": "task",
    "further_reading": "reading",
}


def lint(loaded: Loaded) -> list[Problem]:
    """Every place the catalogue falls short of its own minimums."""
    rules = loaded.catalogue.site.minimums
    problems: list[Problem] = []
    for stats in catalogue_stats(loaded):
        trait = loaded.catalogue.trait(stats.id)
        doc = loaded.trait_docs[stats.id]
        problems += _trait_minimums(rules, stats, doc)
        problems += _feedback_words(rules, trait, doc)
        if rules.reciprocal_related:
            problems += _reciprocal(loaded, trait, doc)
        if rules.reflection_support:
            problems += _reflection_support(trait, doc)
        if rules.analytic_rubrics:
            problems += _analytic_rubrics(trait, doc)
    problems += _glossary(loaded, rules)
    if rules.traits_in_paths:
        problems += _traits_in_paths(loaded)
    if rules.searchable_terms:
        problems += _searchable(loaded)
    problems += _answer_cues(loaded, rules)
    if rules.placeholders:
        problems += catalogue_placeholders(loaded)
    if rules.translated:
        problems += _untranslated(loaded)
    return problems


#: How many missing message keys a problem names.
_SHOWN_KEYS = 6


def _untranslated(loaded: Loaded) -> Iterator[Problem]:
    """Strings Traitbook writes itself that the catalogue's language lacks (English is shown)."""
    site = loaded.catalogue.site
    missing = messages(site.language, site.messages, site.unit).missing
    if not missing:
        return
    keys = ", ".join(missing[:_SHOWN_KEYS]) + (", …" if len(missing) > _SHOWN_KEYS else "")
    remedy = (
        "the messages command prints them as a block to translate under messages: here "
        "(or set minimums.translated: false to show them in English)"
    )
    if not translated(site.language):
        what = f"no message file for language {site.language!r} ({', '.join(available())} exist)"
    else:
        what = f"the {site.language!r} message file lacks strings"
    yield loaded.site_doc.problem(
        ("language",), f"{what}: {len(missing)} strings would be shown in English ({keys}); {remedy}"
    )


def _searchable(loaded: Loaded) -> Iterator[Problem]:
    """Keywords and glossary terms made only of stop words or punctuation: the site search drops
    every word of them (``search.py``), so a reader typing them finds nothing."""
    words = search_words(loaded.catalogue.site.language)
    site, doc = loaded.catalogue.site, loaded.site_doc
    for i, term in enumerate(site.glossary):
        for path, text in (
            (("glossary", i, "term"), term.term),
            *((("glossary", i, "aliases", j), alias) for j, alias in enumerate(term.aliases)),
        ):
            if not words(text):
                yield doc.problem(path, _UNSEARCHABLE.format(text=text))
    for trait in loaded.catalogue.traits:
        for j, keyword in enumerate(trait.keywords):
            if not words(keyword):
                yield loaded.trait_docs[trait.id].problem(("keywords", j), _UNSEARCHABLE.format(text=keyword))


_UNSEARCHABLE = (
    "search cannot find {text!r}: every word of it is a stop word or punctuation, which the site search "
    "leaves out (searchable_terms is on); add a word readers would type"
)


def _trait_minimums(rules: Minimums, stats: TraitStats, doc: Document) -> Iterator[Problem]:
    for field, path, label in _COUNTS:
        need = getattr(rules, field)
        have = getattr(stats, _STAT_FOR.get(field, field))
        if have < need:
            yield doc.problem((path,), f"needs at least {need} {label}, has {have}")
    if stats.explanation_words < rules.explanation_words:
        yield doc.problem(
            ("sections",),
            f"explanation needs at least {rules.explanation_words} words, has {stats.explanation_words}",
        )
    if rules.scenario_words is not None:
        low, high = rules.scenario_words.min, rules.scenario_words.max
        words = stats.scenario_words
        where = ("scenario", "body") if words else ("scenario",)
        if words == 0:
            yield doc.problem(where, "a scenario is required")
        elif words < low or (high is not None and words > high):
            yield doc.problem(where, f"scenario should have {low}–{high or '∞'} words, has {words}")


def _feedback_words(rules: Minimums, trait: Trait, doc: Document) -> Iterator[Problem]:
    if not rules.feedback_words:
        return
    for i, exercise in enumerate(trait.exercises):
        if isinstance(exercise, (Reflection, Task)):
            continue
        for j, option in enumerate(exercise.options):
            words = word_count(option.feedback)
            if words < rules.feedback_words:
                yield doc.problem(
                    ("exercises", i, "options", j, "feedback"),
                    f"feedback should explain why in at least {rules.feedback_words} words, has {words}",
                )


def _reciprocal(loaded: Loaded, trait: Trait, doc: Document) -> Iterator[Problem]:
    for i, rel in enumerate(trait.related):
        other = loaded.catalogue.trait(rel.id)
        if not any(r.id == trait.id for r in other.related):
            yield doc.problem(
                ("related", i, "id"),
                f"{rel.id!r} does not list {trait.id!r} back; add it to {loaded.trait_docs[rel.id].file} "
                "(reciprocal_related is on)",
            )


def _glossary(loaded: Loaded, rules: Minimums) -> Iterator[Problem]:
    site = loaded.catalogue.site
    doc = loaded.site_doc
    if len(site.glossary) < rules.glossary_terms:
        yield doc.problem(("glossary",), f"needs at least {rules.glossary_terms} terms, has {len(site.glossary)}")
    if rules.no_orphan_terms:
        used = {term for t in loaded.catalogue.traits for term in t.terms}
        for i, term in enumerate(site.glossary):
            if term.id not in used:
                yield doc.problem(
                    ("glossary", i, "id"), f"term {term.id!r} is used by no trait (no_orphan_terms is on)"
                )


def _traits_in_paths(loaded: Loaded) -> Iterator[Problem]:
    on_a_path = {step.trait for path in loaded.catalogue.site.paths for step in path.steps}
    for trait in loaded.catalogue.traits:
        if trait.id not in on_a_path:
            yield loaded.trait_docs[trait.id].problem(
                ("id",), f"trait {trait.id!r} is a step of no path in catalogue.yml (traits_in_paths is on)"
            )


def _reflection_support(trait: Trait, doc: Document) -> Iterator[Problem]:
    for i, exercise in enumerate(trait.exercises):
        if not isinstance(exercise, Reflection):
            continue
        for field, what in (
            ("newcomers", "a route for readers without that experience"),
            ("example", "an example answer"),
        ):
            if getattr(exercise, field) is None:
                yield doc.problem(("exercises", i), f"reflection needs {field}: {what} (reflection_support is on)")


def _analytic_rubrics(trait: Trait, doc: Document) -> Iterator[Problem]:
    for i, exercise in enumerate(trait.exercises):
        if not isinstance(exercise, Task):
            continue
        for j, criterion in enumerate(exercise.criteria):
            if isinstance(criterion, str):
                yield doc.problem(
                    ("exercises", i, "criteria", j),
                    "write this criterion as a rubric row (criterion, meets, exceeds): analytic_rubrics is on",
                )


#: How many items a cue message points to, worst first.
_EXAMPLES = 3


def _answer_cues(loaded: Loaded, rules: Minimums) -> Iterator[Problem]:
    if rules.answer_cues is None:
        return
    doc = loaded.site_doc
    for cue in answer_cues(choice_items(loaded.catalogue), rules.answer_cues):
        if cue.option is not None:
            item = cue.examples[0]
            path = ("exercises", item.index, "options", cue.option, "text")
            yield loaded.trait_docs[item.trait].problem(path, f"answer cue: {cue.message}")
            continue
        where = "; ".join(_item_place(loaded, item) for item in cue.examples[:_EXAMPLES])
        more = f" (e.g. {where})" if where else ""
        yield doc.problem(("minimums", "answer_cues", cue.setting), f"answer cue: {cue.message}{more}")


def _item_place(loaded: Loaded, item: ChoiceItem) -> str:
    doc = loaded.trait_docs[item.trait]
    line, _ = doc.locate(("exercises", item.index))
    exercise = loaded.catalogue.trait(item.trait).exercises[item.index]
    return f"{doc.file}:{line} {exercise.id}"
