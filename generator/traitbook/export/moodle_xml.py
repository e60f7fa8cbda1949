"""Moodle XML, the format Moodle's question bank imports most completely.

Written with the standard library's ElementTree, never by pasting strings: moodlexport builds
its XML with xmltodict and then *unescapes* it (text with "<" or "&" breaks the file), needs
numpy, and writes no idnumber; the elements below are the ones Moodle's reader
(question/format/xml/format.php) looks for. Text is escaped by ElementTree, not put in CDATA,
so "]]>" in the catalogue cannot end anything.

What it keeps: a category per trait with its idnumber (the trait id), each question's idnumber
(the exercise key), question and option text as HTML, per-option feedback, grades, and an
essay's grader information (``graderinfo``). Options keep the catalogue's order
(``shuffleanswers`` false): their positions are authored (see the answer-cue lint).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .bank import Bank, Category, Question
from .moodle import answers, category_path, idnumber
from .xmlout import xml_bytes

#: Moodle's default penalty for a wrong try in adaptive mode, as it writes it.
PENALTY = "0.3333333"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = text
    return element


def _text(parent: ET.Element, tag: str, text: str, fmt: str | None = "html") -> ET.Element:
    element = _sub(parent, tag, **({"format": fmt} if fmt else {}))
    _sub(element, "text", text)
    return element


def _category(quiz: ET.Element, bank: Bank, category: Category) -> None:
    question = _sub(quiz, "question", type="category")
    _text(question, "category", category_path(bank, category), fmt=None)
    _text(question, "info", "")
    _sub(question, "idnumber", category.ident)


def _question(quiz: ET.Element, q: Question) -> None:
    element = _sub(quiz, "question", type="essay" if q.kind == "essay" else "multichoice")
    _text(element, "name", q.name, fmt=None)
    _text(element, "questiontext", q.text_html)
    _text(element, "generalfeedback", "")
    _sub(element, "defaultgrade", "1")
    _sub(element, "penalty", "0" if q.kind == "essay" else PENALTY)
    _sub(element, "hidden", "0")
    _sub(element, "idnumber", idnumber(q))
    if q.kind == "essay":
        _sub(element, "responseformat", "editor")
        _sub(element, "responserequired", "1")
        _sub(element, "responsefieldlines", "15")
        _sub(element, "attachments", "0")
        _sub(element, "attachmentsrequired", "0")
        _text(element, "graderinfo", q.grader_info_html)
        _text(element, "responsetemplate", "")
        return
    _sub(element, "single", "true" if q.kind == "single" else "false")
    _sub(element, "shuffleanswers", "false")
    _sub(element, "answernumbering", "abc")
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(element, tag, "")
    for choice, fraction in answers(q):
        answer = _text(element, "answer", choice.html)
        answer.set("fraction", fraction)
        _text(answer, "feedback", choice.feedback_html)


def write(bank: Bank) -> bytes:
    quiz = ET.Element("quiz")
    for category in bank.categories:
        _category(quiz, bank, category)
        for question in category.questions:
            _question(quiz, question)
    return xml_bytes(quiz)
