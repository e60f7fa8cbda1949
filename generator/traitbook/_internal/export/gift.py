"""GIFT, Moodle's text format for questions.

Written by hand: of the GIFT libraries on PyPI, gift-wrapper writes no per-option feedback and
no categories and reorders answers, and py2gift only drives gift-wrapper; the format is a few
escaping rules, taken here from Moodle's own exporter (qformat_gift::repchar).

What GIFT keeps: the category path per trait (``$CATEGORY:``), the question name, the question
idnumber (current Moodle reads ``// [id:…]`` in the comment before a question; older versions
skip the comment), question and option text as HTML (``[html]``), per-option feedback, which
options are keys and their grades. What it drops: an essay's grader information (GIFT has no field for it, and a comment
is not harmless: Moodle reads ``[id:…]`` and ``[tag:…]`` in comments), so the essays' guidance,
criteria and model answers travel only in Moodle XML and QTI.
"""

from __future__ import annotations

from .bank import Bank, Question
from .moodle import answers, category_path, idnumber

# Moodle's repchar: backslash first, then the characters GIFT gives a meaning; a line break
# becomes "\n" (Moodle turns it back into one), a carriage return goes.
_ESCAPES = str.maketrans(
    {"\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{", "}": "\\}", ":": "\\:", "\n": "\\n", "\r": ""}
)


def escape(text: str) -> str:
    return text.translate(_ESCAPES)


def _text(html: str) -> str:
    # "[html]" on every text, not only the question's: Moodle would otherwise read a text that
    # starts with "[markdown]" or "[plain]" as a format marker.
    return "[html]" + escape(html)


def _category_line(path: str) -> str:
    # The category line is not unescaped by Moodle except for "\\", so only backslashes are
    # doubled; a line break would end it.
    return "$CATEGORY: " + " ".join(path.replace("\\", "\\\\").split())


def _question(question: Question) -> list[str]:
    ident = idnumber(question).replace("]", "\\]")  # Moodle's rule for "]" inside [id:…]
    head = [f"// [id:{ident}]", f"::{escape(question.name)}::{_text(question.text_html)}"]
    if question.kind == "essay":
        return [*head[:-1], head[-1] + "{}"]
    lines = [*head[:-1], head[-1] + "{"]
    for choice, fraction in answers(question):
        single = "=" if choice.correct else "~"
        mark = single if question.kind == "single" else f"~%{fraction}%"
        lines.append(f"\t{mark}{_text(choice.html)}#{_text(choice.feedback_html)}")
    lines.append("}")
    return lines


def write(bank: Bank) -> bytes:
    blocks: list[str] = []
    for category in bank.categories:
        blocks.append(_category_line(category_path(bank, category)))
        blocks.extend("\n".join(_question(q)) for q in category.questions)
    return ("\n\n".join(blocks) + "\n").encode("utf-8") if blocks else b""
