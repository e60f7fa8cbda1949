"""Benchmark: what `check` costs on each hostile file of tests/test_hostile.py.

Usage: python -m bench.hostile [--runs 5]
Each case is the mini catalogue with one trait file replaced by the hostile bytes; the time is
the whole `python -m generator check` process (Python start-up included), median of the runs,
cases interleaved. The valid mini catalogue is the baseline. Writes bench/RESULTS-hostile.md.
The README's claim: every hostile case is refused in under a second.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.conftest import MINI
from tests.test_hostile import CASES, TWO

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "RESULTS-hostile.md"
LIMIT_S = 1.0
BASELINE = "(valid mini catalogue)"


def timed_check(project: Path) -> tuple[int, float]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project), "check"],
        capture_output=True, cwd=ROOT, check=False,
    )  # fmt: skip
    return result.returncode, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    times: dict[str, list[float]] = {BASELINE: [], **{name: [] for name in CASES}}
    with tempfile.TemporaryDirectory() as tmp:
        projects: dict[str, Path] = {}
        for name in times:
            project = Path(tmp) / f"p{len(projects)}"
            shutil.copytree(MINI, project / "catalogue")
            if name != BASELINE:
                (project / TWO).write_bytes(CASES[name][0])
            projects[name] = project
        for _ in range(args.runs):
            for name, project in projects.items():  # interleaved: drift hits every case alike
                code, seconds = timed_check(project)
                expected = 0 if name == BASELINE else 2
                if code != expected:
                    raise SystemExit(f"{name}: exit status {code}, expected {expected}")
                times[name].append(seconds)
    medians = {name: statistics.median(values) for name, values in times.items()}
    worst = max((m, n) for n, m in medians.items() if n != BASELINE)
    lines = [
        "# Hostile input: time to refuse each case",
        "",
        f"`python -m bench.hostile --runs {args.runs}` on {platform.node() or 'this machine'}, "
        f"Python {platform.python_version()}: the whole `check` process, median of {args.runs}, cases interleaved.",
        "",
        "| case | median (s) | max (s) |",
        "|---|---:|---:|",
        *(f"| {name} | {medians[name]:.3f} | {max(times[name]):.3f} |" for name in times),
        "",
        f"Slowest case: {worst[1]} at {worst[0]:.3f} s (median); the claim is under {LIMIT_S:.0f} s: "
        + ("met." if worst[0] < LIMIT_S else "**not met**."),
        "",
    ]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    sys.stdout.write("\n".join(lines))


if __name__ == "__main__":
    main()
