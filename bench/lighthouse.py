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
import statistics
import subprocess
import tempfile
import threading
from pathlib import Path

from tests.browser import CHROMIUM
from tests.sitebuild import make_site

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "RESULTS-lighthouse.md"
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
    args = parser.parse_args()
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
