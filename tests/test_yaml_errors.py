"""YAML mistakes an author makes, each explained with its fix at the line (and column) to change.

libyaml stops at the first error and says what it expected where it gave up ("mapping values are
not allowed in this context"; an unclosed quote dozens of lines later). Each common mistake must
instead say what is wrong and how to fix it, at the place the author acts; every mistake of a file
must be reported in one run; an unexplained error keeps libyaml's words; nothing is written.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import MINI, run_cli, tree_digest
from traitbook._internal.catalogue.load import parse_document
from traitbook._internal.catalogue.problems import CatalogueError

SYNTAX = "(document): YAML syntax error: "


def problems_of(text: str) -> list[str]:
    with pytest.raises(CatalogueError) as info:
        parse_document(text.encode("utf-8"), "f.yml")
    return [str(p) for p in info.value.problems]


# (name, file text, "line:col" where the author acts, words the message must hold: the fix included)
CASES = [
    ("colon in a title", "id: two\ntitle: Ward rounds: a guide\n", "2:8",
     ["': ' inside text that is not in quotes", "column 19", 'put the text in quotes: title: "Ward rounds: a guide"']),
    ("colon in a nested value", "id: x\nexercises:\n  - id: a\n    question: Which: one?\n", "4:15",
     ['put the text in quotes: question: "Which: one?"']),
    ("colon with quotes in the text", 'id: x\ntitle: Say "no": a guide\n', "2:8",
     ["put the text in quotes: title: 'Say \"no\": a guide'"]),
    ("colon after a comment-free list item key", "id: x\nsections:\n  - title: Ward rounds: a guide\n    body: b\n",
     "3:12", ['- title: "Ward rounds: a guide"']),
    ("colon inside a multi-line text", "id: x\nsummary: A long text that goes on\n  and on: and then some\n",
     "3:9", ["the text of 'summary' starts on line 2", "put all of it in quotes, or write it as a block"]),
    ("key indented under a value", "id: x\ntitle: Ward rounds\n  summary: Bedside handover\ncategory: a\n", "3:3",
     ["indented more than 'title' on line 2", "If 'summary' is a key of its own, indent it like 'title' (column 1)"]),
    ("double quote never closed", 'id: x\ntitle: "Ward rounds\ncategory: a\nsummary: b\n', "2:8",
     ['the " that opens the text here is never closed', "up to the end of the file",
      'close it on this line: title: "Ward rounds"']),
    ("single quote never closed", "id: x\nsections:\n  - title: 'Ward rounds\n    body: b\n  - title: c\n", "3:12",
     ["the ' that opens the text here is never closed", "close it on this line: - title: 'Ward rounds'"]),
    ("single quote closed by a later apostrophe", "id: x\ntitle: 'Ward rounds\ncategory: a\nsummary: It's b\n", "2:8",
     ["the ' that opens the text here is not closed on this line", "until the ' on line 4 (column 12)",
      "close it on this line: title: 'Ward rounds'"]),
    ("double quote closed by a later quote", 'id: x\ntitle: "Ward rounds\ncategory: a\nsummary: Say "hi" now\n',
     "2:8", ['until the " on line 4', 'close it on this line: title: "Ward rounds"']),
    ("apostrophe inside single quotes", "id: x\ntitle: 'It's fine'\n", "2:11",
     ["the ' in It's ends the text", "write an apostrophe twice (''), or put the text in double quotes: "
      "title: \"It's fine\""]),
    ("apostrophe in single quotes over lines", "id: x\nbody: 'This is\n  Bob's text'\nnext: y\n", "3:6",
     ["this ' ends the text that opens with ' on line 2", "write an apostrophe twice ('')"]),
    ("quotes inside double quotes", 'id: x\ntitle: "He said "hi" there"\n', "2:17",
     ["ends the quoted text, but more text follows it", "in single quotes: title: 'He said \"hi\" there'"]),
    ("text after a closing quote", 'id: x\ntitle: "Ward" rounds\n', "2:13",
     ["put the whole value in single quotes: title: '\"Ward\" rounds'"]),
    ("backslash in double quotes", 'id: x\ntitle: "C:\\Users\\ward"\n', "2:11",
     ["a backslash starts an escape", "write \\\\ for a backslash", "single quotes: title: 'C:\\Users\\ward'"]),
    ("tab indentation", "id: x\nsections:\n\t- title: a\n", "3:1",
     ["a tab in the indentation", "spaces, not tabs", "Convert indentation to spaces"]),
    ("tab in a list item's indentation", "id: x\nsections:\n  - title: a\n\t  body: b\n", "4:1",
     ["a tab in the indentation"]),
    ("tab after a dash", "id: x\nitems:\n  -\tone\n", "3:4", ["a tab here"]),
    ("list item one column too shallow", "id: x\nbehaviours:\n  - one\n - two\n", "4:2",
     ["this list item is indented to column 2", "the items of its list (from line 3) start at column 3",
      "line its '-' up with theirs"]),
    ("list item where a key is expected", "id: x\ntitle: t\n- one\n", "3:1",
     ["a list item ('- ') stands where the mapping that starts on line 1 expects a key", "start at column 1"]),
    ("list item among an item's keys", "id: x\nsections:\n  - title: a\n    - one\n", "4:5",
     ["stands where the mapping that starts on line 3 expects a key", "'title'", "column 5"]),
    ("key indented unlike its siblings", "id: x\nsections:\n  - title: a\n    body: b\n   extra: c\n", "5:4",
     ["'extra' is indented to column 4", "like 'title' on line 3) start at column 5"]),
    ("key at the column of the list's dashes", "id: x\nsections:\n  - title: a\n  body: b\n", "4:3",
     ["'body' stands where the list that starts on line 3 expects an item", "(column 5)"]),
    ("value starting with @", "id: x\ntitle: @home visits\n", "2:8",
     ["cannot start with '@'", 'put the text in quotes: title: "@home visits"']),
    ("item starting with a backtick", "id: x\nitems:\n  - `chart` first\n", "3:5",
     ["cannot start with '`'", 'put the text in quotes: - "`chart` first"']),
    ("value starting with %", "id: x\ntitle: %d done\n", "2:8", ['title: "%d done"']),
    ("value starting with *", "id: x\ntitle: *Important* notes\n", "2:8",
     ["read as an alias", 'title: "*Important* notes"']),
    ("value starting with &", "id: x\ntitle: & co\n", "2:8", ["read as an anchor", 'title: "& co"']),
    ("value starting with |", "id: x\ntitle: | pipes\n", "2:8", ["begins a block of text", 'title: "| pipes"']),
    ("value starting with - ", "id: x\ntitle: - dash\n", "2:8", ["read as a list item", 'title: "- dash"']),
    ("value starting with [", "id: x\ntitle: [Draft] Ward rounds\n", "2:8",
     ["read as a list ([a, b])", 'title: "[Draft] Ward rounds"']),
    ("value starting with {", "id: x\ntitle: {x} marks\n", "2:8", ["read as a mapping", 'title: "{x} marks"']),
    ("key:value without a space", "id: x\ntitle:Ward rounds\ncategory: a\n", "2:6",
     ["a key needs a space after its colon: title: Ward rounds"]),
    ("a line without a key", "id: x\nsummary: A text\nthat goes on\ncategory: a\n", "3:1",
     ["neither 'key: value' nor indented under the text above it", "indent it further than the key on line 2",
      "write ': ' after its name"]),
    ("block text line indented too little", "id: x\nbody: |\n    line one\n  line two\nnext: y\n", "4:3",
     ["indented less than the text of the block that starts on line 2 (column 5)"]),
    ("list not closed", "id: x\nterms: [a, b\ncategory: c\n", "2:8",
     ["the '[' that opens a list here is not closed", "close it on this line: terms: [a, b]"]),
    ("list not closed at the end", "id: x\nterms: [a, b\n", "2:8", ["close it on this line: terms: [a, b]"]),
    ("a dash without a space", "id: x\nsections:\n  -title: a\n    body: b\n", "3:3",
     ["a list item needs a space after its '-': - title: a"]),
    ("a dash without a space before keys", "id: x\nopts:\n  -text: >-\n    Leave it.\n   correct: false\n", "3:3",
     ["a list item needs a space after its '-': - text: >-"]),
    ("a quote before a block indicator", "id: x\nbody: '|\n  It's a text\nnext: y\n", "2:7",
     ["the ' before '|' makes it the start of a quoted text", "remove the '"]),
    ("the first key indented", "  id: x\ntitle: a\n", "1:1", ["the file's first key, 'id', is indented by 2 space(s)"]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "where", "words"), CASES, ids=[c[0] for c in CASES])
def test_each_mistake_is_explained_with_its_fix_where_the_author_acts(
    name: str, text: str, where: str, words: list[str]
) -> None:
    found = problems_of(text)
    assert len(found) == 1, found  # one mistake, one problem: setting it aside invents no other
    assert found[0].startswith(f"f.yml:{where}: {SYNTAX}"), found[0]
    for word in words:
        assert word in found[0], (word, found[0])


def test_an_unclosed_quote_is_reported_where_it_opens_not_where_the_parser_gave_up() -> None:
    body = "".join(f"  - Step {n}: check the chart\n".replace(": ", " ") for n in range(36))
    text = f"id: x\ntitle: 'Ward rounds\ncategory: a\nbehaviours:\n{body}summary: It's done\n"
    (found,) = problems_of(text)
    closing = text.splitlines().index("summary: It's done") + 1
    assert closing > 38
    assert found.startswith(f"f.yml:2:8: {SYNTAX}the ' that opens the text here is not closed on this line")
    assert f"until the ' on line {closing} (column 12)" in found


def test_a_list_item_one_column_too_deep_is_not_silently_joined_to_the_item_above() -> None:
    # YAML reads "   - three" as more of the text "two": the list would lose an item without a word.
    found = problems_of("id: x\nbehaviours:\n  - one\n  - two\n   - three\n")
    assert found == [
        "f.yml:5:4: behaviours[1]: this line starts with '- ', but it is indented under the text that starts on "
        "line 4, so YAML reads it as more of that text ('two - three'), not as a list item; line its '-' up with "
        "the other items of the list, or put the text in quotes if the dash belongs to it"
    ]


def test_a_dash_without_a_space_is_named() -> None:
    (found,) = problems_of("id: x\nbehaviours:\n  -one\n  - two\n")
    assert found.startswith("f.yml:3:3: behaviours: a list item needs a space after its '-' ('- one')")


def test_an_error_no_rule_explains_keeps_the_parsers_words_at_its_place() -> None:
    (found,) = problems_of("id: x\ntitle: !x!y z\n")
    assert found.startswith(f"f.yml:2:8: {SYNTAX}found undefined tag handle")


def test_a_control_character_is_reported_at_its_place_on_one_line() -> None:
    assert problems_of("id: x\r\ntitle: Ward\x07 rounds\r\n") == [
        "f.yml:2:12: (document): a control character (U+0007) that YAML does not allow; delete it (most editors "
        "do not show it: retype the text around this place)"
    ]


MANY = """\
id: two
title: Ward rounds: a guide
category: alpha
summary: 'Handover at the bedside
sections:
  - title: What it means
    body: |
      Handover happens at 07:30: every patient is seen.
      It's the team's job.
  - title: Steps
\tbody: Use the chart.
behaviours:
  - Reads the chart
 - Asks the patient
keywords: [handover, rounds
terms: [sprocket]
practices:
  - @home visits
  - Checks "the" chart" twice
pitfalls:
  - Skips the chart
   - Guesses
related:
  - id: one
    reason: It's related, that's why.
exercises:
  - id: pick
    kind: single
    question: Which is second?
    options:
      - text: Two
        correct: true
        feedback: Two is second.
      - text: 'One
        feedback: One is first.
"""

# Each mistake of MANY: "line:col" and a word of its explanation. Line 8's colon is in a block
# text, line 19's quotes are in the middle of plain text, and line 25's apostrophes too: all fine.
MANY_EXPECTED = [
    ("2:8", "': ' inside text that is not in quotes"),
    ("4:10", "the ' that opens the text here is not closed on this line"),
    ("11:1", "a tab in the indentation"),
    ("14:2", "this list item is indented to column 2"),
    ("15:11", "the '[' that opens a list here is not closed"),
    ("18:5", "cannot start with '@'"),
    ("34:15", "the ' that opens the text here is never closed"),
]


def test_every_mistake_of_a_file_is_reported_in_one_run_each_at_its_line() -> None:
    found = problems_of(MANY)
    assert [p.split(": ", 1)[0] for p in found] == [f"f.yml:{where}" for where, _ in MANY_EXPECTED], found
    for problem, (_, words) in zip(found, MANY_EXPECTED, strict=True):
        assert words in problem, problem


def test_a_mistake_inside_the_lines_an_open_quote_swallowed_is_still_found() -> None:
    text = "id: x\nsummary: 'Handover\nsections:\n  - title: a\n\tbody: b\nbehaviours:\n  - It's fine\n"
    found = problems_of(text)
    assert [p.split(": ", 1)[0] for p in found] == ["f.yml:2:10", "f.yml:5:1"], found
    assert "until the ' on line 7" in found[0] and "a tab in the indentation" in found[1]


def test_mistakes_in_several_files_are_reported_in_one_run_and_nothing_is_written(project: Path) -> None:
    assert run_cli("--root", str(project), "generate", "--no-handbook").code == 0
    before = tree_digest(project / "docs")
    traits = project / "catalogue" / "traits"
    (traits / "two.yml").write_text(MANY, encoding="utf-8")
    one = traits / "one.yml"
    one.write_text(one.read_text(encoding="utf-8").replace("  - Does one thing.", "  - Check the chart: pulse"))
    catalogue = project / "catalogue" / "catalogue.yml"
    text = catalogue.read_text(encoding="utf-8").replace("title: Mini catalogue", "title: Mini catalogue: a test")
    catalogue.write_text(text, encoding="utf-8")
    result = run_cli("--root", str(project), "generate", "--no-handbook")
    assert result.code == 2 and result.out == ""
    assert "Traceback" not in result.err
    lines = result.err.splitlines()
    expected = [f"catalogue/traits/two.yml:{where}: {SYNTAX}" for where, _ in MANY_EXPECTED]
    expected.insert(0, f"catalogue/catalogue.yml:2:8: {SYNTAX}")
    expected.insert(1, "catalogue/traits/one.yml:")  # the colon made a mapping of a list item: a model problem
    assert len(lines) == len(expected) + 1 and lines[-1] == f"{len(expected)} problem(s) found; nothing was written."
    for line, prefix in zip(lines, expected, strict=False):
        assert line.startswith(prefix), (prefix, result.err)
    assert lines[1].endswith(
        "behaviours[0]: must be text, not a mapping (the ': ' after 'Check the chart' makes YAML read a key and its "
        'value; put the whole text in quotes: "Check the chart: pulse")'
    ), lines[1]
    assert tree_digest(project / "docs") == before


VALID = (MINI / "traits" / "two.yml").read_text(encoding="utf-8")
# What an author's slip does to a line: a colon in the text, a quote opened, a tab, a shifted
# indentation, a reserved first character.
SLIPS = [
    lambda line: re.sub(r": (\S+)", r": \1: x", line, count=1),
    lambda line: re.sub(r": (\S)", r": '\1", line, count=1),
    lambda line: re.sub(r": (\S)", r': "\1', line, count=1),
    lambda line: "\t" + line.lstrip(" "),
    lambda line: line[1:] if line.startswith(" ") else " " + line,
    lambda line: re.sub(r": (\S)", r": @\1", line, count=1),
    lambda line: re.sub(r"- ", "-", line, count=1),
]


@given(st.lists(st.tuples(st.integers(0, VALID.count("\n") - 1), st.sampled_from(SLIPS)), min_size=1, max_size=4))
def test_slips_anywhere_give_problems_in_the_file_and_never_an_exception(
    slips: list[tuple[int, object]],
) -> None:
    lines = VALID.splitlines()
    for number, slip in slips:
        assert callable(slip)
        lines[number] = slip(lines[number])
    text = "\n".join(lines) + "\n"
    try:
        parse_document(text.encode("utf-8"), "f.yml")
    except CatalogueError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert 1 <= problem.line <= len(lines) and problem.col >= 1, problem
            assert problem.message and "\n" not in problem.message
