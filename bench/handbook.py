"""Benchmark: handbook build time and page count (whole process, median of several runs).

Usage: python -m bench.handbook [--runs 3] [--sizes 25,50,100]
Writes bench/RESULTS-handbook.md. Timings are medians measured in one run on this machine;
compare ratios, not absolute seconds, across machines.
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

# One child process per run, so each timing includes start-up, font loading and writing.
CHILD = """
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from generator.build import Project, check
from generator.pages import plan
from generator.handbook import HandbookOptions, handbook_html, pdf_bytes
catalogue = Path(sys.argv[1])
p = plan(check(Project.at(catalogue.parent, catalogue=catalogue)).catalogue)
t1 = time.perf_counter()
html = handbook_html(p, HandbookOptions(), environ={})
t2 = time.perf_counter()
data, pages = pdf_bytes(html)
t3 = time.perf_counter()
Path(sys.argv[2]).write_bytes(data)
print(json.dumps({"load": t1 - t0, "html": t2 - t1, "pdf": t3 - t2, "total": time.perf_counter() - t0,
                  "pages": pages, "bytes": len(data)}))
"""


def run_once(catalogue: Path, out_pdf: Path) -> dict[str, float]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(catalogue), str(out_pdf)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    data: dict[str, float] = json.loads(result.stdout)
    data["process"] = time.perf_counter() - start
    return data


def measure(name: str, catalogue: Path, traits: int, runs: int, tmp: Path) -> dict[str, object]:
    samples = [run_once(catalogue, tmp / f"{name}.pdf") for _ in range(runs)]
    med = {k: statistics.median(float(s[k]) for s in samples) for k in ("process", "load", "html", "pdf")}
    pages = int(samples[0]["pages"])
    print(f"{name}: {traits} traits, {pages} pages, median {med['process']:.2f} s", flush=True)
    return {"name": name, "traits": traits, "pages": pages, "runs": runs, **med}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="25,50,100")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        rows.append(measure("real", ROOT / "catalogue", 8, args.runs, tmp))
        for n in (int(s) for s in args.sizes.split(",")):
            cat = write_catalogue(tmp / f"synth{n}" / "catalogue", n)
            rows.append(measure(f"synthetic-{n}", cat, n, args.runs, tmp))
    write_report(rows, args)


def write_report(rows: list[dict[str, object]], args: argparse.Namespace) -> None:
    import weasyprint

    lines = [
        "# Handbook benchmark",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"WeasyPrint {weasyprint.__version__}. Median of {args.runs} runs, each a fresh process.",
        "",
        f"Reproduce: `.venv/bin/python -m bench.handbook --runs {args.runs} --sizes {args.sizes}`",
        "",
        "| catalogue | traits | pages | whole process (s) | load+validate (s) | HTML (s) | PDF (s) | s per page |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['traits']} | {r['pages']} | {r['process']:.2f} | {r['load']:.2f} | "
            f"{r['html']:.2f} | {r['pdf']:.2f} | {float(r['process']) / int(r['pages']):.3f} |"  # type: ignore[arg-type]
        )
    synth = [r for r in rows if str(r["name"]).startswith("synthetic")]
    if len(synth) >= 2:
        a, b = synth[0], synth[-1]
        ratio = float(b["pdf"]) / float(a["pdf"])  # type: ignore[arg-type]
        traits = int(b["traits"]) / int(a["traits"])  # type: ignore[call-overload]
        lines += ["", f"Scaling: PDF time ratio {b['name']}/{a['name']} = {ratio:.2f} for {traits:.0f}× the traits "
                  f"({ratio / traits:.2f} of linear)."]  # fmt: skip
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
