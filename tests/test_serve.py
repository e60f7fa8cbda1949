"""Live preview: `mkdocs serve` regenerates on save, and a catalogue error keeps the last good site."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.browser import free_port
from tests.sitebuild import copy_real_project


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - 127.0.0.1 only
        return str(response.read().decode("utf-8"))


def wait_until(check: object, timeout: float = 300) -> bool:
    """Poll ``check`` until it holds. The deadline only turns a hang into a failure with the
    log; it is far above any real build, so a slow machine makes the test slower, not red."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():  # type: ignore[operator]
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


REBUILT = "Reloading browsers"  # MkDocs, after a rebuild that succeeded
REBUILD_FAILED = "An error happened during the rebuild"  # MkDocs; the server then appears stuck


def rebuild_ended_after(log: str, marker: str) -> bool:
    """The rebuild that logged ``marker`` has ended, well or badly."""
    after = log.split(marker, 1)[1] if marker in log else ""
    return REBUILT in after or REBUILD_FAILED in after


def test_serve_regenerates_and_survives_a_catalogue_error(tmp_path: Path, real_downloads: Path) -> None:
    project = copy_real_project(tmp_path / "proj", real_downloads)
    port = free_port()
    url = f"http://127.0.0.1:{port}/traits/leader/"
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
        "SITE_URL": f"http://127.0.0.1:{port}/",
    }
    # As `make serve` and `traitbook serve`: generate, then MkDocs' live server.
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            assert wait_until(lambda: "<h1" in fetch(url)), log.read_text()
            trait = project / "catalogue" / "traits" / "leader.yml"
            text = trait.read_text(encoding="utf-8")
            trait.write_text(text.replace("title: Leader", "title: Leader in preview", 1), encoding="utf-8")
            assert wait_until(lambda: "Leader in preview" in fetch(url)), log.read_text()
            trait.write_text(text.replace("title: Leader", "title: [broken", 1), encoding="utf-8")
            # At the bracket left open (line 3), not where libyaml gave up (line 4).
            error = "catalogue/traits/leader.yml:3:8: (document): YAML syntax error: the '[' that opens a list here"
            assert wait_until(lambda: error in log.read_text()), log.read_text()
            # The rebuild that reported the error must also end, and succeed (a failed rebuild
            # leaves MkDocs' server stuck). MkDocs holds every request until a rebuild is done,
            # so once it has logged the end, the next fetch is that rebuild's page.
            assert wait_until(lambda: rebuild_ended_after(log.read_text(), error)), log.read_text()
            after_error = log.read_text().split(error, 1)[1]
            assert "Still serving the last good version" in after_error
            assert REBUILT in after_error and REBUILD_FAILED not in after_error, after_error
            page = fetch(url)
            assert "Leader in preview" in page  # the last good site is still served
            assert "[broken" not in page
        finally:
            server.terminate()
            server.wait(timeout=30)
    # Ending `traitbook serve` ended the engine's server too: the port is free again.
    assert wait_until(lambda: not port_in_use(port), timeout=30)


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0
