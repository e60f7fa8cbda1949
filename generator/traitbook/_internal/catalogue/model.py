"""The one place that says what a catalogue is: strict, typed, documented models.

Strict mode and ``extra="forbid"`` because pydantic's lax mode would quietly turn
``"off"`` into False or ``12`` into ``"12"``; an author's typo must be an error instead.
The JSON Schema printed by ``python -m generator schema`` is generated from these classes,
so field descriptions here are what editors show while authors type.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from .safety import MAX_MARKDOWN_CHARS, MAX_PLAIN_CHARS, check_markdown, check_plain

#: Names that would collide with files MkDocs, the theme or our own output need.
RESERVED_IDS = frozenset(
    {
        "index", "404", "search", "assets", "sitemap", "stylesheets", "javascripts",
        "traits", "categories", "reference", "glossary", "answer-key", "sources",
        "handbook", "overrides", "generated", "site", "docs", "img", "images",
        # Windows device names: a file called con.md cannot be created there.
        "con", "prn", "aux", "nul",
        *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10)),
    }
)  # fmt: skip

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def _not_reserved(value: str) -> str:
    if value in RESERVED_IDS:
        raise ValueError(f"{value!r} is a reserved name; choose another id")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, max_length=64),
    AfterValidator(_not_reserved),
    Field(description="Lower-case letters, digits and single hyphens, at most 64 characters."),
]
PlainText = Annotated[
    str,
    AfterValidator(_not_blank),
    AfterValidator(check_plain),
    Field(
        description="Plain text, shown literally: Markdown and HTML are not interpreted.",
        json_schema_extra={"maxLength": MAX_PLAIN_CHARS},
    ),
]
Markdown = Annotated[
    str,
    AfterValidator(_not_blank),
    AfterValidator(check_markdown),
    Field(
        description="Markdown without raw HTML, headings, attribute lists or images from other hosts.",
        json_schema_extra={"maxLength": MAX_MARKDOWN_CHARS},
    ),
]


#: The longest name of the unit: a word or two ("soft skill"), never a sentence.
MAX_UNIT_CHARS = 60


def _unit_word(value: str) -> str:
    """The unit is written inside the generator's own sentences, so it is one line of plain text
    without the braces those sentences use for placeholders."""
    if value != value.strip():
        raise ValueError("must not start or end with a space")
    if any(char in value for char in "\n\r\t"):
        raise ValueError("must be one line")
    if "{" in value or "}" in value:
        raise ValueError("must not contain { or }: Traitbook's sentences read braces as placeholders")
    return value


UnitWord = Annotated[
    str,
    StringConstraints(max_length=MAX_UNIT_CHARS),
    AfterValidator(_not_blank),
    AfterValidator(_unit_word),
    Field(description="Plain text, one line, written into Traitbook's own sentences as given."),
]


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Category(Strict):
    """A group of traits; each category gets a page and a navigation section."""

    id: Slug
    title: PlainText
    description: Markdown | None = None


class Term(Strict):
    """A glossary entry, linked from every trait that lists it in ``terms``."""

    id: Slug
    term: PlainText = Field(description="The term as shown in the glossary.")
    aliases: list[PlainText] = Field(default=[], description="Other spellings and synonyms readers may search for.")
    definition: Markdown


class Framework(Strict):
    """A competence framework that trait ``references`` point into."""

    id: Slug
    title: PlainText
    short: PlainText = Field(description="Short name used in tables (an acronym readers know).")
    version: PlainText | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>()\"'`]+$")] | None = None


class Source(Strict):
    """A work the content relies on, listed on the sources page and in the handbook."""

    id: Slug
    title: PlainText
    publisher: PlainText | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>()\"'`]+$")] | None = None
    note: PlainText | None = None


class WordRange(Strict):
    min: int = Field(default=0, ge=0)
    max: int | None = Field(default=None, ge=0)


class AnswerCues(Strict):
    """The answer-cue lint (README: "Answer-cue lint"): patterns across the catalogue's choice
    items that give keys away to a reader who does not know the answer."""

    significance: float = Field(
        default=0.05,
        gt=0,
        lt=0.5,
        description="A statistical rule fires when chance would produce the pattern less often than this.",
    )
    longest_key: bool = Field(
        default=True, description="Flag keys that are the longest (or the shortest) option more often than chance."
    )
    composite_key: bool = Field(
        default=True,
        description="Flag keys that join the most actions (commas, 'and', 'then') more often than chance, and "
        "keys that repeat a distractor and add to it.",
    )
    key_length_ratio: float | None = Field(
        default=1.2,
        ge=1.0,
        description="Largest geometric-mean ratio of key length to distractor length (its inverse is the "
        "smallest); null turns the rule off.",
    )
    same_key_count_share: float | None = Field(
        default=0.75,
        gt=0,
        le=1,
        description="Largest share of multiple-select items that may have the same number of keys; null turns "
        "the rule off.",
    )
    key_positions: bool = Field(
        default=True,
        description="Flag key positions that follow a pattern: one letter favoured, no letter repeated within a "
        "trait, or consecutive keys that never (or nearly always) repeat.",
    )
    multiple_key_positions: bool = Field(
        default=True,
        description="Flag a letter that multiple-select items key more (or less) often than chance, given how "
        "many keys each item has.",
    )
    all_but_one: bool = Field(
        default=True,
        description="Flag multiple-select items that key every option but one: the odd one out is the only "
        "decision left.",
    )
    twin_options: float | None = Field(
        default=0.4,
        gt=0,
        le=1,
        description="Flag a single-choice item whose key is one of two near-twin options: the most alike pair, "
        "at least this word similarity (0 to 1) and clearly more alike than any other pair; null turns the "
        "rule off.",
    )


class Reference(Strict):
    framework: Slug = Field(description="Id of a framework declared in catalogue.yml.")
    code: PlainText = Field(description="The item's code as the framework writes it.")
    label: PlainText = Field(description="What the item covers, in the catalogue's words.")


class Level(Strict):
    """One level of the self-assessment scale."""

    label: PlainText = Field(description="A short name, e.g. 'Practising'.")
    descriptor: PlainText = Field(description="What a learner at this level does, in the first person.")


class SelfAssessment(Strict):
    """The scale learners rate themselves on, trait by trait, against each trait's ``behaviours``."""

    levels: list[Level] = Field(
        default=[],
        min_length=2,
        max_length=7,
        description="From the lowest level to the highest; path targets count from 1. "
        "Absent: four levels, from awareness to helping others, in the catalogue's language.",
    )


class PathStep(Strict):
    trait: Slug = Field(description="Id of a trait.")
    target: int = Field(ge=1, description="The level this role needs, on the self-assessment scale (1 = lowest).")
    why: PlainText = Field(description="One sentence: why this role needs the trait.")


class LearningPath(Strict):
    """A route through the traits for one role: which traits, in which order, to which level."""

    id: Slug = Field(description="Stable id: the page is paths/<id>/ and learners' choice is stored under it.")
    title: PlainText
    audience: PlainText = Field(description="Who the path is for.")
    description: Markdown
    steps: list[PathStep] = Field(min_length=1, description="In the order to work through them.")
    anchors: list[Reference] = Field(
        default=[], description="Framework items the role corresponds to, e.g. a role profile of a framework."
    )
    keywords: list[PlainText] = Field(
        default=[],
        description="Other names readers search the path by (job titles, e.g. CISO): searched, never shown.",
    )


class Minimums(Strict):
    """Completeness rules enforced by the ``check`` command (0 or false = not enforced; all
    are off unless set, but ``translated``).

    ``build`` does not apply them, so a draft trait can be previewed before it is complete.
    """

    objectives: int = Field(default=0, ge=0)
    takeaways: int = Field(default=0, ge=0)
    explanation_words: int = Field(default=0, ge=0, description="Words across all sections of a trait.")
    behaviours: int = Field(default=0, ge=0)
    practices: int = Field(default=0, ge=0)
    pitfalls: int = Field(default=0, ge=0)
    scenario_words: WordRange | None = Field(default=None, description="Words of the trait scenario (required if set).")
    related: int = Field(default=0, ge=0)
    terms: int = Field(default=0, ge=0, description="Glossary terms per trait.")
    references: int = Field(default=0, ge=0, description="Framework references per trait.")
    exercises: int = Field(default=0, ge=0, description="Exercises per trait, all kinds.")
    single_choice_with_scenario: int = Field(default=0, ge=0)
    multiple_select: int = Field(default=0, ge=0)
    reflection: int = Field(default=0, ge=0)
    feedback_words: int = Field(default=0, ge=0, description="Words of feedback per option.")
    glossary_terms: int = Field(default=0, ge=0, description="Terms in the catalogue's glossary.")
    reciprocal_related: bool = Field(default=False, description="When A lists B as related, B must list A.")
    no_orphan_terms: bool = Field(default=False, description="Every glossary term is used by at least one trait.")
    tasks: int = Field(default=0, ge=0, description="Constructed tasks (kind: task) per trait.")
    further_reading: int = Field(default=0, ge=0, description="Further-reading entries per trait.")
    reflection_support: bool = Field(
        default=False, description="Every reflection has a newcomer route and an example answer."
    )
    analytic_rubrics: bool = Field(
        default=False,
        description="Every criterion of every task is a rubric row: criterion, meets, exceeds.",
    )
    searchable_terms: bool = Field(
        default=False,
        description="Every keyword, glossary term and alias keeps a word the site search can match (not only "
        "stop words and punctuation).",
    )
    answer_cues: AnswerCues | None = Field(default=None, description="The answer-cue lint; absent = off.")
    traits_in_paths: bool = Field(default=False, description="Every trait is a step of at least one path.")
    placeholders: bool = Field(
        default=False,
        description="No TODO, FIXME or TBD in the catalogue's text, and none of these nor an example page's "
        "'Replace this paragraph…' in the hand-written pages of docs/ (on in projects `traitbook init` makes).",
    )
    translated: bool = Field(
        default=True,
        description="Every string Traitbook writes itself exists in the catalogue's language (on unless set to "
        "false, which lets English stand in for the missing ones).",
    )


class UnitName(Strict):
    """What the catalogue calls its entries, everywhere Traitbook writes about them: navigation,
    headings, buttons, the handbook and the LMS exports. Absent: "trait" (English), "Eigenschaft"
    (German)."""

    singular: UnitWord = Field(description="e.g. 'skill': written as given, capitalised at the start of a sentence.")
    plural: UnitWord = Field(description="e.g. 'skills'.")
    gender: str | None = Field(
        default=None,
        description="The grammatical gender, in a language whose words agree with it (German: masculine, "
        "feminine or neuter; required there). A language without genders (English) takes none.",
    )


#: A BCP 47 language tag as the site writes it (``<html lang>``): a lower-case language, then subtags.
LANGUAGE_TAG = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"


class Site(Strict):
    """``catalogue/catalogue.yml``: what the whole site and handbook share."""

    title: PlainText
    subtitle: PlainText | None = None
    description: PlainText = Field(description="One or two sentences; the home page meta description.")
    language: Annotated[str, StringConstraints(pattern=LANGUAGE_TAG)] = Field(
        default="en", description="BCP 47 language tag: 'en', 'de', 'de-AT', 'zh-Hant'."
    )
    messages: dict[str, PlainText] = Field(
        default={},
        description="Overrides of single strings Traitbook writes itself, by key "
        "(the keys are those of generator/traitbook/_internal/i18n/en.yml, e.g. 'trait.pitfalls').",
    )
    unit: UnitName | None = Field(
        default=None,
        description="What the catalogue's entries are called instead of 'trait', "
        "e.g. {singular: skill, plural: skills}.",
    )
    edition: PlainText | None = None
    date: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = Field(
        default=None, description="Edition date (YYYY-MM-DD); the build clock is never used."
    )
    author: PlainText | None = None
    categories: list[Category] = Field(min_length=1)
    frameworks: list[Framework] = []
    mapping_note: Markdown | None = Field(default=None, description="Shown with every trait's framework references.")
    glossary: list[Term] = []
    sources: list[Source] = []
    self_assessment: SelfAssessment = SelfAssessment()
    paths: list[LearningPath] = Field(default=[], description="Routes through the traits for particular roles.")
    minimums: Minimums = Minimums()
    publish_question_banks: bool = Field(
        default=True,
        description="Publish the GIFT, Moodle XML and QTI question banks (answers included) in the site's "
        "downloads and link them from the home page; false keeps them out (`traitbook export` still writes them).",
    )
    nav_group_size: int = Field(
        default=30,
        ge=5,
        le=500,
        description="A category with more traits than this is split into sub-sections of the sidebar.",
    )


class Section(Strict):
    title: PlainText
    body: Markdown


class Scenario(Strict):
    title: PlainText
    body: Markdown


class Related(Strict):
    id: Slug = Field(description="Id of another trait.")
    reason: PlainText = Field(description="One sentence: why a reader of this trait should read that one.")


class Reading(Strict):
    """Further reading: a public work from the catalogue's ``sources``, and why to read it."""

    source: Slug = Field(description="Id of a source declared in catalogue.yml.")
    note: PlainText = Field(description="One sentence: what the reader gets from it.")


class Option(Strict):
    text: PlainText
    correct: bool = False
    feedback: Markdown = Field(description="Why this option is right or wrong.")


class _Choice(Strict):
    id: Slug = Field(description="Stable id, unique within the trait.")
    scenario: Markdown | None = Field(default=None, description="A situation the question refers to.")
    question: PlainText
    options: list[Option]


class SingleChoice(_Choice):
    """Exactly one option is correct."""

    kind: Literal["single"]


class MultipleSelect(_Choice):
    """One or more options are correct; the reader selects all that apply."""

    kind: Literal["multiple"]


class Reflection(Strict):
    """An open prompt with guidance on what a good answer covers."""

    id: Slug
    kind: Literal["reflection"]
    scenario: Markdown | None = None
    prompt: Markdown
    guidance: Markdown
    newcomers: Markdown | None = Field(
        default=None,
        description="For readers without the experience the prompt assumes (students, career changers): "
        "a lab, case study or public incident report to reflect on instead.",
    )
    example: Markdown | None = Field(default=None, description="A short example of a good answer.")


class Criterion(Strict):
    """One row of a task's analytic rubric: a criterion, and what meeting and exceeding it look
    like, so that a learner can tell a good answer from an adequate one."""

    criterion: PlainText = Field(description="What a good answer does.")
    meets: PlainText = Field(description="What an answer that meets the criterion does.")
    exceeds: PlainText = Field(description="What an answer that exceeds it does beyond that.")


def criterion_texts(criterion: str | Criterion) -> tuple[str, ...]:
    """The words of a criterion: its text, and for a rubric row what meeting and exceeding it look like."""
    return (criterion,) if isinstance(criterion, str) else (criterion.criterion, criterion.meets, criterion.exceeds)


class Task(Strict):
    """A constructed task: the reader produces something (a risk statement, a brief, a plan) and
    compares it with a model answer and the criteria it should meet."""

    id: Slug
    kind: Literal["task"]
    scenario: Markdown | None = None
    prompt: Markdown = Field(description="What to produce, and for whom.")
    criteria: list[PlainText | Criterion] = Field(
        min_length=1,
        description="What a good answer does, one check per item: a sentence, or an analytic rubric row "
        "(criterion, meets, exceeds).",
    )
    model_answer: Markdown = Field(description="One good answer; others can be as good.")

    @property
    def analytic(self) -> bool:
        """Whether every criterion says what meeting and exceeding it look like."""
        return all(isinstance(c, Criterion) for c in self.criteria)


Exercise = Annotated[SingleChoice | MultipleSelect | Reflection | Task, Field(discriminator="kind")]


class Trait(Strict):
    """``catalogue/traits/<id>.yml``: one trait and everything its page shows."""

    id: Slug = Field(description="Must match the file name.")
    title: PlainText
    category: Slug
    summary: PlainText = Field(description="One or two sentences; the page's meta description.")
    keywords: list[PlainText] = Field(default=[], description="Search aliases and other spellings.")
    objectives: list[Markdown] = Field(default=[], description="'After this page you can …'")
    takeaways: list[Markdown] = []
    sections: list[Section] = Field(min_length=1, description="The explanation.")
    behaviours: list[Markdown] = Field(default=[], description="What a colleague would see you do.")
    practices: list[Markdown] = Field(default=[], description="Ways to develop the trait.")
    pitfalls: list[Markdown] = Field(default=[], description="How the trait goes wrong or is faked.")
    scenario: Scenario | None = None
    related: list[Related] = []
    terms: list[Slug] = Field(default=[], description="Ids of glossary terms the page uses.")
    references: list[Reference] = []
    reading: list[Reading] = Field(default=[], description="Further reading, from the catalogue's sources.")
    exercises: list[Exercise] = []


class Catalogue(BaseModel):
    """The validated whole: site data plus traits sorted by id (the order never depends on
    the file system)."""

    model_config = ConfigDict(frozen=True)

    site: Site
    traits: tuple[Trait, ...]

    @cached_property
    def _by_id(self) -> dict[str, Trait]:
        return {t.id: t for t in self.traits}

    def trait(self, trait_id: str) -> Trait:
        return self._by_id[trait_id]


def option_letter(index: int) -> str:
    """0 → 'a' (the site's ids, the handbook and the lint's messages name options by letter);
    beyond 26 options (never in practice) falls back to numbers."""
    return chr(ord("a") + index) if index < 26 else str(index + 1)


def word_count(text: str) -> int:
    return len(re.findall(r"[\w'’-]+", text))


def share_fields_sets(model: BaseModel, pool: dict[frozenset[str], set[str]]) -> None:
    """Let the equal ``__pydantic_fields_set__`` sets of ``model`` and the models inside it be
    one object each (``pool`` keeps them).

    Pydantic gives every instance its own set of the field names it was given: about 9 KB per
    trait, a quarter of a validated trait in memory. These models are frozen, so a set is never
    changed in place (``model_copy`` copies it before adding to it); sharing equal sets changes
    nothing but memory, which matters for catalogues of thousands of traits.
    """
    fields_set = model.__pydantic_fields_set__
    object.__setattr__(model, "__pydantic_fields_set__", pool.setdefault(frozenset(fields_set), fields_set))
    for value in model.__dict__.values():
        for item in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(item, BaseModel):
                share_fields_sets(item, pool)
