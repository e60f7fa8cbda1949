"""Run the build benchmarks and write bench/RESULTS.md.

Usage: .venv/bin/python -m bench.run [--runs 3] [--sizes 100,1000] [--memory-size 10000] [--zensical] [--optimise-theme]

Every timing is a whole process (start-up included), the median of --runs runs, and every
ratio compares two figures measured in this same run. The machine is shared and noisy:
compare ratios, not seconds, across runs.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.sitebuild import OPTIMISE_HOOK, OPTIMISED_LINE, PLUGIN_LINE, optimise_theme
from tests.sitebuild import project_with_placeholder_pdfs as project
from tests.synth import write_catalogue

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "RESULTS.md"
PY = sys.executable
ENV = {
    **os.environ,
    "NO_MKDOCS_2_WARNING": "1",
    "DISABLE_MKDOCS_2_WARNING": "true",
    "SITE_URL": "http://127.0.0.1:8000/",
}

# The floor: what any generator has to do at least (PyYAML's C loader, one template, write).
FLOOR = r"""
import sys, yaml, jinja2
from pathlib import Path
src, out = Path(sys.argv[1]), Path(sys.argv[2])
template = jinja2.Template(
    "# {{ t.title }}\n\n{{ t.summary }}\n\n"
    "{% for s in t.sections %}## {{ s.title }}\n\n{{ s.body }}\n{% endfor %}"
)
out.mkdir(parents=True, exist_ok=True)
for path in sorted((src / "traits").glob("*.yml")):
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    (out / (path.stem + ".md")).write_text(template.render(t=data), encoding="utf-8")
"""


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env or ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


@dataclass
class Results:
    rows: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, figure: str, measured: str, target: str, met: bool | None) -> None:
        verdict = "—" if met is None else ("met" if met else "**not met**")
        self.rows.append(f"| {figure} | {measured} | {target} | {verdict} |")
        print(f"{figure}: {measured} ({verdict})", flush=True)


def index_only_config(root: Path) -> Path:
    """The same theme and extensions, the same pages, no plugin and an index-only nav."""
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    optimised = OPTIMISED_LINE in text
    text = text.replace(OPTIMISED_LINE, "").replace(PLUGIN_LINE, "")  # no regeneration: the pages are already written
    if optimised:  # the floor keeps the optimisation (the same theme output) without the plugin
        (root / "optimise_hook.py").write_text(OPTIMISE_HOOK, encoding="utf-8")
        text += "\nhooks:\n  - optimise_hook.py\n"
    text = text.replace("strict: true", "strict: false")
    start = text.index("\nnav:\n")
    end = text.index("\n# The snippet")
    text = text[:start] + "\nnav:\n  - index.md\n" + text[end:]
    text = text.replace("    omitted_files: warn", "    omitted_files: info")
    path = root / "mkdocs-index-only.yml"
    path.write_text(text, encoding="utf-8")
    return path


def bench_sizes(results: Results, sizes: list[int], runs: int, tmp: Path, optimise: bool = False) -> dict[int, float]:
    full: dict[int, float] = {}
    for n in sizes:
        catalogue = write_catalogue(tmp / f"cat{n}" / "catalogue", n)
        root = project(tmp / f"p{n}", catalogue)
        if optimise:
            optimise_theme(root)

        # mkdocs.yml inherits docs/_generated/site.yml: written once here, kept between builds.
        subprocess.run([PY, "-m", "generator", "generate", "--no-handbook"], cwd=root, env=ENV, check=True,
                       capture_output=True)  # fmt: skip

        def full_build(root: Path = root) -> float:
            for folder in ("traits", "categories", "reference"):  # every page is generated again
                shutil.rmtree(root / "docs" / folder, ignore_errors=True)
            return timed([PY, "-m", "mkdocs", "build", "--quiet"], root)

        full_build()  # the pages index-only MkDocs builds, and a warm model cache
        config = index_only_config(root)
        floor_cmd = [PY, "-m", "mkdocs", "build", "--quiet", "-f", str(config), "-d", str(root / "site-floor")]
        samples = [(full_build(), timed(floor_cmd, root)) for _ in range(runs)]  # interleaved
        full[n], floor = (statistics.median(column) for column in zip(*samples, strict=True))
        ratio = full[n] / floor
        results.add(f"full build / index-only mkdocs build, N={n}", f"{full[n]:.1f} s / {floor:.1f} s = {ratio:.2f}×",
                    "≤ 1.15×", ratio <= 1.15)  # fmt: skip
        if n == max(sizes):
            page = root / "site" / "traits" / f"trait-{n // 2:05d}" / "index.html"
            kb = page.stat().st_size / 1024
            index_kb = (root / "site" / "search" / "search_index.json").stat().st_size / 1024
            results.add(f"trait page HTML, N={n}", f"{kb:.1f} KB", "≤ 60 KB", kb <= 60)
            results.add(f"search_index.json, N={n}", f"{index_kb / 1024:.1f} MB", "report", None)
            bench_incremental(results, root, runs)
    if len(sizes) >= 2:
        small, large = min(sizes), max(sizes)
        scale = full[large] / full[small]
        results.add(f"scaling t({large})/t({small}) of the full build", f"{scale:.2f}",
                    f"≤ {11 * large // small // 10}", scale <= 11 * large / small / 10)  # fmt: skip
    return full


def build_report(root: Path) -> tuple[float, str]:
    start = time.perf_counter()
    command = [PY, "-m", "generator", "--root", str(root), "--no-cache", "generate", "--no-handbook"]
    result = subprocess.run(command, cwd=ROOT, env=ENV, check=True, capture_output=True, text=True)
    return time.perf_counter() - start, result.stdout.strip()


def bench_incremental(results: Results, root: Path, runs: int) -> None:
    build_report(root)
    samples = [build_report(root) for _ in range(runs)]
    seconds = statistics.median(s for s, _ in samples)
    results.add("no-op regeneration", f"{seconds:.2f} s; {samples[-1][1]}", "0 files written",
                " 0 written," in samples[-1][1])  # fmt: skip
    trait = sorted((root / "catalogue" / "traits").glob("*.yml"))[3]
    text = trait.read_text(encoding="utf-8")
    trait.write_text(text.replace("title: Trait", "title: Edited trait", 1), encoding="utf-8")
    seconds, report = build_report(root)
    results.add("one trait's title edited", f"{seconds:.2f} s; {report}", "only its pages and pages that list it", None)
    results.notes.append(
        "An edited title is shown on its own page, its category page, the trait overview, the home "
        "list, the glossary and answer key (which list traits by title), the navigation settings and "
        "every page that links to it (related and referenced-by); nothing else is rewritten."
    )


def bench_generator_vs_floor(results: Results, runs: int, tmp: Path, n: int = 1000) -> None:
    """The generator with its model cache warm (an earlier build of the same catalogue) and
    cold (``--no-cache``, as on a first build), against the floor; the three interleaved, so
    that the machine's slow and fast moments fall on all of them alike."""
    catalogue = write_catalogue(tmp / f"g{n}" / "catalogue", n)
    home = tmp / f"g{n}"

    def generator(*options: str) -> float:
        docs = home / "docs"
        shutil.rmtree(docs, ignore_errors=True)
        cmd = [PY, "-m", "generator", "--root", str(home), *options, "--catalogue", str(catalogue), "--docs", str(docs)]
        return timed([*cmd, "generate", "--no-handbook"], ROOT)

    def floor() -> float:
        out = home / "floor"
        shutil.rmtree(out, ignore_errors=True)
        return timed([PY, "-c", FLOOR, str(catalogue), str(out)], ROOT)

    generator()  # fills the cache
    samples = [(floor(), generator(), generator("--no-cache")) for _ in range(runs)]
    base, warm, cold = (statistics.median(column) for column in zip(*samples, strict=True))
    results.add(f"generator / bare floor, N={n} (model cache warm)",
                f"{warm:.2f} s / {base:.2f} s = {warm / base:.2f}×", "≤ 1.5×", warm / base <= 1.5)  # fmt: skip
    results.add(f"generator / bare floor, N={n} (no cache: a first build)",
                f"{cold:.2f} s / {base:.2f} s = {cold / base:.2f}×", "report", None)  # fmt: skip
    results.notes.append(profile_generator(catalogue))


def profile_generator(catalogue: Path) -> str:
    """Load (cache warm), plan and render every page, in one process; writing is left out."""
    from traitbook._internal.infra.layout import Project
    from traitbook._internal.infra.write import as_bytes
    from traitbook._internal.pipeline import generate

    profiler = cProfile.Profile()
    profiler.enable()
    _, _, pages = generate(Project.at(catalogue.parent, catalogue=catalogue, docs=catalogue.parent / "unused"))
    for path in pages:  # pages render lazily, as they are read
        as_bytes(pages[path])
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(12)
    lines = [ln for ln in stream.getvalue().splitlines() if ln.strip()][-13:]
    title = "Top costs of loading (model cache warm), planning and rendering at N=1000 in one process"
    return f"{title} (cProfile, by own time):\n\n```text\n" + "\n".join(lines) + "\n```"


def bench_memory(results: Results, tmp: Path, n: int) -> None:
    """A first build (cache empty, so the cache is written too). If pages are rendered by a
    forked child as well, its peak is added to the parent's: the sum bounds the total from
    above (pages the two still share are counted twice)."""
    catalogue = write_catalogue(tmp / f"m{n}" / "catalogue", n)
    script = (
        "import resource, sys; from traitbook._internal.adapters.cli import main; code = main(sys.argv[1:]);"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(code)"
    )
    home = tmp / f"m{n}"
    start = time.perf_counter()
    result = subprocess.run(
        [PY, "-c", script, "--root", str(home), "--catalogue", str(catalogue), "--docs", str(home / "docs"),
         "generate", "--no-handbook"],
        cwd=ROOT, env=ENV, check=True, capture_output=True, text=True,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    parent, child = (int(kib) / 1024 for kib in result.stderr.strip().splitlines()[-1].split())
    total = parent + child
    shown = f"{parent:.0f} MiB + {child:.0f} MiB in a forked child = {total:.0f} MiB" if child else f"{parent:.0f} MiB"
    results.add(f"peak memory of a build, N={n}", f"{shown} ({seconds:.0f} s)", "≤ 400 MiB", total <= 400)


def bench_zensical(results: Results, tmp: Path, n: int) -> None:
    try:
        _zensical(results, tmp, n)
    except (subprocess.CalledProcessError, OSError) as exc:  # reported, not hidden
        detail = getattr(exc, "stderr", b"") or b""
        text = detail.decode(errors="replace") if isinstance(detail, bytes) else str(detail)
        results.add(f"Zensical build, N={n}", f"failed: {exc}; {text.strip()[-300:]}", "report", None)


def _zensical(results: Results, tmp: Path, n: int) -> None:
    zensical = Path(PY).parent / "zensical"  # a dev dependency (see bench/engines.py for all engines)
    catalogue = write_catalogue(tmp / f"z{n}" / "catalogue", n)
    root = project(tmp / f"z{n}", catalogue)
    subprocess.run([PY, "-m", "generator", "--root", str(root), "generate", "--no-handbook"], cwd=ROOT, env=ENV,
                   check=True, capture_output=True)  # fmt: skip
    mk = timed([PY, "-m", "mkdocs", "build", "--quiet"], root)
    try:
        zs = timed([str(zensical), "build", "--clean"], root)
        results.add(
            f"Zensical build / MkDocs build, N={n}", f"{zs:.1f} s / {mk:.1f} s = {zs / mk:.2f}×", "report", None
        )
    except subprocess.CalledProcessError as exc:
        results.add(f"Zensical build, N={n}", f"failed: {exc.stderr.strip().splitlines()[-1:]}", "report", None)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--memory-size", type=int, default=10000)
    parser.add_argument("--zensical", action="store_true")
    parser.add_argument(
        "--optimise-theme",
        action="store_true",
        help="with the plugin's optimise_theme on (→ RESULTS-optimise-theme.md)",
    )
    args = parser.parse_args()
    results = Results()
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        bench_generator_vs_floor(results, args.runs, tmp)
        bench_sizes(results, [int(s) for s in args.sizes.split(",")], args.runs, tmp, args.optimise_theme)
        bench_memory(results, tmp, args.memory_size)
        if args.zensical:
            bench_zensical(results, tmp, 100)
    write(results, args)


def write(results: Results, args: argparse.Namespace) -> None:
    import mkdocs
    import weasyprint

    versions = json.dumps({"python": platform.python_version(), "mkdocs": mkdocs.__version__,
                           "weasyprint": weasyprint.__version__})  # fmt: skip
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores; versions {versions}.",
        f"Each figure is the median of {args.runs} whole-process runs; ratios come from the same run.",
        "Synthetic catalogues from `tests/synth.py` (about 1,200 words and 5 exercises per trait).",
        "",
        f"Reproduce: `.venv/bin/python -m bench.run --runs {args.runs} --sizes {args.sizes} "
        f"--memory-size {args.memory_size}{' --zensical' if args.zensical else ''}"
        f"{' --optimise-theme' if args.optimise_theme else ''}`",
        "MkDocs runs the traitbook plugin with the Material optimisation "
        + ("on (`optimise_theme: true`)." if args.optimise_theme else "off (the default)."),
        "",
        "| figure | measured | target | |",
        "|---|---|---|---|",
        *results.rows,
        "",
        *(note + "\n" for note in results.notes),
        "The handbook (PDF) and the live preview have their own results: `RESULTS-handbook.md`,",
        "`RESULTS-live-reload.md`; findings are in `bench/README.md`.",
    ]
    out = OUT.with_name("RESULTS-optimise-theme.md") if args.optimise_theme else OUT
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
