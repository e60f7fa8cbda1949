"""The build stamp: a build with nothing to do does nothing, and anything that changes what a
build would write (a catalogue file, a generated file, the generator, the environment) makes it
run again. Never a stale page: each way the files can drift is tried."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, Run, run_cli
from traitbook._internal import pipeline
from traitbook._internal.adapters.mkdocs_plugin import TraitbookPlugin
from traitbook._internal.infra import stamp
from traitbook._internal.infra.layout import Project

UP_TO_DATE = "generate: nothing changed since the last build; the generated files are up to date\n"


def generate(project: Path, *options: str) -> Run:
    return run_cli("--root", str(project), *options, "generate", "--no-handbook")


def pages(project: Path) -> dict[str, int]:
    """Each generated page with its modification time: a skipped build touches none."""
    return {p.relative_to(project).as_posix(): p.stat().st_mtime_ns for p in (project / "docs" / "traits").rglob("*")}


def test_a_second_build_with_nothing_changed_does_nothing(project: Path) -> None:
    first = generate(project)
    assert first.code == 0 and first.out.startswith("generated ")
    before = pages(project)
    again = generate(project)
    assert again.code == 0 and again.out == UP_TO_DATE
    assert pages(project) == before


def test_an_edited_catalogue_file_is_generated_again(project: Path) -> None:
    assert generate(project).code == 0
    trait = project / "catalogue" / "traits" / "two.yml"
    trait.write_text(trait.read_text(encoding="utf-8").replace("title: ", "title: Renamed ", 1), encoding="utf-8")
    again = generate(project)
    assert again.code == 0 and again.out.startswith("generated ")
    assert "Renamed" in (project / "docs" / "traits" / "two.md").read_text(encoding="utf-8")


def test_a_generated_page_edited_by_hand_is_restored(project: Path) -> None:
    assert generate(project).code == 0
    page = project / "docs" / "traits" / "two.md"
    original = page.read_bytes()
    page.write_text("edited\n", encoding="utf-8")
    assert generate(project).out.startswith("generated ")
    assert page.read_bytes() == original


def test_a_deleted_page_is_written_again(project: Path) -> None:
    assert generate(project).code == 0
    page = project / "docs" / "traits" / "two.md"
    original = page.read_bytes()
    page.unlink()
    assert generate(project).out.startswith("generated ")
    assert page.read_bytes() == original


def test_a_file_added_to_a_generated_folder_makes_the_build_run_and_is_left_alone(project: Path) -> None:
    assert generate(project).code == 0
    mine = project / "docs" / "traits" / "mine.md"
    mine.write_text("# Mine\n", encoding="utf-8")
    assert generate(project).out.startswith("generated ")
    assert mine.read_text(encoding="utf-8") == "# Mine\n"
    assert generate(project).out == UP_TO_DATE


def test_the_environment_the_output_reads_is_part_of_the_stamp(project: Path) -> None:
    assert generate(project).code == 0
    p = Project.at(project)
    assert stamp.is_fresh(p, {}, handbook=False)
    assert not stamp.is_fresh(p, {"SOURCE_DATE_EPOCH": "1700000000"}, handbook=False)


def test_a_change_to_the_generator_itself_is_part_of_the_stamp(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    shutil.copytree(Path(stamp.__file__).parent, package)
    catalogue = tmp_path / "catalogue"
    catalogue.mkdir()
    before = stamp.input_digest(catalogue, {}, handbook=False, package=package)
    assert stamp.input_digest(catalogue, {}, handbook=False, package=package) == before
    module = package / "write.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert stamp.input_digest(catalogue, {}, handbook=False, package=package) != before


def test_a_stamp_without_the_handbook_does_not_stand_for_a_build_with_it(project: Path) -> None:
    assert generate(project).code == 0
    p = Project.at(project)
    assert stamp.is_fresh(p, os.environ, handbook=False)
    assert not stamp.is_fresh(p, os.environ, handbook=True)
    # The plugin's own mode: PDFs only when missing. None exist yet, so there is work to do.
    assert not stamp.is_fresh(p, os.environ, handbook=True, missing_only=True)


def test_no_cache_means_no_stamp(project: Path) -> None:
    assert generate(project, "--no-cache").code == 0
    assert not (project / ".cache").exists()
    assert generate(project, "--no-cache").out.startswith("generated ")


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b'{"version": 1}', b'{"version": 1, "inputs": 3, "outputs": 4}'])
def test_a_damaged_stamp_is_not_fresh_and_is_replaced(project: Path, content: bytes) -> None:
    assert generate(project).code == 0
    path = stamp.stamp_path(Project.at(project))
    assert path is not None and path.is_file()
    path.write_bytes(content)
    assert not stamp.is_fresh(Project.at(project), os.environ, handbook=False)
    assert generate(project).out.startswith("generated ")
    assert generate(project).out == UP_TO_DATE


def test_a_failed_build_leaves_the_stamp_of_the_last_good_one(project: Path) -> None:
    assert generate(project).code == 0
    path = stamp.stamp_path(Project.at(project))
    assert path is not None
    good = path.read_bytes()
    trait = project / "catalogue" / "traits" / "two.yml"
    text = trait.read_text(encoding="utf-8")
    trait.write_text(text + "unknown_field: 1\n", encoding="utf-8")
    assert generate(project).code == 2
    assert path.read_bytes() == good
    trait.write_text(text, encoding="utf-8")  # back as it was: the last build's files stand
    assert generate(project).out == UP_TO_DATE


def _plugin(project: Path) -> tuple[TraitbookPlugin, object]:
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"))
    plugin = config.plugins["traitbook"]
    assert isinstance(plugin, TraitbookPlugin)
    return plugin, config


def test_the_plugin_does_nothing_when_the_stamp_is_fresh(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`traitbook build` generates, then runs MkDocs, whose plugin must not generate again."""
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    assert generate(project).code == 0
    calls: list[bool] = []

    def counted(*args: Any, **kwargs: Any) -> pipeline.SiteFiles:
        calls.append(True)
        return real(*args, **kwargs)

    real = pipeline.generate_site
    monkeypatch.setattr(pipeline, "generate_site", counted)
    monkeypatch.setattr(stamp, "pdfs_present", lambda project: True)  # the mini project has no PDFs
    plugin, config = _plugin(project)
    plugin.on_config(config)  # type: ignore[arg-type]
    assert calls == []
    trait = project / "catalogue" / "traits" / "two.yml"
    trait.write_text(trait.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    plugin, config = _plugin(project)
    plugin.on_config(config)  # type: ignore[arg-type]
    assert calls == [True]
