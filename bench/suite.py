"""How long the test suite takes: the fast tier and the whole suite, wall time, whole process.

    .venv/bin/python -m bench.suite [--before DIR] [--runs N]

``--before DIR``: a checkout of an earlier commit (``git worktree add DIR COMMIT``), whose whole
suite is timed as it ran then (``python -m pytest``, one process), with this checkout's
environment and its own source first on the path. Cases are interleaved run by run; medians are
reported. Writes ``bench/RESULTS-suite.md``. The suite's own timeouts apply; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS-suite.md"
SUMMARY = re.compile(r"(?P<text>\d+ (?:passed|failed)[^\n]*?) in [\d.]+s")


@dataclass(frozen=True)
class Case:
    name: str
    cwd: Path
    command: list[str]
    extra_path: str = ""


@dataclass
class Timing:
    seconds: list[float]
    summary: str


def cases(before: Path | None) -> list[Case]:
    python = sys.executable
    found = [
        Case("fast tier (`make test-fast`'s pytest)", ROOT, [python, "-m", "pytest", "--fast", "-n", "auto", "-q"]),
        Case(
            "whole suite (`make test`'s pytest)",
            ROOT,
            [python, "-m", "pytest", "-n", "auto", "--dist", "loadscope", "-q"],
        ),
    ]
    if before is not None:
        found.append(
            Case(
                f"whole suite before ({before.name}: one process)",
                before,
                [python, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                f"{before / 'generator'}{os.pathsep}{before}",
            )
        )
    return found


def run(case: Case) -> tuple[float, str]:
    env = {**os.environ, "CI": "true", "HYPOTHESIS_PROFILE": "ci"}
    if case.extra_path:
        env["PYTHONPATH"] = case.extra_path
    start = time.perf_counter()
    result = subprocess.run(case.command, cwd=case.cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    found = SUMMARY.findall(result.stdout)
    return elapsed, (found[-1] if found else f"exit {result.returncode}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", type=Path, help="a checkout of an earlier commit, to time its whole suite")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    todo = cases(args.before)
    timings = {c.name: Timing([], "") for c in todo}
    for _ in range(args.runs):
        for case in todo:
            seconds, summary = run(case)
            timings[case.name].seconds.append(seconds)
            timings[case.name].summary = summary
            print(f"{case.name}: {seconds:.1f} s ({summary})", flush=True)
    lines = [
        "# Test suite wall time",
        "",
        f"`python -m bench.suite{' --before ' + args.before.name if args.before else ''} --runs {args.runs}` on "
        f"{os.cpu_count()} cores, CI=true and HYPOTHESIS_PROFILE=ci (the thorough profile), median of "
        f"{args.runs}, cases interleaved. Whole process, so it includes collection and worker start-up.",
        "",
        "| case | median | result |",
        "|---|---:|---|",
    ]
    for name, timing in timings.items():
        lines.append(f"| {name} | {statistics.median(timing.seconds):.0f} s | {timing.summary} |")
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
