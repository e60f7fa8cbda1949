"""Stage 3: the validated catalogue → a sorted plan of pages and the navigation. No I/O.

Everything a template needs that has to be *computed* (reciprocal links, categories with
their traits, term back-links, exercise numbering) is computed here, once, so templates
only lay out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, TypeVar

from .catalogue.model import (
    Catalogue,
    Category,
    Exercise,
    Framework,
    LearningPath,
    Level,
    Reference,
    Source,
    Term,
    Trait,
)
from .catalogue.scale import scale
from .i18n import Messages, messages

#: An entry of MkDocs' ``nav``: a page path, or ``{title: path}``, or ``{title: [entries]}``.
NavItem = dict[str, "str | list[NavItem]"]

PageKind = Literal[
    "trait", "category", "overview", "glossary", "answer-key", "sources", "home-list", "site-config", "nav",
    "crosswalk", "paths", "path", "paths-nav", "self-assessment", "course",
]  # fmt: skip


@dataclass(frozen=True)
class Backlink:
    trait: Trait
    reason: str


@dataclass(frozen=True)
class NumberedExercise:
    """An exercise with its number on the page and the ids the HTML and JS rely on."""

    trait: Trait
    exercise: Exercise
    number: int

    @property
    def dom_id(self) -> str:
        return f"ex-{self.trait.id}-{self.exercise.id}"

    @property
    def key(self) -> str:
        """Stable progress key: survives reordering of exercises on the page."""
        return f"{self.trait.id}/{self.exercise.id}"


@dataclass(frozen=True)
class FrameworkRefs:
    framework: Framework
    references: tuple[Reference, ...]


@dataclass(frozen=True)
class ReadingView:
    """A further-reading entry with its source resolved."""

    source: Source
    note: str


@dataclass(frozen=True)
class SourceView:
    """A source and the traits that recommend it as further reading (sources page)."""

    source: Source
    read_by: tuple[Trait, ...]


@dataclass(frozen=True)
class TraitView:
    """Everything the trait page shows, computed from the whole catalogue."""

    trait: Trait
    category: Category
    related: tuple[Backlink, ...]
    referenced_by: tuple[Backlink, ...]
    terms: tuple[Term, ...]
    exercises: tuple[NumberedExercise, ...]
    references: tuple[FrameworkRefs, ...]
    reading: tuple[ReadingView, ...] = ()


@dataclass(frozen=True)
class CategoryView:
    category: Category
    traits: tuple[Trait, ...]


@dataclass(frozen=True)
class TermView:
    term: Term
    used_by: tuple[Trait, ...]


@dataclass(frozen=True)
class StepView:
    trait: Trait
    target: int
    level: Level
    why: str


@dataclass(frozen=True)
class PathView:
    """A learning path with its steps' traits and target levels resolved."""

    path: LearningPath
    steps: tuple[StepView, ...]


@dataclass(frozen=True)
class Citation:
    """A framework item the catalogue cites and every trait that cites it (the crosswalk).
    Traits word their labels themselves; the first trait's (in navigation order) is shown."""

    code: str
    label: str
    traits: tuple[Trait, ...]


@dataclass(frozen=True)
class FrameworkCitations:
    framework: Framework
    items: tuple[Citation, ...]


@dataclass(frozen=True)
class Page:
    """One generated file: where it goes and what it shows. ``path`` is relative to docs/."""

    path: str
    kind: PageKind
    trait: TraitView | None = None
    category: CategoryView | None = None
    learning_path: PathView | None = None


@dataclass(frozen=True)
class Plan:
    catalogue: Catalogue
    pages: tuple[Page, ...]
    categories: tuple[CategoryView, ...]
    trait_views: dict[str, TraitView] = field(default_factory=dict)
    terms: tuple[TermView, ...] = ()
    sources: tuple[SourceView, ...] = ()
    paths: tuple[PathView, ...] = ()
    citations: tuple[FrameworkCitations, ...] = ()

    @cached_property
    def messages(self) -> Messages:
        """The words the generator writes, in the catalogue's language (i18n/)."""
        site = self.catalogue.site
        return messages(site.language, site.messages, site.unit)

    @cached_property
    def levels(self) -> tuple[Level, ...]:
        """The self-assessment scale (the catalogue's, or the language's default)."""
        return scale(self.catalogue.site, self.messages)

    @cached_property
    def ordered_traits(self) -> tuple[Trait, ...]:
        """Traits in navigation order: categories as declared, then by title."""
        return _in_order(self.categories)

    def nav(self) -> list[NavItem]:
        """Navigation of the generated part (``{title: path or [items]}``): one section per category.

        A category longer than ``nav_group_size`` is split into sub-sections of about equal
        length, labelled with their first and last titles: a sidebar of a hundred links is hard
        to scan, and with ``navigation.prune`` only the open sub-section is written into each
        page, which keeps pages of large catalogues light.
        """
        size = self.catalogue.site.nav_group_size
        words = self.messages
        sections: list[NavItem] = [{words("nav.all_traits"): "traits/index.md"}]
        for view in self.categories:
            items: list[NavItem] = [{words("nav.overview"): f"categories/{view.category.id}.md"}]
            for group in nav_groups(view.traits, size):
                links: list[NavItem] = [{t.title: trait_path(t.id)} for t in group]
                items += links if len(group) == len(view.traits) else [{f"{group[0].title} – {group[-1].title}": links}]
            sections.append({view.category.title: items})
        return sections

    def cost(self, page: Page) -> int:
        """A rough cost of rendering ``page``, in exercises (one rendered exercise is about
        a sixth of a trait page's other content), to share pages fairly between processes."""
        if page.trait is not None:
            return 6 + len(page.trait.exercises)
        if page.kind == "answer-key":
            return sum(len(t.exercises) for t in self.catalogue.traits)
        return 1 + len(self.catalogue.traits) // 10


def nav_groups(items: tuple[_T, ...], size: int) -> list[tuple[_T, ...]]:
    """``items`` in order, cut into the fewest runs of at most ``size``, as even as possible."""
    count = max(1, -(-len(items) // size))
    base, extra = divmod(len(items), count)
    runs, start = [], 0
    for i in range(count):
        end = start + base + (i < extra)
        runs.append(items[start:end])
        start = end
    return runs


_T = TypeVar("_T")


def trait_path(trait_id: str) -> str:
    return f"traits/{trait_id}.md"


def _category_views(catalogue: Catalogue) -> tuple[CategoryView, ...]:
    # Categories keep the author's order (it is a teaching order); traits inside sort by title.
    return tuple(
        CategoryView(c, tuple(sorted((t for t in catalogue.traits if t.category == c.id), key=_title_key)))
        for c in catalogue.site.categories
    )


def _title_key(trait: Trait) -> tuple[str, str]:
    return (trait.title.casefold(), trait.id)


@dataclass(frozen=True)
class _Index:
    """Look-ups built once per plan, so planning stays linear in the number of traits."""

    by_id: dict[str, Trait]
    terms: dict[str, Term]
    categories: dict[str, Category]
    referenced_by: dict[str, tuple[Backlink, ...]]
    sources: dict[str, Source]

    @classmethod
    def of(cls, catalogue: Catalogue) -> _Index:
        backlinks: dict[str, list[Backlink]] = {}
        for other in catalogue.traits:  # sorted by id, so each list is too
            for rel in other.related:
                backlinks.setdefault(rel.id, []).append(Backlink(other, rel.reason))
        return cls(
            by_id={t.id: t for t in catalogue.traits},
            terms={t.id: t for t in catalogue.site.glossary},
            categories={c.id: c for c in catalogue.site.categories},
            referenced_by={k: tuple(v) for k, v in backlinks.items()},
            sources={s.id: s for s in catalogue.site.sources},
        )


def _trait_view(catalogue: Catalogue, index: _Index, trait: Trait) -> TraitView:
    references = tuple(
        FrameworkRefs(fw, refs)
        for fw in catalogue.site.frameworks
        if (refs := tuple(r for r in trait.references if r.framework == fw.id))
    )
    return TraitView(
        trait=trait,
        category=index.categories[trait.category],
        related=tuple(Backlink(index.by_id[r.id], r.reason) for r in trait.related),
        referenced_by=index.referenced_by.get(trait.id, ()),
        terms=tuple(sorted((index.terms[t] for t in trait.terms), key=lambda term: term.term.casefold())),
        exercises=tuple(NumberedExercise(trait, e, n) for n, e in enumerate(trait.exercises, start=1)),
        references=references,
        reading=tuple(ReadingView(index.sources[r.source], r.note) for r in trait.reading),
    )


def _term_views(catalogue: Catalogue) -> tuple[TermView, ...]:
    users: dict[str, list[Trait]] = {}
    for trait in catalogue.traits:
        for term_id in dict.fromkeys(trait.terms):
            users.setdefault(term_id, []).append(trait)
    return tuple(
        TermView(term, tuple(users.get(term.id, ())))
        for term in sorted(catalogue.site.glossary, key=lambda term: (term.term.casefold(), term.id))
    )


def _source_views(catalogue: Catalogue) -> tuple[SourceView, ...]:
    readers: dict[str, list[Trait]] = {}
    for trait in sorted(catalogue.traits, key=_title_key):
        for reading in trait.reading:
            readers.setdefault(reading.source, []).append(trait)
    # The author's order: sources are often grouped by kind on purpose.
    return tuple(SourceView(s, tuple(readers.get(s.id, ()))) for s in catalogue.site.sources)


def _path_views(catalogue: Catalogue) -> tuple[PathView, ...]:
    levels = scale(catalogue.site)
    return tuple(
        PathView(p, tuple(StepView(catalogue.trait(s.trait), s.target, levels[s.target - 1], s.why) for s in p.steps))
        for p in catalogue.site.paths
    )


def _in_order(categories: tuple[CategoryView, ...]) -> tuple[Trait, ...]:
    return tuple(t for view in categories for t in view.traits)


def _citations(catalogue: Catalogue, ordered: tuple[Trait, ...]) -> tuple[FrameworkCitations, ...]:
    """Per framework, its cited items sorted by code, each with the traits citing it in ``ordered``."""
    by_framework: dict[str, dict[str, tuple[str, list[Trait]]]] = {fw.id: {} for fw in catalogue.site.frameworks}
    for trait in ordered:
        for ref in trait.references:
            traits = by_framework[ref.framework].setdefault(ref.code, (ref.label, []))[1]
            if trait not in traits:
                traits.append(trait)
    return tuple(
        FrameworkCitations(
            fw,
            tuple(
                Citation(code, label, tuple(traits))
                for code, (label, traits) in sorted(by_framework[fw.id].items(), key=lambda kv: kv[0].casefold())
            ),
        )
        for fw in catalogue.site.frameworks
    )


def _pages(
    views: dict[str, TraitView], categories: tuple[CategoryView, ...], paths: tuple[PathView, ...]
) -> Iterator[Page]:
    yield Page("_generated/trait-list.md", "home-list")
    yield Page("_generated/course.md", "course")  # title and description, for the hand-written pages
    # What mkdocs.yml inherits and where its nav points (site/engine.py): read by every engine.
    yield Page("_generated/site.yml", "site-config")
    yield Page("traits/SUMMARY.md", "nav")
    yield Page("traits/index.md", "overview")
    for category in categories:
        yield Page(f"categories/{category.category.id}.md", "category", category=category)
    for trait_id, view in views.items():
        yield Page(trait_path(trait_id), "trait", trait=view)
    yield Page("reference/glossary.md", "glossary")
    yield Page("reference/answer-key.md", "answer-key")
    yield Page("reference/sources.md", "sources")
    yield Page("reference/crosswalk.md", "crosswalk")
    yield Page("self-assessment/index.md", "self-assessment")
    yield Page("paths/index.md", "paths")
    yield Page("paths/SUMMARY.md", "paths-nav")
    for path in paths:
        yield Page(f"paths/{path.path.id}.md", "path", learning_path=path)


def plan(catalogue: Catalogue) -> Plan:
    """The full page plan, sorted by path so output never depends on dict or file order."""
    index = _Index.of(catalogue)
    views = {t.id: _trait_view(catalogue, index, t) for t in catalogue.traits}
    categories = _category_views(catalogue)
    paths = _path_views(catalogue)
    pages = tuple(sorted(_pages(views, categories, paths), key=lambda p: p.path))
    return Plan(
        catalogue,
        pages,
        categories,
        views,
        _term_views(catalogue),
        _source_views(catalogue),
        paths,
        _citations(catalogue, _in_order(categories)),
    )
