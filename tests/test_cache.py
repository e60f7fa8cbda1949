"""The model cache: same pages with or without it, keyed by content, pruned, never trusted."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import BaseModel

from tests.conftest import ROOT, Run, tree_digest
from traitbook import Project, build
from traitbook._internal.catalogue.cache import DEFAULT_DIR, ModelCache, content_key
from traitbook._internal.catalogue.problems import CatalogueError
from traitbook._internal.catalogue.validate import load_catalogue


def _fields_sets(model: BaseModel) -> list[frozenset[str]]:
    """Every fields-set of ``model`` and the models in it, in order."""
    found = [frozenset(model.model_fields_set)]
    for value in model.__dict__.values():
        for item in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(item, BaseModel):
                found += _fields_sets(item)
    return found


def _entries(root: Path) -> list[Path]:
    return sorted((root / DEFAULT_DIR).glob("models-*/*.json"))


def test_cached_models_equal_the_models_validated_from_yaml(tmp_path: Path) -> None:
    """Every trait of the real catalogue: equal, with the same fields set at every level."""
    cache = ModelCache.open(tmp_path)
    first = load_catalogue(ROOT / "catalogue", ROOT, cache)
    assert len(cache.pending) == len(first.catalogue.traits) and not cache.used
    cache.save()
    again = ModelCache.open(tmp_path)
    second = load_catalogue(ROOT / "catalogue", ROOT, again)
    assert len(again.used) == len(first.catalogue.traits) and not again.pending
    for cold, warm in zip(first.catalogue.traits, second.catalogue.traits, strict=True):
        assert warm == cold
        assert _fields_sets(warm) == _fields_sets(cold)


def test_a_warm_build_writes_the_same_bytes_as_a_cold_one(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    shutil.copytree(ROOT / "catalogue", root / "catalogue")
    build(Project.at(root, docs=tmp_path / "cold"))
    assert len(_entries(root)) == len(list((root / "catalogue" / "traits").glob("*.yml")))
    build(Project.at(root, docs=tmp_path / "warm"))
    build(Project.at(root, docs=tmp_path / "none", cache=False))
    assert tree_digest(tmp_path / "warm") == tree_digest(tmp_path / "cold") == tree_digest(tmp_path / "none")


def test_an_edited_file_misses_and_its_old_entry_is_pruned(project: Path) -> None:
    build(Project.at(project))
    before = {p.name for p in _entries(project)}
    path = project / "catalogue" / "traits" / "two.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("One comes before two.", "Two after one."))
    cache = ModelCache.open(project / DEFAULT_DIR)
    load_catalogue(project / "catalogue", project, cache)
    assert list(cache.pending) == [content_key(path.read_bytes())]
    assert len(cache.used) == len(before) - 1
    cache.save()
    after = {p.name for p in _entries(project)}
    assert len(after) == len(before) and len(after - before) == 1


def test_a_damaged_entry_is_a_miss_and_is_written_again(project: Path) -> None:
    build(Project.at(project))
    first = _entries(project)[0]
    good = first.read_bytes()
    first.write_bytes(b'{"id": "not a trait"')
    result = build(Project.at(project))
    assert result.report.written == ()  # same pages as before
    assert first.read_bytes() == good


def test_a_problem_in_a_cached_file_is_located_as_in_a_parsed_one(project: Path, cli: Callable[..., Run]) -> None:
    """one.yml and three.yml relate to "one"/"two": with two.yml gone, the link in one.yml
    (a cache hit, so no positions in memory) must be reported at its line and column."""
    assert cli("--root", str(project), "generate", "--no-handbook").code == 0
    (project / "catalogue" / "traits" / "two.yml").unlink()
    cached = cli("--root", str(project), "check")
    parsed = cli("--root", str(project), "--no-cache", "check")
    assert cached.code == parsed.code == 2
    assert "catalogue/traits/one.yml:25:" in cached.err
    assert cached.err == parsed.err


def test_failed_and_check_runs_leave_the_cache_alone(project: Path, cli: Callable[..., Run]) -> None:
    assert cli("--root", str(project), "check").code == 0
    assert not (project / DEFAULT_DIR).exists()  # check writes nothing, not even the cache
    assert cli("--root", str(project), "generate", "--no-handbook").code == 0
    before = tree_digest(project / ".cache")
    path = project / "catalogue" / "traits" / "three.yml"
    path.write_text(path.read_text(encoding="utf-8") + "unknown_field: 1\n")
    traits = project / "catalogue" / "traits"
    (traits / "four.yml").write_bytes((traits / "two.yml").read_bytes())  # valid, new: would be cached
    assert cli("--root", str(project), "generate", "--no-handbook").code == 2
    assert tree_digest(project / ".cache") == before


def test_no_cache_option_creates_no_cache(project: Path, cli: Callable[..., Run]) -> None:
    assert cli("--root", str(project), "--no-cache", "generate", "--no-handbook").code == 0
    assert not (project / ".cache").exists()


def test_other_fingerprints_are_removed_and_foreign_files_kept(project: Path) -> None:
    cache_root = project / DEFAULT_DIR
    stale = cache_root / "models-0123456789abcdef"
    stale.mkdir(parents=True)
    (stale / f"{'0' * 64}.json").write_text("{}")
    (cache_root / "notes.txt").write_text("mine")
    (cache_root / "models-0123456789abcdef-backup").mkdir()
    build(Project.at(project))
    assert not stale.exists()
    assert (cache_root / "notes.txt").read_text() == "mine"
    assert (cache_root / "models-0123456789abcdef-backup").is_dir()


def test_an_unwritable_cache_is_skipped(project: Path) -> None:
    (project / ".cache").write_text("a file where the cache folder would go")
    result = build(Project.at(project))
    assert result.report.written
    assert (project / ".cache").read_text().startswith("a file")


@pytest.mark.parametrize("garbage", [b"", b"\x00\xff", b"[]", b'{"id": 1}'])
def test_garbage_entries_never_validate(tmp_path: Path, garbage: bytes) -> None:
    raw = b"anything"
    cache = ModelCache.open(tmp_path)
    cache.folder.mkdir(parents=True)
    (cache.folder / f"{content_key(raw)}.json").write_bytes(garbage)
    assert cache.get(raw) is None and not cache.used


def test_a_catalogue_error_still_raises_with_a_cache(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError):
        load_catalogue(ROOT / "tests" / "fixtures" / "broken", ROOT, ModelCache.open(tmp_path))
