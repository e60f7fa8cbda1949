"""Command line: ``traitbook init|new|check|generate|build|serve|handbook|export|…``. A thin adapter.

Exit status: 0 success, 2 catalogue problems (each printed as file:line:col: path: message),
1 anything else (an output folder that cannot be written or has a hand-written file where a
generated one goes, an internal error).

A command line that cannot be parsed (an unknown command such as ``biuld``, a missing or
unknown option) prints the usage and the error, runs nothing and exits with 1. argparse's own
status for it is 2, which here would read as "problems in the catalogue" to a script or CI job
that checks the status.

This module parses and dispatches, and imports little: the commands live in commands.py
(which loads the whole pipeline) and site.py (``generate``, ``build``, ``serve``, which load it
only when there is something to generate).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn, TextIO

from ..catalogue.problems import CatalogueError
from ..errors import TraitbookError
from ..infra.layout import LMS_FORMATS, Project
from .output import EXIT_CATALOGUE, EXIT_INTERNAL, Output, UsageError
from .site import ENGINES, run_site_command

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
    "generate": "examples:\n  {prog} generate\n  {prog} --catalogue other/catalogue --docs other/docs generate",
    "build": "examples:\n  {prog} build\n  {prog} build --engine properdocs\n  {prog} build --site-dir public",
    "serve": "examples:\n  {prog} serve\n  {prog} serve --dev-addr 127.0.0.1:8001",
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
    init.add_argument(
        "--language",
        default="en",
        metavar="CODE",
        help="the course's language (BCP 47: de, pt-BR…): catalogue.yml's language, mkdocs.yml's titles and "
        "search in it; lists what stays English (default: en)",
    )
    init.add_argument(
        "--requirement",
        metavar="SPEC",
        help="the line of requirements.txt that installs Traitbook (default: where this Traitbook came from: "
        "its version on the package index, or its repository at the release tag)",
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
    generate_cmd = add(
        "generate",
        "validate, then write the generated pages into docs/ and the handbook PDFs and question banks into "
        "docs/downloads/, for any engine to build (only what changed; nothing when nothing changed)",
    )
    build_cmd = add(
        "build",
        "generate, then build the site into site/ with the engine (default: mkdocs build --strict): "
        "everything the site needs, in one command",
    )
    serve_cmd = add(
        "serve",
        "generate, then preview the site with the engine's live server (MkDocs and ProperDocs regenerate "
        "when a catalogue file changes)",
    )
    for cmd in (generate_cmd, build_cmd, serve_cmd):
        cmd.add_argument(
            "--jobs", type=_positive, metavar="N", help="processes rendering pages (default: one per core, in 400 MiB)"
        )
        cmd.add_argument(
            "--no-handbook", action="store_true", help="the pages only (the site then links to PDFs it may lack)"
        )
    for cmd in (build_cmd, serve_cmd):
        cmd.add_argument("--engine", choices=ENGINES, default="mkdocs", help="the engine that reads mkdocs.yml")
    build_cmd.add_argument("--site-dir", type=Path, help="build into this folder (default: site_dir of mkdocs.yml)")
    serve_cmd.add_argument("--dev-addr", metavar="IP:PORT", help="where to serve (default: 127.0.0.1:8000)")
    hb = add("handbook", "render the handbook and worksheet PDFs into docs/downloads/ (or one PDF with --output)")
    hb.add_argument("--paper", choices=["A4", "Letter"], default="A4", help="page size (default A4)")
    hb.add_argument("--worksheet", action="store_true", help="leave out the answer key")
    hb.add_argument("--output", type=Path, help="write one PDF here instead of docs/downloads/")
    exp = add(
        "export",
        "write the self-check exercises as a question bank for a learning platform: GIFT or Moodle XML "
        "(Moodle), or a QTI 1.2 package (Canvas and others); README: 'Use the exercises in your LMS'",
    )
    exp.add_argument("--format", required=True, choices=LMS_FORMATS, help="the file format")
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


SITE_COMMANDS = ("generate", "build", "serve")


def run(args: argparse.Namespace, output: Output) -> int:
    project = Project.at(args.root, args.catalogue, args.docs, cache=not args.no_cache)
    if args.command in SITE_COMMANDS:
        return run_site_command(args, project, output)
    from . import commands

    return commands.run(args, project, output)


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
        for problem in exc.problems:
            output.problem(str(problem))
        output.problem(f"{len(exc.problems)} problem(s) found; nothing was written.")
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
