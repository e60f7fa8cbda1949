"""QTI 1.2 in an IMS content package: what Canvas imports ("QTI .zip file").

Written with ElementTree: text2qti reads its own Markdown dialect and names items by a hash of
their text (an edit makes a new question), and qti-package-maker (LGPL) writes one section, no
per-option feedback and item idents numbered by position; the structure below follows Canvas's
own QTI 1.2 export (question_type metadata, ``itemfeedback ident="<answer>_fb"``). QTI 2.1 is
not written: no well-kept Python library makes it cheap, and Canvas and Moodle both import this.

What it keeps: one ``section`` per trait (with a selection of all its items, which is what makes
Canvas turn it into a question group titled by the trait), item idents from the exercise keys,
question and option text as HTML, the keys, per-option feedback, and an essay's grader
information as the item's general feedback (``general_fb``: Canvas shows it after the learner
answers, as the site does). Grades are Canvas's: all or nothing per item, the keys being the
options to select.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
import zlib

from .bank import Bank, Question
from .xmlout import xml_bytes

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
QTI_XSD = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

#: The package's fixed names (identifiers, not words anyone reads).
ASSESSMENT_ID = "traitbook"
ASSESSMENT_FILE = f"{ASSESSMENT_ID}/{ASSESSMENT_ID}.xml"
MANIFEST_FILE = "imsmanifest.xml"
RESPONSE = "response1"
GENERAL_FEEDBACK = "general_fb"

_QUESTION_TYPE = {
    "single": "multiple_choice_question",
    "multiple": "multiple_answers_question",
    "essay": "essay_question",
}

#: Fixed entry metadata, so the same bank gives the same bytes.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def ident(key: str) -> str:
    """An exercise key or trait id as a QTI ident that stays a valid XML name when an importer
    converts it (Canvas's goes through QTI 2): "/" becomes ".", which no id contains, and a
    leading digit gets "_" before it."""
    name = key.replace("/", ".")
    return f"_{name}" if name[:1].isdigit() else name


def answer_ident(question: Question, index: int) -> str:
    """An option's ident: digits only, as Canvas writes them. Canvas reads answer idents as
    numbers (anything else becomes 0 and gets a random id), its converter rewrites "." in them
    but not in the ``varequal`` that names the key (so no key would be found), and it takes a
    feedback ident containing a word such as "correct" for the item's general feedback. The
    digits come from the exercise key and the option's place, so they stay the same across
    exports."""
    question_number = zlib.crc32(question.ident.encode("utf-8")) % 90_000 + 10_000
    return f"{question_number}{index + 1:02d}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = text
    return element


def _material(parent: ET.Element, html: str) -> None:
    material = _sub(parent, "material")
    _sub(material, "mattext", html, texttype="text/html")


def _metadata(item: ET.Element, fields: list[tuple[str, str]]) -> None:
    meta = _sub(_sub(item, "itemmetadata"), "qtimetadata")
    for label, entry in fields:
        field = _sub(meta, "qtimetadatafield")
        _sub(field, "fieldlabel", label)
        _sub(field, "fieldentry", entry)


def _feedback(item: ET.Element, feedback_ident: str, html: str) -> None:
    _material(_sub(_sub(item, "itemfeedback", ident=feedback_ident), "flow_mat"), html)


def _condition(processing: ET.Element, cont: str, feedback: str | None = None) -> ET.Element:
    """A ``respcondition`` that shows the ``itemfeedback`` ``feedback``, if any; returns its
    ``conditionvar`` to fill."""
    condition = _sub(processing, "respcondition", **{"continue": cont})
    var = _sub(condition, "conditionvar")
    if feedback is not None:
        _sub(condition, "displayfeedback", feedbacktype="Response", linkrefid=feedback)
    return var


def _scoring(processing: ET.Element) -> ET.Element:
    """The last ``respcondition``: sets the score to 100 when its ``conditionvar`` (returned) holds."""
    condition = _sub(processing, "respcondition", **{"continue": "No"})
    var = _sub(condition, "conditionvar")
    _sub(condition, "setvar", "100", action="Set", varname="SCORE")
    return var


def _processing(item: ET.Element, q: Question, ids: list[str]) -> None:
    processing = _sub(item, "resprocessing")
    outcomes = _sub(processing, "outcomes")
    _sub(outcomes, "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    if q.kind == "essay":
        _sub(_condition(processing, "Yes", GENERAL_FEEDBACK), "other")
        _sub(_condition(processing, "No"), "other")
        return
    # Each chosen option shows its feedback; then the score (Canvas's own pattern).
    for answer_id in ids:
        _sub(_condition(processing, "Yes", f"{answer_id}_fb"), "varequal", answer_id, respident=RESPONSE)
    scoring = _scoring(processing)
    keys = list(zip(ids, q.choices, strict=True))
    if q.kind == "single":
        for answer_id, choice in keys:
            if choice.correct:
                _sub(scoring, "varequal", answer_id, respident=RESPONSE)
    else:
        both = _sub(scoring, "and")
        for answer_id, choice in keys:
            parent = both if choice.correct else _sub(both, "not")
            _sub(parent, "varequal", answer_id, respident=RESPONSE)


def _item(section: ET.Element, q: Question) -> None:
    item = _sub(section, "item", ident=ident(q.ident), title=q.name)
    ids = [answer_ident(q, i) for i in range(len(q.choices))]
    _metadata(
        item,
        [
            ("question_type", _QUESTION_TYPE[q.kind]),
            ("points_possible", "1.0"),
            ("original_answer_ids", ",".join(ids)),
        ],
    )
    presentation = _sub(item, "presentation")
    _material(presentation, q.text_html)
    if q.kind == "essay":
        response = _sub(presentation, "response_str", ident=RESPONSE, rcardinality="Single")
        _sub(_sub(response, "render_fib"), "response_label", ident="answer1", rshuffle="No")
    else:
        cardinality = "Single" if q.kind == "single" else "Multiple"
        response = _sub(presentation, "response_lid", ident=RESPONSE, rcardinality=cardinality)
        choices = _sub(response, "render_choice")
        for answer_id, choice in zip(ids, q.choices, strict=True):
            _material(_sub(choices, "response_label", ident=answer_id), choice.html)
    _processing(item, q, ids)
    for answer_id, choice in zip(ids, q.choices, strict=True):
        _feedback(item, f"{answer_id}_fb", choice.feedback_html)
    if q.kind == "essay":
        _feedback(item, GENERAL_FEEDBACK, q.grader_info_html)


def _group(section: ET.Element, size: int) -> None:
    """Canvas makes a section a question group only when it says how many items to draw:
    all of them, one point each."""
    selection = _sub(_sub(section, "selection_ordering"), "selection")
    _sub(selection, "selection_number", str(size))
    _sub(_sub(selection, "selection_extension"), "points_per_item", "1.0")


def assessment_xml(bank: Bank) -> bytes:
    root = ET.Element(
        "questestinterop", {"xmlns": QTI_NS, "xmlns:xsi": XSI_NS, "xsi:schemaLocation": f"{QTI_NS} {QTI_XSD}"}
    )
    assessment = _sub(root, "assessment", ident=ASSESSMENT_ID, title=bank.title)
    for category in bank.categories:
        section = _sub(assessment, "section", ident=ident(category.ident), title=category.title)
        _group(section, len(category.questions))
        for question in category.questions:
            _item(section, question)
    return xml_bytes(root)


def manifest_xml(bank: Bank) -> bytes:
    root = ET.Element(
        "manifest",
        {
            "identifier": f"{ASSESSMENT_ID}-manifest",
            "xmlns": CP_NS,
            "xmlns:xsi": XSI_NS,
            "xsi:schemaLocation": f"{CP_NS} {CP_XSD}",
        },
    )
    metadata = _sub(root, "metadata")
    _sub(metadata, "schema", "IMS Content")
    _sub(metadata, "schemaversion", "1.1.3")
    _sub(root, "organizations")
    resources = _sub(root, "resources")
    resource = _sub(resources, "resource", identifier=ASSESSMENT_ID, type="imsqti_xmlv1p2", href=ASSESSMENT_FILE)
    _sub(resource, "file", href=ASSESSMENT_FILE)
    return xml_bytes(root)


def write(bank: Bank) -> bytes:
    """The zip: entries sorted by name, with fixed dates and permissions."""
    entries = {MANIFEST_FILE: manifest_xml(bank), ASSESSMENT_FILE: assessment_xml(bank)}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name])
    return buffer.getvalue()
