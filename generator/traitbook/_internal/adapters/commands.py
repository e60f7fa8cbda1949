"""The commands of the command line, one function each; cli.py parses and dispatches.

Kept apart from the parser because they import the whole pipeline (the catalogue model,
Jinja, the Markdown converter), which ``traitbook build`` with nothing to do never needs.
"""

from __future__ import annotations

import argparse
import json
import os
from contextlib import suppress
from pathlib import Path

from ..catalogue.lint import TraitStats
from ..catalogue.problems import CatalogueError, display_path
from ..catalogue.scaffold import create_trait
from ..catalogue.schema import catalogue_schema, trait_schema
from ..catalogue.validate import CATALOGUE_FILE, TRAITS_DIR, language_problem, site_words
from ..handbook.printhtml import HandbookOptions, Paper
from ..i18n import translation_block
from ..i18n.search import STOP_WORDS, language_separator
from ..infra.layout import Project
from ..infra.write import WriteError, atomic_write
from ..pipeline import (
    CheckReport,
    HandbookResult,
    build_handbook,
    check,
    generate_site,
    hand_written_pages,
    lms_exports,
    load_and_validate,
    write_handbook,
)
from ..plan import plan
from ..scaffold import example_pages, plan_init, project_files, write_init
from ..scaffold.language import Leftover, english_leftovers
from ..site.assets import TARGET, built_assets
from . import github
from .output import EXIT_CATALOGUE, EXIT_INTERNAL, EXIT_OK, Output, UsageError
from .summary import cue_summary, stats_json, summary_table


def report_problems(error: CatalogueError, output: Output) -> None:
    for problem in error.problems:
        output.problem(str(problem))
    output.problem(f"{len(error.problems)} problem(s) found; nothing was written.")


def _init(target: Path, force: bool, requirement: str | None, language: str, output: Output) -> int:
    if requirement is not None and (not requirement.strip() or "\n" in requirement or "\r" in requirement):
        raise UsageError("--requirement: one line of requirements.txt, such as 'traitbook==0.2.0'")
    if (problem := language_problem(language)) is not None:
        raise UsageError(f"--language: {problem}")
    files = project_files(requirement, language)
    init_plan = plan_init(target, files, force)
    try:
        write_init(init_plan, files)
    except OSError as exc:
        raise WriteError(f"cannot write {exc.filename or target}: {exc.strerror}") from None
    output.line(f"created {len(init_plan.write)} file(s) in {target}", style="green")
    for rel in init_plan.skip:
        output.line(f"skipped {rel}: it exists already (not replaced)")
    examples = example_pages()
    written = {rel: files[rel].decode("utf-8") for rel in init_plan.write if rel in examples}
    _report_leftovers(english_leftovers(files["mkdocs.yml"].decode("utf-8"), written, examples, language), output)
    output.line(
        f"next: cd {target}, edit catalogue/catalogue.yml, then: traitbook check (the catalogue), "
        "traitbook serve (a live preview), traitbook build (the site in site/, with the PDFs)"
    )
    return EXIT_OK


def _report_leftovers(leftovers: list[Leftover], output: Output) -> None:
    if leftovers:
        output.problem("still in English (the generator's own words follow the catalogue's language; these are yours):")
    for leftover in leftovers:
        output.problem(f"  {leftover}")


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


def generate(project: Project, output: Output, jobs: int | None, handbook: bool) -> int:
    """``generate`` (and the first half of ``build``): the pages, and the PDFs with ``handbook``."""
    if handbook:
        with output.working("Generating the pages, the handbook and the worksheet…"):
            done = generate_site(project, dict(os.environ), jobs, handbook=True)
    else:
        done = generate_site(project, dict(os.environ), jobs, handbook=False)
    r = done.pages.report
    traits = done.pages.loaded.catalogue.traits
    output.line(
        f"generated {len(traits)} traits, {sum(len(t.exercises) for t in traits)} exercises: "
        f"{len(r.written)} written, {len(r.unchanged)} unchanged, {len(r.removed)} removed",
        style="green",
    )
    if done.downloads is not None:
        _report_handbooks(done.downloads, output)
    return EXIT_OK


def _report_handbooks(result: HandbookResult, output: Output) -> None:
    done = ", ".join(f"{name} ({n} pages)" for name, n in result.pages.items()) or "nothing to render"
    for warning in result.warnings:
        output.problem(f"warning: {warning}")
    output.line(f"handbook: {done}; {len(result.report.unchanged)} file(s) unchanged", style="green")


def _handbooks(project: Project, output: Output) -> int:
    with output.working("Rendering the handbook and worksheet PDFs…"):
        result = build_handbook(project)
    _report_handbooks(result, output)
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
    mkdocs = project.root / "mkdocs.yml"
    leftovers = english_leftovers(
        mkdocs.read_text(encoding="utf-8") if mkdocs.is_file() else None,
        dict(hand_written_pages(project)),
        example_pages(),
        language,
    )
    _report_leftovers(leftovers, output)
    if not block:
        if not leftovers:
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


def run(args: argparse.Namespace, project: Project, output: Output) -> int:
    """Every command but ``generate``, ``build`` and ``serve`` (adapters/site.py)."""
    if args.command == "schema":
        schema = catalogue_schema() if args.which == "catalogue" else trait_schema()
        output.line(json.dumps(schema, indent=2, sort_keys=True))
        return EXIT_OK
    if args.command == "assets":
        return _assets(project, args.check, args.prog, output)
    if args.command == "init":
        return _init(args.dir, args.force, args.requirement, args.language, output)
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
    raise ValueError(f"no handler for the command {args.command!r}")  # argparse lets only known commands through
