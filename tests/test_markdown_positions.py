"""A problem inside a Markdown text is reported at the line and column that hold it.

A section body is often a block of forty lines (``body: |``); "raw HTML is not allowed" at the
key leaves the author to search them. Each refused construct, in every way YAML writes text
(literal and folded blocks, plain and quoted text over several lines), must be reported where it
is written; where YAML changed the text in ways that cannot be mapped back reliably (escapes in
double quotes), at the key as before.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import run_cli, tree_digest
from traitbook._internal.catalogue.load import _Loader, parse_document
from traitbook._internal.catalogue.problems import CatalogueError
from traitbook._internal.catalogue.safety import MAX_NESTING, markdown_findings
from traitbook._internal.catalogue.textpos import value_positions

TWO = "catalogue/traits/two.yml"
BODY = "    body: Trait two uses sprockets."
FILLER = ["Handover happens at the bedside, with the patient.", "Everyone checks the chart together.", ""]


def check(project: Path, new_body: str) -> list[str]:
    path = project / TWO
    text = path.read_text(encoding="utf-8")
    assert BODY in text
    path.write_text(text.replace(BODY, new_body), encoding="utf-8")
    result = run_cli("--root", str(project), "check")
    assert result.code == 2 and "Traceback" not in result.err
    return result.err.splitlines()[:-1]


def block(style: str, lines: list[str]) -> str:
    """A section body written as a block of ``lines`` (the first content line is line 8 of the file)."""
    return f"    body: {style}\n" + "\n".join(f"      {line}" if line else "" for line in lines)


# (rule, a line of Markdown, the column of the problem in that line, words of the message)
RULES = [
    ("raw HTML", "Read the <b>whole</b> chart.", 10, "raw HTML is not allowed (<b>)"),
    ("HTML after an autolink", "See <https://example.org/a> and <i>this</i>.", 33, "raw HTML is not allowed (<i>)"),
    ("HTML as an entity", "Read &#60;b>whole</b> chart.", 6, "raw HTML is not allowed"),
    ("event handler", "An img onerror=alert(1) here.", 8, "event-handler attributes"),
    ("attribute list", "Ward rounds {: .big } today.", 13, "attribute lists"),
    ("javascript link", "See [the guide](javascript:alert(1)).", 17, "javascript: URLs are not allowed"),
    ("spaced javascript", "See [the guide](java\tscript:alert(1)).", 17, "javascript: URLs are not allowed"),
    ("vbscript link", "See [it](VBScript:x).", 10, "vbscript: URLs are not allowed"),
    ("remote image", "A chart: ![chart](https://evil.example/c.png)", 19, "images from other hosts"),
    ("heading", "## Steps", 1, "headings are not allowed"),
    ("snippet marker", "--8<-- 'docs/index.md'", 1, "snippet marker"),
    ("unclosed fence", "```python", 1, "the code fence '```' is never closed"),
    ("code before the problem", "Type `<script>` then <b>bold</b>.", 22, "raw HTML is not allowed (<b>)"),
]


@pytest.mark.parametrize(("rule", "line", "column", "words"), RULES, ids=[r[0] for r in RULES])
def test_each_refused_construct_is_reported_at_its_line_and_column_inside_a_block(
    project: Path, rule: str, line: str, column: int, words: str
) -> None:
    problems = check(project, block("|", [*FILLER, "More text.", line, "Last line."]))
    # The block's content starts on line 8 of the file, indented by 6: the refused line is line 12.
    assert any(p.startswith(f"{TWO}:12:{6 + column}: sections[0].body: ") and words in p for p in problems), problems


def test_a_setext_heading_is_reported_at_its_underline(project: Path) -> None:
    problems = check(project, block("|", [*FILLER, "Steps", "-----", "Text."]))
    assert problems == [f"{TWO}:12:7: sections[0].body: headings are not allowed in Markdown fields"
                        " (a line starting with #, or text underlined with = or -): the page's sections give its"
                        " headings; add a section, or use **bold** for a label"]  # fmt: skip


def test_nesting_is_reported_at_the_line_too_deep(project: Path) -> None:
    deep = "- " * (MAX_NESTING + 1) + "x"
    problems = check(project, block("|", [*FILLER, "- a list", deep]))
    assert len(problems) == 1 and problems[0].startswith(f"{TWO}:12:7: sections[0].body: line 5 of the text is nested")


def test_every_problem_of_a_text_is_reported_each_at_its_own_line(project: Path) -> None:
    problems = check(project, block("|", [*FILLER, "Read the <b>chart</b>.", "", "# Steps", "", "```", "code"]))
    assert [p.split(": ")[0] for p in problems] == [f"{TWO}:11:16", f"{TWO}:13:7", f"{TWO}:15:7"], problems


@pytest.mark.parametrize(
    ("name", "body", "where"),
    [
        ("folded block", block(">", [*FILLER, "Read the chart", "and the <b>notes</b>."]), "12:15"),
        ("folded block, kept lines", block(">-", [*FILLER, "  indented line", "", "and <b>x</b>"]), "13:11"),
        (
            "plain text",
            "    body: Handover at the bedside,\n      with the patient,\n      and the <b>chart</b>.",
            "9:15",
        ),
        ("plain text with a blank line", "    body: Handover at\n\n      the <b>bed</b>.", "9:11"),
        ("single-quoted text", "    body: 'It''s a handover,\n      with the <b>patient</b>.'", "8:16"),
        ("double-quoted text", '    body: "A handover,\n      with the <b>patient</b>."', "8:16"),
    ],
)
def test_positions_map_through_every_way_yaml_writes_text(project: Path, name: str, body: str, where: str) -> None:
    problems = check(project, body)
    assert problems[0].startswith(f"{TWO}:{where}: sections[0].body: raw HTML is not allowed (<b>)"), problems


def test_text_with_escapes_is_reported_at_the_key_as_before(project: Path) -> None:
    """Escapes in double quotes change the text's length: no reliable mapping, so the value's start."""
    problems = check(project, '    body: "A handover,\\t\n      with the <b>patient</b>."')
    assert problems[0].startswith(f"{TWO}:7:11: sections[0].body: raw HTML"), problems


def test_a_problem_on_the_values_first_line_is_reported_where_the_value_starts(project: Path) -> None:
    problems = check(project, "    body: Read the <b>chart</b>\n      and more.")
    assert problems[0].startswith(f"{TWO}:7:11: sections[0].body: raw HTML"), problems


def test_windows_line_endings_count_as_one_line_break(project: Path) -> None:
    path = project / TWO
    text = path.read_text(encoding="utf-8").replace(BODY, block("|", [*FILLER, "Read the <b>chart</b>."]))
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    result = run_cli("--root", str(project), "check")
    assert result.err.startswith(f"{TWO}:11:16: sections[0].body: raw HTML"), result.err


def test_a_list_item_and_an_exercise_field_are_placed_too(project: Path) -> None:
    one = project / "catalogue" / "traits" / "one.yml"
    text = one.read_text(encoding="utf-8")
    text = text.replace("  - Does one thing.", "  - |\n    Does one thing,\n    then <b>another</b>.")
    text = text.replace(
        "        feedback: Panic does not help.",
        "        feedback: >\n          Panic does not\n          help {: .x }.",
    )
    one.write_text(text, encoding="utf-8")
    result = run_cli("--root", str(project), "check")
    said = result.err.splitlines()
    lines = text.splitlines()
    html_line = next(n for n, line in enumerate(lines, 1) if "then <b>another" in line)
    brace_line = next(n for n, line in enumerate(lines, 1) if "help {: .x }" in line)
    assert any(p.startswith(f"catalogue/traits/one.yml:{html_line}:10: behaviours[0]: raw HTML") for p in said), said
    assert any(
        p.startswith(f"catalogue/traits/one.yml:{brace_line}:16: exercises[0].options[0].feedback: attribute lists")
        for p in said
    ), said


def test_a_refused_text_writes_nothing(project: Path) -> None:
    assert run_cli("--root", str(project), "generate", "--no-handbook").code == 0
    before = tree_digest(project / "docs")
    path = project / TWO
    path.write_text(path.read_text(encoding="utf-8").replace(BODY, block("|", [*FILLER, "<b>x</b>"])), "utf-8")
    result = run_cli("--root", str(project), "generate", "--no-handbook")
    assert result.code == 2 and result.err.startswith(f"{TWO}:11:7: sections[0].body: raw HTML")
    assert tree_digest(project / "docs") == before


# --- the mapping itself -------------------------------------------------------------------------

TEXT = st.text(alphabet=st.sampled_from(list("ab <>#:'\"-\n\t{}`")), min_size=1, max_size=60)


@given(TEXT, st.sampled_from(["|", ">", "'", '"', None]), st.integers(20, 80), st.integers(1, 3))
def test_every_mapped_character_is_the_one_written_there(text: str, style: str | None, width: int, depth: int) -> None:
    """Whatever the text and the way PyYAML writes it, a mapped character is the one in the file."""
    nested: object = text
    for _ in range(depth - 1):
        nested = {"k": nested}
    source = yaml.dump({"k": nested}, default_style=style, width=width, allow_unicode=True)
    node = yaml.compose(source, Loader=_Loader)
    for _ in range(depth):
        assert isinstance(node, yaml.MappingNode)
        node = node.value[0][1]
    assert isinstance(node, yaml.ScalarNode) and node.value == text
    positions = value_positions(source, node)
    if positions is None:
        assert node.style == '"' or "\\" in source, source  # only escapes may prevent a mapping
        return
    lines = source.split("\n")
    for char, (line, column) in zip(text, positions, strict=False):
        if char not in " \n":  # spaces and breaks may stand for a folded line break
            assert lines[line][column] == char, (source, text)


def test_offsets_point_at_the_refused_construct() -> None:
    text = "Intro `<b>` and <i>x</i>\n\n## Head\n\n```\nopen"
    found = {f.message.split(" (")[0].split(";")[0]: f.offset for f in markdown_findings(text)}
    assert found["raw HTML is not allowed"] == text.index("<i>")
    assert found["headings are not allowed in Markdown fields"] == text.index("## Head")
    assert found["the code fence '```' is never closed"] == text.index("```\nopen")


def test_documents_keep_no_text_once_released(tmp_path: Path) -> None:
    path = tmp_path / "t.yml"
    path.write_text("a: |\n  x <b>\n", encoding="utf-8")
    with pytest.raises(CatalogueError):
        parse_document(b"a: [\n", "t.yml")
    doc = parse_document(path.read_bytes(), "t.yml")
    doc.source = path
    assert doc.text is not None
    doc.release()
    assert doc.text is None
    assert doc.locate_in_text(("a",), 2, "x <b>\n") == (2, 5)  # read again from the file on demand
