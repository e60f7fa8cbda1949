"""Modules and files named in strings exist. A name that no longer matches fails here, not
quietly elsewhere: the fork server skips a preload it cannot import (every worker then imports
it itself), and the cache fingerprint reads each of its files at every build."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from traitbook._internal.catalogue import cache
from traitbook._internal.handbook import workers


@pytest.mark.parametrize("name", workers.PRELOAD)
def test_every_module_the_fork_server_preloads_can_be_imported(name: str) -> None:
    importlib.import_module(name)


@pytest.mark.parametrize("name", cache._SOURCES)
def test_every_file_of_the_cache_fingerprint_is_beside_cache_py(name: str) -> None:
    assert (Path(cache.__file__).parent / name).is_file()
