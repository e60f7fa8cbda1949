"""The root of every error Traitbook raises for a user to act on.

``except TraitbookError`` catches them all: a catalogue with problems (``CatalogueError``), an
output that cannot be written (``WriteError``), a handbook that cannot be typeset
(``HandbookError``), a project ``init`` cannot write (``InitError``), an export that cannot be made
(``ExportError``) and a command line that cannot be parsed (the CLI's ``UsageError``). Each
carries a message meant for the person who ran the command; anything else is a bug.
"""

from __future__ import annotations


class TraitbookError(Exception):
    """Something the user can fix: the message says what and, where it can, how."""


class ExportError(TraitbookError):
    """An export that cannot be made as asked: an unknown format or trait, text a format cannot hold."""
