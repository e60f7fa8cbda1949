"""Stage 3: the page plan computes links, numbering and navigation."""

from __future__ import annotations

from tests.conftest import MINI
from traitbook import Project, load_and_validate
from traitbook._internal.plan import Plan, plan


def mini_plan() -> Plan:
    return plan(load_and_validate(Project.at(MINI.parent, catalogue=MINI)).catalogue)


def test_referenced_by_is_computed_from_other_traits() -> None:
    views = mini_plan().trait_views
    assert [b.trait.id for b in views["one"].referenced_by] == ["three", "two"]
    assert [b.reason for b in views["one"].referenced_by] == ["Three looks back to one.", "One comes before two."]
    assert [b.trait.id for b in views["three"].referenced_by] == []


def test_exercises_are_numbered_with_stable_ids() -> None:
    items = mini_plan().trait_views["one"].exercises
    assert [(i.number, i.dom_id, i.key) for i in items] == [
        (1, "ex-one-pick", "one/pick"),
        (2, "ex-one-many", "one/many"),
        (3, "ex-one-think", "one/think"),
    ]


def test_navigation_has_a_section_per_category_in_catalogue_order() -> None:
    nav = mini_plan().nav()
    assert nav[0] == {"All traits": "traits/index.md"}
    assert [next(iter(section)) for section in nav[1:]] == ["Alpha things", "Beta things"]
    assert nav[1] == {
        "Alpha things": [
            {"Overview": "categories/alpha.md"},
            {"Trait One: the *first* {: onclick=alert(1) }": "traits/one.md"},
            {"Trait Two": "traits/two.md"},
        ]
    }


def test_pages_are_sorted_and_complete() -> None:
    paths = [p.path for p in mini_plan().pages]
    assert paths == sorted(paths)
    assert {"traits/one.md", "traits/two.md", "traits/three.md", "categories/beta.md"} <= set(paths)
    assert {"reference/glossary.md", "reference/answer-key.md", "reference/sources.md"} <= set(paths)


def test_glossary_back_links() -> None:
    terms = {t.term.id: [x.id for x in t.used_by] for t in mini_plan().terms}
    assert terms == {"sprocket": ["two"], "widget": ["one"]}
