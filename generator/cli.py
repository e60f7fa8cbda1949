"""Command line: ``python -m generator build|check|schema``. A thin adapter over build.py.

Exit status: 0 success, 2 catalogue problems (each printed as file:line:col: path: message),
1 anything else (an output folder that cannot be written, an internal error).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from .build import Project, build, build_handbook, check
from .handbook import HandbookError, HandbookOptions, Paper, handbook_html, pdf_bytes
from .lint import catalogue_stats, lint
from .pages import plan
from .problems import CatalogueError
from .schema import catalogue_schema, trait_schema
from .summary import stats_json, summary_table
from .write import WriteError, atomic_write

EXIT_OK, EXIT_INTERNAL, EXIT_CATALOGUE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Turn a trait catalogue into site pages (and check it).",
        epilog="exit status: 0 ok, 2 catalogue problems, 1 other errors",
    )
    parser.add_argument("--root", type=Path, default=Path("."), help="project root (default: .)")
    parser.add_argument("--catalogue", type=Path, help="catalogue folder (default: ROOT/catalogue)")
    parser.add_argument("--docs", type=Path, help="docs folder (default: ROOT/docs)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "build",
        help="validate, then write the generated pages into docs/",
        description="Validate the catalogue and write generated pages. Example: python -m generator build",
    )
    check_cmd = sub.add_parser(
        "check",
        help="validate and apply the completeness minimums of catalogue.yml; write nothing",
        description="Validate the catalogue and lint it against its minimums, without writing. "
        "Examples: python -m generator check; python -m generator check --summary; "
        "python -m generator check --json > stats.json",
    )
    check_cmd.add_argument("--summary", action="store_true", help="print counts per trait and totals")
    check_cmd.add_argument("--json", action="store_true", help="print the counts and problems as JSON")
    hb = sub.add_parser(
        "handbook",
        help="render the handbook and worksheet PDFs into docs/downloads/ (or one PDF with --output)",
        description="Render the printable handbook with WeasyPrint. Examples: "
        "python -m generator handbook; "
        "python -m generator handbook --paper Letter --output handbook-letter.pdf; "
        "python -m generator handbook --worksheet --output worksheet.pdf",
    )
    hb.add_argument("--paper", choices=["A4", "Letter"], default="A4", help="page size (default A4)")
    hb.add_argument("--worksheet", action="store_true", help="leave out the answer key")
    hb.add_argument("--output", type=Path, help="write one PDF here instead of docs/downloads/")
    schema = sub.add_parser(
        "schema",
        help="print the JSON Schema of the catalogue format",
        description="Example: python -m generator schema trait > schema/trait.schema.json",
    )
    schema.add_argument("which", choices=["catalogue", "trait"], nargs="?", default="trait")
    return parser


def report_problems(error: CatalogueError, out: TextIO) -> None:
    for problem in error.problems:
        print(problem, file=out)
    print(f"{len(error.problems)} problem(s) found; nothing was written.", file=out)


def _check(project: Project, summary: bool, as_json: bool, out: TextIO, err: TextIO) -> int:
    loaded = check(project)
    stats = catalogue_stats(loaded)
    problems = sorted(lint(loaded))
    if as_json:
        print(json.dumps(stats_json(stats, [str(p) for p in problems]), indent=2, sort_keys=True), file=out)
    elif summary:
        print(summary_table(stats), file=out)
    if problems:
        if not as_json:
            report_problems(CatalogueError(problems), err)
        return EXIT_CATALOGUE
    if not as_json:
        n_ex = sum(s.exercises for s in stats)
        print(f"ok: {len(stats)} traits, {n_ex} exercises, every minimum met", file=out)
    return EXIT_OK


def _handbook(project: Project, paper: Paper, worksheet: bool, output: Path | None, out: TextIO) -> int:
    if output is None:
        result = build_handbook(project)
        done = ", ".join(f"{name} ({n} pages)" for name, n in result.pages.items()) or "nothing to render"
        print(f"handbook: {done}; {len(result.report.unchanged)} file(s) unchanged", file=out)
        return EXIT_OK
    page_plan = plan(check(project).catalogue)
    data, pages = pdf_bytes(handbook_html(page_plan, HandbookOptions(paper=paper, worksheet=worksheet)))
    try:
        atomic_write(output.resolve(), data)
    except OSError as exc:
        raise WriteError(f"cannot write {output}: {exc.strerror}") from None
    print(f"handbook: {output} ({pages} pages, {paper}{', worksheet' if worksheet else ''})", file=out)
    return EXIT_OK


def main(argv: list[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    args = _parser().parse_args(argv)
    project = Project.at(args.root, args.catalogue, args.docs)
    try:
        if args.command == "schema":
            schema = catalogue_schema() if args.which == "catalogue" else trait_schema()
            print(json.dumps(schema, indent=2, sort_keys=True), file=out)
        elif args.command == "handbook":
            return _handbook(project, args.paper, args.worksheet, args.output, out)
        elif args.command == "check":
            return _check(project, args.summary, args.json, out, err)
        else:
            result = build(project)
            r = result.report
            n_ex = sum(len(t.exercises) for t in result.loaded.catalogue.traits)
            print(
                f"built {len(result.loaded.catalogue.traits)} traits, {n_ex} exercises: "
                f"{len(r.written)} written, {len(r.unchanged)} unchanged, {len(r.removed)} removed",
                file=out,
            )
    except CatalogueError as exc:
        report_problems(exc, err)
        return EXIT_CATALOGUE
    except (WriteError, HandbookError) as exc:
        print(f"error: {exc}", file=err)
        return EXIT_INTERNAL
    return EXIT_OK
