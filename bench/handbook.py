"""Benchmark: handbook build time and page count (whole process, median of several runs).

Usage: python -m bench.handbook [--runs 3] [--sizes 25,100]
Writes bench/RESULTS-handbook.md. Timings are medians measured in one run on this machine;
compare ratios, not absolute seconds, across machines. The cases run interleaved (one run of
each, then the next round), so a noisy minute weighs on all of them alike.

Cases per catalogue, each a fresh process that loads, validates, renders and writes:
- one piece: the whole handbook laid out once in one process, numbers written, drawn: no cut and
  no join (the design that keeps the structure tree without joining it);
- public API: the whole handbook in one process through WeasyPrint's public API only
  (target-counter; the fallback when the fast path is unavailable);
- one process: both parts of the handbook laid out in turn in one process (a one-core machine);
- two processes: the two parts on two worker processes, the fork server started before the
  heavy imports (the code path of the CLI, with the load and render times split out);
- CLI: ``python -m generator handbook --output handbook.pdf``, the command itself;
- make site: ``python -m generator handbook``, the step of ``make site`` that renders both the
  handbook and the worksheet into an empty docs/downloads/.
No case depends on an earlier build: every build lays each page out once.
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

from bench.synth import write_catalogue

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "RESULTS-handbook.md"
CASES = ("single", "public", "whole", "parts", "cli", "site")
LABEL = {
    "single": "one piece, one process",
    "public": "public API, one process",
    "whole": "one process",
    "parts": "two processes",
    "cli": "CLI `handbook --output`",
    "site": "make site step (2 PDFs)",
}

# One child process per run, so each timing includes start-up, font loading and writing.
CHILD = """
import json, os, sys, time
from pathlib import Path
t0 = time.perf_counter()
from generator.workers import start_fork_server, typesetters
if sys.argv[3] == "parts":  # as python -m generator handbook does, before the heavy imports
    start_fork_server()
from generator.build import Project, check
from generator.handbook import HandbookOptions
from generator.pages import plan
from generator import pdf
from generator.pdf import PARTS, render_handbook

joined = []
def timed_assemble(*args, _assemble=pdf.assemble):
    start = time.perf_counter()
    data = _assemble(*args)
    joined.append(time.perf_counter() - start)
    return data
pdf.assemble = timed_assemble

def one_piece(p):
    # The whole handbook as one document: laid out once, numbered, drawn; nothing to join.
    from generator.handbook import handbook_html
    from generator.typeset import Numbers, Session
    session = Session()
    measure = session.handle(pdf.with_stubs(handbook_html(p, HandbookOptions(), {}), set())[0])
    pagination = pdf.paginate([measure], [set()])
    data = session.handle(Numbers(1, pagination.total, pagination.anchors))
    return pdf.HandbookPdf(data, pagination.total, pagination, 1, 1)

def main():
    catalogue, out_pdf, case = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    with typesetters(PARTS if case == "parts" else 0) as workers:
        p = plan(check(Project.at(catalogue.parent, catalogue=catalogue)).catalogue)
        t1 = time.perf_counter()
        if case == "single":
            result = one_piece(p)
        else:
            result = render_handbook(p, HandbookOptions(), environ={}, workers=workers, fast=case != "public")
        t2 = time.perf_counter()
    out_pdf.write_bytes(result.data)
    print(json.dumps({"load": t1 - t0, "render": t2 - t1, "pages": result.pages, "parts": result.parts,
                      "layouts": result.layouts, "join": sum(joined)}))

if __name__ == "__main__":
    main()
"""


def run_once(catalogue: Path, tmp: Path, name: str, case: str) -> dict[str, float]:
    out_pdf = tmp / f"{name}-{case}.pdf"
    cli = [sys.executable, "-m", "generator", "--root", str(catalogue.parent), "--catalogue", str(catalogue)]
    if case == "cli":
        command = [*cli, "handbook", "--output", str(out_pdf)]
    elif case == "site":
        docs = tmp / f"{name}-docs"
        shutil.rmtree(docs, ignore_errors=True)
        command = [*cli, "--docs", str(docs), "handbook"]
    else:
        command = [sys.executable, "-c", CHILD, str(catalogue), str(out_pdf), case]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    elapsed = time.perf_counter() - start
    if case in ("single", "public", "whole", "parts"):
        data: dict[str, float] = json.loads(result.stdout)
    else:  # the CLI says how many pages each PDF has: "handbook.pdf (92 pages…"
        data = {"pages": sum(int(n) for n in re.findall(r"\((\d+) pages", result.stdout))}
    data["process"] = elapsed
    return data


def measure(name: str, catalogue: Path, traits: int, runs: int, tmp: Path) -> list[dict[str, object]]:
    samples: dict[str, list[dict[str, float]]] = {case: [] for case in CASES}
    for _ in range(runs):
        for case in CASES:
            samples[case].append(run_once(catalogue, tmp, name, case))
    rows = []
    for case in CASES:
        pages = int(samples[case][-1]["pages"])
        med = {k: statistics.median(float(s[k]) for s in samples[case]) for k in samples[case][0] if k != "pages"}
        print(f"{name} {case}: {traits} traits, {pages} pages, median {med['process']:.2f} s", flush=True)
        rows.append({"name": name, "case": case, "traits": traits, "pages": pages, "runs": runs, **med})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="25,100")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        rows += measure("real", ROOT / "catalogue", 8, args.runs, tmp)
        for n in (int(s) for s in args.sizes.split(",") if s):
            cat = write_catalogue(tmp / f"synth{n}" / "catalogue", n)
            rows += measure(f"synthetic-{n}", cat, n, args.runs, tmp)
    write_report(rows, args)


def _seconds(row: dict[str, object], key: str) -> str:
    value = row.get(key)
    return f"{value:.2f}" if isinstance(value, float) else "–"


def write_report(rows: list[dict[str, object]], args: argparse.Namespace) -> None:
    import weasyprint

    lines = [
        "# Handbook benchmark",
        "",
        f"Machine: {platform.machine()}, {len(os.sched_getaffinity(0))} cores, Python {platform.python_version()}, "
        f"WeasyPrint {weasyprint.__version__}. Median of {args.runs} runs, each a fresh process; "
        "the cases ran interleaved.",
        "",
        f"Reproduce: `.venv/bin/python -m bench.handbook --runs {args.runs} --sizes {args.sizes}`",
        "",
        "- *one piece*: the whole handbook laid out once in one process, numbered and drawn: no cut, no join.",
        "- *public API*: the whole handbook in one process through WeasyPrint's public API only "
        "(`target-counter`, laid out until the numbers settle): the fallback.",
        "- *one process*: both parts of the handbook laid out in turn in one process (a one-core machine).",
        "- *two processes*: the two parts on two worker processes started before the catalogue loads.",
        "- *CLI*: `python -m generator handbook --output handbook.pdf`, timed as a command.",
        "- *make site step*: `python -m generator handbook`, the handbook and the worksheet into an empty "
        "docs/downloads/ (four worker processes, two per PDF); its pages are those of both PDFs.",
        "",
        "Every build, first or not, lays each page out once: page numbers are written into the laid-out "
        "pages (generator/typeset.py), so no case depends on an earlier build. One and two processes "
        "give the same PDF, byte for byte (tests/test_pdf_parts.py).",
        "",
        "Every PDF is tagged PDF/UA-1; *join* is the time pypdf takes to join the parts and their "
        "structure trees (in the render time).",
        "",
        "| catalogue | traits | case | pages | whole process (s) | load+validate (s) | render (s) | join (s) "
        "| s per page |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        process = float(r["process"])  # type: ignore[arg-type]
        pages = int(r["pages"])  # type: ignore[call-overload]
        lines.append(
            f"| {r['name']} | {r['traits']} | {LABEL[str(r['case'])]} | {pages} | {process:.2f} | "
            f"{_seconds(r, 'load')} | {_seconds(r, 'render')} | {_seconds(r, 'join')} | {process / pages:.3f} |"
        )
    by = {(r["name"], r["case"]): float(r["process"]) for r in rows}  # type: ignore[arg-type]
    if all(("real", c) in by for c in CASES):
        lines += ["", "Real catalogue, ratios to one process in this run: "
                  f"one piece {by['real', 'single'] / by['real', 'whole']:.2f}, "
                  f"public API {by['real', 'public'] / by['real', 'whole']:.2f}, "
                  f"two processes {by['real', 'parts'] / by['real', 'whole']:.2f}, "
                  f"CLI {by['real', 'cli'] / by['real', 'whole']:.2f}, "
                  f"make site step {by['real', 'site'] / by['real', 'whole']:.2f}."]  # fmt: skip
    for case in ("whole", "parts"):
        synth = [r for r in rows if str(r["name"]).startswith("synthetic") and r["case"] == case]
        if len(synth) >= 2:
            a, b = synth[0], synth[-1]
            ratio = float(b["render"]) / float(a["render"])  # type: ignore[arg-type]
            traits = int(b["traits"]) / int(a["traits"])  # type: ignore[call-overload]
            lines += ["", f"Scaling ({LABEL[case]}): render time ratio {b['name']}/{a['name']} = {ratio:.2f} for "
                      f"{traits:.0f}× the traits ({ratio / traits:.2f} of linear)."]  # fmt: skip
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
