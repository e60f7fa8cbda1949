"""Build a real site from a catalogue in a temporary project (shared by site and browser tests)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, run_command
from traitbook._internal.pipeline import DOWNLOADS

#: The origin sites are built for unless a test says otherwise (``site_url``). tests/browser.py
#: serves a site at any port by rewriting this origin, so it has the length of every port the
#: system hands out (Linux's ephemeral ports are five digits: 32768–60999).
SITE_URL = "http://127.0.0.1:50000/"


def copy_project(root: Path, catalogue: Path, downloads: Path | None = None) -> Path:
    """A project at ``root``: the repository's site set-up, hand-written docs and ``catalogue``.

    ``downloads`` (rendered PDFs) is copied when given, so the build skips WeasyPrint.
    """
    for name in ("generator", "overrides"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    (root / "docs").mkdir(parents=True)
    for path in (ROOT / "docs").iterdir():
        if path.is_file():
            shutil.copy(path, root / "docs" / path.name)
    shutil.copytree(catalogue, root / "catalogue")
    if downloads is not None and downloads.is_dir():
        shutil.copytree(downloads, root / "docs" / "downloads")
    return root


def copy_real_project(root: Path, downloads: Path | None = None) -> Path:
    """The repository's own project, with ``downloads`` (the plugin renders only missing ones)."""
    return copy_project(root, ROOT / "catalogue", downloads)


def project_with_placeholder_pdfs(tmp: Path, catalogue: Path) -> Path:
    """A project at ``tmp/proj`` around ``catalogue``, with placeholder PDFs: for builds that
    are about the site, where rendering hundreds of chapters would only measure WeasyPrint."""
    root = tmp / "proj"
    shutil.rmtree(root, ignore_errors=True)
    copy_project(root, catalogue)
    (root / "docs" / "downloads").mkdir()
    for name in DOWNLOADS:  # the PDFs and the LMS question banks the pages link to
        (root / "docs" / name).write_bytes(b"%PDF-1.7\n" if name.endswith(".pdf") else b"placeholder\n")
    return root


def make_site(
    tmp: Path,
    catalogue: Path,
    site_url: str = SITE_URL,
    extra_env: dict[str, str] | None = None,
    site_dir: str = "site",
    engine: str = "mkdocs",
    downloads: Path | None = None,
) -> Path:
    """Copy the site config, theme overrides and hand-written docs next to ``catalogue``; build.
    ``downloads``: the catalogue's PDFs and question banks, built already (the ``real_downloads``
    artefact for the real catalogue), so the build lays no handbook out again."""
    root = copy_project(tmp / "proj", catalogue, downloads)
    mkdocs_build(root, site_url, extra_env, site_dir, engine)
    return root


#: How each engine builds a site strictly, into a folder (Zensical always uses mkdocs.yml's).
ENGINES = {
    "mkdocs": [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir"],
    "properdocs": [sys.executable, "-m", "properdocs", "build", "--strict", "--site-dir"],
    "zensical": [str(Path(sys.executable).parent / "zensical"), "build", "--strict"],
}


def mkdocs_build(
    root: Path,
    site_url: str = SITE_URL,
    extra_env: dict[str, str] | None = None,
    site_dir: str = "site",
    engine: str = "mkdocs",
    handbook: bool = False,
) -> Path:
    """``python -m generator build`` (``--no-handbook`` unless ``handbook``: the MkDocs plugin
    creates missing PDFs, and stand-in PDFs stay) then the engine's strict build in ``root`` (the documented
    flow: mkdocs.yml inherits a file the generator writes); no warning allowed. The site folder."""
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
        "SITE_URL": site_url,
        **(extra_env or {}),
    }
    if (root / "catalogue").is_dir():  # a Traitbook project, not a plain MkDocs site
        generate = run_command("generate", *([] if handbook else ["--no-handbook"]), cwd=root, env=env)
        assert generate.returncode == 0, generate.stderr
    command = ENGINES[engine] + ([site_dir] if engine != "zensical" else [])
    assert engine != "zensical" or site_dir == "site"
    result = subprocess.run(
        command,
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "WARNING" not in result.stderr, result.stderr
    return root / site_dir


#: The plugin's entry in mkdocs.yml, and the same with the Material optimisation switched on.
PLUGIN_LINE = "  - traitbook\n"
OPTIMISED_LINE = "  - traitbook:\n      optimise_theme: true\n"

#: A hook with the optimisation alone, for sites built without the plugin (no catalogue, or
#: pages generated beforehand).
OPTIMISE_HOOK = """
from traitbook._internal.adapters.mkdocs_theme import optimise

def on_env(env, config, files):
    return optimise(env, config)
"""


def optimise_theme(root: Path) -> Path:
    """Switch the plugin's Material optimisation on in ``root``'s mkdocs.yml."""
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert PLUGIN_LINE in text
    config.write_text(text.replace(PLUGIN_LINE, OPTIMISED_LINE), encoding="utf-8")
    return root
