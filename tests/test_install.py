"""From found-on-GitHub to a published course: what installs Traitbook in a new project, what a
Python without its dependencies says, the release workflow the pinned tag relies on, and the
whole path from a built wheel in a fresh virtual environment (init, check, build)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from tests.conftest import ROOT, run_cli
from tests.test_package import wheel  # noqa: F401 - the module's fixture, shared
from traitbook._internal.scaffold import project_files
from traitbook._internal.scaffold.requirement import Origin, release_tag, requirement_line, running_origin

REPOSITORY = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]["Repository"]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


@pytest.mark.parametrize(
    ("direct_url", "expected"),
    [
        # From a package index: pip writes no direct_url.json.
        (None, "traitbook>=0.3.1,<0.4"),
        # From Git: the same repository and revision (a fork pins the fork).
        (
            {
                "url": "https://github.com/someone/traitbook-fork",
                "vcs_info": {"vcs": "git", "requested_revision": "v0.3.1", "commit_id": "abc"},
            },
            "traitbook @ git+https://github.com/someone/traitbook-fork@v0.3.1",
        ),
        (
            {"url": "https://github.com/someone/traitbook-fork", "vcs_info": {"vcs": "git", "commit_id": "0123abcd"}},
            "traitbook @ git+https://github.com/someone/traitbook-fork@0123abcd",
        ),
        # A release asset at an https address.
        (
            {"url": "https://example.org/dl/traitbook-0.3.1-py3-none-any.whl", "archive_info": {}},
            "traitbook @ https://example.org/dl/traitbook-0.3.1-py3-none-any.whl",
        ),
        # A wheel or a checkout on this machine: nobody else can install that path, so the
        # repository of the metadata at the release tag.
        (
            {"url": "file:///tmp/traitbook-0.3.1-py3-none-any.whl", "archive_info": {}},
            "traitbook @ git+https://github.com/o/traitbook@v0.3.1",
        ),
        (
            {"url": "file:///home/me/traitbook", "dir_info": {"editable": True}},
            "traitbook @ git+https://github.com/o/traitbook@v0.3.1",
        ),
        (
            {"url": "file:///home/me/traitbook", "vcs_info": {"vcs": "git", "commit_id": "abc"}},
            "traitbook @ git+https://github.com/o/traitbook@v0.3.1",
        ),
    ],
)
def test_the_requirement_names_where_this_traitbook_can_be_installed_from(
    direct_url: dict[str, object] | None, expected: str
) -> None:
    line = requirement_line(Origin("0.3.1", "https://github.com/o/traitbook/", direct_url))
    assert line == expected
    Requirement(line)  # a line pip reads


def test_without_any_known_source_init_asks_for_the_requirement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from traitbook._internal import scaffold

    monkeypatch.setattr(scaffold, "running_origin", lambda: Origin("0.3.1", None, {"url": "file:///x", "dir_info": {}}))
    result = run_cli("init", str(tmp_path / "course"))
    assert result.code == 1 and "init --requirement" in result.err and "Traceback" not in result.err
    assert not (tmp_path / "course").exists()
    given = run_cli("init", str(tmp_path / "course"), "--requirement", "traitbook==0.3.1")
    assert given.code == 0, given.err
    assert (tmp_path / "course" / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1] == "traitbook==0.3.1"


@pytest.mark.parametrize("bad", ["", "  ", "traitbook\nrequests", "traitbook\r"])
def test_a_requirement_that_is_not_one_line_is_refused(tmp_path: Path, bad: str) -> None:
    result = run_cli("init", str(tmp_path / "course"), "--requirement", bad)
    assert result.code == 1 and "--requirement" in result.err
    assert not (tmp_path / "course").exists()


def test_this_checkout_pins_its_own_repository_at_the_release_tag() -> None:
    """Run from this checkout (an editable install), the metadata's repository and tag: never
    a placeholder, never a version the index may not have."""
    origin = running_origin()
    assert origin.version == VERSION and origin.repository == REPOSITORY
    line = project_files()["requirements.txt"].decode().splitlines()[-1]
    assert line == f"traitbook @ git+{REPOSITORY}@v{VERSION}"
    assert "OWNER" not in REPOSITORY and REPOSITORY.startswith("https://github.com/")


def test_the_release_workflow_runs_on_the_tags_init_pins_and_checks_the_version() -> None:
    release = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8"))
    tags = release[True]["push"]["tags"]  # True: PyYAML reads the key `on` as a boolean
    pattern = re.compile(tags[0].replace("*", ".*"))
    assert pattern.fullmatch(release_tag(VERSION))
    jobs = release["jobs"]
    assert jobs["check"]["uses"] == "./.github/workflows/check.yml" and jobs["dist"]["needs"] == "check"
    dist_runs = "\n".join(step.get("run", "") for step in jobs["dist"]["steps"])
    assert "python -m build" in dist_runs and "v$version" in dist_runs
    assert jobs["github-release"]["permissions"] == {"contents": "write"}
    assert "gh release create" in jobs["github-release"]["steps"][-1]["run"]
    # PyPI only with trusted publishing: an OIDC token, no stored secret, and only when enabled.
    assert jobs["pypi"]["permissions"] == {"id-token": "write"} and "PYPI_PUBLISH" in jobs["pypi"]["if"]
    assert jobs["pypi"]["steps"][-1]["uses"].startswith("pypa/gh-action-pypi-publish@")
    assert release["permissions"] == {"contents": "read"}


def test_python_m_generator_without_the_dependencies_says_how_to_install_in_one_line() -> None:
    """``-S``: this Python without its site-packages, as the system Python of a new user."""
    result = subprocess.run(
        [sys.executable, "-S", "-m", "generator", "init", "course"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "missing: rich" in lines[0] and "make install" in lines[0] and "pipx install" in lines[0]
    assert not (ROOT / "course").exists()


def test_the_whole_path_from_a_built_wheel_in_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:  # noqa: F811
    """As a new author: a virtual environment with only what the wheel installs (its runtime
    dependencies, no test tools), `traitbook init`, then in the project `traitbook check` and
    `traitbook build`; the site, the PDFs and the question banks are there, the requirement
    names an installable source, and a second build has nothing to do."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    installed = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr
    frozen = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "freeze"], capture_output=True, text=True, check=True
    ).stdout
    names = {re.split(r"[=@ ]", line, maxsplit=1)[0].lower() for line in frozen.splitlines()}
    assert "traitbook" in names and not names & {"pytest", "playwright", "ruff", "mypy"}  # the runtime set only
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "NO_MKDOCS_2_WARNING", "DISABLE_MKDOCS_2_WARNING"}
    }
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    traitbook = str(bin_dir / "traitbook")

    def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [traitbook, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600
        )

    made = run("init", "course", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    course = tmp_path / "course"
    line = (course / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1]
    requirement = Requirement(line)
    assert requirement.name == "traitbook" and requirement.url == f"git+{REPOSITORY}@v{VERSION}"
    # What is left for the author: the example about page's placeholder, which `check` points at.
    checked = run("check", cwd=course)
    assert checked.returncode == 2 and checked.stderr.startswith("docs/about.md:11:34: text: placeholder"), (
        checked.stderr
    )
    about = course / "docs" / "about.md"
    about.write_text(
        about.read_text(encoding="utf-8").replace("Replace this paragraph with", "Here is"), encoding="utf-8"
    )
    checked = run("check", cwd=course)
    assert checked.returncode == 0 and "every minimum met" in checked.stdout, checked.stderr
    built = run("build", cwd=course)
    assert built.returncode == 0, built.stdout + built.stderr
    assert (course / "site" / "index.html").is_file()
    assert (course / "site" / "traits" / "curious" / "index.html").is_file()
    for name in ("handbook.pdf", "worksheet.pdf", "traitbook-gift.txt", "traitbook-moodle.xml", "traitbook-qti.zip"):
        assert (course / "site" / "downloads" / name).is_file(), name
    assert (course / "site" / "downloads" / "handbook.pdf").read_bytes().startswith(b"%PDF-")
    # The end-of-life banners are silenced for the author, without any variable of theirs.
    assert "MkDocs 2.0" not in built.stderr and "ProperDocs" not in built.stderr, built.stderr
    again = run("build", cwd=course)
    assert again.returncode == 0 and "nothing changed since the last build" in again.stdout, again.stderr
    # The plugin inside MkDocs found the stamp fresh: it generated nothing either.
    assert "written" not in again.stderr, again.stderr


def test_spawn_is_what_macos_and_windows_get_and_it_is_chosen_by_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    from traitbook._internal.handbook.workers import worker_context
    from traitbook._internal.infra import parallel

    monkeypatch.setenv(parallel.START_METHOD_VARIABLE, "spawn")
    assert parallel.spawn_only() and not parallel.can_fork()
    assert worker_context().get_start_method() == "spawn"
    monkeypatch.delenv(parallel.START_METHOD_VARIABLE)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert parallel.spawn_only() and worker_context().get_start_method() == "spawn"


def test_a_new_project_builds_with_spawned_workers_as_on_macos_and_windows(tmp_path: Path) -> None:
    """The whole build, PDFs included, with every worker spawned (each imports WeasyPrint itself
    instead of being forked from a server that did), and the command run once."""
    assert run_cli("init", str(tmp_path / "course")).code == 0
    course = tmp_path / "course"
    env = {**os.environ, "TRAITBOOK_START_METHOD": "spawn", "PYTHONPATH": str(ROOT / "generator")}
    built = subprocess.run(
        [sys.executable, "-m", "traitbook", "build"], cwd=course, env=env, capture_output=True, text=True, check=False
    )
    assert built.returncode == 0, built.stderr
    assert built.stdout.count("generated 1 traits") == 1, built.stdout  # the command ran once
    assert (course / "site" / "index.html").is_file()
    for name in ("handbook.pdf", "worksheet.pdf"):
        assert (course / "site" / "downloads" / name).read_bytes().startswith(b"%PDF-"), name
