"""Build a real site from a catalogue in a temporary project (shared by site and browser tests)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def make_site(tmp: Path, catalogue: Path, site_url: str = "http://127.0.0.1:8000/") -> Path:
    """Copy the site config, theme overrides and hand-written docs next to ``catalogue``; build."""
    root = tmp / "proj"
    for name in ("generator", "overrides"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    hand_written = [p for p in (ROOT / "docs").iterdir() if p.is_file() or p.name in ("assets",)]
    (root / "docs").mkdir()
    for path in hand_written:
        (shutil.copy if path.is_file() else shutil.copytree)(path, root / "docs" / path.name)
    shutil.copytree(catalogue, root / "catalogue")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": site_url}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return root
