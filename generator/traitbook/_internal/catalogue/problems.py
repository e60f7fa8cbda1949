"""Problems found in a catalogue, and the error that carries all of them at once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from ..errors import TraitbookError


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the catalogue, located as precisely as we can.

    Rendered as ``file:line:col: field.path: message`` so editors and CI logs can jump to it.
    Ordering (file, line, col, …) gives a stable report whatever order checks ran in.
    """

    file: str
    line: int
    col: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.path or '(document)'}: {self.message}"


class CatalogueError(TraitbookError):
    """Raised once, after every stage has collected all of its problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__(f"{len(self.problems)} problem(s) in the catalogue")


def format_path(parts: tuple[str | int, ...]) -> str:
    """``("exercises", 1, "options", 2)`` → ``exercises[1].options[2]``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def display_path(path: PurePath, root: PurePath) -> str:
    """Paths in messages are relative to the project root when possible, with forward slashes."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
