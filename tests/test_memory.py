"""Validated models share their equal fields-sets (memory of large catalogues), safely."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tests.conftest import MINI
from traitbook import Project, load_and_validate
from traitbook._internal.catalogue.model import Option, SingleChoice


def options() -> list[Option]:
    catalogue = load_and_validate(Project.at(MINI.parent, catalogue=MINI)).catalogue
    return [o for t in catalogue.traits for e in t.exercises if isinstance(e, SingleChoice) for o in e.options]


def test_equal_fields_sets_are_one_object() -> None:
    found = options()
    assert len(found) >= 3
    by_fields: dict[frozenset[str], set[int]] = {}
    for option in found:
        by_fields.setdefault(frozenset(option.model_fields_set), set()).add(id(option.model_fields_set))
    assert all(len(ids) == 1 for ids in by_fields.values())  # one set per distinct content
    assert any(len([o for o in found if o.model_fields_set is s]) > 1 for s in (o.model_fields_set for o in found))


def test_sharing_changes_nothing_a_reader_can_see() -> None:
    first, second = options()[:2]
    before = set(second.model_fields_set)
    copied = first.model_copy(update={"correct": not first.correct})
    assert copied.correct != first.correct
    assert second.model_fields_set == before  # copying one model does not touch the shared set
    with pytest.raises(ValidationError):
        first.text = "changed"  # type: ignore[misc]  # frozen: the shared set can never be added to
