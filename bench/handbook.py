"""Benchmark: handbook build time and page count (whole process, median of several runs).

Usage: python -m bench.handbook [--runs 3] [--sizes 25,100]
Writes bench/RESULTS-handbook.md. Timings are medians measured in one run on this machine;
compare ratios, not absolute seconds, across machines. The cases run interleaved (one run of
each, then the next round), so a noisy minute weighs on all of them alike.

Cases per catalogue, each a fresh process that loads, validates, renders and writes:
- in this process: the handbook laid out once and drawn in the process that loads the catalogue
  (a one-core machine);
- one worker: the same on one worker process from the fork server, started before the heavy
  imports (the code path of the CLI, with the load and render times split out);
- public API: the whole handbook through WeasyPrint's public API only (target-counter, laid out
  until the numbers settle; the fallback when the fast path is unavailable);
- CLI: ``python -m generator handbook --output handbook.pdf``, the command itself;
- make site: ``python -m generator handbook``, the step of ``make site`` that renders both the
  handbook and the worksheet (one worker each, at once) into an empty docs/downloads/.
With ``--compare DIR``, the CLI and make-site cases also run from another checkout of the
project (for example ``git archive`` of an earlier design), interleaved with the others.
Every PDF is tagged PDF/UA-1.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.synth import write_catalogue

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "RESULTS-handbook.md"
CASES = ("here", "worker", "public", "cli", "site")
COMPARED = ("cli-compare", "site-compare")
LABEL = {
    "here": "in this process",
    "worker": "one worker",
    "public": "public API (fallback)",
    "cli": "CLI `handbook --output`",
    "site": "make site step (2 PDFs)",
    "cli-compare": "CLI, compared checkout",
    "site-compare": "make site step, compared checkout",
}

# One child process per run, so each timing includes start-up, font loading and writing.
CHILD = """
import json, os, sys, time
from pathlib import Path
t0 = time.perf_counter()
from traitbook._internal.handbook.workers import start_fork_server, typesetters
if sys.argv[3] == "worker":  # as python -m generator handbook does, before the heavy imports
    start_fork_server()
from traitbook import Project, load_and_validate
from traitbook._internal.handbook.printhtml import HandbookOptions
from traitbook._internal.plan import plan
from traitbook._internal.handbook.pdf import render_handbook

def main():
    catalogue, out_pdf, case = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    with typesetters(1 if case == "worker" else 0) as workers:
        p = plan(load_and_validate(Project.at(catalogue.parent, catalogue=catalogue)).catalogue)
        t1 = time.perf_counter()
        worker = workers[0] if workers else None
        result = render_handbook(p, HandbookOptions(), environ={}, worker=worker, fast=case != "public")
        t2 = time.perf_counter()
    out_pdf.write_bytes(result.data)
    print(json.dumps({"load": t1 - t0, "render": t2 - t1, "pages": result.pages, "layouts": result.layouts}))

if __name__ == "__main__":
    main()
"""


def run_once(catalogue: Path, tmp: Path, name: str, case: str, compare: Path | None) -> dict[str, float]:
    out_pdf = tmp / f"{name}-{case}.pdf"
    cli = [sys.executable, "-m", "generator", "--root", str(catalogue.parent), "--catalogue", str(catalogue)]
    cwd, env = ROOT, None
    if case.endswith("-compare") and compare is not None:  # the same command from the other checkout
        cwd, env = compare, {**os.environ, "PYTHONPATH": str(compare)}
    if case.startswith("cli"):
        command = [*cli, "handbook", "--output", str(out_pdf)]
    elif case.startswith("site"):
        docs = tmp / f"{name}-docs"
        shutil.rmtree(docs, ignore_errors=True)
        command = [*cli, "--docs", str(docs), "handbook"]
    else:
        command = [sys.executable, "-c", CHILD, str(catalogue), str(out_pdf), case]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=cwd, env=env)
    elapsed = time.perf_counter() - start
    if case in ("here", "worker", "public"):
        data: dict[str, float] = json.loads(result.stdout)
    else:  # the CLI says how many pages each PDF has: "handbook.pdf (92 pages…"
        data = {"pages": sum(int(n) for n in re.findall(r"\((\d+) pages", result.stdout))}
    data["process"] = elapsed
    return data


def measure(
    name: str, catalogue: Path, traits: int, runs: int, tmp: Path, *, compare: Path | None
) -> list[dict[str, object]]:
    cases = CASES + (COMPARED if compare is not None else ())
    samples: dict[str, list[dict[str, float]]] = {case: [] for case in cases}
    for _ in range(runs):
        for case in cases:
            samples[case].append(run_once(catalogue, tmp, name, case, compare))
    rows = []
    for case in cases:
        pages = int(samples[case][-1]["pages"])
        med = {k: statistics.median(float(s[k]) for s in samples[case]) for k in samples[case][0] if k != "pages"}
        print(f"{name} {case}: {traits} traits, {pages} pages, median {med['process']:.2f} s", flush=True)
        rows.append({"name": name, "case": case, "traits": traits, "pages": pages, "runs": runs, **med})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="25,100")
    parser.add_argument("--compare", type=Path, help="another checkout whose CLI to time alongside")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        rows += measure("real", ROOT / "catalogue", 8, args.runs, tmp, compare=args.compare)
        for n in (int(s) for s in args.sizes.split(",") if s):
            cat = write_catalogue(tmp / f"synth{n}" / "catalogue", n)
            rows += measure(f"synthetic-{n}", cat, n, args.runs, tmp, compare=args.compare)
    write_report(rows, args)


def _seconds(row: dict[str, object], key: str) -> str:
    value = row.get(key)
    return f"{value:.2f}" if isinstance(value, float) else "–"


def write_report(rows: list[dict[str, object]], args: argparse.Namespace) -> None:
    import weasyprint

    compare = f" --compare {args.compare}" if args.compare else ""
    lines = [
        "# Handbook benchmark",
        "",
        f"Machine: {platform.machine()}, {len(os.sched_getaffinity(0))} cores, Python {platform.python_version()}, "
        f"WeasyPrint {weasyprint.__version__}. Median of {args.runs} runs, each a fresh process; "
        "the cases ran interleaved.",
        "",
        f"Reproduce: `.venv/bin/python -m bench.handbook --runs {args.runs} --sizes '{args.sizes}'{compare}`",
        "",
        "- *in this process*: the handbook laid out once and drawn in the process that loads the catalogue "
        "(a one-core machine).",
        "- *one worker*: the same on one worker process, started before the catalogue loads (the CLI's path).",
        "- *public API (fallback)*: the whole handbook through WeasyPrint's public API only "
        "(`target-counter`, laid out until the numbers settle).",
        "- *CLI*: `python -m generator handbook --output handbook.pdf`, timed as a command.",
        "- *make site step*: `python -m generator handbook`, the handbook and the worksheet into an empty "
        "docs/downloads/ (one worker each, at once); its pages are those of both PDFs.",
        "- *compared checkout*: the same two commands run from the checkout given with `--compare`.",
        "",
        "Every PDF is tagged PDF/UA-1. Every fast-path build lays each page out once: page numbers are "
        "written into the laid-out pages (handbook/typeset.py). In this process and on a worker give the "
        "same PDF, byte for byte (tests/test_pdf_typeset.py).",
        "",
        "| catalogue | traits | case | pages | whole process (s) | load+validate (s) | render (s) | s per page |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        process = float(r["process"])  # type: ignore[arg-type]
        pages = int(r["pages"])  # type: ignore[call-overload]
        lines.append(
            f"| {r['name']} | {r['traits']} | {LABEL[str(r['case'])]} | {pages} | {process:.2f} | "
            f"{_seconds(r, 'load')} | {_seconds(r, 'render')} | {process / pages:.3f} |"
        )
    by = {(r["name"], r["case"]): float(r["process"]) for r in rows}  # type: ignore[arg-type]
    if all(("real", c) in by for c in CASES):
        lines += ["", "Real catalogue, ratios to *in this process* in this run: "
                  f"one worker {by['real', 'worker'] / by['real', 'here']:.2f}, "
                  f"public API {by['real', 'public'] / by['real', 'here']:.2f}, "
                  f"CLI {by['real', 'cli'] / by['real', 'here']:.2f}, "
                  f"make site step {by['real', 'site'] / by['real', 'here']:.2f}."]  # fmt: skip
    if all(("real", c) in by for c in COMPARED):
        lines += ["", "Against the compared checkout, same run: "
                  f"CLI {by['real', 'cli']:.2f} s vs {by['real', 'cli-compare']:.2f} s, "
                  f"make site step {by['real', 'site']:.2f} s vs {by['real', 'site-compare']:.2f} s."]  # fmt: skip
    synth = [r for r in rows if str(r["name"]).startswith("synthetic") and r["case"] == "here"]
    if len(synth) >= 2:
        a, b = synth[0], synth[-1]
        ratio = float(b["render"]) / float(a["render"])  # type: ignore[arg-type]
        traits = int(b["traits"]) / int(a["traits"])  # type: ignore[call-overload]
        lines += ["", f"Scaling (in this process): render time ratio {b['name']}/{a['name']} = {ratio:.2f} for "
                  f"{traits:.0f}× the traits ({ratio / traits:.2f} of linear)."]  # fmt: skip
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
