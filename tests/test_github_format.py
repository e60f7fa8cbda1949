"""``check --format github``: workflow commands GitHub turns into annotations on a pull request,
escaped as GitHub's toolkit escapes them, at the same line and column as the plain format."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import FIXTURES, ROOT, run_cli
from traitbook._internal.adapters.github import annotation, escape_data, escape_property
from traitbook._internal.catalogue.problems import Problem

BROKEN = FIXTURES / "broken"
GOLDEN = ROOT / "tests" / "golden" / "github" / "broken.txt"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

#: ``::level file=F,line=L,col=C,title=T::message``
COMMAND = re.compile(r"^::(error|warning) file=([^,]*),line=(\d+),col=(\d+),title=([^:]*)::(.*)$")
#: ``file:line:col: path: message``
PLAIN = re.compile(r"^(.+?):(\d+):(\d+): (.+?): (.*)$")


def unescape(text: str) -> str:
    """GitHub's reading of an escaped value (the inverse of the toolkit's escaping)."""
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, char)
    return text


def broken_check(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, list[str]]:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(ROOT))
    result = run_cli("--no-cache", "--catalogue", str(BROKEN), "check", *args)
    return result.code, (result.out + result.err).splitlines()


def test_the_broken_catalogue_as_annotations_matches_the_golden_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    code, lines = broken_check(monkeypatch, "--format", "github")
    assert code == 2
    text = "\n".join(lines) + "\n"
    if UPDATE:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8"), "run `make golden` if the change is intended"
    assert all(COMMAND.match(line) for line in lines), lines


def test_annotations_are_where_the_plain_format_says(monkeypatch: pytest.MonkeyPatch) -> None:
    _, plain = broken_check(monkeypatch, "--format", "text")
    _, github = broken_check(monkeypatch, "--format", "github")
    located = []
    for line in github:
        match = COMMAND.match(line)
        assert match, line
        _, file, row, col, _, message = match.groups()
        located.append((unescape(file), int(row), int(col), unescape(message)))
    expected = []
    for line in plain[:-1]:  # the last line counts the problems
        match = PLAIN.match(line)
        assert match, line
        file, row, col, _, message = match.groups()
        expected.append((file, int(row), int(col), message))
    assert located == expected
    assert len(located) >= 8


def test_on_github_actions_the_format_is_chosen_and_lint_problems_are_warnings(
    project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    catalogue = project / "catalogue" / "catalogue.yml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8") + "minimums:\n  takeaways: 5\n", encoding="utf-8")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(project))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run_cli("--root", str(project), "check")
    assert result.code == 2  # the same exit status as the text format
    warnings = [line for line in result.out.splitlines() if line.startswith("::warning ")]
    assert warnings and not any(line.startswith("::error ") for line in result.out.splitlines())
    assert all("file=catalogue/traits/" in w and "takeaways" in w for w in warnings)
    table = summary.read_text(encoding="utf-8")
    assert table.startswith("earlier step\n")  # GitHub's summary file is appended to
    assert f"{len(warnings)} warning(s)" in table
    assert "| trait | words |" in table and "| one |" in table and "**total (3)**" in table
    # --json keeps its own format on GitHub too.
    assert run_cli("--root", str(project), "check", "--json").out.lstrip().startswith("{")


def test_without_github_actions_the_output_stays_plain(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    catalogue = project / "catalogue" / "catalogue.yml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8") + "minimums:\n  takeaways: 5\n", encoding="utf-8")
    result = run_cli("--root", str(project), "check")
    assert result.code == 2 and "::" not in result.out + result.err
    assert "catalogue/traits/one.yml:" in result.err


@given(st.text())
def test_every_special_character_is_escaped_in_properties_and_messages(text: str) -> None:
    prop, data = escape_property(text), escape_data(text)
    assert not set(prop) & {":", ",", "\r", "\n"}
    assert not set(data) & {"\r", "\n"}
    assert unescape(prop) == text and unescape(data) == text


@given(st.text(min_size=1), st.text(), st.integers(1, 10**6), st.integers(1, 10**4))
def test_a_command_always_parses_back_to_its_problem(file: str, message: str, line: int, col: int) -> None:
    command = annotation(Problem(file, line, col, "a:b,c", message), "error", file)
    assert "\n" not in command and "\r" not in command
    match = COMMAND.match(command)
    assert match, command
    assert unescape(match.group(2)) == file and unescape(match.group(6)) == message
    assert (int(match.group(3)), int(match.group(4))) == (line, col)
    assert unescape(match.group(5)).endswith("a:b,c")
