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
