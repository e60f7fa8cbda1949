"""The real catalogue: valid, and written in its own words."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

SEED_OVERLAP = ROOT.parent / "shared" / "tools" / "seed-overlap"


def test_real_catalogue_passes_check() -> None:
    result = run_cli("--root", str(ROOT), "check")
    assert result.code == 0, result.err
    assert result.out.startswith("ok: 8 traits")


@pytest.mark.skipif(not SEED_OVERLAP.exists(), reason="shared/tools/seed-overlap is not beside this checkout")
def test_no_sentence_is_copied_from_the_seed_article(tmp_path: Path) -> None:
    targets = [str(ROOT / "catalogue"), str(ROOT / "docs")]
    result = subprocess.run([str(SEED_OVERLAP), *targets], capture_output=True, text=True, check=False)
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


def test_real_catalogue_passes_the_lint_with_a_summary() -> None:
    result = run_cli("--root", str(ROOT), "check", "--summary")
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1] == "ok: 8 traits, 64 exercises, every minimum met"
