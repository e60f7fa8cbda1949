"""A build with nothing to do: `traitbook build` against stock Material building the same pages.

Usage: .venv/bin/python -m bench.noop_build [--runs 7]

In a copy of this project, after one full build (pages, PDFs, site), each round times, whole
process and interleaved:

- **stock**: `python -m mkdocs build --strict` of the same docs/ with stock Material: the
  project's mkdocs.yml without the traitbook and offline plugins and without the theme folder;
- **traitbook build**: the `traitbook` command, as an author runs it;
- **before** (issue 33's starting point): `python -m generator generate` without the build stamp
  (`--no-cache`), then `mkdocs build --strict` with the plugin, which generated a second time.

Writes bench/RESULTS-noop-build.md: medians and the ratio to stock, measured in this one run.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "RESULTS-noop-build.md"
PY = sys.executable
TRAITBOOK = str(Path(PY).parent / "traitbook")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


class _Loader(yaml.SafeLoader):
    """mkdocs.yml with ``!ENV [NAME, default]`` read as the default, other tags kept as text."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    assert isinstance(node, yaml.SequenceNode)
    return loader.construct_sequence(node)[-1]


_Loader.add_constructor("!ENV", _env)


def stock_config(project: Path) -> Path:
    """The project's mkdocs.yml as stock Material: no Traitbook plugin, no theme folder."""
    config = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    config["theme"].pop("custom_dir", None)
    config["plugins"] = [
        p for p in config["plugins"] if not (p == "traitbook" or (isinstance(p, dict) and "offline" in p))
    ]
    config["site_dir"] = "site-stock"
    path = project / "stock-mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def copy_project(target: Path) -> Path:
    for name in ("catalogue", "overrides"):
        shutil.copytree(ROOT / name, target / name)
    (target / "docs").mkdir(parents=True)
    for page in (ROOT / "docs").glob("*.md"):
        shutil.copy(page, target / "docs" / page.name)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    return target


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "proj")
        timed([TRAITBOOK, "build"], project)  # the first, full build: pages, PDFs, site
        stock = stock_config(project)
        cases = {
            "stock": [[PY, "-m", "mkdocs", "build", "--strict", "-f", str(stock)]],
            "traitbook build": [[TRAITBOOK, "build"]],
            "before": [
                [PY, "-m", "traitbook", "--no-cache", "generate"],
                [PY, "-m", "mkdocs", "build", "--strict"],
            ],
        }
        samples: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.runs):
            for name, commands in cases.items():
                samples[name].append(sum(timed(command, project) for command in commands))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    rows = "\n".join(
        f"| {name} | {medians[name]:.2f} s | {medians[name] / medians['stock']:.2f}× | "
        f"{', '.join(f'{v:.2f}' for v in samples[name])} |"
        for name in cases
    )
    OUT.write_text(
        "# A build with nothing to do (bench/noop_build.py)\n\n"
        f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{args.runs} rounds, cases interleaved, whole processes; median and ratio to stock Material.\n\n"
        "| case | median | vs stock | every run |\n|---|---|---|---|\n" + rows + "\n",
        encoding="utf-8",
    )
    print(OUT.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
