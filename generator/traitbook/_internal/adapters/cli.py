"""Command line: ``python -m generator init|new|check|build|handbook|export|schema|…``. A thin adapter.

Exit status: 0 success, 2 catalogue problems (each printed as file:line:col: path: message),
1 anything else (an output folder that cannot be written or has a hand-written file where a
generated one goes, an internal error).

A command line that cannot be parsed (an unknown command such as ``biuld``, a missing or
unknown option) prints the usage and the error, runs nothing and exits with 1. argparse's own
status for it is 2, which here would read as "problems in the catalogue" to a script or CI job
that checks the status.

Output is plain lines when it is not a terminal; on a terminal, rich adds colour and a
spinner for the slow handbook step.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, TextIO

from rich.console import Console

from ..catalogue.lint import TraitStats
from ..catalogue.problems import CatalogueError, display_path
from ..catalogue.scaffold import create_trait
from ..catalogue.schema import catalogue_schema, trait_schema
from ..catalogue.validate import CATALOGUE_FILE, TRAITS_DIR, language_problem, site_words
from ..errors import TraitbookError
from ..export import FORMATS
from ..handbook.printhtml import HandbookOptions, Paper
from ..i18n import translation_block
from ..i18n.search import STOP_WORDS, language_separator
from ..infra.write import WriteError, atomic_write
from ..pipeline import (
    CheckReport,
    Project,
    build,
    build_handbook,
    check,
    lms_exports,
    load_and_validate,
    write_handbook,
)
from ..plan import Plan, plan
from ..scaffold import plan_init, project_files, write_init
from ..site.assets import TARGET, built_assets
from . import github
from .summary import cue_summary, stats_json, summary_table

EXIT_OK, EXIT_INTERNAL, EXIT_CATALOGUE = 0, 1, 2

EXIT_CODES = """\
exit status:
  0  success
  1  another error (command line not understood, output folder not writable or a hand-written
     file in the way, internal error)
  2  problems in the catalogue, printed one per line as file:line:col: field.path: message
"""

EXAMPLES = {
    "init": "examples:\n  {prog} init my-course\n  {prog} init . --force",
    "new": "examples:\n  {prog} new curious\n  {prog} new curious --category thinking",
    "check": "examples:\n  {prog} check\n  {prog} check --summary\n  {prog} check --json > stats.json",
    "build": "examples:\n  {prog} build\n  {prog} --catalogue other/catalogue --docs other/docs build",
    "handbook": "examples:\n  {prog} handbook\n"
    "  {prog} handbook --paper Letter --output handbook-letter.pdf\n"
    "  {prog} handbook --worksheet --output worksheet.pdf",
    "export": "examples:\n  {prog} export --format gift --output traitbook-gift.txt\n"
    "  {prog} export --format qti --output leader-qti.zip --trait leader",
    "search-separator": "examples:\n  {prog} search-separator\n  {prog} search-separator --language en",
    "messages": "examples:\n  {prog} messages > messages-fr.yml\n  {prog} messages --language pt --all",
    "assets": "examples:\n  {prog} assets\n  {prog} assets --check",
    "schema": "examples:\n  {prog} schema trait > schema/trait.schema.json\n  {prog} schema catalogue",
}


@dataclass
class Output:
    """Where messages go. Rich only styles when the stream is a terminal."""

    out: Console
    err: Console

    @classmethod
    def for_streams(cls, out: TextIO, err: TextIO) -> Output:
        # No highlighting, markup or emoji codes: text is printed as written (":100:" is a line
        # number, not an emoji code).
        return cls(
            Console(file=out, highlight=False, markup=False, emoji=False, soft_wrap=True),
            Console(file=err, highlight=False, markup=False, emoji=False, soft_wrap=True),
        )

    def line(self, text: str, style: str | None = None) -> None:
        self.out.print(text, style=style)

    def problem(self, text: str) -> None:
        self.err.print(text, style="red" if self.err.is_terminal else None)

    @contextmanager
    def working(self, what: str) -> Iterator[None]:
        """A spinner while something slow runs, on a terminal only."""
        if self.err.is_terminal:
            with self.err.status(what):
                yield
        else:
            yield


class UsageError(TraitbookError):
    """A command line that cannot be parsed; the message is the usage and the error."""


class _Parser(argparse.ArgumentParser):
    """argparse, except that a command line it cannot parse raises UsageError (exit status 1)
    instead of exiting with 2. Sub-command parsers are of this class too (argparse makes them
    of their parent's class)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.format_usage()}{self.prog}: error: {message}")


def _positive(text: str) -> int:
    value = int(text) if text.isdigit() else 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


def _parser(prog: str) -> argparse.ArgumentParser:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = _Parser(
        prog=prog,
        description="Traitbook: turn a trait catalogue into a learning site and a printed handbook.",
        epilog=EXIT_CODES,
        formatter_class=formatter,
    )
    parser.add_argument("--root", type=Path, default=Path("."), help="project root (default: .)")
    parser.add_argument("--catalogue", type=Path, help="catalogue folder (default: ROOT/catalogue)")
    parser.add_argument("--docs", type=Path, help="docs folder (default: ROOT/docs)")
    parser.add_argument(
        "--no-cache", action="store_true", help="parse every file again (default: reuse ROOT/.cache/traitbook/)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(
            name, help=help_text, description=help_text, epilog=f"{EXAMPLES[name].format(prog=prog)}\n\n{EXIT_CODES}",
            formatter_class=formatter,
        )  # fmt: skip

    init = add(
        "init",
        "create a new project in DIR: mkdocs.yml, an example catalogue, the hand-written pages, the theme "
        "files, a Makefile and the GitHub Pages workflow (never overwrites a file)",
    )
    init.add_argument("dir", type=Path, help="the project folder (created if missing; must be empty)")
    init.add_argument(
        "--force", action="store_true", help="write into a folder that is not empty: only the missing files"
    )
    new = add("new", "create catalogue/traits/<id>.yml with every field, ready to fill in (never overwrites)")
    new.add_argument("id", help="the new trait's id (lower-case letters, digits, hyphens)")
    new.add_argument("--category", help="category id (default: the first category of catalogue.yml)")
    check_cmd = add("check", "validate and apply the completeness minimums of catalogue.yml; write nothing")
    check_cmd.add_argument("--summary", action="store_true", help="print counts per trait and totals")
    check_cmd.add_argument(
        "--format",
        choices=["text", "json", "github"],
        help="text: file:line:col lines; json: counts and problems (same as --json); github: GitHub workflow "
        "commands, one annotation per problem (default on GitHub Actions, else text)",
    )
    check_cmd.add_argument("--json", action="store_true", help="print the counts and problems as JSON")
    build_cmd = add(
        "build",
        "validate, then write the generated pages into docs/ and the handbook PDFs into docs/downloads/ "
        "(only changed files; a PDF is rendered again only when its content changed)",
    )
    build_cmd.add_argument(
        "--jobs", type=_positive, metavar="N", help="processes rendering pages (default: one per core, within 400 MiB)"
    )
    build_cmd.add_argument(
        "--no-handbook", action="store_true", help="write the pages only (the site then links to PDFs it may lack)"
    )
    hb = add("handbook", "render the handbook and worksheet PDFs into docs/downloads/ (or one PDF with --output)")
    hb.add_argument("--paper", choices=["A4", "Letter"], default="A4", help="page size (default A4)")
    hb.add_argument("--worksheet", action="store_true", help="leave out the answer key")
    hb.add_argument("--output", type=Path, help="write one PDF here instead of docs/downloads/")
    exp = add(
        "export",
        "write the self-check exercises as a question bank for a learning platform: GIFT or Moodle XML "
        "(Moodle), or a QTI 1.2 package (Canvas and others); README: 'Use the exercises in your LMS'",
    )
    exp.add_argument("--format", required=True, choices=FORMATS, help="the file format")
    exp.add_argument("--output", type=Path, required=True, help="the file to write (replaced if it exists)")
    exp.add_argument("--trait", metavar="ID", help="only this trait's exercises")
    sep = add(
        "search-separator",
        "print the search plugin's separator for mkdocs.yml: white space, punctuation and the stop words of "
        "the catalogue's language (AUTHORING: Search)",
    )
    sep.add_argument("--language", help="language code (default: the catalogue's `language`)")
    msgs = add(
        "messages",
        "print, as a messages: block for catalogue.yml, the English text of every string Traitbook writes "
        "itself that the catalogue's language lacks, to translate (README: Languages)",
    )
    msgs.add_argument("--language", help="language code (default: the catalogue's `language`)")
    msgs.add_argument("--all", action="store_true", help="every string, not only the missing ones")
    assets = add(
        "assets",
        "write the site's minified JavaScript and CSS into overrides/assets/traitbook/ from their sources "
        "(for contributors who change them)",
    )
    assets.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file is out of date")
    schema = add("schema", "print the JSON Schema of the catalogue format")
    schema.add_argument("which", choices=["catalogue", "trait"], nargs="?", default="trait")
    return parser


def report_problems(error: CatalogueError, output: Output) -> None:
    for problem in error.problems:
        output.problem(str(problem))
    output.problem(f"{len(error.problems)} problem(s) found; nothing was written.")


def _init(target: Path, force: bool, output: Output) -> int:
    files = project_files()
    init_plan = plan_init(target, files, force)
    try:
        write_init(init_plan, files)
    except OSError as exc:
        raise WriteError(f"cannot write {exc.filename or target}: {exc.strerror}") from None
    output.line(f"created {len(init_plan.write)} file(s) in {target}", style="green")
    for rel in init_plan.skip:
        output.line(f"skipped {rel}: it exists already (not replaced)")
    output.line(
        f"next: cd {target}, edit catalogue/catalogue.yml, then run: make test (traitbook check) "
        "and make site (traitbook build && mkdocs build --strict)"
    )
    return EXIT_OK


def _new(project: Project, trait_id: str, category: str | None, prog: str, output: Output) -> int:
    site = None
    with suppress(CatalogueError):  # the catalogue has problems of its own; check reports them
        site = load_and_validate(project).catalogue.site
    if category is None:
        category = site.categories[0].id if site else "category-id"
    elif site is not None and category not in {c.id for c in site.categories}:
        declared = ", ".join(c.id for c in site.categories)
        raise UsageError(f"no category {category!r} in catalogue.yml; its categories: {declared}")
    traits = project.catalogue_dir / TRAITS_DIR
    traits.mkdir(parents=True, exist_ok=True)
    categories = [c.id for c in site.categories] if site else None
    check = f"{prog} check"
    path = create_trait(traits, trait_id, category, display_path(traits, project.root), categories, check=check)
    output.line(f"created {display_path(path, project.root)}: fill in the TODOs, then run: {check}")
    if site is not None and site.minimums.traits_in_paths:
        output.line(f"add {trait_id!r} as a step of a path in catalogue.yml (traits_in_paths is on)")
    return EXIT_OK


def check_format(requested: str | None, as_json: bool, environ: dict[str, str]) -> str:
    """The output format: as asked; else GitHub's on GitHub Actions (GITHUB_ACTIONS=true)."""
    if as_json:
        return "json"
    if requested:
        return requested
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"


def _github_check(report: CheckReport, root: Path, output: Output, environ: dict[str, str]) -> int:
    """``check`` for a GitHub job: validation problems as errors and lint problems as warnings
    (a minimum the author may defer), every one an annotation; the exit status is the same as
    the text format's. The summary table goes to the job summary when GitHub provides one."""
    for line in github.workflow_commands(list(report.errors), "error", root, environ):
        output.line(line)
    for line in github.workflow_commands(list(report.warnings), "warning", root, environ):
        output.line(line)
    stats = None if report.errors else list(report.stats)
    _job_summary(environ, stats, len(report.errors), len(report.warnings))
    if not report.ok:
        return EXIT_CATALOGUE
    output.line(f"ok: {len(report.stats)} traits, {report.exercises} exercises, every minimum met")
    return EXIT_OK


def _job_summary(environ: dict[str, str], stats: list[TraitStats] | None, errors: int, warnings: int) -> None:
    target = environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    text = (
        github.summary_markdown(stats, errors, warnings)
        if stats is not None
        else f"### Traitbook check: {errors} error(s): see the annotations\n"
    )
    with Path(target).open("a", encoding="utf-8") as summary_file:  # GitHub's file: appended to, never replaced
        summary_file.write(text)


def _check(project: Project, summary: bool, fmt: str, output: Output) -> int:
    report = check(project)
    if fmt == "github":
        return _github_check(report, project.root, output, dict(os.environ))
    if fmt == "json":  # tools read stdout: the same shape whether or not the catalogue validated
        found = [str(p) for p in (*report.errors, *report.warnings)]
        output.line(json.dumps(stats_json(list(report.stats), found, list(report.items)), indent=2, sort_keys=True))
        return EXIT_OK if report.ok else EXIT_CATALOGUE
    if report.errors:
        report_problems(CatalogueError(list(report.errors)), output)
        return EXIT_CATALOGUE
    if summary:
        output.line(summary_table(list(report.stats)))
        output.line("")
        output.line(cue_summary(list(report.items)))
    if report.warnings:
        report_problems(CatalogueError(list(report.warnings)), output)
        return EXIT_CATALOGUE
    output.line(f"ok: {len(report.stats)} traits, {report.exercises} exercises, every minimum met", style="green")
    return EXIT_OK


def _build(project: Project, output: Output, jobs: int | None, handbook: bool) -> int:
    result = build(project, jobs)
    r = result.report
    traits = result.loaded.catalogue.traits
    output.line(
        f"built {len(traits)} traits, {sum(len(t.exercises) for t in traits)} exercises: "
        f"{len(r.written)} written, {len(r.unchanged)} unchanged, {len(r.removed)} removed",
        style="green",
    )
    # Every engine then has all the site links to, Zensical included (it runs no plugin).
    return _handbooks(project, output, result.plan) if handbook else EXIT_OK


def _handbooks(project: Project, output: Output, page_plan: Plan | None = None) -> int:
    with output.working("Rendering the handbook and worksheet PDFs…"):
        result = build_handbook(project, page_plan)
    done = ", ".join(f"{name} ({n} pages)" for name, n in result.pages.items()) or "nothing to render"
    for warning in result.warnings:
        output.problem(f"warning: {warning}")
    output.line(f"handbook: {done}; {len(result.report.unchanged)} file(s) unchanged", style="green")
    return EXIT_OK


def _handbook(project: Project, paper: Paper, worksheet: bool, target: Path | None, output: Output) -> int:
    if target is None:
        return _handbooks(project, output)
    with output.working(f"Rendering {target}…"):
        pdf = write_handbook(project, target, HandbookOptions(paper=paper, worksheet=worksheet))
    if pdf.warning:
        output.problem(f"warning: {pdf.warning}")
    output.line(f"handbook: {target} ({pdf.pages} pages, {paper}{', worksheet' if worksheet else ''})", style="green")
    return EXIT_OK


def _export(project: Project, fmt: str, target: Path, trait_id: str | None, output: Output) -> int:
    page_plan = plan(load_and_validate(project).catalogue)
    if trait_id is not None and trait_id not in page_plan.trait_views:
        known = ", ".join(sorted(page_plan.trait_views))
        raise UsageError(f"--trait: no trait {trait_id!r} in the catalogue; the traits are: {known}")
    data = lms_exports(page_plan, trait_id)[fmt]
    try:
        atomic_write(target.resolve(), data)
    except OSError as exc:
        raise WriteError(f"cannot write {target}: {exc.strerror}") from None
    output.line(f"export: {target} ({fmt}, {len(data):,} bytes)", style="green")
    return EXIT_OK


def _search_separator(project: Project, language: str | None, output: Output) -> int:
    if language is None:
        language = load_and_validate(project).catalogue.site.language
    if language.split("-", maxsplit=1)[0].lower() not in STOP_WORDS:
        output.problem(f"warning: no stop-word list for {language!r}; the separator splits at punctuation only")
    output.line(language_separator(language))
    return EXIT_OK


def _messages(project: Project, language: str | None, every: bool, output: Output) -> int:
    path = project.catalogue_dir / CATALOGUE_FILE
    written, overrides = site_words(path, display_path(path, project.root))
    if language is None and written is None:
        raise UsageError(f"{display_path(path, project.root)}: language is not text; give --language")
    language = language or written or "en"
    if (problem := language_problem(language)) is not None:
        raise UsageError(problem)
    block = translation_block(language, overrides if language == written else {}, every=every)
    if not block:
        output.problem(f"nothing to translate: every string exists in {language!r}")
        return EXIT_OK
    output.line(block.rstrip("\n"))
    return EXIT_OK


def _assets(project: Project, check: bool, prog: str, output: Output) -> int:
    folder = project.root / TARGET
    stale = [name for name, text in built_assets().items() if _read(folder / name) != text]
    if check:
        for name in stale:
            output.problem(f"{TARGET / name}: out of date; run: {prog} assets")
        return EXIT_INTERNAL if stale else EXIT_OK
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in built_assets().items():
        if name in stale:
            (folder / name).write_text(text, encoding="utf-8")
    output.line(f"assets: {len(stale)} written in {TARGET}")
    return EXIT_OK


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


def run(args: argparse.Namespace, output: Output) -> int:
    project = Project.at(args.root, args.catalogue, args.docs, cache=not args.no_cache)
    if args.command == "schema":
        schema = catalogue_schema() if args.which == "catalogue" else trait_schema()
        output.line(json.dumps(schema, indent=2, sort_keys=True))
        return EXIT_OK
    if args.command == "assets":
        return _assets(project, args.check, args.prog, output)
    if args.command == "init":
        return _init(args.dir, args.force, output)
    if args.command == "new":
        return _new(project, args.id, args.category, args.prog, output)
    if args.command == "messages":
        return _messages(project, args.language, args.all, output)
    if args.command == "search-separator":
        return _search_separator(project, args.language, output)
    if args.command == "check":
        return _check(project, args.summary, check_format(args.format, args.json, dict(os.environ)), output)
    if args.command == "handbook":
        return _handbook(project, args.paper, args.worksheet, args.output, output)
    if args.command == "export":
        return _export(project, args.format, args.output, args.trait, output)
    if args.command == "build":
        return _build(project, output, args.jobs, handbook=not args.no_handbook)
    raise ValueError(f"no handler for the command {args.command!r}")  # argparse lets only known commands through


def main(
    argv: list[str] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    prog: str = "python -m generator",
) -> int:
    """``prog``: the command as the user typed it, for usage lines and the commands we suggest."""
    output = Output.for_streams(out or sys.stdout, err or sys.stderr)
    try:
        args = _parser(prog).parse_args(argv)
        args.prog = prog
    except UsageError as exc:
        output.problem(str(exc).rstrip("\n"))
        return EXIT_INTERNAL
    try:
        return run(args, output)
    except CatalogueError as exc:
        report_problems(exc, output)
        return EXIT_CATALOGUE
    except TraitbookError as exc:  # WriteError, HandbookError, InitError, ExportError, UsageError
        output.problem(f"error: {exc}")
        return EXIT_INTERNAL
    except KeyboardInterrupt:
        output.problem("interrupted; files already written are complete (each is replaced atomically)")
        return 130
    except Exception as exc:  # an internal error: say so in one line, not a traceback
        if os.environ.get("TRAITBOOK_DEBUG"):
            raise
        output.problem(f"internal error: {type(exc).__name__}: {exc} (set TRAITBOOK_DEBUG=1 for a traceback)")
        return EXIT_INTERNAL


def console() -> int:
    """The ``traitbook`` command (the installed entry point)."""
    return main(prog="traitbook")
