"""Live preview: `mkdocs serve` regenerates on save, and a catalogue error keeps the last good site."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.live_reload import copy_project
from tests.browser import free_port


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - 127.0.0.1 only
        return str(response.read().decode("utf-8"))


def wait_until(check: object, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():  # type: ignore[operator]
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def test_serve_regenerates_and_survives_a_catalogue_error(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "proj")
    port = free_port()
    url = f"http://127.0.0.1:{port}/traits/leader/"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": f"http://127.0.0.1:{port}/"}
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            assert wait_until(lambda: "<h1" in fetch(url), timeout=120), log.read_text()
            trait = project / "catalogue" / "traits" / "leader.yml"
            text = trait.read_text(encoding="utf-8")
            trait.write_text(text.replace("title: Leader", "title: Leader in preview", 1), encoding="utf-8")
            assert wait_until(lambda: "Leader in preview" in fetch(url)), log.read_text()
            trait.write_text(text.replace("title: Leader", "title: [broken", 1), encoding="utf-8")
            assert wait_until(lambda: "catalogue/traits/leader.yml:4:9:" in log.read_text()), log.read_text()
            time.sleep(2)  # the rebuild after the error has finished
            page = fetch(url)
            assert "Leader in preview" in page  # the last good site is still served
            assert "Still serving the last good version" in log.read_text()
        finally:
            server.terminate()
            server.wait(timeout=30)
