"""JSON Schema of the catalogue format, for editors (yaml-language-server) and tools."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .model import Site, Trait


def _schema(model: type[BaseModel], title: str) -> dict[str, Any]:
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = title
    return schema


def catalogue_schema() -> dict[str, Any]:
    return _schema(Site, "Traitbook catalogue.yml")


def trait_schema() -> dict[str, Any]:
    return _schema(Trait, "Traitbook trait file")
