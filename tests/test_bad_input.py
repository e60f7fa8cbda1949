"""Bad catalogues: exit status 2, `file:line:col: path: message`, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli, tree_digest


def build(root: Path) -> tuple[int, str, str]:
    result = run_cli("--root", str(root), "generate", "--no-handbook")
    return result.code, result.out, result.err


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


ONE = "catalogue/traits/one.yml"
TWO = "catalogue/traits/two.yml"
CAT = "catalogue/catalogue.yml"

# (name, file, old text, new text, expected "file:line" prefix, expected text in the same line)
CASES = [
    ("yaml syntax", TWO, "summary: The second trait.", "summary: [unclosed", f"{TWO}:", "YAML syntax error"),
    ("tab indentation", TWO, "  - title: What it means", "\t- title: What it means", f"{TWO}:6:", "tabs"),
    ("duplicate key", TWO, "summary: The second trait.", "summary: a\nsummary: b", f"{TWO}:5:1: summary:", "duplicate key"),
    ("yes boolean", TWO, "correct: true", "correct: yes", f"{TWO}:18:18: exercises[0].options[0].correct:", "must be true or false"),
    ("unknown key", TWO, "summary: The second trait.", "summary: x\nsumary: y", f"{TWO}:5:1: sumary:", "unknown key 'sumary'"),
    ("missing field", TWO, "summary: The second trait.\n", "", f"{TWO}:1:1: (document):", "summary is required"),
    ("wrong type", TWO, "title: Trait Two", "title: 12", f"{TWO}:2:8: title:", "must be text, not a number (12)"),
    ("id with ../", TWO, "  - id: one\n", "  - id: ../one\n", f"{TWO}:9:9: related[0].id:", "not a valid id"),
    ("id with slash", TWO, "  - id: one\n", "  - id: a/b\n", f"{TWO}:9:9: related[0].id:", "not a valid id"),
    ("id uppercase", CAT, "  - id: sprocket", "  - id: Widget", f"{CAT}:", "glossary[1].id: 'Widget' is not a valid id"),
    ("reserved id", TWO, "  - id: pick", "  - id: index", f"{TWO}:", "exercises[0].id: 'index' is a reserved name"),
    ("65-character id", TWO, "  - id: pick", "  - id: " + "a" * 65, f"{TWO}:", "exercises[0].id: too long (65 characters, at most 64)"),
    ("unknown related", TWO, "  - id: one\n", "  - id: onee\n", f"{TWO}:9:9: related[0].id:", "unknown trait 'onee'; did you mean 'one'?"),
    ("related to itself", TWO, "  - id: one\n", "  - id: two\n", f"{TWO}:9:9: related[0].id:", "cannot be related to itself"),
    ("undefined term", TWO, "terms: [sprocket]", "terms: [sprockett]", f"{TWO}:11:", "terms[0]: glossary term 'sprockett' is not defined"),
    ("one option", TWO, "      - text: One\n        feedback: One is first.\n", "", f"{TWO}:", "exercises[0].options: needs at least 2 options, has 1"),
    ("no correct option", TWO, "        correct: true\n", "", f"{TWO}:", "needs exactly 1 correct option, has 0"),
    ("missing feedback", TWO, "        feedback: One is first.\n", "", f"{TWO}:20:9: exercises[0].options[1]:", "feedback is required"),
    ("duplicate option", TWO, "      - text: One\n", "      - text: two\n", f"{TWO}:20:15: exercises[0].options[1].text:", "same text as option 0"),
    ("anchor and alias", TWO, "terms: [sprocket]", "terms: &t [sprocket]\nkeywords: *t", f"{TWO}:11:8:", "anchors and aliases are not allowed"),
    ("script in markdown", TWO, "body: Trait two uses sprockets.", "body: Hi <script>alert(1)</script>", f"{TWO}:7:11: sections[0].body:", "raw HTML is not allowed (<script>)"),
    ("onerror in markdown", TWO, "body: Trait two uses sprockets.", "body: 'x <img src=x onerror=alert(1)>'", f"{TWO}:7:11: sections[0].body:", "event-handler attributes"),
    ("javascript link", TWO, "body: Trait two uses sprockets.", "body: '[click](javascript:alert(1))'", f"{TWO}:7:11: sections[0].body:", "javascript: URLs are not allowed"),
    ("entity-encoded javascript", TWO, "body: Trait two uses sprockets.", "body: '[click](&#106;avascript:alert(1))'", f"{TWO}:7:11: sections[0].body:", "javascript: URLs are not allowed"),
    ("remote image", TWO, "body: Trait two uses sprockets.", "body: '![x](https://evil.example/t.png)'", f"{TWO}:7:11: sections[0].body:", "images from other hosts are not allowed"),
    ("attr list in markdown", TWO, "body: Trait two uses sprockets.", "body: 'Hi {: onclick=alert(1) }'", f"{TWO}:7:11: sections[0].body:", "attribute lists"),
    ("duplicate exercise id", ONE, "  - id: many", "  - id: pick", f"{ONE}:", "exercises[1].id: duplicate exercise id 'pick' (first at line"),
    ("unknown category", TWO, "category: alpha", "category: gamma", f"{TWO}:3:11: category:", "unknown category 'gamma'"),
    ("id differs from file", TWO, "id: two", "id: twoo", f"{TWO}:1:5: id:", "must match the file name"),
    ("unknown reading source", TWO, "terms: [sprocket]", "terms: [sprocket]\nreading:\n  - source: bok\n    note: Read it.", f"{TWO}:13:13: reading[0].source:", "unknown source 'bok' (declare it under sources in catalogue.yml); did you mean 'book'?"),
    ("reading listed twice", TWO, "terms: [sprocket]", "terms: [sprocket]\nreading:\n  - {source: book, note: a}\n  - {source: book, note: b}", f"{TWO}:14:", "reading[1].source: source 'book' is listed twice"),
    ("task without criteria", TWO, "exercises:\n", "exercises:\n  - {id: t, kind: task, prompt: Write it., criteria: [], model_answer: This.}\n", f"{TWO}:", "exercises[0].criteria: needs at least 1 item(s)"),
    ("task without model answer", TWO, "exercises:\n", "exercises:\n  - {id: t, kind: task, prompt: Write it., criteria: [Short.]}\n", f"{TWO}:", "exercises[0]: model_answer is required"),
    ("unknown exercise kind", TWO, "kind: single", "kind: essay", f"{TWO}:", "kind must be one of: single, multiple, reflection, task"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "file", "old", "new", "where", "what"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_reported_and_nothing_is_written(
    project: Path, name: str, file: str, old: str, new: str, where: str, what: str
) -> None:
    assert build(project)[0] == 0  # a previous good build leaves pages to protect
    before = tree_digest(project / "docs")
    edit(project / file, old, new)
    code, out, err = build(project)
    assert code == 2, err
    lines = err.splitlines()
    assert any(line.startswith(where) and what in line for line in lines), err
    assert "Traceback" not in err and out == ""
    assert tree_digest(project / "docs") == before


def test_invalid_utf8(project: Path) -> None:
    before = tree_digest(project / "docs")
    path = project / TWO
    path.write_bytes(path.read_bytes().replace(b"The second trait.", b"The second \xff trait."))
    code, _, err = build(project)
    assert code == 2 and f"{TWO}:4:21: (document): invalid UTF-8" in err
    assert tree_digest(project / "docs") == before


def test_duplicate_trait_id_differing_in_case(project: Path) -> None:
    edit(project / CAT, "  - id: sprocket\n", "  - id: widget\n")
    code, _, err = build(project)
    assert code == 2 and "glossary[1].id: duplicate glossary term id 'widget' (first at line" in err


def test_every_problem_of_every_file_in_one_run(project: Path) -> None:
    edit(project / TWO, "title: Trait Two", "title: 12")
    edit(project / TWO, "summary: The second trait.", "summary: [x]")
    edit(project / ONE, "category: alpha", "category: gamma")
    edit(project / ONE, "terms: [widget]", "terms: [nope]")
    edit(project / CAT, "  - id: sprocket", "  - id: widget")
    code, _, err = build(project)
    assert code == 2
    lines = err.splitlines()
    # The 6th: renaming the glossary term leaves trait two's "sprocket" undefined.
    assert lines[-1] == "6 problem(s) found; nothing was written."
    assert any("glossary term 'sprocket' is not defined" in line for line in lines)
    located = [line.split(": ")[0] for line in lines[:-1]]
    # Sorted by file, then line: the order an author fixes them in.
    assert located == sorted(located, key=lambda loc: (loc.split(":")[0], int(loc.split(":")[1])))
    assert {loc.split(":")[0] for loc in located} == {CAT, ONE, TWO}


def test_an_invalid_catalogue_yml_hides_no_problem_of_the_trait_files(project: Path) -> None:
    """catalogue.yml fails its model (a number for the title, a number among the messages), yet
    the trait files' links are still checked against the ids it declares, the other overrides
    against the message keys and the paths against the trait files."""
    edit(project / CAT, "title: Mini catalogue", "title: 12")
    edit(
        project / CAT,
        "language: en",
        'language: en\nmessages: {trait.pitfals: X, handbook.footer: "{x}", trait.objectives: 12}',
    )
    edit(project / CAT, "    title: Beta things", "    title: [Beta things]")  # beta stays declared
    edit(project / ONE, "category: alpha", "category: alpah")
    edit(project / ONE, "terms: [widget]", "terms: [widgt]")
    edit(project / TWO, "category: alpha", "category: beta")
    before = tree_digest(project / "docs")
    result = run_cli("--root", str(project), "check")
    assert result.code == 2 and "Traceback" not in result.err
    said = {line.split(": ", 1)[1] for line in result.err.splitlines()[:-1]}
    for expected in (
        "title: must be text, not a number (12)",
        "messages.trait.objectives:",
        "messages.trait.pitfals: unknown message key 'trait.pitfals'",
        "messages.handbook.footer: placeholders must be exactly those of the English string",
        "category: unknown category 'alpah'",
        "terms[0]: glossary term 'widgt' is not defined in catalogue.yml; did you mean 'widget'?",
    ):
        assert any(s.startswith(expected) for s in said), (expected, result.err)
    assert not any("'beta'" in s for s in said), result.err  # a category with a wrong title is still declared
    assert tree_digest(project / "docs") == before


def test_a_misspelt_list_in_catalogue_yml_does_not_blame_every_trait(project: Path) -> None:
    edit(project / CAT, "categories:", "categoris:")
    edit(project / CAT, "glossary:", "glossry:")
    result = run_cli("--root", str(project), "check")
    assert result.code == 2
    problems = result.err.splitlines()[:-1]
    assert all(line.startswith(CAT) for line in problems), result.err
    assert any("unknown key 'categoris'; did you mean 'categories'?" in line for line in problems)
    assert any("unknown key 'glossry'; did you mean 'glossary'?" in line for line in problems)


def test_a_key_that_is_not_text_hides_no_other_problem(project: Path) -> None:
    edit(project / CAT, "language: en", "language: en\nmessages: {2: Zwei, trait.pitfals: x}")
    edit(project / ONE, "category: alpha", "category: nope")
    edit(project / ONE, "terms: [widget]", "terms: [widget, widget]")
    edit(project / TWO, "title: Trait Two", "title: 2\n3: three")  # a key that is not text, and a wrong type
    edit(project / TWO, "id: two", "id: deux")
    result = run_cli("--root", str(project), "check")
    assert result.code == 2 and "Traceback" not in result.err
    for expected in (
        f"{CAT}:5:12: messages: key '2' must be text",
        f"{CAT}:5:21: messages.trait.pitfals: unknown message key 'trait.pitfals'",
        f"{ONE}:4:11: category: unknown category 'nope'; declared: alpha, beta",
        "terms[1]: glossary term 'widget' is listed twice",
        f"{TWO}:1:5: id: id 'deux' must match the file name 'two'",
    ):
        assert any(line.startswith(expected) or expected in line for line in result.err.splitlines()), (
            expected,
            result.err,
        )


def test_trait_files_that_would_not_be_read_are_reported(project: Path) -> None:
    traits = project / "catalogue" / "traits"
    (traits / "four.yaml").write_text((traits / "two.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (traits / "drafts").mkdir()
    (traits / "drafts" / "five.yml").write_text("id: five\n", encoding="utf-8")
    (traits / "README.md").write_text("Notes for authors.\n", encoding="utf-8")  # not a trait file: fine
    (traits / ".six.yml").write_text("an editor's file\n", encoding="utf-8")  # hidden: fine
    result = run_cli("--root", str(project), "check")
    assert result.code == 2
    assert result.err.splitlines() == [
        "catalogue/traits/drafts:1:1: (document): trait files in sub-folders are not read: move them into "
        "traits/ (drafts: outside catalogue/)",
        "catalogue/traits/four.yaml:1:1: (document): trait files end in .yml: rename it to four.yml",
        "2 problem(s) found; nothing was written.",
    ]


@pytest.mark.parametrize(
    ("written", "hint"),
    [("FR", "; did you mean 'fr'?"), ("fr_FR", "; did you mean 'fr-FR'?"), ("zh_hant_tw", "; did you mean 'zh-Hant-TW'?"),
     ("english", ""), ("e n", "")],
)  # fmt: skip
def test_a_language_that_is_not_a_tag_is_named_as_such_with_the_tag_meant(
    project: Path, written: str, hint: str
) -> None:
    edit(project / CAT, "language: en", f"language: {written}")
    result = run_cli("--root", str(project), "check")
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        f"{CAT}:4:11: language: {written!r} is not a language tag (BCP 47: 'en', 'de-AT', 'zh-Hant'){hint}"
    )


def test_check_command_writes_nothing(project: Path) -> None:
    result = run_cli("--root", str(project), "check")
    assert result.code == 0 and result.out.startswith("ok: 3 traits, 6 exercises")
    assert not (project / "docs" / "traits").exists()
