"""Build times of the engines that read mkdocs.yml, for the same generated pages.

Usage: .venv/bin/python -m bench.engines [--runs 3] [--sizes 100]

For the real catalogue and each synthetic size N: `python -m generator build` once, then
MkDocs, ProperDocs (both run the traitbook plugin, which finds nothing to write) and Zensical
(which runs no plugin) each build the site ``--runs`` times, interleaved so that load on a
shared machine falls on all three alike. Medians and ratios to MkDocs go to RESULTS-engines.md.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.run import ENV, PY, ROOT, project, timed
from tests.synth import write_catalogue

OUT = ROOT / "bench" / "RESULTS-engines.md"
ZENSICAL = str(Path(sys.executable).parent / "zensical")
ENGINES = {
    "MkDocs": [PY, "-m", "mkdocs", "build", "--strict", "--quiet"],
    "ProperDocs": [PY, "-m", "properdocs", "build", "--strict", "--quiet"],
    "Zensical": [ZENSICAL, "build", "--strict", "--clean"],
}


def measure(root: Path, runs: int) -> dict[str, list[float]]:
    subprocess.run(
        [PY, "-m", "generator", "generate", "--no-handbook"], cwd=root, env=ENV, check=True, capture_output=True
    )
    times: dict[str, list[float]] = {name: [] for name in ENGINES}
    for _ in range(runs):
        for name, command in ENGINES.items():
            times[name].append(timed(command, root))
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="100")
    args = parser.parse_args()
    rows = ["| catalogue | " + " | ".join(ENGINES) + " | ProperDocs / MkDocs | Zensical / MkDocs |", "|---" * 6 + "|"]
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        cases = [("real (8 traits)", project(tmp / "real", ROOT / "catalogue"))]
        for n in (int(s) for s in args.sizes.split(",")):
            cases.append((f"synthetic N={n}", project(tmp / f"n{n}", write_catalogue(tmp / f"c{n}" / "catalogue", n))))
        for label, root in cases:
            medians = {name: statistics.median(values) for name, values in measure(root, args.runs).items()}
            mk = medians["MkDocs"]
            cells = " | ".join(f"{medians[name]:.2f} s" for name in ENGINES)
            rows.append(f"| {label} | {cells} | {medians['ProperDocs'] / mk:.2f}× | {medians['Zensical'] / mk:.2f}× |")
            print(rows[-1], flush=True)
    text = (
        "# Engines: build times of the same generated site\n\n"
        f"Median of {args.runs} interleaved runs per engine, one run of `python -m bench.engines`, on "
        f"{platform.machine()} with {__import__('os').cpu_count()} cores (shared; only ratios within a row "
        "compare). Pages are generated once beforehand; MkDocs and ProperDocs still run the plugin, which "
        "checks the catalogue and writes nothing. Placeholder PDFs (the handbook has its own benchmark).\n\n"
        + "\n".join(rows)
        + "\n"
    )
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
