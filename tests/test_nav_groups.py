"""Large categories are split into sub-sections of the sidebar (``nav_group_size``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.sitebuild import copy_project, mkdocs_build
from tests.synth import write_catalogue
from traitbook import Project, load_and_validate
from traitbook._internal.pipeline import DOWNLOADS
from traitbook._internal.plan import Plan, nav_groups, plan


def synthetic(tmp: Path, traits: int, group_size: int) -> Path:
    catalogue = write_catalogue(tmp / "catalogue", traits)
    config = catalogue / "catalogue.yml"
    config.write_text(config.read_text(encoding="utf-8") + f"nav_group_size: {group_size}\n", encoding="utf-8")
    return catalogue


@given(st.integers(min_value=0, max_value=200), st.integers(min_value=5, max_value=40))
def test_groups_keep_order_respect_the_size_and_are_even(count: int, size: int) -> None:
    items = tuple(range(count))
    groups = nav_groups(items, size)
    assert tuple(i for g in groups for i in g) == items
    assert all(len(g) <= size for g in groups)
    assert len(groups) == max(1, -(-count // size))  # as few as possible
    assert max(map(len, groups)) - min(map(len, groups)) <= 1


@pytest.fixture(scope="module")
def grouped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Plan]:
    # 40 traits in 5 categories of 8; at most 5 per sub-section → two sub-sections of 4.
    catalogue = synthetic(tmp_path_factory.mktemp("groups"), 40, 5)
    return catalogue, plan(load_and_validate(Project.at(catalogue.parent, catalogue=catalogue)).catalogue)


def test_a_long_category_becomes_sub_sections_labelled_by_first_and_last_title(grouped: tuple[Path, Plan]) -> None:
    _, page_plan = grouped
    view = page_plan.categories[0]
    first = page_plan.nav()[1]
    assert isinstance(first, dict)
    (section,) = first.values()
    assert isinstance(section, list)
    assert section[0] == {"Overview": f"categories/{view.category.id}.md"}
    labels = [next(iter(item)) for item in section[1:]]
    titles = [t.title for t in view.traits]
    assert labels == [f"{titles[0]} – {titles[3]}", f"{titles[4]} – {titles[7]}"]
    groups = [group for item in section[1:] if isinstance(item, dict) for group in item.values()]
    links = [link for group in groups for link in group]
    assert links == [{t.title: f"traits/{t.id}.md"} for t in view.traits]


def test_a_short_category_stays_flat() -> None:
    from tests.conftest import MINI

    page_plan = plan(load_and_validate(Project.at(MINI.parent, catalogue=MINI)).catalogue)
    for section in page_plan.nav()[1:]:
        assert isinstance(section, dict)
        for items in section.values():
            assert isinstance(items, list)
            assert all(isinstance(item, dict) and all(isinstance(v, str) for v in item.values()) for item in items)


def test_the_built_sidebar_holds_only_the_open_sub_section(grouped: tuple[Path, Plan], tmp_path: Path) -> None:
    catalogue, page_plan = grouped
    downloads = tmp_path / "downloads"  # the pages link to the downloads; stand-ins spare WeasyPrint here
    downloads.mkdir()
    for name in DOWNLOADS:
        (downloads / Path(name).name).write_bytes(b"stand-in\n")
    site = mkdocs_build(copy_project(tmp_path / "proj", catalogue, downloads))
    traits = page_plan.categories[0].traits
    page = (site / "traits" / traits[0].id / "index.html").read_text(encoding="utf-8")
    sidebar = page[page.index("md-sidebar--primary") : page.index("md-sidebar--secondary")]
    linked = set(re.findall(r'href="\.\./(trait-\d+)/"', sidebar))
    assert {t.id for t in traits[1:4]} <= linked  # its own sub-section
    assert not {t.id for t in traits[5:8]} & linked  # the closed one: its label only, at most its first link
    assert f"{traits[4].title} – {traits[7].title}" in sidebar
