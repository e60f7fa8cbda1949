"""Benchmark: Lighthouse scores of the built site, served with gzip as GitHub Pages serves it.

Usage: python -m bench.lighthouse [--runs 3] [--lighthouse PATH]
Needs Lighthouse (Node): ``npm install lighthouse@12`` somewhere, then pass the path of its
``node_modules/.bin/lighthouse`` (default: ``lighthouse`` on PATH). Chromium is Debian's
``/usr/bin/chromium``. Builds the real catalogue, serves ``site/`` on 127.0.0.1 with gzip
for text files, runs Lighthouse on each page (median of the runs) and writes
bench/RESULTS-lighthouse.md. Performance is a timing and varies with the machine's load:
quote it from one run, never assert it in a test.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from tests.browser import CHROMIUM
from tests.sitebuild import make_site

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "RESULTS-lighthouse.md"
STOCK_OUT = ROOT / "bench" / "RESULTS-lighthouse-stock.md"
PAGES = ["", "traits/leader/", "self-assessment/", "paths/incident-responder/", "traits/"]
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-encoded when the browser accepts it (as GitHub Pages does)."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (
            not path.is_file()
            or path.suffix not in COMPRESSIBLE
            or "gzip" not in self.headers.get("Accept-Encoding", "")
        ):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def mobile_figures(lighthouse: str, url: str) -> dict[str, float]:
    """Performance, layout shift and first paint (ms) of one mobile run."""
    result = subprocess.run(
        [lighthouse, url, "--output=json", "--quiet", "--only-categories=performance",
         f"--chrome-path={CHROMIUM}", "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    report = json.loads(result.stdout)
    audits = report["audits"]
    return {
        "performance": float(report["categories"]["performance"]["score"]),
        "cls": float(audits["cumulative-layout-shift"]["numericValue"]),
        "fcp": float(audits["first-contentful-paint"]["numericValue"]),
    }


def stock_comparison(lighthouse: str, runs: int) -> list[str]:
    """The same pages built by stock Material (no Traitbook theme folder, no plugin) and by
    Traitbook, measured on the mobile preset, runs interleaved: performance, layout shift and
    first contentful paint, medians."""
    from bench.noop_build import stock_config

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), GzipHandler)
        port = httpd.server_address[1]
        root = make_site(Path(tmp), ROOT / "catalogue", f"http://127.0.0.1:{port}/")
        stock = stock_config(root)
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(stock)],
            cwd=root, check=True, capture_output=True,
            env={**os.environ, "SITE_URL": f"http://127.0.0.1:{port}/", "NO_MKDOCS_2_WARNING": "1"},
        )  # fmt: skip
        httpd.RequestHandlerClass = functools.partial(GzipHandler, directory=str(root))  # type: ignore[assignment]
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        try:
            for page in PAGES:
                samples: dict[str, list[dict[str, float]]] = {"site-stock": [], "site": []}
                for _ in range(runs):
                    for folder, figures in samples.items():
                        figures.append(mobile_figures(lighthouse, f"http://127.0.0.1:{port}/{folder}/{page}"))
                cells = []
                for folder in ("site-stock", "site"):
                    figures = samples[folder]
                    cells += [
                        f"{statistics.median(f['performance'] for f in figures):.2f}",
                        f"{statistics.median(f['cls'] for f in figures):.3f}",
                        f"{statistics.median(f['fcp'] for f in figures) / 1000:.2f} s",
                    ]
                rows.append(f"| `/{page}` | " + " | ".join(cells) + " |")
        finally:
            httpd.shutdown()
    return rows


def scores(lighthouse: str, url: str, mobile: bool) -> dict[str, float]:
    # Lighthouse's default is a phone on a slow network (simulated throttling); --preset=desktop is not.
    preset = [] if mobile else ["--preset=desktop"]
    result = subprocess.run(
        [lighthouse, url, "--output=json", "--quiet", *preset,
         "--only-categories=performance,accessibility", f"--chrome-path={CHROMIUM}",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    report = json.loads(result.stdout)
    return {name: float(cat["score"]) for name, cat in report["categories"].items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lighthouse", default="lighthouse")
    parser.add_argument(
        "--stock", action="store_true", help="mobile only: Traitbook against stock Material on the same pages"
    )
    args = parser.parse_args()
    if args.stock:
        rows = stock_comparison(args.lighthouse, args.runs)
        lines = [
            "# Lighthouse, mobile: Traitbook against stock Material",
            "",
            f"`python -m bench.lighthouse --stock --runs {args.runs}`: the real catalogue's pages built twice, "
            "by stock Material (the project's mkdocs.yml without the Traitbook plugin and theme folder) and by "
            "Traitbook, served with gzip on 127.0.0.1; Lighthouse 12's default mobile preset (a phone on a "
            "throttled network), runs interleaved, medians. CLS: cumulative layout shift; FCP: first contentful "
            "paint.",
            "",
            "| page | stock: performance | stock: CLS | stock: FCP "
            "| Traitbook: performance | Traitbook: CLS | Traitbook: FCP |",
            "|---|---:|---:|---:|---:|---:|---:|",
            *rows,
            "",
        ]
        STOCK_OUT.write_text("\n".join(lines), encoding="utf-8")
        print("\n".join(lines))
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), GzipHandler)
        port = httpd.server_address[1]
        root = make_site(Path(tmp), ROOT / "catalogue", f"http://127.0.0.1:{port}/")
        httpd.RequestHandlerClass = functools.partial(GzipHandler, directory=str(root / "site"))  # type: ignore[assignment]
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        try:
            for page in PAGES:
                url = f"http://127.0.0.1:{port}/{page}"
                cells = []
                for mobile in (False, True):
                    runs = [scores(args.lighthouse, url, mobile) for _ in range(args.runs)]
                    cells += [statistics.median(r[k] for r in runs) for k in ("performance", "accessibility")]
                weight = (root / "site" / page / "index.html").stat().st_size / 1000
                rows.append(f"| `/{page}` | " + " | ".join(f"{c:.2f}" for c in cells) + f" | {weight:.1f} KB |")
        finally:
            httpd.shutdown()
    lines = [
        "# Lighthouse",
        "",
        f"`python -m bench.lighthouse --runs {args.runs}`: Lighthouse 12 with Debian's Chromium, the real "
        "catalogue served on 127.0.0.1 with gzip; median of the runs, for the desktop preset and for Lighthouse's "
        "default (a phone on a throttled network). Performance is a timing on a shared, noisy machine.",
        "",
        "| page | desktop: performance | accessibility | mobile: performance | accessibility | HTML |",
        "|---|---:|---:|---:|---:|---:|",
        *rows,
        "",
    ]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
