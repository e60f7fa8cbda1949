"""Benchmark: what the answer-cue lint adds to `check`.

Usage: python -m bench.cues [--runs 5] [--sizes 8 1000]
For the real catalogue and synthetic catalogues of N traits (tests/synth.py), times the whole
`python -m generator check` process with `minimums.answer_cues` on and off (median of the runs,
the two interleaved so drift hits both alike), and the lint alone in-process (choice items and
rules). A synthetic catalogue fails the lint (its keys are placed by a formula), which is
fine here: the rules run in full either way. Writes bench/RESULTS-cues.md.
"""

from __future__ import annotations

import argparse
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from traitbook import Project, load_and_validate
from traitbook._internal.catalogue.cues import answer_cues, choice_items
from traitbook._internal.catalogue.model import AnswerCues

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "RESULTS-cues.md"


def timed_check(project: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project), "--no-cache", "check"],
        capture_output=True, cwd=ROOT, check=False,
    )  # fmt: skip
    return time.perf_counter() - start


def with_cues(project: Path, on: bool) -> None:
    """Turn the lint on or off in ``project``'s catalogue.yml, leaving every other minimum."""
    path = project / "catalogue" / "catalogue.yml"
    text = re.sub(r"(?m)^  answer_cues:.*\n", "", path.read_text(encoding="utf-8"))
    if on:
        text = (
            text.replace("\nminimums:\n", "\nminimums:\n  answer_cues: {}\n")
            if "\nminimums:\n" in text
            else (text + "\nminimums:\n  answer_cues: {}\n")
        )
    path.write_text(text, encoding="utf-8")


def projects(tmp: Path, sizes: list[int]) -> dict[str, Path]:
    out: dict[str, Path] = {}
    real = tmp / "real"
    shutil.copytree(ROOT / "catalogue", real / "catalogue")
    out["real catalogue"] = real
    for n in sizes:
        project = tmp / f"synth-{n}"
        subprocess.run([sys.executable, "-m", "tests.synth", str(n), str(project / "catalogue")], check=True, cwd=ROOT)
        out[f"synthetic N={n}"] = project
    return out


def lint_alone(project: Path, runs: int) -> tuple[int, float]:
    catalogue = load_and_validate(Project.at(project, cache=False)).catalogue
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        items = choice_items(catalogue)
        answer_cues(items, AnswerCues())
        times.append(time.perf_counter() - start)
    return len(items), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000])
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, project in projects(Path(tmp), args.sizes).items():
            times: dict[bool, list[float]] = {False: [], True: []}
            for _ in range(args.runs):
                for on in (False, True):
                    with_cues(project, on)
                    times[on].append(timed_check(project))
            off, on = statistics.median(times[False]), statistics.median(times[True])
            items, alone = lint_alone(project, args.runs)
            rows.append(f"| {name} | {items} | {off:.2f} s | {on:.2f} s | {on / off:.2f}× | {alone * 1000:.1f} ms |")
    lines = [
        "# Answer-cue lint: cost",
        "",
        f"`python -m bench.cues --runs {args.runs}`, one run on {platform.machine()}, Python "
        f"{platform.python_version()}; `check` is the whole process (start-up, loading without the model "
        "cache, validation, every lint), median of the runs, lint off and on interleaved. *Lint alone* is "
        "the answer-cue rules in-process on the validated catalogue.",
        "",
        "| catalogue | choice items | check, lint off | check, lint on | ratio | lint alone |",
        "|---|---:|---:|---:|---:|---:|",
        *rows,
        "",
    ]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
