"""The pipeline, as one call per use: load → validate → plan → render → write.

The CLI and the MkDocs plugin are thin adapters over these functions; tests call them directly.

- :func:`load_and_validate`: the catalogue, validated (a CatalogueError lists every problem).
- :func:`generate`: that, planned and rendered, in memory.
- :func:`build`: that, written into docs/.
- :func:`build_handbook`: the handbook and worksheet PDFs in docs/downloads/.
- :func:`generate_site`: both, stamped so that a build with nothing to do can be skipped.
- :func:`write_handbook`: one handbook PDF anywhere (``handbook --output``).

Nothing here is called ``check``: the word is the command's, ``python -m generator check``,
which is :func:`load_and_validate` plus the completeness lint (catalogue/lint.py), so it keeps
that one meaning.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .catalogue.cache import ModelCache
from .catalogue.cues import ChoiceItem, choice_items
from .catalogue.lint import TraitStats, catalogue_stats, lint
from .catalogue.placeholders import page_placeholders
from .catalogue.problems import CatalogueError, Problem, display_path
from .catalogue.validate import Loaded, load_catalogue
from .export import FORMATS, export, file_name, labels_for, question_bank
from .handbook.pdf import HandbookPdf, render_handbook, workers_for
from .handbook.printhtml import HandbookOptions, handbook_html
from .handbook.workers import Worker, typesetters
from .infra import stamp
from .infra.files import read_or_none
from .infra.layout import HANDBOOK_DIR, HANDBOOK_PDF, OWNED_DIRS, WORKSHEET_PDF, Project
from .infra.parallel import fork_jobs
from .infra.write import WriteError, WriteReport, atomic_write, write_pages
from .plan import Plan, plan
from .site.render import RenderedPages, render


def model_cache(project: Project) -> ModelCache | None:
    return ModelCache.open(project.cache_dir) if project.cache_dir is not None else None


@dataclass(frozen=True)
class Result:
    loaded: Loaded
    plan: Plan
    report: WriteReport


def load_and_validate(project: Project, cache: ModelCache | None = None) -> Loaded:
    """Load and validate only (raises CatalogueError with every problem). The cache, if any,
    is only read here: saving it is for a build that succeeded."""
    return load_catalogue(project.catalogue_dir, project.root, cache or model_cache(project))


@dataclass(frozen=True)
class CheckReport:
    """What ``check`` found: the one result that its text, JSON and GitHub formats render.

    ``errors``: problems that stopped validation (nothing past them was checked, so ``stats``
    and ``items`` are empty); ``warnings``: the completeness and answer-cue lint's problems, a
    minimum the author may defer, which still fail the check.
    """

    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    stats: tuple[TraitStats, ...] = ()
    items: tuple[ChoiceItem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors and not self.warnings

    @property
    def exercises(self) -> int:
        return sum(s.exercises for s in self.stats)


def check(project: Project) -> CheckReport:
    """Validate, then apply the lint; writes nothing. Never raises for the catalogue's problems."""
    try:
        loaded = load_and_validate(project)
    except CatalogueError as exc:
        return CheckReport(errors=tuple(exc.problems))
    warnings = lint(loaded)
    if loaded.catalogue.site.minimums.placeholders:
        warnings += [p for path, text in hand_written_pages(project) for p in page_placeholders(path, text)]
    return CheckReport(
        warnings=tuple(sorted(warnings)),
        stats=tuple(catalogue_stats(loaded)),
        items=tuple(choice_items(loaded.catalogue)),
    )


def hand_written_pages(project: Project) -> list[tuple[str, str]]:
    """The Markdown pages of docs/ that the generator does not write: (path shown, text)."""
    owned = {project.docs_dir / name for name in (*OWNED_DIRS, HANDBOOK_DIR)}
    pages = []
    for path in sorted(project.docs_dir.rglob("*.md")):
        if any(path.is_relative_to(folder) for folder in owned) or not path.is_file():
            continue
        raw = read_or_none(path)
        if raw is not None:
            pages.append((display_path(path, project.root), raw.decode("utf-8", errors="replace")))
    return pages


def generate(project: Project, cache: ModelCache | None = None) -> tuple[Loaded, Plan, RenderedPages]:
    """Everything up to, not including, the disk: pure apart from reading the catalogue."""
    loaded = load_and_validate(project, cache)
    page_plan = plan(loaded.catalogue)
    return loaded, page_plan, render(page_plan)


#: Below this many pages per process, forking costs more than it saves. A fork costs a few
#: milliseconds. Measured on 2 cores: the real catalogue's 18 pages took 204 → 161 ms in a
#: process the size of MkDocs' (the hook's case) and the whole command 0.80 → 0.76 s; 118
#: pages took 1.20 → 1.01 s (see bench/README.md).
PAGES_PER_JOB = 8
#: By default, pages are rendered in several processes only while their memory together stays
#: under this (the project's memory target for a build): up to a few thousand traits. Larger
#: catalogues render in one process unless ``jobs`` asks for more (see parallel.fork_jobs).
MEMORY_BUDGET = 400 * 1024 * 1024


def build(project: Project, jobs: int | None = None) -> Result:
    """Load, plan, render and write. ``jobs``: processes that render and write (default:
    one per core within :data:`MEMORY_BUDGET`)."""
    cache = model_cache(project)
    loaded, page_plan, pages = generate(project, cache)
    costs = {page.path: page_plan.cost(page) for page in page_plan.pages}
    jobs = fork_jobs(len(pages), PAGES_PER_JOB, requested=jobs, memory_budget=MEMORY_BUDGET)
    report = write_pages(project.docs_dir, pages, OWNED_DIRS, jobs=jobs, cost=costs.__getitem__)
    if cache is not None:
        cache.save()
    return Result(loaded, page_plan, report)


#: The handbook step owns docs/downloads/ and keeps its own manifest there, so page builds
#: and handbook builds never prune each other's files. Dot-files are not published by MkDocs.
HANDBOOK_MANIFEST = "downloads/.manifest.json"
HANDBOOK_VARIANTS = {
    f"{HANDBOOK_DIR}/{HANDBOOK_PDF}": HandbookOptions(),
    f"{HANDBOOK_DIR}/{WORKSHEET_PDF}": HandbookOptions(worksheet=True),
}
#: The question banks for learning platforms (export/), published beside the PDFs.
LMS_DOWNLOADS = {f"{HANDBOOK_DIR}/{file_name(fmt)}": fmt for fmt in FORMATS}
#: Everything the downloads step writes, which the pages link to.
DOWNLOADS = (*HANDBOOK_VARIANTS, *LMS_DOWNLOADS)


def lms_exports(page_plan: Plan, trait_id: str | None = None) -> dict[str, bytes]:
    """Each LMS format's file (by format), in the catalogue's language; one trait's with ``trait_id``."""
    bank = question_bank(page_plan, labels_for(page_plan.messages), trait_id)
    return {fmt: export(bank, fmt) for fmt in FORMATS}


@dataclass(frozen=True)
class HandbookResult:
    report: WriteReport
    pages: dict[str, int]  # PDFs rendered this run and their page counts (the rest were reused)
    warnings: tuple[str, ...] = ()  # distinct warnings of the renderings (the public-API fallback)


def _sidecar(pdf: str, suffix: str = ".html") -> str:
    folder, name = pdf.rsplit("/", 1)
    return f"{folder}/.{name.removesuffix('.pdf')}{suffix}"


def build_handbook(project: Project, page_plan: Plan | None = None) -> HandbookResult:
    """Write the handbook and worksheet PDFs, and the LMS question banks (unless the catalogue
    keeps them unpublished), into docs/downloads/.

    WeasyPrint takes seconds, so a PDF is rendered again only when its print HTML (kept
    beside it) changed; the HTML is deterministic, so unchanged means unchanged.
    """
    page_plan = page_plan or plan(load_and_validate(project).catalogue)
    docs = project.docs_dir
    files: dict[str, str | bytes] = {}
    stale: dict[str, HandbookOptions] = {}
    for pdf, options in HANDBOOK_VARIANTS.items():
        html = handbook_html(page_plan, options)
        files[_sidecar(pdf)] = html
        unchanged = read_or_none(docs / _sidecar(pdf)) == html.encode("utf-8")
        previous = read_or_none(docs / pdf) if unchanged else None
        if previous is not None:
            files[pdf] = previous
        else:
            stale[pdf] = options
    pages: dict[str, int] = {}
    with typesetters(workers_for(len(stale))) as workers:
        rendered = render_pdfs(page_plan, stale, workers)
    for pdf, result in rendered.items():
        files[pdf], pages[pdf] = result.data, result.pages
    if page_plan.catalogue.site.publish_question_banks:  # else the writer removes ones published before
        exports = lms_exports(page_plan)
        files.update({path: exports[fmt] for path, fmt in LMS_DOWNLOADS.items()})
    report = write_pages(docs, files, (HANDBOOK_DIR,), HANDBOOK_MANIFEST)
    warnings = tuple(dict.fromkeys(r.warning for r in rendered.values() if r.warning))
    return HandbookResult(report, pages, warnings)


def write_handbook(project: Project, target: Path, options: HandbookOptions) -> HandbookPdf:
    """One handbook PDF at ``target``, rendered every time and replaced atomically (a path of
    the user's choice: no manifest, no print HTML kept beside it)."""
    # The worker starts first: where it imports WeasyPrint itself (spawn), that overlaps with
    # loading the catalogue.
    with typesetters(workers_for(1)) as workers:
        page_plan = plan(load_and_validate(project).catalogue)
        pdf = render_pdfs(page_plan, {"pdf": options}, workers)["pdf"]
    try:
        atomic_write(target.resolve(), pdf.data)
    except OSError as exc:
        raise WriteError(f"cannot write {target}: {exc.strerror}") from None
    return pdf


@dataclass(frozen=True)
class SiteFiles:
    """What :func:`generate_site` did: the pages, and the downloads when they were asked for."""

    pages: Result
    downloads: HandbookResult | None


def generate_site(
    project: Project,
    environ: Mapping[str, str],
    jobs: int | None = None,
    *,
    handbook: bool = True,
    missing_only: bool = False,
) -> SiteFiles:
    """Everything an engine needs in docs/: the pages, and with ``handbook`` the PDFs and the
    question banks (with ``missing_only``, only when a PDF is missing: the MkDocs plugin's
    choice while previewing, where laying out a PDF on every save would cost seconds).

    Stamped (infra/stamp.py) when it succeeds, so that the next build, or the MkDocs plugin
    inside this one, can tell that nothing changed without doing the work again."""
    complete = handbook and not missing_only
    before = stamp.current(project, environ, handbook=complete)
    pages = build(project, jobs)
    wanted = handbook and not (missing_only and stamp.pdfs_present(project))
    downloads = build_handbook(project, pages.plan) if wanted else None
    stamp.record(project, stamp.finished(project, before))
    return SiteFiles(pages, downloads)


def render_pdfs(
    page_plan: Plan, requests: dict[str, HandbookOptions], workers: Sequence[Worker] = ()
) -> dict[str, HandbookPdf]:
    """Render several PDFs at once: each worker lays one out (a thread waits on each). With
    fewer workers, the rest wait their turn; with none, all render in this process in turn."""
    keys = list(requests)
    lanes = max(1, min(len(keys), len(workers)))

    def lane(i: int) -> dict[str, HandbookPdf]:
        worker = workers[i] if workers else None
        return {k: render_handbook(page_plan, requests[k], worker=worker) for k in keys[i::lanes]}

    if lanes == 1:
        return lane(0)
    with ThreadPoolExecutor(max_workers=lanes) as threads:
        done = {k: v for results in threads.map(lane, range(lanes)) for k, v in results.items()}
    return {k: done[k] for k in keys}
