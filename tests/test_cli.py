"""The authoring commands: new, help texts, exit codes, output on and off a terminal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli, run_command
from traitbook._internal.adapters import commands


def test_new_scaffolds_a_trait_that_checks_once_filled_in(project: Path) -> None:
    result = run_cli("--root", str(project), "new", "curious")
    assert result.code == 0, result.err
    path = project / "catalogue" / "traits" / "curious.yml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/trait.schema.json\n")
    assert "category: alpha" in text  # the catalogue's first category
    for field in ("keywords", "objectives", "behaviours", "practices", "pitfalls", "scenario", "related", "terms"):
        assert f"# {field}:" in text, field  # optional fields present, commented
    filled = text.replace("TODO ", "Written ").replace("TODO", "Written")
    path.write_text(filled, encoding="utf-8")
    assert run_cli("--root", str(project), "check").code == 0


def test_new_refuses_to_overwrite_and_bad_ids(project: Path) -> None:
    existing = project / "catalogue" / "traits" / "one.yml"
    before = existing.read_bytes()
    result = run_cli("--root", str(project), "new", "one")
    assert result.code == 2 and "the file exists already; nothing was changed" in result.err
    assert existing.read_bytes() == before
    for bad in ("Bad", "a/b", "../x", "index", "x" * 65):
        assert run_cli("--root", str(project), "new", bad).code == 2, bad
    assert sorted(p.name for p in (project / "catalogue" / "traits").iterdir()) == ["one.yml", "three.yml", "two.yml"]


def test_new_judges_an_id_by_the_models_rules_in_the_words_of_check(project: Path) -> None:
    for bad, said in (
        ("Bad", "'Bad' is not a valid id: use lower-case letters, digits and single hyphens"),
        ("index", "'index' is a reserved name; choose another id"),
        ("x" * 65, "too long (65 characters, at most 64)"),
    ):
        result = run_cli("--root", str(project), "new", bad)
        assert result.code == 2 and f".yml:1:1: id: {said}" in result.err, result.err


def test_new_in_the_real_catalogue_is_reported_by_the_lint_until_complete(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(ROOT / "catalogue", tmp_path / "catalogue")
    created = run_cli("--root", str(tmp_path), "new", "curious")
    assert created.code == 0 and "add 'curious' as a step of a path" in created.out  # traits_in_paths is on
    result = run_cli("--root", str(tmp_path), "check")
    assert result.code == 2
    assert "catalogue/traits/curious.yml" in result.err and "needs at least" in result.err
    assert "trait 'curious' is a step of no path" in result.err


COMMANDS = ["init", "new", "check", "generate", "build", "serve", "handbook", "schema", "assets"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_examples_and_exit_codes(command: str) -> None:
    result = run_command(command, "--help")
    assert result.returncode == 0
    assert "examples:" in result.stdout and f"python -m generator {command}" in result.stdout
    assert "exit status:" in result.stdout and "2  problems in the catalogue" in result.stdout


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["biuld"], "invalid choice: 'biuld'"),
        ([], "the following arguments are required: COMMAND"),
        (["build", "--nope"], "unrecognized arguments: --nope"),
        (["schema", "nope"], "python -m generator schema: error: argument which: invalid choice: 'nope'"),
    ],
)
def test_a_command_line_that_is_not_understood_is_exit_1_with_the_usage_and_runs_nothing(
    project: Path, argv: list[str], said: str
) -> None:
    result = run_cli("--root", str(project), *argv)
    assert result.code == 1, result.err
    assert result.err.startswith("usage: python -m generator") and said in result.err, result.err
    assert result.out == ""
    assert sorted(p.name for p in (project / "docs").iterdir()) == ["index.md"]  # nothing was built


def test_an_unknown_command_is_exit_1_from_the_real_entry_point() -> None:
    result = run_command("biuld")
    assert result.returncode == 1
    assert "usage: python -m generator" in result.stderr and "invalid choice: 'biuld'" in result.stderr


def test_new_refuses_a_category_the_catalogue_does_not_declare(project: Path) -> None:
    before = sorted((project / "catalogue" / "traits").iterdir())
    result = run_cli("--root", str(project), "new", "curious", "--category", "nosuch")
    assert result.code == 1
    assert "no category 'nosuch' in catalogue.yml; its categories: alpha, beta" in result.err
    assert sorted((project / "catalogue" / "traits").iterdir()) == before


@pytest.mark.parametrize(
    ("command", "prog"),
    [
        ([sys.executable, "-m", "generator"], "python -m generator"),
        ([sys.executable, "-m", "traitbook"], "python -m traitbook"),
        ([str(Path(sys.executable).parent / "traitbook")], "traitbook"),
    ],
)
def test_every_way_in_names_itself_in_usage_and_in_the_commands_it_suggests(
    project: Path, command: list[str], prog: str
) -> None:
    """A project made by ``init`` has no generator/ folder: ``python -m generator`` would fail there."""
    if not Path(command[0]).exists():
        pytest.skip("the traitbook command is not installed (pip install -e . installs it)")
    run = subprocess.run([*command, "new", "--help"], capture_output=True, text=True, cwd=ROOT, check=False)
    assert run.returncode == 0 and run.stdout.startswith(f"usage: {prog} new"), run.stdout
    assert f"  {prog} new curious" in run.stdout
    made = subprocess.run(
        [*command, "--root", str(project), "new", "curious"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout.rstrip().endswith(f"then run: {prog} check"), made.stdout
    text = (project / "catalogue" / "traits" / "curious.yml").read_text(encoding="utf-8")
    assert f"then run: {prog} check\n" in text


def test_problems_print_as_written_with_no_emoji_codes(project: Path) -> None:
    """rich reads ":100:" as an emoji code by default: a problem on line 100 lost its number."""
    two = project / "catalogue" / "traits" / "two.yml"
    text = two.read_text(encoding="utf-8")
    padding = "# note\n" * (99 - text.splitlines().index("title: Trait Two"))
    two.write_text(text.replace("title: Trait Two", padding + 'title: 12\n":fire:": x', 1), encoding="utf-8")
    result = run_cli("--root", str(project), "check")
    assert result.code == 2
    assert "catalogue/traits/two.yml:100:8: title: must be text" in result.err, result.err
    assert "catalogue/traits/two.yml:101:1: :fire:: unknown key ':fire:'" in result.err, result.err
    assert "\U0001f4af" not in result.err and "\U0001f525" not in result.err


def test_check_json_prints_json_when_the_catalogue_does_not_validate(project: Path) -> None:
    import json

    two = project / "catalogue" / "traits" / "two.yml"
    two.write_text(two.read_text(encoding="utf-8").replace("title: Trait Two", "title: 12"), encoding="utf-8")
    result = run_cli("--root", str(project), "check", "--json")
    assert result.code == 2
    report = json.loads(result.out)
    assert report["ok"] is False and report["traits"] == []
    assert [p for p in report["problems"] if p.startswith("catalogue/traits/two.yml:2:8: title: must be text")]


def test_exit_codes(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_cli("--root", str(project), "generate", "--no-handbook").code == 0
    (project / "catalogue" / "traits" / "two.yml").write_text("id: [\n", encoding="utf-8")
    assert run_cli("--root", str(project), "generate", "--no-handbook").code == 2

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(commands, "generate_site", explode)
    result = run_cli("--root", str(project), "generate", "--no-handbook")
    assert result.code == 1
    assert result.err.strip() == "internal error: RuntimeError: boom (set TRAITBOOK_DEBUG=1 for a traceback)"


def test_unwritable_output_is_exit_1_with_a_clear_message(project: Path) -> None:
    docs_as_file = project / "not-a-folder"
    docs_as_file.write_text("x")
    result = run_cli("--root", str(project), "--docs", str(docs_as_file), "generate", "--no-handbook")
    assert result.code == 1 and result.err.startswith("error: cannot write")
    assert "Traceback" not in result.err


def test_a_hand_written_file_in_the_way_is_exit_1_and_names_the_file(project: Path) -> None:
    mine = project / "docs" / "traits" / "one.md"
    mine.parent.mkdir()
    mine.write_text("# My own page\n", encoding="utf-8")
    result = run_cli("--root", str(project), "generate", "--no-handbook")
    assert result.code == 1, result.err
    assert result.err.startswith("error: cannot write the generated files; nothing was written:")
    assert "docs/traits/one.md: a hand-written file is in the way of a generated page" in result.err
    assert sorted(p.name for p in mine.parent.iterdir()) == ["one.md"]
    assert mine.read_text(encoding="utf-8") == "# My own page\n"


def test_plain_output_off_a_terminal(project: Path) -> None:
    first = run_cli("--root", str(project), "generate", "--no-handbook")
    assert first.code == 0
    assert "\x1b[" not in first.out
    assert first.out == "generated 3 traits, 6 exercises: 17 written, 0 unchanged, 0 removed\n"
    again = run_cli("--root", str(project), "--no-cache", "generate", "--no-handbook")
    assert again.out == "generated 3 traits, 6 exercises: 0 written, 17 unchanged, 0 removed\n"
    stamped = run_cli("--root", str(project), "generate", "--no-handbook")
    assert stamped.out == "generate: nothing changed since the last build; the generated files are up to date\n"


def test_colour_on_a_terminal(project: Path) -> None:
    (project / "catalogue" / "traits" / "two.yml").write_text("id: [\n", encoding="utf-8")
    result = run_cli("--root", str(project), "generate", "--no-handbook", terminal=True)
    assert result.code == 2
    assert "\x1b[" in result.err  # problems in red
    assert "catalogue/traits/two.yml:" in result.err
