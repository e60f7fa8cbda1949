"""The real catalogue: valid, and written in its own words."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

#: The project's shared folder (the seed article and its tool) lies beside the checkout, in CI too.
SEED_OVERLAP_PLACES = [ROOT.parent / "shared" / "tools" / "seed-overlap", Path("/work/shared/tools/seed-overlap")]


def seed_overlap_tool() -> Path:
    found = next((p for p in SEED_OVERLAP_PLACES if p.is_file()), None)
    if found is None:
        places = ", ".join(str(p) for p in SEED_OVERLAP_PLACES)
        if os.environ.get("CI"):
            pytest.fail(f"the seed-overlap tool is in none of {places}: CI must run this check")
        pytest.skip(f"shared/tools/seed-overlap is not beside this checkout ({places})")
    return found


def test_real_catalogue_passes_check() -> None:
    result = run_cli("--root", str(ROOT), "check")
    assert result.code == 0, result.err
    assert result.out.startswith("ok: 8 traits")


def test_no_sentence_is_copied_from_the_seed_article() -> None:
    targets = [str(ROOT / "catalogue"), str(ROOT / "docs")]
    tool = seed_overlap_tool()
    result = subprocess.run([sys.executable, str(tool), *targets], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith("0 run(s) of 8+ words shared with the seed")


def test_real_catalogue_keeps_the_course_minimums() -> None:
    """The minimums the course promises (issue 3); lowering them must be a visible change."""
    from traitbook import Project, load_and_validate

    rules = load_and_validate(Project.at(ROOT)).catalogue.site.minimums
    assert (rules.objectives, rules.takeaways, rules.explanation_words) == (3, 3, 300)
    assert (rules.behaviours, rules.practices, rules.pitfalls, rules.related) == (5, 4, 3, 2)
    assert rules.scenario_words is not None and (rules.scenario_words.min, rules.scenario_words.max) == (150, 300)
    assert (rules.exercises, rules.single_choice_with_scenario, rules.multiple_select, rules.reflection) == (6, 3, 1, 1)
    assert rules.glossary_terms >= 20 and rules.reciprocal_related and rules.no_orphan_terms
    # The second edition (issue 17): a constructed task and further reading per trait, support for
    # newcomers in every reflection, and keys that cannot be found without reading.
    assert (rules.tasks, rules.further_reading, rules.reflection_support) == (1, 3, True)
    assert rules.answer_cues is not None and rules.answer_cues.significance <= 0.05
    # The third edition (issue 31): analytic rubrics, and the multiple-select cue rules on.
    assert rules.analytic_rubrics
    assert rules.answer_cues.multiple_key_positions and rules.answer_cues.all_but_one
    # The fourth review: no key sits in a pair of near-twin options.
    assert rules.answer_cues.twin_options is not None and rules.answer_cues.twin_options <= 0.4


def test_real_catalogue_passes_the_lint_with_a_summary() -> None:
    result = run_cli("--root", str(ROOT), "check", "--summary")
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1] == "ok: 8 traits, 67 exercises, every minimum met"
