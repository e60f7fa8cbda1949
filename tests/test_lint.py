"""Completeness lint: minimums from catalogue.yml, reported like validation problems."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli

CAT = "catalogue/catalogue.yml"
ONE = "catalogue/traits/one.yml"
TWO = "catalogue/traits/two.yml"
THREE = "catalogue/traits/three.yml"


def set_minimums(project: Path, body: str) -> None:
    path = project / CAT
    path.write_text(path.read_text(encoding="utf-8") + "minimums:\n" + body, encoding="utf-8")


# (minimums, expected line start, expected message)
CASES = [
    ("  objectives: 2\n", f"{ONE}:7:1: objectives:", "needs at least 2 objectives, has 1"),
    ("  takeaways: 1\n", f"{TWO}:1:1: takeaways:", "needs at least 1 takeaways, has 0"),
    ("  behaviours: 2\n", f"{ONE}:", "behaviours: needs at least 2 behaviours, has 1"),
    ("  practices: 2\n", f"{ONE}:", "practices: needs at least 2 practices, has 1"),
    ("  pitfalls: 2\n", f"{ONE}:", "pitfalls: needs at least 2 pitfalls, has 1"),
    ("  explanation_words: 12\n", f"{ONE}:11:1: sections:", "explanation needs at least 12 words, has 11"),
    ("  scenario_words: {min: 10, max: 20}\n", f"{ONE}:", "scenario.body: scenario should have 10–20 words, has 5"),
    ("  scenario_words: {min: 1}\n", f"{TWO}:1:1: scenario:", "a scenario is required"),
    ("  related: 2\n", f"{THREE}:", "related: needs at least 2 related traits, has 1"),
    ("  terms: 1\n", f"{THREE}:1:1: terms:", "needs at least 1 glossary terms, has 0"),
    ("  references: 1\n", f"{TWO}:1:1: references:", "needs at least 1 framework references, has 0"),
    ("  exercises: 2\n", f"{TWO}:", "exercises: needs at least 2 exercises, has 1"),
    (
        "  single_choice_with_scenario: 1\n",
        f"{TWO}:",
        "needs at least 1 single-choice questions with a scenario, has 0",
    ),
    ("  multiple_select: 1\n", f"{TWO}:", "exercises: needs at least 1 multiple-select questions, has 0"),
    ("  reflection: 1\n", f"{TWO}:", "exercises: needs at least 1 reflection prompts, has 0"),
    (
        "  feedback_words: 5\n",
        f"{ONE}:",
        "exercises[0].options[0].feedback: feedback should explain why in at least 5 words, has 4",
    ),
    ("  reciprocal_related: true\n", f"{THREE}:9:9: related[0].id:", "'one' does not list 'three' back"),
    ("  glossary_terms: 3\n", f"{CAT}:", "glossary: needs at least 3 terms, has 2"),
    ("  tasks: 1\n", f"{ONE}:", "exercises: needs at least 1 constructed tasks, has 0"),
    ("  further_reading: 1\n", f"{TWO}:1:1: reading:", "needs at least 1 further-reading entries, has 0"),
    ("  reflection_support: true\n", f"{ONE}:", "reflection needs newcomers: a route for readers without"),
    ("  reflection_support: true\n", f"{ONE}:", "reflection needs example: an example answer"),
    (
        "  analytic_rubrics: true\n",
        f"{THREE}:26:9: exercises[1].criteria[1]:",
        "write this criterion as a rubric row (criterion, meets, exceeds): analytic_rubrics is on",
    ),
]


def test_searchable_terms(project: Path) -> None:
    trait = project / ONE
    trait.write_text(trait.read_text(encoding="utf-8").replace("keywords: [uno]", "keywords: [uno, how to, IT]"))
    catalogue = project / CAT
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace("aliases: [gadget]", "aliases: [gadget, of the]")
    )
    assert run_cli("--root", str(project), "check").code == 0  # the rule is off by default
    set_minimums(project, "  searchable_terms: true\n")
    result = run_cli("--root", str(project), "check")
    assert result.code == 2
    flagged = [line for line in result.err.splitlines() if "search cannot find" in line]
    assert [line.split(": search cannot find ")[1].split(":")[0] for line in flagged] == [
        "'of the'",
        "'how to'",
        "'IT'",
    ]
    assert flagged[0].startswith(f"{CAT}:") and ": glossary[0].aliases[1]:" in flagged[0]
    assert flagged[1].startswith(f"{ONE}:") and ": keywords[1]:" in flagged[1]  # fmt: skip


@pytest.mark.parametrize(("minimums", "where", "what"), CASES, ids=[c[0].split(":")[0].strip() for c in CASES])
def test_each_minimum_is_enforced(project: Path, minimums: str, where: str, what: str) -> None:
    assert run_cli("--root", str(project), "check").code == 0
    set_minimums(project, minimums)
    result = run_cli("--root", str(project), "check")
    assert result.code == 2
    assert any(line.startswith(where) and what in line for line in result.err.splitlines()), result.err
    # The lint is check's job: a draft that misses minimums still builds for preview.
    assert run_cli("--root", str(project), "generate", "--no-handbook").code == 0


def test_orphan_terms(project: Path) -> None:
    path = project / CAT
    text = path.read_text(encoding="utf-8").replace(
        "sources:", "  - id: gear\n    term: Gear\n    definition: Unused here.\nsources:", 1
    )
    path.write_text(text + "minimums:\n  no_orphan_terms: true\n", encoding="utf-8")
    result = run_cli("--root", str(project), "check")
    assert result.code == 2
    assert f"{CAT}:26:9: glossary[2].id: term 'gear' is used by no trait" in result.err


def test_summary_and_json(project: Path) -> None:
    summary = run_cli("--root", str(project), "check", "--summary")
    assert summary.code == 0
    lines = summary.out.splitlines()
    assert lines[0].split() == [
        "trait",
        "words",
        "scenario",
        "single",
        "multi",
        "reflect",
        "tasks",
        "reading",
        "related",
        "ref'd",
        "by",
        "terms",
        "fw",
        "refs",
    ]
    assert lines[2].split() == ["one", "11", "5", "1", "1", "1", "0", "0", "1", "2", "1", "1"]
    assert [line.split()[:2] for line in lines if line.startswith("total")] == [["total", "(3)"]]
    as_json = run_cli("--root", str(project), "check", "--json")
    data = json.loads(as_json.out)
    assert data["ok"] is True and data["problems"] == []
    assert data["totals"]["traits"] == 3 and data["totals"]["exercises"] == 6
    assert {t["id"]: t["referenced_by"] for t in data["traits"]} == {"one": 2, "three": 0, "two": 1}


def test_json_lists_problems_and_fails(project: Path) -> None:
    set_minimums(project, "  exercises: 3\n")
    result = run_cli("--root", str(project), "check", "--json")
    data = json.loads(result.out)
    assert result.code == 2 and data["ok"] is False
    assert len(data["problems"]) == 2  # two has one exercise, three two
