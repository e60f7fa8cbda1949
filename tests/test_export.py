"""The LMS export (traitbook._internal.export): each format is read back with a reader of its own and
compared with the catalogue, checked for the structure its importer needs, and fed hostile text.

Readers: GIFT by tests/giftread.py (Moodle's reading rules); Moodle XML and QTI by lxml, with
strict structure checks instead of schemas: Moodle XML has no official schema (the checks list the
elements qformat_xml reads), and the published IMS QTI 1.2.1 XSD was not at hand, so each QTI
element's children are checked against a strict subset of its content model in the IMS QTI ASI
1.2 DTD, and the manifest against IMS CP 1.1's top-level structure.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tests.conftest import ROOT
from tests.giftread import GiftError, read_gift
from traitbook import ExportError, Project, load_and_validate
from traitbook._internal.catalogue.model import Catalogue, MultipleSelect, Reflection, SingleChoice, Task, Trait
from traitbook._internal.export import FORMATS, Bank, ExportLabels, export, file_name, question_bank
from traitbook._internal.export.bank import html_text
from traitbook._internal.export.moodle import GRADE_OPTIONS
from traitbook._internal.plan import Plan, plan
from traitbook._internal.site.render import make_renderer

SCHEMAS = Path(__file__).parent / "schemas"
QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


# --------------------------------------------------------------------------- what was read back


@dataclass
class ReadChoice:
    html: str
    correct: bool
    feedback: str
    fraction: Decimal | None = None  # Moodle's grade in percent; None for QTI


@dataclass
class ReadQuestion:
    ident: str  # the exercise key, as recovered from the format's id
    category: str  # the trait title as the format names its category or section
    kind: str  # single, multiple or essay
    name: str
    text: str  # HTML
    choices: list[ReadChoice] = field(default_factory=list)
    grader_info: str | None = None  # None: the format has no place for it


def xml(data: bytes) -> Any:
    return etree.fromstring(data, _PARSER)


def category_title(path: str, bank_title: str) -> str:
    """The trait title from ``$course$/top/<catalogue>/<trait>`` ("//" is an escaped "/")."""
    parts = [p.replace("\x00", "/") for p in path.replace("//", "\x00").split("/")]
    assert parts[:2] == ["$course$", "top"], path
    assert parts[2] == " ".join(bank_title.split()), path
    assert len(parts) == 4, path
    return parts[3]


def read_back_gift(data: bytes, bank: Bank) -> list[ReadQuestion]:
    out = []
    for q in read_gift(data.decode("utf-8")):
        choices = [ReadChoice(a.text, a.weight > 0, a.feedback, a.weight) for a in q.answers]
        kind = "essay" if q.kind == "essay" else ("single" if q.single else "multiple")
        title = category_title(q.category, bank.title)
        out.append(ReadQuestion(q.idnumber, title, kind, q.name, q.text, choices, None))
    return out


_MOODLE_COMMON = ["name", "questiontext", "generalfeedback", "defaultgrade", "penalty", "hidden", "idnumber"]
_MOODLE_CHILDREN = {
    "category": ["category", "info", "idnumber"],
    "multichoice": [
        *_MOODLE_COMMON,
        "single",
        "shuffleanswers",
        "answernumbering",
        "correctfeedback",
        "partiallycorrectfeedback",
        "incorrectfeedback",
    ],
    "essay": [
        *_MOODLE_COMMON,
        "responseformat",
        "responserequired",
        "responsefieldlines",
        "attachments",
        "attachmentsrequired",
        "graderinfo",
        "responsetemplate",
    ],
}


def _text_of(element: Any, tag: str, fmt: str | None = "html") -> str:
    (child,) = element.findall(tag)
    assert child.get("format") == fmt, (tag, child.get("format"))
    texts = child.findall("text")
    assert len(texts) == 1, tag
    assert [c.tag for c in child if c.tag != "feedback"] == ["text"], tag
    return (texts[0].text or "").strip()  # Moodle trims what it imports


def read_back_moodle(data: bytes, bank: Bank) -> list[ReadQuestion]:
    """Strict: the elements qformat_xml reads, in Moodle's own export order, nothing else."""
    root = xml(data)
    assert root.tag == "quiz"
    out: list[ReadQuestion] = []
    category: str | None = None
    for element in root:
        assert element.tag == "question"
        qtype = element.get("type")
        assert qtype in _MOODLE_CHILDREN, qtype
        children = [c.tag for c in element if c.tag != "answer"]
        assert children == _MOODLE_CHILDREN[qtype], children
        if qtype == "category":
            category = category_title(_text_of(element, "category", None), bank.title)
            assert element.findtext("idnumber")
            continue
        assert category is not None
        text = _text_of(element, "questiontext")
        name = _text_of(element, "name", None)
        ident = element.findtext("idnumber")
        if qtype == "essay":
            assert element.findtext("responseformat") == "editor"
            assert not element.findall("answer")
            grader = _text_of(element, "graderinfo")
            out.append(ReadQuestion(ident, category, "essay", name, text, [], grader))
            continue
        single = element.findtext("single")
        assert single in ("true", "false")
        assert element.findtext("shuffleanswers") in ("true", "false", "1", "0")
        assert element.findtext("answernumbering") == "abc"
        choices = []
        for answer in element.findall("answer"):
            assert [c.tag for c in answer] == ["text", "feedback"]
            fraction = Decimal(answer.get("fraction"))
            choices.append(ReadChoice(_answer_text(answer), fraction > 0, _text_of(answer, "feedback"), fraction))
        kind = "single" if single == "true" else "multiple"
        out.append(ReadQuestion(ident, category, kind, name, text, choices, None))
    return out


def _answer_text(answer: Any) -> str:
    assert answer.get("format") == "html"
    return (answer.findtext("text") or "").strip()


# QTI 1.2: the content models of the elements written, each a strict subset of the IMS DTD's
# (ims_qtiasiv1p2.dtd), as regular expressions over the children's tags.
_QTI_MODELS = {
    "questestinterop": r"assessment ",
    "assessment": r"(section )+",
    "section": r"selection_ordering (item )*",
    "selection_ordering": r"selection ",
    "selection": r"selection_number selection_extension ",
    "selection_extension": r"points_per_item ",
    "item": r"itemmetadata presentation resprocessing (itemfeedback )*",
    "itemmetadata": r"qtimetadata ",
    "qtimetadata": r"(qtimetadatafield )+",
    "qtimetadatafield": r"fieldlabel fieldentry ",
    "presentation": r"material (response_lid|response_str) ",
    "material": r"mattext ",
    "response_lid": r"render_choice ",
    "render_choice": r"(response_label )+",
    "response_str": r"render_fib ",
    "render_fib": r"response_label ",
    "resprocessing": r"outcomes (respcondition )+",
    "outcomes": r"decvar ",
    "respcondition": r"conditionvar (setvar )?(displayfeedback )?",
    "conditionvar": r"(varequal|and|other) ",
    "and": r"((varequal|not) )+",
    "not": r"varequal ",
    "itemfeedback": r"flow_mat ",
    "flow_mat": r"material ",
}
_QTI_LEAVES = {
    "selection_number",
    "points_per_item",
    "fieldlabel",
    "fieldentry",
    "mattext",
    "decvar",
    "varequal",
    "other",
    "setvar",
    "displayfeedback",
}
_QTI_REQUIRED = {
    "assessment": {"ident", "title"},
    "section": {"ident", "title"},
    "item": {"ident", "title"},
    "response_lid": {"ident", "rcardinality"},
    "response_str": {"ident", "rcardinality"},
    "response_label": {"ident"},
    "varequal": {"respident"},
    "displayfeedback": {"linkrefid"},
    "itemfeedback": {"ident"},
}


#: The feedback idents Canvas's importer does not attach to an option (canvas-lms,
#: gems/plugins/qti_exporter, assessment_item_converter.rb ``get_feedback_id``).
CANVAS_GENERAL_FEEDBACK = re.compile(r"general_|_all|wrong|incorrect|correct|_IC$|_C$", re.IGNORECASE)


def _local(element: Any, namespace: str) -> str:
    assert element.tag.startswith(f"{{{namespace}}}"), element.tag
    return str(element.tag[len(namespace) + 2 :])


def check_qti_structure(element: Any) -> None:
    tag = _local(element, QTI_NS)
    if tag == "response_label" and element.getparent().tag.endswith("render_fib"):
        assert len(element) == 0
    elif tag == "response_label":
        assert [_local(c, QTI_NS) for c in element] == ["material"]
    elif tag in _QTI_LEAVES:
        assert len(element) == 0, tag
    else:
        sequence = "".join(f"{_local(c, QTI_NS)} " for c in element)
        assert re.fullmatch(_QTI_MODELS[tag], sequence), (tag, sequence)
    assert _QTI_REQUIRED.get(tag, set()) <= set(element.attrib), (tag, element.attrib)
    if tag == "mattext":
        assert element.get("texttype") == "text/html"
    if tag in ("response_lid", "response_str"):
        assert element.get("rcardinality") in ("Single", "Multiple")
    if tag == "respcondition":
        assert element.get("continue") in ("Yes", "No")
    for child in element:
        check_qti_structure(child)


def check_manifest(data: bytes, names: list[str]) -> str:
    """IMS CP 1.1: metadata, organizations, resources; the QTI resource points into the zip."""
    root = xml(data)
    assert _local(root, CP_NS) == "manifest" and root.get("identifier")
    assert [_local(c, CP_NS) for c in root] == ["metadata", "organizations", "resources"]
    (resource,) = root.iterfind(f"{{{CP_NS}}}resources/{{{CP_NS}}}resource")
    assert resource.get("type") == "imsqti_xmlv1p2" and resource.get("identifier")
    href = resource.get("href")
    assert href in names
    assert [f.get("href") for f in resource.iterfind(f"{{{CP_NS}}}file")] == [href]
    return str(href)


def qti_key(ident: str) -> str:
    return ident.removeprefix("_").replace(".", "/")


def read_back_qti(data: bytes, bank: Bank) -> list[ReadQuestion]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert names == sorted(names) and "imsmanifest.xml" in names
    href = check_manifest(archive.read("imsmanifest.xml"), names)
    root = xml(archive.read(href))
    check_qti_structure(root)
    ns = {"q": QTI_NS}
    (assessment,) = root.findall("q:assessment", ns)
    assert assessment.get("title") == bank.title
    out = []
    for section in assessment.findall("q:section", ns):
        # Canvas makes a question group of a section only when it selects a number of items.
        drawn = section.findtext("q:selection_ordering/q:selection/q:selection_number", namespaces=ns)
        assert drawn == str(len(section.findall("q:item", ns)))
        for item in section.findall("q:item", ns):
            meta = {
                f.findtext("q:fieldlabel", namespaces=ns): f.findtext("q:fieldentry", namespaces=ns)
                for f in item.iterfind(".//q:qtimetadatafield", ns)
            }
            kind = {
                "multiple_choice_question": "single",
                "multiple_answers_question": "multiple",
                "essay_question": "essay",
            }[meta["question_type"]]
            feedback = {
                f.get("ident"): f.findtext("q:flow_mat/q:material/q:mattext", namespaces=ns) or ""
                for f in item.findall("q:itemfeedback", ns)
            }
            shown = {d.get("linkrefid") for d in item.iterfind(".//q:displayfeedback", ns)}
            assert shown == set(feedback), "every itemfeedback is shown by a condition, and only those"
            text = item.findtext("q:presentation/q:material/q:mattext", namespaces=ns) or ""
            if kind == "essay":
                assert item.find("q:presentation/q:response_str", ns) is not None
                out.append(
                    ReadQuestion(
                        qti_key(item.get("ident")),
                        section.get("title"),
                        kind,
                        item.get("title"),
                        text,
                        [],
                        feedback["general_fb"],
                    )
                )
                continue
            lid = item.find("q:presentation/q:response_lid", ns)
            assert lid.get("rcardinality") == ("Single" if kind == "single" else "Multiple")
            labels = lid.findall("q:render_choice/q:response_label", ns)
            ids = [label.get("ident") for label in labels]
            assert meta["original_answer_ids"] == ",".join(ids)
            assert len(set(ids)) == len(ids)
            # Canvas (qti_exporter) reads answer idents as numbers, and its QTI converter
            # rewrites "." in them but not in varequal; it takes a feedback ident with one of
            # these words for the general feedback (get_feedback_id).
            assert all(re.fullmatch(r"[1-9][0-9]*", i) for i in ids), ids
            assert not [f for f in feedback if re.search(CANVAS_GENERAL_FEEDBACK, f) and f != "general_fb"]
            scoring = [
                c for c in item.iterfind("q:resprocessing/q:respcondition", ns) if c.find("q:setvar", ns) is not None
            ]
            assert len(scoring) == 1 and scoring[0].findtext("q:setvar", namespaces=ns) == "100"
            var = scoring[0].find("q:conditionvar", ns)
            keys = {v.text for v in var.iterfind(".//q:varequal", ns) if v.getparent().tag != f"{{{QTI_NS}}}not"}
            nots = {v.text for v in var.iterfind(".//q:not/q:varequal", ns)}
            if kind == "multiple":
                assert keys | nots == set(ids) and not keys & nots, "a multiple-answers key names every option"
            for v in item.iterfind(".//q:varequal", ns):
                assert v.get("respident") == lid.get("ident") and v.text in ids
            choices = [
                ReadChoice(label.findtext("q:material/q:mattext", namespaces=ns) or "", i in keys, feedback[f"{i}_fb"])
                for label, i in zip(labels, ids, strict=True)
            ]
            out.append(
                ReadQuestion(qti_key(item.get("ident")), section.get("title"), kind, item.get("title"), text, choices)
            )
    return out


READERS = {"gift": read_back_gift, "moodle-xml": read_back_moodle, "qti": read_back_qti}


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def bank(real_plan: Plan) -> Bank:
    return question_bank(real_plan, ExportLabels())


@pytest.fixture(scope="module")
def exports(bank: Bank) -> dict[str, bytes]:
    return {fmt: export(bank, fmt) for fmt in FORMATS}


@pytest.fixture(scope="module")
def render() -> Any:
    """The site's own rendering of catalogue Markdown: what the export must carry."""
    markdown_html = make_renderer().markdown_html
    return lambda text: str(markdown_html(text))  # a plain str: Markup.replace would escape


def _text(value: str) -> str:
    return " ".join(value.split())


# --------------------------------------------------------------------------- the API


def test_formats_and_file_names() -> None:
    assert FORMATS == ("gift", "moodle-xml", "qti")
    assert [file_name(f) for f in FORMATS] == ["traitbook-gift.txt", "traitbook-moodle.xml", "traitbook-qti.zip"]
    with pytest.raises(ExportError, match="unknown export format"):
        file_name("csv")


def test_unknown_trait_and_format_are_clear_errors(real_plan: Plan, bank: Bank) -> None:
    with pytest.raises(ExportError, match=r"unknown trait id 'no-such-trait'.*leader"):
        question_bank(real_plan, ExportLabels(), "no-such-trait")
    with pytest.raises(ExportError, match="choose one of: gift, moodle-xml, qti"):
        export(bank, "xml")


def test_the_bank_follows_the_navigation_order(real_plan: Plan, bank: Bank) -> None:
    assert [c.ident for c in bank.categories] == [t.id for t in real_plan.ordered_traits]
    assert bank.title == real_plan.catalogue.site.title


# --------------------------------------------------------------------------- round trips


def _expected(p: Plan) -> list[tuple[Trait, Any, int]]:
    return [(t, item.exercise, item.number) for t in p.ordered_traits for item in p.trait_views[t.id].exercises]


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_of_the_real_catalogue(
    fmt: str, real_plan: Plan, bank: Bank, exports: dict[str, bytes], render: Any
) -> None:
    read = READERS[fmt](exports[fmt], bank)
    expected = _expected(real_plan)
    assert len(expected) == 67  # the exercises of edition 3.0
    assert [q.ident for q in read] == [f"{t.id}/{e.id}" for t, e, _ in expected], "each exercise once, in page order"
    for q, (trait, ex, number) in zip(read, expected, strict=True):
        assert q.category == trait.title
        assert q.name.startswith(f"{trait.title} {number} – ")
        scenario = _text(html_text(render(ex.scenario))) if ex.scenario else ""
        if isinstance(ex, (SingleChoice, MultipleSelect)):
            assert q.kind == ex.kind
            assert html_text(q.text) == _text(f"{scenario} {ex.question}")
            assert [html_text(c.html) for c in q.choices] == [_text(o.text) for o in ex.options]
            assert [c.correct for c in q.choices] == [o.correct for o in ex.options]
            assert [html_text(c.feedback) for c in q.choices] == [html_text(render(o.feedback)) for o in ex.options]
            continue
        assert q.kind == "essay" and not q.choices
        assert html_text(q.text) == _text(f"{scenario} {html_text(render(ex.prompt))}")
        if fmt == "gift":
            assert q.grader_info is None  # GIFT has no place for it (documented in gift.py)
            continue
        assert q.grader_info is not None
        grader = html_text(q.grader_info)
        if isinstance(ex, Reflection):
            parts = [("Guidance", ex.guidance), ("Example answer", ex.example), ("For newcomers", ex.newcomers)]
            assert grader == _text(" ".join(f"{label} {html_text(render(md))}" for label, md in parts if md))
        else:
            assert isinstance(ex, Task)
            criteria = " ".join(
                _text(c) if isinstance(c, str) else _text(f"{c.criterion} Meets: {c.meets} Exceeds: {c.exceeds}")
                for c in ex.criteria
            )
            assert grader == _text(f"Criteria {criteria} Model answer {html_text(render(ex.model_answer))}")


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_html_read_back_is_the_banks(fmt: str, bank: Bank, exports: dict[str, bytes]) -> None:
    questions = [q for c in bank.categories for q in c.questions]
    read = READERS[fmt](exports[fmt], bank)
    assert [r.text for r in read] == [q.text_html for q in questions]
    assert [r.name for r in read] == [q.name for q in questions]
    assert [[c.html for c in r.choices] for r in read] == [[c.html for c in q.choices] for q in questions]
    assert [[c.feedback for c in r.choices] for r in read] == [[c.feedback_html for c in q.choices] for q in questions]


@pytest.mark.parametrize("fmt", ["gift", "moodle-xml"])
def test_moodle_grades(fmt: str, bank: Bank, exports: dict[str, bytes]) -> None:
    """Single choice: 100 for the key, 0 otherwise. Multiple select: the keys share +100 (Moodle's
    check: rounded to two places the sum is 1), the distractors are negative; every grade is one
    Moodle's import accepts (within 0.00001 of a grade option)."""
    options = {Decimal(0), *GRADE_OPTIONS, *(-o for o in GRADE_OPTIONS)}
    multiple = 0
    for q in READERS[fmt](exports[fmt], bank):
        fractions = [c.fraction for c in q.choices if c.fraction is not None]
        assert len(fractions) == len(q.choices)
        assert all(any(abs(f / 100 - o) < Decimal("0.00001") for o in options) for f in fractions)
        keys = [f for f, c in zip(fractions, q.choices, strict=True) if c.correct]
        wrong = [f for f, c in zip(fractions, q.choices, strict=True) if not c.correct]
        if q.kind == "single":
            assert keys == [100] and set(wrong) == {0}
        elif q.kind == "multiple":
            multiple += 1
            plus = sum(keys, Decimal(0))
            assert abs(plus - 100) <= Decimal("0.001") and round(plus / 100, 2) == 1
            assert all(f < 0 for f in wrong)
            assert abs(sum(wrong, Decimal(0)) + 100) <= Decimal("0.001")
    # Every multiple-select exercise of the catalogue was read back (16 in edition 3.0).
    assert multiple == sum(q.kind == "multiple" for c in bank.categories for q in c.questions) >= 14


def test_shares_use_moodles_grade_options() -> None:
    from traitbook._internal.export.moodle import percent_text, share_percent

    assert [percent_text(share_percent(n)) for n in (1, 2, 3, 4, 6, 7, 9, 20)] == [
        "100", "50", "33.33333", "25", "16.66667", "14.28571", "11.11111", "5",
    ]  # fmt: skip
    assert percent_text(share_percent(11)) == "9.09091"  # no option: Moodle needs "nearest grade"


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_trait(fmt: str, real_plan: Plan) -> None:
    bank = question_bank(real_plan, ExportLabels(), "leader")
    read = READERS[fmt](export(bank, fmt), bank)
    leader = real_plan.catalogue.trait("leader")
    assert [q.ident for q in read] == [f"leader/{e.id}" for e in leader.exercises]
    assert {q.category for q in read} == {leader.title}


def test_same_bank_same_bytes(real_plan: Plan, exports: dict[str, bytes]) -> None:
    again = plan(load_and_validate(Project.at(ROOT, cache=False)).catalogue)
    bank = question_bank(again, ExportLabels())
    for fmt in FORMATS:
        assert export(bank, fmt) == exports[fmt], fmt
    archive = zipfile.ZipFile(io.BytesIO(exports["qti"]))
    assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_sizes_stay_reasonable(exports: dict[str, bytes]) -> None:
    sizes = {fmt: len(data) for fmt, data in exports.items()}
    print(f"export sizes of the real catalogue: {sizes}")
    assert all(10_000 < size < 1_000_000 for size in sizes.values()), sizes


def test_labels_are_the_only_words_the_export_adds(real_plan: Plan) -> None:
    labels = ExportLabels(
        guidance="Hinweise", example="Beispiel", newcomers="Für Neue", criteria="Kriterien", model_answer="Musterlösung"
    )
    bank = question_bank(real_plan, labels)
    for fmt in ("moodle-xml", "qti"):
        graders = [q.grader_info or "" for q in READERS[fmt](export(bank, fmt), bank) if q.kind == "essay"]
        headings = {h for g in graders for h in re.findall(r"<h4>(.*?)</h4>", g)}
        assert headings == {"Hinweise", "Beispiel", "Für Neue", "Kriterien", "Musterlösung"}, fmt
    gift = export(bank, "gift").decode()
    for word in ("Guidance", "Example answer", "For newcomers", "Criteria", "Model answer"):
        assert f"<h4>{word}</h4>" not in gift


# --------------------------------------------------------------------------- hostile text

HOSTILE = "a ~ = # { } : \\ < > & ]]> // [id:evil] $CATEGORY: x [html] %50%\nline two \\n \\: ::"
HOSTILE_TITLE = "T ~ = # { } : \\ / < > & ]]> ::"
HOSTILE_FEEDBACK = "`<script>alert(1)</script>` ~ = # {{ }} : & ]]> %50% **b** *i*\n\nnext {i} \\\\n"


def _hostile(catalogue: Catalogue) -> tuple[Catalogue, str]:
    trait = next(t for t in catalogue.traits if any(isinstance(e, MultipleSelect) for e in t.exercises))
    exercises: list[Any] = []
    for ex in trait.exercises:
        if isinstance(ex, (SingleChoice, MultipleSelect)):
            options = [
                o.model_copy(update={"text": f"[markdown]{HOSTILE} {i}", "feedback": HOSTILE_FEEDBACK.format(i=i)})
                for i, o in enumerate(ex.options)
            ]
            exercises.append(ex.model_copy(update={"question": HOSTILE, "options": options}))
        else:
            exercises.append(ex)
    changed = trait.model_copy(update={"title": HOSTILE_TITLE, "exercises": exercises})
    traits = tuple(changed if t.id == trait.id else t for t in catalogue.traits)
    return Catalogue(site=catalogue.site, traits=traits), trait.id


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_text_round_trips_exactly_and_never_becomes_markup(fmt: str, real_plan: Plan) -> None:
    catalogue, trait_id = _hostile(real_plan.catalogue)
    bank = question_bank(plan(catalogue), ExportLabels(), trait_id)
    (category,) = bank.categories
    read = READERS[fmt](export(bank, fmt), bank)
    assert [q.ident for q in read] == [q.ident for q in category.questions]
    assert {q.category for q in read} == {HOSTILE_TITLE}
    choice = [(r, q) for r, q in zip(read, category.questions, strict=True) if q.kind != "essay"]
    assert choice
    for r, q in choice:
        assert r.name == q.name and HOSTILE_TITLE in r.name
        assert r.text == q.text_html
        question = r.text.removeprefix(q.scenario_html)
        assert question == f"<p>{html.escape(HOSTILE, quote=False)}</p>"
        assert html.unescape(question[3:-4]) == HOSTILE
        for i, c in enumerate(r.choices):
            assert html.unescape(c.html) == f"[markdown]{HOSTILE} {i}" and "<" not in c.html
            assert "<script" not in c.feedback and "<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>" in c.feedback
            assert set(re.findall(r"</?([a-z0-9]+)", c.feedback)) == {"p", "code", "strong", "em"}
            assert "<strong>b</strong> <em>i</em>" in c.feedback
        assert [c.feedback for c in r.choices] == [c.feedback_html for c in q.choices]
        assert [c.correct for c in r.choices] == [c.correct for c in q.choices]


def _as_moodle_reads(content: str) -> str:
    """A ``<text>`` element's content as Moodle's XML reader gets it: its parser hands each
    character reference over as a piece of its own, and xmlize drops the pieces that are only
    white space (CDATA comes whole)."""
    if content.startswith("<![CDATA["):
        return "".join(re.findall(r"<!\[CDATA\[(.*?)\]\]>", content, re.DOTALL))
    pieces = re.split(r"(&#?[A-Za-z0-9]+;)", content)
    return "".join(html.unescape(p) for p in pieces if p.strip())


def test_moodle_loses_no_space_between_tags(real_plan: Plan) -> None:
    catalogue, trait_id = _hostile(real_plan.catalogue)
    data = export(question_bank(plan(catalogue), ExportLabels(), trait_id), "moodle-xml").decode()
    raw = [m[1] or "" for m in re.finditer(r"<text>(.*?)</text>|<text />", data, re.DOTALL)]
    parsed = [element.text or "" for element in xml(data.encode()).iter("text")]
    assert len(raw) == len(parsed) > 10
    assert any("</strong> <em>" in text for text in parsed)
    assert [_as_moodle_reads(r) for r in raw] == parsed


def test_a_broken_gift_file_is_refused_by_the_reader(bank: Bank, exports: dict[str, bytes]) -> None:
    """The GIFT reader can fail: an unescaped brace or a lost [id:] is caught."""
    text = exports["gift"].decode()
    with pytest.raises((GiftError, AssertionError)):
        read_back_gift(
            text.replace("\\{", "{", 1).encode()
            if "\\{" in text
            else text.replace("[html]<p>", "[html]<p>{", 1).encode(),
            bank,
        )
    with pytest.raises(GiftError):
        read_back_gift(text.replace("// [id:", "// [", 1).encode(), bank)


def test_a_trait_without_exercises_gets_no_empty_category(real_plan: Plan) -> None:
    catalogue = real_plan.catalogue
    traits = [t.model_copy(update={"exercises": []}) if t.id == "leader" else t for t in catalogue.traits]
    emptier = plan(catalogue.model_copy(update={"traits": traits}))
    bank = question_bank(emptier, ExportLabels())
    assert "leader" not in [c.ident for c in bank.categories]
    assert len(bank.categories) == len(catalogue.traits) - 1


def test_the_export_command_writes_one_file_and_refuses_an_unknown_trait(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    target = tmp_path / "leader.zip"
    done = run_cli("--root", str(ROOT), "export", "--format", "qti", "--output", str(target), "--trait", "leader")
    assert done.code == 0, done.err
    assert target.read_bytes() == export(question_bank(real_plan_of_root(), _labels_en(), "leader"), "qti")
    missing = tmp_path / "none.txt"
    refused = run_cli("--root", str(ROOT), "export", "--format", "gift", "--output", str(missing), "--trait", "nope")
    assert refused.code == 1 and "no trait 'nope'" in refused.err and "leader" in refused.err
    assert not missing.exists()
    assert "Traceback" not in refused.err


def real_plan_of_root() -> Plan:
    return plan(load_and_validate(Project.at(ROOT, cache=False)).catalogue)


def _labels_en() -> ExportLabels:
    from traitbook._internal.export import labels_for

    return labels_for(real_plan_of_root().messages)
