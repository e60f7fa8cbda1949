"""Moodle XML, the format Moodle's question bank imports most completely.

Written with the standard library's ElementTree, never by pasting strings: moodlexport builds
its XML with xmltodict and then *unescapes* it (text with "<" or "&" breaks the file), needs
numpy, and writes no idnumber; the elements below are the ones Moodle's reader
(question/format/xml/format.php) looks for. Text with markup characters goes into CDATA, as
Moodle's own exporter writes it (``xml_escape``): Moodle's parser hands each character
reference to its reader as a piece of its own, and the reader drops pieces that are only
white space, so the space in ``&lt;/b&gt; &lt;i&gt;`` would be lost.

What it keeps: a category per trait with its idnumber (the trait id), each question's idnumber
(the exercise key), question and option text as HTML, per-option feedback, grades, and an
essay's grader information (``graderinfo``). Options keep the catalogue's order
(``shuffleanswers`` false): their positions are authored (see the answer-cue lint).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from .bank import Bank, Category, Question
from .moodle import answers, category_path, idnumber
from .xmlout import CData, xml_bytes

#: Moodle's default penalty for a wrong try in adaptive mode, as it writes it.
PENALTY = "0.3333333"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = text
    return element


def _text(parent: ET.Element, tag: str, text: str, cdata: CData, fmt: str | None = "html") -> ET.Element:
    element = _sub(parent, tag, **({"format": fmt} if fmt else {}))
    _sub(element, "text", cdata.token(text) if _MARKUP.search(text) else text)
    return element


#: What makes Moodle's exporter use CDATA (``htmlspecialchars`` would change the text).
_MARKUP = re.compile('[&<>"]')


def _category(quiz: ET.Element, bank: Bank, category: Category, cdata: CData) -> None:
    question = _sub(quiz, "question", type="category")
    _text(question, "category", category_path(bank, category), cdata, fmt=None)
    _text(question, "info", "", cdata)
    _sub(question, "idnumber", category.ident)


def _question(quiz: ET.Element, q: Question, cdata: CData) -> None:
    element = _sub(quiz, "question", type="essay" if q.kind == "essay" else "multichoice")
    _text(element, "name", q.name, cdata, fmt=None)
    _text(element, "questiontext", q.text_html, cdata)
    _text(element, "generalfeedback", "", cdata)
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
        _text(element, "graderinfo", q.grader_info_html, cdata)
        _text(element, "responsetemplate", "", cdata)
        return
    _sub(element, "single", "true" if q.kind == "single" else "false")
    _sub(element, "shuffleanswers", "false")
    _sub(element, "answernumbering", "abc")
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(element, tag, "", cdata)
    for choice, fraction in answers(q):
        answer = _text(element, "answer", choice.html, cdata)
        answer.set("fraction", fraction)
        _text(answer, "feedback", choice.feedback_html, cdata)


def write(bank: Bank) -> bytes:
    quiz = ET.Element("quiz")
    cdata = CData()
    for category in bank.categories:
        _category(quiz, bank, category, cdata)
        for question in category.questions:
            _question(quiz, question, cdata)
    return xml_bytes(quiz, cdata)
