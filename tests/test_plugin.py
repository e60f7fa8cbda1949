"""The MkDocs plugin's options, called as MkDocs calls it (a full site build is in test_site.py)."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from mkdocs.exceptions import PluginError

from tests.conftest import MINI
from traitbook._internal.adapters.mkdocs_plugin import TraitbookPlugin


def _plugin(options: dict[str, object], root: Path) -> TraitbookPlugin:
    plugin = TraitbookPlugin()
    errors, warnings = plugin.load_config(options, config_file_path=str(root / "mkdocs.yml"))
    assert (errors, warnings) == ([], [])
    plugin.on_startup(command="build", dirty=False)
    return plugin


def _config(root: Path) -> Any:
    return SimpleNamespace(
        config_file_path=str(root / "mkdocs.yml"),
        docs_dir=str(root / "docs"),
        site_name="placeholder",
        site_description="placeholder",
        theme={},
        extra={},
    )


def test_options_name_the_catalogue_and_turn_off_the_handbook_and_cache(tmp_path: Path) -> None:
    shutil.copytree(MINI, tmp_path / "courses" / "mini")
    plugin = _plugin({"catalogue": "courses/mini", "handbook": False, "cache": False}, tmp_path)
    config = plugin.on_config(cast(Any, _config(tmp_path)))
    assert (tmp_path / "docs" / "traits" / "one.md").is_file()
    assert (tmp_path / "docs" / "traits" / "SUMMARY.md").is_file()
    assert not (tmp_path / "docs" / "downloads").exists()  # handbook: false
    assert not (tmp_path / ".cache").exists()  # cache: false
    assert (config.site_name, config.theme["language"]) == ("Mini catalogue", "en")


def test_defaults(tmp_path: Path) -> None:
    (tmp_path / "catalogue").mkdir()
    options = _plugin({}, tmp_path).config
    assert (options.enabled, options.catalogue, options.handbook, options.optimise_theme, options.cache) == (
        True,
        str(tmp_path / "catalogue"),  # resolved beside mkdocs.yml
        True,
        False,
        True,
    )


def test_a_catalogue_folder_that_does_not_exist_is_a_config_error(tmp_path: Path) -> None:
    errors, _ = TraitbookPlugin().load_config({"catalogue": "nowhere"}, config_file_path=str(tmp_path / "mkdocs.yml"))
    assert [name for name, _ in errors] == ["catalogue"]
    assert "nowhere" in str(errors[0][1]) and "isn't an existing directory" in str(errors[0][1])


def test_enabled_false_leaves_docs_and_the_config_alone(tmp_path: Path) -> None:
    shutil.copytree(MINI, tmp_path / "catalogue")
    plugin = _plugin({"enabled": False}, tmp_path)
    config = plugin.on_config(cast(Any, _config(tmp_path)))
    assert not (tmp_path / "docs").exists()
    assert config.site_name == "placeholder"


def test_a_misspelt_option_is_reported() -> None:
    # MkDocs reports an unknown plugin option as a warning, which `--strict` turns into a failure.
    errors, warnings = TraitbookPlugin().load_config({"optimize_theme": True})
    assert errors == []
    assert [name for name, _ in warnings] == ["optimize_theme"]


def test_a_catalogue_error_stops_a_build_with_every_problem(tmp_path: Path) -> None:
    shutil.copytree(MINI, tmp_path / "catalogue")
    trait = tmp_path / "catalogue" / "traits" / "two.yml"
    trait.write_text(trait.read_text(encoding="utf-8").replace("title: Trait Two", "title: 12"), encoding="utf-8")
    plugin = _plugin({"handbook": False, "cache": False}, tmp_path)
    with pytest.raises(PluginError, match=r"the catalogue has 1 problem\(s\):\n.*two\.yml:\d+:\d+: title: "):
        plugin.on_config(cast(Any, _config(tmp_path)))
    assert not (tmp_path / "docs").exists()  # nothing written
