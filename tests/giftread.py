"""A strict GIFT reader for the export tests, following Moodle's importer (qformat_gift::readquestion
and qformat_default::readquestions) step by step, and refusing anything the exporter should never
write. It is not the exporter's code read backwards: it unescapes with Moodle's placeholders, finds
the answer block with the first "{" and "}", splits answers on "~" and feedback on the first "#".

The GIFT parsers on PyPI do not read Moodle's GIFT as Moodle does: pygiftparserrgmf keeps "\\n"
escapes and the "[html]" marker in the text; pygiftparser dates from 2017 and renders Markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

# Moodle's escapedchar_pre / escapedchar_post.
_ESCAPED = ("\\:", "\\#", "\\=", "\\{", "\\}", "\\~", "\\n")
_PLACEHOLDERS = ("&&058;", "&&035;", "&&061;", "&&123;", "&&125;", "&&126;", "&&010")
_CHARACTERS = (":", "#", "=", "{", "}", "~", "\n")
_WEIGHT = re.compile(r"^%(-*)([0-9]{1,2})\.?([0-9]*)%")
_ID = re.compile(r"\[id:((?:\\]|[^]\[\x00-\x1f\x7f])+)]")


class GiftError(ValueError):
    pass


@dataclass
class GiftAnswer:
    text: str
    weight: Decimal
    feedback: str


@dataclass
class GiftQuestion:
    category: str
    idnumber: str
    name: str
    text: str
    kind: str  # "multichoice" or "essay"
    single: bool = False
    answers: list[GiftAnswer] = field(default_factory=list)


def _pre(text: str) -> str:
    text = text.replace("\\\\", "&&092;")
    for escaped, placeholder in zip(_ESCAPED, _PLACEHOLDERS, strict=True):
        text = text.replace(escaped, placeholder)
    return text.replace("&&092;", "\\")


def _post(text: str) -> str:
    for placeholder, character in zip(_PLACEHOLDERS, _CHARACTERS, strict=True):
        text = text.replace(placeholder, character)
    return text


def _html(text: str) -> str:
    """parse_text_with_format, strict: the exporter marks every text as HTML."""
    text = text.strip()
    if not text.startswith("[html]"):
        raise GiftError(f"text without the [html] marker: {text[:60]!r}")
    return _post(text[len("[html]") :]).strip()


def _blocks(source: str) -> list[list[str]]:
    """qformat_default::readquestions: a question ends at a line that is blank after trimming."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in source.split("\n"):
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def read_gift(source: str) -> list[GiftQuestion]:
    if "\r" in source:
        raise GiftError("carriage return in the file")
    questions: list[GiftQuestion] = []
    category: str | None = None
    for lines in _blocks(source):
        comments = "\n".join(line.strip() for line in lines if line.strip().startswith("//"))
        body = [line for line in lines if not line.strip().startswith("//")]
        text = _pre("\n".join(body).strip())
        if text.startswith("$CATEGORY:"):
            if len(body) != 1:
                raise GiftError("a category line must stand alone")
            category = text[len("$CATEGORY:") :].strip()
            continue
        if category is None:
            raise GiftError("question before any $CATEGORY")
        questions.append(_question(category, comments, text, body))
    return questions


def _question(category: str, comments: str, text: str, body: list[str]) -> GiftQuestion:
    match = _ID.search(comments)
    if match is None:
        raise GiftError(f"question without [id:…]: {text[:60]!r}")
    if not text.startswith("::"):
        raise GiftError(f"question without a name: {text[:60]!r}")
    text = text[2:]
    end = text.index("::")
    name, text = _post(text[:end]), text[end + 2 :].strip()
    start, finish = text.find("{"), text.find("}")
    if start < 0 or finish < 0 or finish < start:
        raise GiftError(f"no answer block in {name!r}")
    if not text.endswith("}") or finish != len(text) - 1:
        raise GiftError(f"text after the answer block of {name!r}")
    answer_text = text[start + 1 : finish].strip()
    if "####" in answer_text:
        raise GiftError("general feedback is never written")
    question = GiftQuestion(category, match.group(1).replace("\\]", "]"), name, _html(text[:start]), "essay")
    if not answer_text:
        if len(body) != 1:
            raise GiftError(f"essay {name!r} spans lines")
        return question
    if "~" not in answer_text:
        raise GiftError(f"{name!r} is not a multiple-choice question")
    # Strict layout: the name and text on the first line, one answer a line, "}" alone last.
    if not body[0].endswith("{") or body[-1] != "}" or not all(line.startswith(("\t=", "\t~")) for line in body[1:-1]):
        raise GiftError(f"unexpected layout of {name!r}")
    question.kind = "multichoice"
    question.single = "=" in answer_text
    question.answers = _answers(name, answer_text, len(body) - 2)
    return question


def _answers(name: str, answer_text: str, lines: int) -> list[GiftAnswer]:
    answers = answer_text.replace("=", "~=").split("~")
    if not answers[0].strip():
        answers = answers[1:]
    if lines != len(answers):
        raise GiftError(f"{name!r}: {len(answers)} answers on {lines} lines")
    read = []
    for raw in answers:
        answer = raw.strip()
        if answer.startswith("="):
            weight, answer = Decimal(100), answer[1:]
        elif weight_match := _WEIGHT.match(answer):
            weight = Decimal(answer[1 : answer.index("%", 1)])
            answer = answer[weight_match.end() :]
        else:
            weight = Decimal(0)
        bits = answer.split("#", 1)
        if len(bits) != 2:
            raise GiftError(f"answer without feedback in {name!r}")
        read.append(GiftAnswer(_html(bits[0]), weight, _html(bits[1])))
    return read
