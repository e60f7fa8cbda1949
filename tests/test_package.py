"""The installed package: a wheel holds `traitbook` (never a top-level `generator`), its
templates and entry points, and works from any folder; the public API is what it says."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import traitbook
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # A copy of what the build reads, so building writes nothing into the checkout.
    source = out / "src"
    shutil.copytree(
        ROOT / "generator", source / "generator", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    # No build isolation: setuptools comes from the dev dependencies, so no download is needed.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("traitbook-*.whl")
    return path


def test_the_wheel_holds_only_the_traitbook_package(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/", 1)[0] for name in names}
    assert tops == {"traitbook", f"{wheel.name.split('-')[0]}-{wheel.name.split('-')[1]}.dist-info"}
    for needed in (
        "traitbook/py.typed",
        "traitbook/_internal/site/templates/trait.md.j2",
        "traitbook/_internal/handbook/templates/handbook.css",
        # What `traitbook init` writes, dot-files and the theme included.
        "traitbook/_internal/scaffold/project/mkdocs.yml",
        "traitbook/_internal/scaffold/project/dot-gitignore",
        "traitbook/_internal/scaffold/project/dot-github/workflows/pages.yml",
        "traitbook/_internal/scaffold/project/catalogue/traits/curious.yml",
        "traitbook/_internal/scaffold/project/overrides/main.html",
        "traitbook/_internal/scaffold/project/overrides/assets/traitbook/selfcheck.js",
    ):
        assert needed in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "traitbook = traitbook._internal.adapters.cli:console" in text
    assert "[mkdocs.plugins]\ntraitbook = traitbook._internal.adapters.mkdocs_plugin:TraitbookPlugin" in text


def test_the_installed_wheel_imports_traitbook_and_checks_a_catalogue(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site-packages"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    probe = (
        "import importlib.util, json, sys, traitbook\n"
        "from pathlib import Path\n"
        f"loaded = traitbook.load_and_validate(traitbook.Project.at(Path({str(ROOT)!r}), cache=False))\n"
        "print(json.dumps({'file': traitbook.__file__, 'generator': importlib.util.find_spec('generator') is not None,"
        " 'traits': len(loaded.catalogue.traits)}))\n"
    )
    # Run from an empty folder, with the wheel's folder first on the path: the source tree and the
    # editable install of this checkout are not what is imported.
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    seen = json.loads(result.stdout)
    assert Path(seen["file"]).is_relative_to(target)
    assert seen["generator"] is False
    assert seen["traits"] == 8


def test_the_public_api_lists_what_it_exports() -> None:
    for name in traitbook.__all__:
        assert getattr(traitbook, name) is not None, name
    assert issubclass(traitbook.CatalogueError, Exception)
    with pytest.raises(AttributeError):
        _ = traitbook.not_a_name


def test_python_m_generator_runs_the_source_next_to_it(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--help"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "build" in result.stdout
