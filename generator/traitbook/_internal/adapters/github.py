"""``check --format github``: problems as GitHub workflow commands, the summary as Markdown.

GitHub turns ``::error file=…,line=…,col=…,title=…::message`` lines of a job's log into
annotations on the pull request's changed lines. Properties and message are escaped exactly as
GitHub's own toolkit does (``@actions/core``, ``command.ts``): ``%``, ``\\r`` and ``\\n`` in
both, and ``:`` and ``,`` in properties, where they would end a value.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from ..catalogue.lint import TraitStats
from ..catalogue.problems import Problem
from .summary import COLUMNS, totals

Level = Literal["error", "warning"]

_DATA = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A"})
_PROPERTY = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"})


def escape_data(text: str) -> str:
    return text.translate(_DATA)


def escape_property(text: str) -> str:
    return text.translate(_PROPERTY)


def workflow_file(problem: Problem, root: Path, workspace: Path) -> str:
    """The problem's file relative to the checkout (GitHub matches annotations by that path)."""
    path = (root / problem.file).resolve()
    try:
        return path.relative_to(workspace.resolve()).as_posix()
    except ValueError:
        return problem.file


def annotation(problem: Problem, level: Level, file: str) -> str:
    """One problem as a workflow command; the title names the field (escaped like every property:
    a field path may hold anything a key may), the message says what is wrong."""
    properties = {
        "file": file,
        "line": str(problem.line),
        "col": str(problem.col),
        "title": f"Traitbook check · {problem.path or 'the whole file'}",
    }
    listed = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{level} {listed}::{escape_data(problem.message)}"


def workflow_commands(
    problems: Sequence[Problem], level: Level, root: Path, environ: dict[str, str] | None = None
) -> list[str]:
    env = dict(os.environ) if environ is None else environ
    workspace = Path(env.get("GITHUB_WORKSPACE") or Path.cwd())
    return [annotation(p, level, workflow_file(p, root, workspace)) for p in problems]


def summary_markdown(stats: list[TraitStats], errors: int, warnings: int) -> str:
    """The ``check --summary`` table as GitHub-flavoured Markdown, for ``$GITHUB_STEP_SUMMARY``."""
    header = [heading for heading, _ in COLUMNS]
    rows = [[str(getattr(s, attr)) for _, attr in COLUMNS] for s in stats]
    sums = totals(stats)
    rows.append([f"**total ({len(stats)})**", *(str(sums[attr]) for _, attr in COLUMNS[1:])])
    verdict = (
        "every minimum met"
        if not errors and not warnings
        else f"{errors} error(s), {warnings} warning(s): see the annotations"
    )
    lines = [
        f"### Traitbook check: {verdict}",
        "",
        "| " + " | ".join(_cell(h) for h in header) + " |",
        "|" + "|".join(["---", *("---:" for _ in header[1:])]) + "|",
        *("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows),
    ]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
