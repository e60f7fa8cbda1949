"""The JSON Schema editors use is generated from the models and committed; keep them in step."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import ROOT, run_cli
from traitbook._internal.catalogue.load import load_document
from traitbook._internal.catalogue.schema import catalogue_schema, trait_schema

SCHEMAS = {"catalogue": catalogue_schema, "trait": trait_schema}


@pytest.mark.parametrize("which", sorted(SCHEMAS))
def test_committed_schema_is_current(which: str) -> None:
    committed = json.loads((ROOT / "schema" / f"{which}.schema.json").read_text())
    assert committed == SCHEMAS[which](), "run `make schema`"


def test_schema_command_prints_json() -> None:
    result = run_cli("schema", "trait")
    assert result.code == 0
    assert json.loads(result.out)["title"] == "Traitbook trait file"


def catalogue_files() -> list[Path]:
    return [ROOT / "catalogue" / "catalogue.yml", *sorted((ROOT / "catalogue" / "traits").glob("*.yml"))]


@pytest.mark.parametrize("path", catalogue_files(), ids=lambda p: p.name)
def test_catalogue_files_name_their_schema_and_satisfy_it(path: Path) -> None:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    which = "catalogue" if path.name == "catalogue.yml" else "trait"
    assert first_line.startswith("# yaml-language-server: $schema=")
    schema_path = (path.parent / first_line.split("$schema=", 1)[1]).resolve()
    assert schema_path == (ROOT / "schema" / f"{which}.schema.json").resolve()
    data = load_document(path, path.name).data
    jsonschema.validate(data, json.loads(schema_path.read_text()))
