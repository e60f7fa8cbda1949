"""What the command line prints, and how it ends: shared by the parser and the commands.

Output is plain lines when it is not a terminal; on a terminal, rich adds colour and a
spinner for the slow handbook step.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console

from ..errors import TraitbookError

EXIT_OK, EXIT_INTERNAL, EXIT_CATALOGUE = 0, 1, 2


def is_terminal(stream: TextIO) -> bool:
    """As rich decides it: a terminal, or colour forced (FORCE_COLOR)."""
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _console(stream: TextIO) -> Console:
    from rich.console import Console

    # No highlighting, markup or emoji codes: text is printed as written (":100:" is a line
    # number, not an emoji code).
    return Console(file=stream, highlight=False, markup=False, emoji=False, soft_wrap=True)


@dataclass
class Output:
    """Where messages go: plain lines, or through rich (colour, a spinner) on a terminal.

    Rich is imported only for a terminal: off one (CI logs, pipes, a build's child process) a
    line is written as it is, and a build with nothing to do does not pay for the import."""

    out: TextIO
    err: TextIO
    _consoles: dict[int, Console] = field(default_factory=dict)

    @classmethod
    def for_streams(cls, out: TextIO, err: TextIO) -> Output:
        return cls(out, err)

    def _rich(self, stream: TextIO) -> Console | None:
        if not is_terminal(stream):
            return None
        if id(stream) not in self._consoles:
            self._consoles[id(stream)] = _console(stream)
        return self._consoles[id(stream)]

    def _print(self, stream: TextIO, text: str, style: str | None) -> None:
        console = self._rich(stream)
        if console is None:
            stream.write(text + "\n")
            stream.flush()
        else:
            console.print(text, style=style)

    def line(self, text: str, style: str | None = None) -> None:
        self._print(self.out, text, style)

    def problem(self, text: str) -> None:
        self._print(self.err, text, "red")

    @contextmanager
    def working(self, what: str) -> Iterator[None]:
        """A spinner while something slow runs, on a terminal only."""
        console = self._rich(self.err)
        if console is None:
            yield
            return
        with console.status(what):
            yield


class UsageError(TraitbookError):
    """A command line that cannot be parsed; the message is the usage and the error."""
