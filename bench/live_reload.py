"""Benchmark: save-to-reload time of the live preview (`mkdocs serve`), in Chromium.

Usage: python -m bench.live_reload [--runs 5]
Copies the project to a temporary folder, starts `mkdocs serve` there, opens a trait page in
Chromium, then edits the trait's title in catalogue/ and measures the time until the browser
shows the new title (MkDocs' live reload). Writes bench/RESULTS-live-reload.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser import CHROMIUM, CHROMIUM_ARGS, free_port
from tests.sitebuild import copy_real_project as copy_project

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "RESULTS-live-reload.md"
EXTRA = sys.argv[sys.argv.index("--") + 1 :] if "--" in sys.argv else []


def wait_for(url: str, timeout: float = 120) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - 127.0.0.1 only
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(sys.argv[1 : sys.argv.index("--")] if "--" in sys.argv else None)
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "proj")
        port = free_port()
        env = {
            **os.environ,
            "NO_MKDOCS_2_WARNING": "1",
            "DISABLE_MKDOCS_2_WARNING": "true",
            "SITE_URL": f"http://127.0.0.1:{port}/",
        }
        # As `make serve`: mkdocs.yml inherits a file the generator writes.
        subprocess.run(
            [sys.executable, "-m", "generator", "generate", "--no-handbook"], cwd=project, env=env, check=True
        )
        log = (Path(tmp) / "serve.log").open("w")
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload", *EXTRA],
            cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        trait = project / "catalogue" / "traits" / "leader.yml"
        original = trait.read_text(encoding="utf-8")
        samples: list[float] = []
        error_kept_site = False
        try:
            wait_for(f"http://127.0.0.1:{port}/traits/leader/")
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{port}/traits/leader/")
                page.wait_for_timeout(1000)
                for run in range(args.runs):
                    title = f"Leader edit {run}"
                    start = time.perf_counter()
                    trait.write_text(original.replace("title: Leader", f"title: {title}", 1), encoding="utf-8")
                    page.wait_for_function(
                        f"document.querySelector('h1') && document.querySelector('h1').textContent.includes('{title}')",
                        timeout=30_000,
                    )
                    samples.append(time.perf_counter() - start)
                    page.wait_for_timeout(1500)
                # A broken catalogue: the error goes to the terminal, the last good site stays.
                trait.write_text(original.replace("title: Leader", "title: [broken", 1), encoding="utf-8")
                time.sleep(4)
                try:
                    page.goto(f"http://127.0.0.1:{port}/traits/leader/", timeout=10_000)
                    error_kept_site = "Leader edit" in page.locator("h1").inner_text()
                except Exception as exc:
                    print(f"after the error the page did not load: {exc}", file=sys.stderr)
                browser.close()
        finally:
            trait.write_text(original, encoding="utf-8")
            server.terminate()
            server.wait(timeout=30)
            log.close()
        output = (Path(tmp) / "serve.log").read_text()
        print(output[-3000:], file=sys.stderr)
    error_line = next((line for line in output.splitlines() if "leader.yml" in line and "YAML" in line), "")
    median = statistics.median(samples)
    lines = [
        "# Live preview benchmark",
        "",
        f"`mkdocs serve` of the real catalogue; {args.runs} edits of a trait title; time from saving the",
        "file to the new title in Chromium (includes MkDocs' polling of the file, regeneration, site",
        "rebuild and the browser's reload).",
        "",
        f"Reproduce: `.venv/bin/python -m bench.live_reload --runs {args.runs}`",
        "",
        f"- samples (s): {', '.join(f'{s:.2f}' for s in samples)}",
        f"- **median: {median:.2f} s** (target ≤ 1.5 s)",
        f"- broken catalogue: error in the terminal: `{error_line.strip()}`",
        f"- last good site still served after the error: {'yes' if error_kept_site else 'NO'}",
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
