"""What the command line prints, and how it ends: shared by the parser and the commands.

Output is plain lines when it is not a terminal; on a terminal, rich adds colour and a
spinner for the slow handbook step.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO

from rich.console import Console

from ..errors import TraitbookError

EXIT_OK, EXIT_INTERNAL, EXIT_CATALOGUE = 0, 1, 2


@dataclass
class Output:
    """Where messages go. Rich only styles when the stream is a terminal."""

    out: Console
    err: Console

    @classmethod
    def for_streams(cls, out: TextIO, err: TextIO) -> Output:
        # No highlighting, markup or emoji codes: text is printed as written (":100:" is a line
        # number, not an emoji code).
        return cls(
            Console(file=out, highlight=False, markup=False, emoji=False, soft_wrap=True),
            Console(file=err, highlight=False, markup=False, emoji=False, soft_wrap=True),
        )

    def line(self, text: str, style: str | None = None) -> None:
        self.out.print(text, style=style)

    def problem(self, text: str) -> None:
        self.err.print(text, style="red" if self.err.is_terminal else None)

    @contextmanager
    def working(self, what: str) -> Iterator[None]:
        """A spinner while something slow runs, on a terminal only."""
        if self.err.is_terminal:
            with self.err.status(what):
                yield
        else:
            yield


class UsageError(TraitbookError):
    """A command line that cannot be parsed; the message is the usage and the error."""
