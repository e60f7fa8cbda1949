"""Traitbook: a catalogue of traits → a learning site (MkDocs + Material) and a handbook.

The public API, one call per use (see ARCHITECTURE.md)::

    from traitbook import Project, load_and_validate, build, build_handbook, CatalogueError, TraitbookError

    project = Project.at(Path("."))
    try:
        result = build(project)          # load → validate → plan → render → write docs/
        build_handbook(project, result.plan)
    except CatalogueError as error:
        for problem in error.problems:   # file:line:col: field.path: message
            print(problem)
    except TraitbookError as error:      # the root of every error a user can act on
        print(error)

Names are imported on first use: ``python -m generator handbook`` starts its typesetting
workers before the rest of the package loads (see __main__.py).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name → the module that defines it.
_EXPORTS = {
    "Project": "_internal.infra.layout",
    "Result": "_internal.pipeline",
    "HandbookResult": "_internal.pipeline",
    "load_and_validate": "_internal.pipeline",
    "write_handbook": "_internal.pipeline",
    "build": "_internal.pipeline",
    "build_handbook": "_internal.pipeline",
    "TraitbookError": "_internal.errors",
    "ExportError": "_internal.errors",
    "CatalogueError": "_internal.catalogue.problems",
    "Problem": "_internal.catalogue.problems",
    "WriteError": "_internal.infra.write",
    "HandbookError": "_internal.handbook.typeset",
}

__all__ = [
    "CatalogueError",
    "ExportError",
    "HandbookError",
    "HandbookResult",
    "Problem",
    "Project",
    "Result",
    "TraitbookError",
    "WriteError",
    "__version__",
    "build",
    "build_handbook",
    "load_and_validate",
    "write_handbook",
]

if TYPE_CHECKING:
    from ._internal.catalogue.problems import CatalogueError, Problem
    from ._internal.errors import ExportError, TraitbookError
    from ._internal.handbook.typeset import HandbookError
    from ._internal.infra.layout import Project
    from ._internal.infra.write import WriteError
    from ._internal.pipeline import (
        HandbookResult,
        Result,
        build,
        build_handbook,
        load_and_validate,
        write_handbook,
    )


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
