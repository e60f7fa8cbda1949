"""The catalogue's exercises for learning platforms: GIFT and Moodle XML for Moodle, a QTI 1.2
package for Canvas. Pure: a plan in, bytes out; the CLI writes them.

- :func:`question_bank`: the plan's exercises as a format-neutral :class:`Bank`.
- :func:`export`: a bank in one of :data:`FORMATS`, byte-identical for the same bank.
- :func:`file_name`: the file name a download of that format gets.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import ExportError
from ..i18n import Messages
from ..infra.layout import LMS_FILES, LMS_FORMATS
from . import gift, moodle_xml, qti
from .bank import Bank, Category, Choice, ExportLabels, Question, question_bank

_WRITERS: dict[str, tuple[Callable[[Bank], bytes], str]] = {
    "gift": (gift.write, LMS_FILES["gift"]),
    "moodle-xml": (moodle_xml.write, LMS_FILES["moodle-xml"]),
    "qti": (qti.write, LMS_FILES["qti"]),
}


#: The CLI's choices for ``export --format``.
FORMATS = LMS_FORMATS


def _writer(fmt: str) -> tuple[Callable[[Bank], bytes], str]:
    try:
        return _WRITERS[fmt]
    except KeyError:
        raise ExportError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}") from None


def export(bank: Bank, fmt: str) -> bytes:
    """``bank`` in format ``fmt`` (ExportError if unknown); the same bank gives the same bytes."""
    return _writer(fmt)[0](bank)


def file_name(fmt: str) -> str:
    return _writer(fmt)[1]


def labels_for(words: Messages) -> ExportLabels:
    """The grader-information headings in the catalogue's language (i18n ``export.*``)."""
    return ExportLabels(
        guidance=words("export.guidance"),
        example=words("export.example"),
        newcomers=words("export.newcomers"),
        criteria=words("export.criteria"),
        meets=words("export.meets"),
        exceeds=words("export.exceeds"),
        model_answer=words("export.model_answer"),
    )


__all__ = [
    "FORMATS",
    "Bank",
    "Category",
    "Choice",
    "ExportLabels",
    "Question",
    "export",
    "file_name",
    "labels_for",
    "question_bank",
]
