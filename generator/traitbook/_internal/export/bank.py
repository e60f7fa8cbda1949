"""The catalogue's exercises as a format-neutral question bank (no I/O).

One category per trait, in navigation order (:attr:`Plan.ordered_traits`), each holding the
trait's exercises in page order. Every text is HTML: catalogue Markdown goes through the site's
one sanitiser (:func:`markup.markdown.sanitised_html`), plain text is escaped. The only fixed words
the bank adds are the headings of the grader information, and they come from
:class:`ExportLabels`, which the caller fills from the site's language file.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Literal

import markdown as md

from ..catalogue.model import Criterion, MultipleSelect, Reflection, SingleChoice, Task, Trait
from ..errors import ExportError
from ..markup.markdown import make_converter, sanitised_html
from ..plan import NumberedExercise, Plan

Kind = Literal["single", "multiple", "essay"]

#: Words of the question (or prompt) in a question's name, after the trait title and number.
NAME_WORDS = 8

# Characters XML 1.0 cannot carry (C0 controls but tab, line feed and carriage return). YAML's
# double-quoted escapes can put them into a plain-text field; they are dropped from every format
# alike, so the three exports say the same.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class ExportLabels:
    """The few words the export writes itself (headings of the grader information)."""

    guidance: str = "Guidance"
    example: str = "Example answer"
    newcomers: str = "For newcomers"
    criteria: str = "Criteria"
    meets: str = "Meets:"
    exceeds: str = "Exceeds:"
    model_answer: str = "Model answer"


@dataclass(frozen=True)
class Choice:
    """An option: its text and feedback as HTML, and whether it is a key."""

    html: str
    correct: bool
    feedback_html: str


@dataclass(frozen=True)
class Question:
    """One exercise. ``ident`` is the exercise key ``<trait-id>/<exercise-id>``: stable across
    edits and reordering, so an LMS can recognise the question on a second import."""

    ident: str
    name: str
    kind: Kind
    scenario_html: str  # "" when the exercise has no scenario
    question_html: str  # the question of a choice exercise, the prompt of an essay
    choices: tuple[Choice, ...] = ()
    grader_info_html: str = ""  # essays only

    @property
    def text_html(self) -> str:
        """What the learner reads: the scenario, then the question or prompt."""
        return self.scenario_html + self.question_html


@dataclass(frozen=True)
class Category:
    """A trait: ``ident`` is its id, ``title`` its title (plain text)."""

    ident: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Bank:
    """``title`` is the catalogue's title (plain text): the parent of the trait categories."""

    title: str
    language: str
    categories: tuple[Category, ...]


def question_bank(plan: Plan, labels: ExportLabels, trait_id: str | None = None) -> Bank:
    """The plan's exercises as a bank; with ``trait_id``, only that trait's (ExportError if unknown)."""
    traits = plan.ordered_traits
    if trait_id is not None:
        traits = tuple(t for t in traits if t.id == trait_id)
        if not traits:
            known = ", ".join(sorted(plan.trait_views)) or "none"
            raise ExportError(f"unknown trait id {trait_id!r}; the catalogue's trait ids are: {known}")
    converter = make_converter()
    site = plan.catalogue.site
    # A trait without exercises would be an empty category (Moodle) or section (Canvas).
    with_exercises = [(t, plan.trait_views[t.id].exercises) for t in traits if plan.trait_views[t.id].exercises]
    return Bank(
        title=xml_safe(site.title),
        language=site.language,
        categories=tuple(_category(converter, labels, t, exercises) for t, exercises in with_exercises),
    )


def _category(
    converter: md.Markdown, labels: ExportLabels, trait: Trait, exercises: tuple[NumberedExercise, ...]
) -> Category:
    return Category(
        ident=trait.id,
        title=xml_safe(trait.title),
        questions=tuple(_question(converter, labels, item) for item in exercises),
    )


def _question(converter: md.Markdown, labels: ExportLabels, item: NumberedExercise) -> Question:
    ex = item.exercise

    def rich(text: str) -> str:
        return xml_safe(sanitised_html(converter, text))

    scenario = rich(ex.scenario) if ex.scenario else ""
    if isinstance(ex, (SingleChoice, MultipleSelect)):
        return Question(
            ident=item.key,
            name=_name(item, ex.question),
            kind=ex.kind,
            scenario_html=scenario,
            question_html=f"<p>{plain_html(ex.question.strip())}</p>",
            choices=tuple(Choice(plain_html(o.text.strip()), o.correct, rich(o.feedback)) for o in ex.options),
        )
    prompt = rich(ex.prompt)
    return Question(
        ident=item.key,
        name=_name(item, html_text(prompt)),
        kind="essay",
        scenario_html=scenario,
        question_html=prompt,
        grader_info_html=_grader_info(labels, ex, rich),
    )


def _criterion_html(labels: ExportLabels, criterion: str | Criterion) -> str:
    """A criterion as HTML: its text, and for a rubric row what meeting and exceeding it look like."""
    if isinstance(criterion, str):
        return plain_html(criterion)
    return (
        f"{plain_html(criterion.criterion)}<br><em>{plain_html(labels.meets)}</em> {plain_html(criterion.meets)}"
        f"<br><em>{plain_html(labels.exceeds)}</em> {plain_html(criterion.exceeds)}"
    )


def _grader_info(labels: ExportLabels, ex: Reflection | Task, rich: Callable[[str], str]) -> str:
    if isinstance(ex, Task):
        criteria = "".join(f"<li>{_criterion_html(labels, c)}</li>" for c in ex.criteria)
        return (
            _heading(labels.criteria) + f"<ul>{criteria}</ul>" + _heading(labels.model_answer) + rich(ex.model_answer)
        )
    parts = [_heading(labels.guidance) + rich(ex.guidance)]
    if ex.example:
        parts.append(_heading(labels.example) + rich(ex.example))
    if ex.newcomers:
        parts.append(_heading(labels.newcomers) + rich(ex.newcomers))
    return "".join(parts)


def _heading(label: str) -> str:
    return f"<h4>{plain_html(label)}</h4>"


def _name(item: NumberedExercise, text: str) -> str:
    """Trait title, exercise number and the first words of the question: no fixed words."""
    words = text.split()
    head = " ".join(words[:NAME_WORDS]) + (" …" if len(words) > NAME_WORDS else "")
    return xml_safe(f"{item.trait.title} {item.number} – {head}")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


def plain_html(text: str) -> str:
    """Plain text as HTML that shows exactly that text."""
    return html.escape(xml_safe(text), quote=False)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(fragment: str) -> str:
    """The text of an HTML fragment, whitespace collapsed (for names and comparisons)."""
    parser = _Text()
    parser.feed(fragment.replace("<", " <"))
    parser.close()
    return " ".join("".join(parser.parts).split())
