"""Placeholders fail `check` (minimums.placeholders): TODO, FIXME and TBD in any text field of
the catalogue and in the hand-written pages, and the example pages' "Replace this paragraph…",
each at its own line and column; prose that only mentions a to-do is left alone; `build` still
previews a draft; off unless asked for (on in a project `init` makes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli
from traitbook._internal.catalogue.placeholders import page_placeholders
from traitbook._internal.scaffold import project_files


def _switch_on(project: Path) -> None:
    catalogue = project / "catalogue" / "catalogue.yml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8") + "minimums:\n  placeholders: true\n", encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_col(path: Path, needle: str) -> tuple[int, int]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


def test_every_placeholder_is_reported_at_its_field_in_one_run(project: Path) -> None:
    _switch_on(project)
    trait = project / "catalogue" / "traits" / "two.yml"
    _replace(trait, "title: Trait Two", "title: TODO Trait Two")
    _replace(trait, "summary: The second trait.", "summary: The second trait. FIXME shorter.")
    (project / "docs" / "about.md").write_text("# About\n\nWritten by us.\n\nTBD: the credits.\n", encoding="utf-8")
    result = run_cli("--root", str(project), "check")
    assert result.code == 2
    lines = result.err.splitlines()
    title = _line_col(trait, "title:")
    assert f"catalogue/traits/two.yml:{title[0]}:8: title: placeholder 'TODO' left in the text" in result.err
    summary = _line_col(trait, "summary:")
    assert any(
        line.startswith(f"catalogue/traits/two.yml:{summary[0]}:10: summary: placeholder 'FIXME'") for line in lines
    )
    assert any(line.startswith("docs/about.md:5:1: text: placeholder 'TBD'") for line in lines)


def test_a_placeholder_deep_in_an_exercise_points_at_its_option(project: Path) -> None:
    _switch_on(project)
    trait = project / "catalogue" / "traits" / "one.yml"
    text = trait.read_text(encoding="utf-8")
    start = text.index("feedback:")
    trait.write_text(text[:start] + "feedback: TBD " + text[start + len("feedback: ") :], encoding="utf-8")
    result = run_cli("--root", str(project), "check")
    assert result.code == 2
    line, _ = _line_col(trait, "feedback: TBD")
    problem = next(p for p in result.err.splitlines() if "'TBD'" in p)
    assert problem.startswith(f"catalogue/traits/one.yml:{line}:")
    assert problem.split(": ")[1].startswith("exercises[") and problem.split(": ")[1].endswith("].feedback")


@pytest.mark.parametrize(
    "prose",
    [
        "Keep a todo list of what you learn.",
        "A to-do list helps, and so do TODOs in code.",
        "Replace this battery when it runs low.",
        "The fixme tag in code review.",
    ],
)
def test_prose_that_mentions_a_to_do_is_not_a_placeholder(prose: str) -> None:
    assert [p.message for p in page_placeholders("docs/x.md", prose)] == []


def test_the_example_pages_placeholder_sentences_are_found() -> None:
    """Every sentence of the pages `init` writes that asks the author to write their own."""
    files = project_files()
    found = [
        (rel, p.line)
        for rel, data in files.items()
        if rel.startswith("docs/") and rel.endswith(".md")
        for p in page_placeholders(rel, data.decode())
    ]
    asking = [
        (rel, n)
        for rel, data in files.items()
        if rel.startswith("docs/") and rel.endswith(".md")
        for n, line in enumerate(data.decode().splitlines(), start=1)
        if "Replace this" in line
    ]
    assert asking and found == asking


def test_generated_pages_are_not_read_and_the_rule_is_off_unless_asked(project: Path) -> None:
    assert run_cli("--root", str(project), "generate", "--no-handbook").code == 0
    (project / "docs" / "about.md").write_text("TODO\n", encoding="utf-8")
    assert run_cli("--root", str(project), "check").code == 0  # off: the mini catalogue does not ask
    _switch_on(project)
    result = run_cli("--root", str(project), "check")
    assert result.code == 2
    assert [p.split(":")[0] for p in result.err.splitlines()[:-1]] == ["docs/about.md"]


def test_a_draft_with_placeholders_still_generates(project: Path) -> None:
    _switch_on(project)
    _replace(project / "catalogue" / "traits" / "two.yml", "title: Trait Two", "title: TODO Trait Two")
    assert run_cli("--root", str(project), "generate", "--no-handbook").code == 0
