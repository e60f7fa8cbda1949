"""Benchmark: handbook build time and page count (whole process, median of several runs).

Usage: python -m bench.handbook [--runs 3] [--sizes 25,50,100]
Writes bench/RESULTS-handbook.md. Timings are medians measured in one run on this machine;
compare ratios, not absolute seconds, across machines.

Four cases per catalogue, each a fresh process that loads, validates, renders and writes:
- one document: the whole handbook in one process (one core; as on a one-core machine, and
  for each PDF of a first ``make site``, where the handbook and the worksheet share the cores);
- first build: no pagination known; the parts are measured, then rendered, on every core
  (as ``python -m generator handbook --output``);
- rebuild: the pagination of the previous build is known (as ``make site`` after an edit
  that moves nothing), so the parts render once;
- rebuild after a shift: the recorded pagination is one page off everywhere (as after an edit
  that adds a page early on), so the parts render twice.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.synth import write_catalogue

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "RESULTS-handbook.md"
CASES = ("whole", "first", "rebuild", "shifted")

# One child process per run, so each timing includes start-up, font loading and writing.
CHILD = """
import json, multiprocessing, os, sys, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
t0 = time.perf_counter()
from generator.build import Project, check
from generator.handbook import HandbookOptions, Pagination
from generator.pages import plan
from generator.pdf import render_handbook
from generator.typeset import preload

def main():
    catalogue, out_pdf, record, case = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
    jobs = len(os.sched_getaffinity(0)) if case != "whole" else 1
    pool = None
    if jobs > 1:  # start the workers first: they import WeasyPrint while the catalogue loads
        pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"), initializer=preload)
        for _ in range(jobs):
            pool.submit(int)
    previous = Pagination.from_json(record.read_text()) if case in ("rebuild", "shifted") else None
    if case == "shifted":
        previous = Pagination(previous.total + 1, {k: v + 1 for k, v in previous.anchors.items()})
    p = plan(check(Project.at(catalogue.parent, catalogue=catalogue)).catalogue)
    t1 = time.perf_counter()
    result = render_handbook(p, HandbookOptions(), environ={}, previous=previous, executor=pool, jobs=jobs)
    t2 = time.perf_counter()
    out_pdf.write_bytes(result.data)
    if case == "whole":
        record.write_text(result.pagination.to_json())
    if pool is not None:
        pool.shutdown()
    print(json.dumps({"load": t1 - t0, "render": t2 - t1, "pages": result.pages, "parts": result.parts,
                      "rounds": result.rounds, "bytes": len(result.data)}))

if __name__ == "__main__":
    main()
"""


def run_once(catalogue: Path, out_pdf: Path, record: Path, case: str) -> dict[str, float]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(catalogue), str(out_pdf), str(record), case],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    data: dict[str, float] = json.loads(result.stdout)
    data["process"] = time.perf_counter() - start
    return data


def measure(name: str, catalogue: Path, traits: int, runs: int, tmp: Path) -> list[dict[str, object]]:
    record = tmp / f"{name}.pagination.json"
    rows = []
    for case in CASES:  # "whole" writes the record the rebuilds read
        samples = [run_once(catalogue, tmp / f"{name}-{case}.pdf", record, case) for _ in range(runs)]
        med = {k: statistics.median(float(s[k]) for s in samples) for k in ("process", "load", "render")}
        last = samples[-1]
        print(f"{name} {case}: {traits} traits, {last['pages']} pages, median {med['process']:.2f} s", flush=True)
        rows.append({"name": name, "case": case, "traits": traits, "pages": int(last["pages"]),
                     "parts": int(last["parts"]), "rounds": int(last["rounds"]), "runs": runs, **med})  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="25,50,100")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        rows += measure("real", ROOT / "catalogue", 8, args.runs, tmp)
        for n in (int(s) for s in args.sizes.split(",") if s):
            cat = write_catalogue(tmp / f"synth{n}" / "catalogue", n)
            rows += measure(f"synthetic-{n}", cat, n, args.runs, tmp)
    write_report(rows, args)


def write_report(rows: list[dict[str, object]], args: argparse.Namespace) -> None:
    import weasyprint

    lines = [
        "# Handbook benchmark",
        "",
        f"Machine: {platform.machine()}, {len(os.sched_getaffinity(0))} cores, Python {platform.python_version()}, "
        f"WeasyPrint {weasyprint.__version__}. Median of {args.runs} runs, each a fresh process.",
        "",
        f"Reproduce: `.venv/bin/python -m bench.handbook --runs {args.runs} --sizes {args.sizes}`",
        "",
        "- *one document*: the whole handbook in one process (a one-core machine; each PDF of a first `make site`).",
        "- *first build*: no pagination known; parts measured, then rendered, on every core.",
        "- *rebuild*: the previous build's pagination is known; rendered in parts on every core, once.",
        "- *rebuild after a shift*: the recorded pagination is one page off everywhere; the parts render twice.",
        "",
        "| catalogue | traits | case | pages | parts × rounds | whole process (s) | load+validate (s) "
        "| render (s) | s per page |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    label = {"whole": "one document", "first": "first build", "rebuild": "rebuild", "shifted": "rebuild after a shift"}
    for r in rows:
        rounds = f"{r['parts']} × {r['rounds']}" if int(r["parts"]) > 1 else "1 (whole)"  # type: ignore[call-overload]
        lines.append(
            f"| {r['name']} | {r['traits']} | {label[str(r['case'])]} | {r['pages']} | {rounds} | "
            f"{r['process']:.2f} | {r['load']:.2f} | {r['render']:.2f} | "
            f"{float(r['process']) / int(r['pages']):.3f} |"  # type: ignore[arg-type, call-overload]
        )
    by = {(r["name"], r["case"]): r for r in rows}
    real = {c: float(by["real", c]["process"]) for c in CASES if ("real", c) in by}  # type: ignore[arg-type]
    if len(real) == len(CASES):
        lines += ["", "Real catalogue, ratios to one document in this run: "
                  f"first build {real['first'] / real['whole']:.2f}, rebuild {real['rebuild'] / real['whole']:.2f}, "
                  f"rebuild after a shift {real['shifted'] / real['whole']:.2f}."]  # fmt: skip
    synth = [r for r in rows if str(r["name"]).startswith("synthetic") and r["case"] == "whole"]
    if len(synth) >= 2:
        a, b = synth[0], synth[-1]
        ratio = float(b["render"]) / float(a["render"])  # type: ignore[arg-type]
        traits = int(b["traits"]) / int(a["traits"])  # type: ignore[call-overload]
        lines += ["", f"Scaling (one document): render time ratio {b['name']}/{a['name']} = {ratio:.2f} for "
                  f"{traits:.0f}× the traits ({ratio / traits:.2f} of linear)."]  # fmt: skip
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
