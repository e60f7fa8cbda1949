"""CI: the check workflow, the Pages deployment gated on it, and the pre-commit hook.

The workflows are read with PyYAML, which reads YAML 1.1: the key `on` (text to GitHub)
comes back as the boolean True (see :func:`triggers`). actionlint lints both files.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import MINI, ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
CHECK = WORKFLOWS / "check.yml"
PAGES = WORKFLOWS / "pages.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
BIN = Path(sys.executable).parent


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    """The `on:` mapping; PyYAML (YAML 1.1) reads the key `on` as True."""
    on = workflow[True] if True in workflow else workflow["on"]
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict)
    return on


def steps(workflow: dict[Any, Any], job: str) -> list[dict[str, Any]]:
    found = workflow["jobs"][job]["steps"]
    assert isinstance(found, list)
    return found


def uses(step: dict[str, Any]) -> str:
    return str(step.get("uses", "")).split("@")[0]


def step_using(found: list[dict[str, Any]], action: str) -> list[dict[str, Any]]:
    return [s for s in found if uses(s) == action]


def runs(found: list[dict[str, Any]]) -> list[str]:
    return [str(s["run"]).strip() for s in found if "run" in s]


def quick_start_commands() -> list[str]:
    """The commands of the README's quick start, in order (comments stripped)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [line.split("#")[0].strip() for line in block.strip().splitlines() if line.split("#")[0].strip()]


def needs(job: dict[str, Any]) -> list[str]:
    value = job.get("needs", [])
    return [value] if isinstance(value, str) else list(value)


def all_permissions(workflow: dict[Any, Any]) -> dict[str, dict[str, str]]:
    """Where permissions are granted: "(top)" and each job that sets its own."""
    found = {"(top)": workflow.get("permissions", {})}
    for name, job in workflow["jobs"].items():
        if "permissions" in job:
            found[name] = job["permissions"]
    return found


# ---- check.yml -------------------------------------------------------------------------------


def test_readme_quick_start_is_make_site_then_make_test() -> None:
    assert quick_start_commands() == ["make site", "make test"]


def test_check_runs_on_every_pull_request_and_push_and_by_hand() -> None:
    on = triggers(load(CHECK))
    assert {"pull_request", "push", "workflow_dispatch"} <= set(on)
    # Every branch: no branch or path filter narrows pushes or pull requests.
    for event in ("pull_request", "push"):
        assert not on[event], f"{event} is filtered: {on[event]}"
    # pages.yml calls it as a reusable workflow (the deploy gate).
    assert "workflow_call" in on


def test_check_has_least_privilege_and_cancels_older_runs() -> None:
    workflow = load(CHECK)
    assert workflow["permissions"] == {"contents": "read"}
    for where, granted in all_permissions(workflow).items():
        assert "write" not in granted.values(), f"{where} may write: {granted}"
    concurrency = workflow["concurrency"]
    assert "github.ref" in concurrency["group"]
    assert concurrency["cancel-in-progress"] is True


def test_check_runs_the_catalogue_check_the_readme_commands_and_uploads_the_preview() -> None:
    workflow = load(CHECK)
    assert list(workflow["jobs"]) == ["check", "test"]
    job = workflow["jobs"]["check"]
    assert job["runs-on"] == "ubuntu-latest"
    found = steps(workflow, "check")
    commands = runs(found)

    assert [uses(s) for s in found[:2]] == ["actions/checkout", "actions/setup-python"]
    assert found[0]["uses"] == "actions/checkout@v4"
    setup = found[1]
    assert setup["uses"] == "actions/setup-python@v5"
    assert str(setup["with"]["python-version"]) == "3.12"
    assert setup["with"]["cache"] == "pip"
    assert setup["with"]["cache-dependency-path"] == "pyproject.toml"

    apt = next(c for c in commands if "apt-get install" in c)
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "poppler-utils", "fonts-dejavu-core"):
        assert package in apt.split(), package
    # The browser tests launch this path (tests/browser.py reads the variable).
    chromium = job["env"]["TRAITBOOK_CHROMIUM"]
    assert chromium.startswith("/")
    assert 'os.environ.get("TRAITBOOK_CHROMIUM"' in (ROOT / "tests" / "browser.py").read_text(encoding="utf-8")

    # The README's build command, exactly, and the check (annotations come from GITHUB_ACTIONS);
    # its test command runs as the test job's tiers (test_check_runs_make_test_as_parallel_tiers).
    for command in ["make site", "make install", ".venv/bin/python -m generator check"]:
        assert command in commands, f"no step runs {command!r}"
    order = [commands.index(c) for c in ("make install", ".venv/bin/python -m generator check", "make site")]
    assert order == sorted(order)

    uploads = {s["with"]["name"]: s for s in step_using(found, "actions/upload-artifact")}
    assert set(uploads) == {"site-preview", "handbook-pdfs"}
    assert uploads["site-preview"]["with"]["path"].rstrip("/") == "site"
    assert uploads["handbook-pdfs"]["with"]["path"] == "docs/downloads/*.pdf"
    site_step = next(s for s in found if str(s.get("run", "")).strip() == "make site")
    for upload in uploads.values():
        assert upload["uses"] == "actions/upload-artifact@v4"
        assert 1 <= int(upload["with"]["retention-days"]) <= 30
        assert upload["with"]["if-no-files-found"] == "error"
        # Uploaded only from a site that was built: after the step, and gated on its outcome.
        assert found.index(upload) > found.index(site_step)
        assert f"steps.{site_step['id']}.outcome == 'success'" in upload["if"]


def test_check_runs_make_test_as_parallel_tiers() -> None:
    from tests.tiers import TIERS

    job = load(CHECK)["jobs"]["test"]
    assert sorted(job["strategy"]["matrix"]["tier"]) == sorted(TIERS)
    assert job["strategy"]["fail-fast"] is False  # every tier reports, whichever fails first
    found = steps(load(CHECK), "test")
    commands = runs(found)
    assert "make install" in commands and "make lint" in commands
    lint = next(s for s in found if str(s.get("run", "")).strip() == "make lint")
    assert lint["if"] == "${{ matrix.tier == 'fast' }}"  # once, in the job that answers first
    pytest_run = next(c for c in commands if "pytest" in c)
    assert pytest_run == '.venv/bin/python -m pytest --tier "${{ matrix.tier }}" -n auto --dist loadscope'
    assert job["env"]["HYPOTHESIS_PROFILE"] == "ci" and job["env"]["TRAITBOOK_CHROMIUM"].startswith("/")


def test_every_set_of_markers_is_in_exactly_one_tier() -> None:
    """CI's tier jobs together are `make test`: whatever heavy markers a test has (every one of
    the 32 sets), exactly one tier runs it."""
    import itertools

    from tests.tiers import HEAVY, TIERS

    for n in range(len(HEAVY) + 1):
        for markers in itertools.combinations(HEAVY, n):
            chosen = [name for name, wanted in TIERS.items() if wanted(frozenset(markers))]
            assert len(chosen) == 1, (markers, chosen)


# ---- pages.yml -------------------------------------------------------------------------------


def test_pages_deploys_main_only_after_the_check_workflow_passes() -> None:
    workflow = load(PAGES)
    on = triggers(workflow)
    assert set(on) == {"push", "workflow_dispatch"}
    assert on["push"]["branches"] == ["main"]
    jobs = workflow["jobs"]
    assert jobs["check"]["uses"] == "./.github/workflows/check.yml"
    assert "workflow_call" in triggers(load(CHECK))

    def upstream(name: str) -> set[str]:
        found: set[str] = set()
        for parent in needs(jobs[name]):
            found |= {parent, *upstream(parent)}
        return found

    # Every job that builds or deploys waits for the checks (a manual run too: same jobs).
    for name in jobs:
        if name != "check":
            assert "check" in upstream(name), f"{name} does not wait for the checks"
    assert needs(jobs["deploy"]) == ["build"]
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_pages_grants_write_and_oidc_only_to_the_deploy_job() -> None:
    workflow = load(PAGES)
    granted = all_permissions(workflow)
    assert granted["(top)"] == {"contents": "read"}
    assert granted["deploy"] == {"pages": "write", "id-token": "write"}
    assert granted["build"] == {"contents": "read", "pages": "read"}  # configure-pages reads the settings
    assert granted["check"] == {"contents": "read"}
    for where, scopes in granted.items():
        if where != "deploy":
            assert "write" not in scopes.values(), f"{where} may write: {scopes}"


def test_pages_builds_with_the_readme_command_and_publishes_the_site() -> None:
    workflow = load(PAGES)
    found = steps(workflow, "build")
    build = next(s for s in found if s.get("name") == "Build")
    assert build["run"] == quick_start_commands()[0] == "make site"
    assert "steps.pages.outputs.base_url" in build["env"]["SITE_URL"]  # a fork's own address
    assert step_using(found, "actions/configure-pages")[0]["id"] == "pages"
    upload = step_using(found, "actions/upload-pages-artifact")
    assert len(upload) == 1
    assert upload[0]["with"]["path"].rstrip("/") == "site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["environment"]["name"] == "github-pages"
    assert [uses(s) for s in deploy["steps"]] == ["actions/deploy-pages"]


# ---- actionlint ------------------------------------------------------------------------------


def actionlint() -> str:
    """The actionlint binary the dev extra installs beside this Python (or on PATH)."""
    candidate = BIN / "actionlint"
    found = str(candidate) if candidate.exists() else shutil.which("actionlint")
    if found is None:
        message = "actionlint is not installed (pip install -e '.[dev]' installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def lint(folder: Path, *files: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [actionlint(), "-no-color", "-oneline", *files],
        check=False,
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_actionlint_passes_every_workflow() -> None:
    release = WORKFLOWS / "release.yml"
    result = lint(ROOT, *(str(w.relative_to(ROOT)) for w in (CHECK, PAGES, release)))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_actionlint_catches_a_broken_copy(tmp_path: Path) -> None:
    """The lint really runs: a misspelt `needs` and an invalid permission are reported."""
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    shutil.copy(CHECK, workflows / "check.yml")
    text = PAGES.read_text(encoding="utf-8")
    broken = text.replace("needs: check", "needs: chek").replace("pages: read", "pages: reed")
    assert broken.count("chek") == 1
    assert "reed" in broken
    (workflows / "pages.yml").write_text(broken, encoding="utf-8")
    result = lint(tmp_path, ".github/workflows/pages.yml")
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'needs job "chek" which does not exist' in result.stdout
    assert '"reed" is invalid' in result.stdout


# ---- the pre-commit hook ---------------------------------------------------------------------


def hook() -> dict[str, Any]:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    (found,) = (h for h in hooks if h["id"] == "traitbook-check")
    assert isinstance(found, dict)
    return found


def test_hook_manifest() -> None:
    found = hook()
    assert found["name"] == "Traitbook catalogue check"
    assert found["entry"] == "traitbook check"
    assert found["language"] == "python"
    assert found["pass_filenames"] is False
    # The entry's command is the console script the package installs.
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert shlex.split(found["entry"])[0] in scripts


@pytest.mark.parametrize(
    ("path", "selected"),
    [
        ("catalogue/traits/x.yml", True),
        ("catalogue/catalogue.yml", True),
        ("catalogue/traits/x.yaml", True),
        ("handbooks/catalogue/traits/x.yml", True),
        ("docs/index.md", False),
        ("catalogue/README.md", False),
        ("mycatalogue/x.yml", False),
        ("mkdocs.yml", False),
    ],
)
def test_hook_runs_for_catalogue_yaml_only(path: str, selected: bool) -> None:
    # pre-commit selects a staged file when re.search(files, path) finds a match.
    assert bool(re.search(hook()["files"], path)) is selected


def hook_env() -> dict[str, str]:
    """The environment pre-commit gives a hook: its Python's bin first on PATH. This checkout's
    source comes first on the import path, and the variables of a GitHub runner (which switch
    the output to annotations and append to the step summary) are dropped."""
    env = {k: v for k, v in os.environ.items() if k not in {"GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"}}
    env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
    env["PYTHONPATH"] = os.pathsep.join(p for p in [str(ROOT / "generator"), env.get("PYTHONPATH", "")] if p)
    return env


def hook_argv(entry: str, env: dict[str, str]) -> list[str]:
    argv = shlex.split(entry)
    if shutil.which(argv[0], path=env["PATH"]) is None:  # no console script: the same module
        assert argv[0] == "traitbook"
        argv = [sys.executable, "-m", "traitbook", *argv[1:]]
    return argv


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True, timeout=60).stdout


@pytest.fixture
def catalogue_repo(tmp_path: Path) -> Path:
    """Another repository that keeps a catalogue: the mini catalogue under catalogue/."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "other"
    repo.mkdir()
    git(repo, "init", "-q")
    shutil.copytree(MINI, repo / "catalogue")
    return repo


BROKEN = "catalogue/traits/broken.yml"


def write_trait(repo: Path, title: str) -> tuple[int, int]:
    """A copy of trait `one` as `broken` with ``title``; the title's line and its length."""
    lines = (MINI / "traits" / "one.yml").read_text(encoding="utf-8").splitlines()
    lines = [{"id: one": "id: broken"}.get(line, line) for line in lines]
    row = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[row] = f"title: {title}"
    (repo / BROKEN).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return row + 1, len(lines[row])


def reported_at(output: str, line: int, width: int) -> bool:
    """Whether the output reports the title problem as `file:line:col:` on the title's line (the
    column may be the key's or the value's)."""
    match = re.search(rf"^{re.escape(BROKEN)}:{line}:(\d+): title: must be text", output, re.MULTILINE)
    return match is not None and 1 <= int(match.group(1)) <= width


def test_hook_entry_fails_on_a_broken_trait_and_passes_once_fixed(catalogue_repo: Path) -> None:
    found, env = hook(), hook_env()
    argv = hook_argv(found["entry"], env)
    line, width = write_trait(catalogue_repo, "12")  # a number where text belongs
    git(catalogue_repo, "add", "-A")
    staged = git(catalogue_repo, "diff", "--cached", "--name-only").split()
    assert BROKEN in staged
    assert [p for p in staged if re.search(found["files"], p)], "pre-commit would not run the hook"

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            argv,
            check=False,
            cwd=catalogue_repo,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=300,
        )

    failed = run()
    assert failed.returncode == 2, failed.stdout
    assert reported_at(failed.stdout, line, width), failed.stdout

    write_trait(catalogue_repo, "Trait broken, now fixed")
    git(catalogue_repo, "add", "-A")
    fixed = run()
    assert fixed.returncode == 0, fixed.stdout
    assert BROKEN not in fixed.stdout


def test_pre_commit_try_repo_runs_the_hook(catalogue_repo: Path, tmp_path: Path) -> None:
    """pre-commit itself: it installs this repository (with its uncommitted changes) into a
    fresh environment from the package registry, then runs the hook on the staged catalogue.
    About a minute: most of it is the install."""
    pre_commit = BIN / "pre-commit"
    if not pre_commit.exists():
        message = "pre-commit is not installed (pip install -e '.[dev]' installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    if not (ROOT / ".git").exists() or not git(ROOT, "ls-files", HOOKS.name).strip():
        pytest.skip("try-repo needs this project as a git checkout with .pre-commit-hooks.yaml tracked")
    line, width = write_trait(catalogue_repo, "12")
    git(catalogue_repo, "add", "-A")
    env = hook_env()
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    del env["PYTHONPATH"]  # the hook runs the copy pre-commit installed
    result = subprocess.run(
        [str(pre_commit), "try-repo", str(ROOT), "traitbook-check", "--files", BROKEN],
        check=False,
        cwd=catalogue_repo,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=900,
    )
    assert result.returncode == 1, result.stdout
    assert "Traitbook catalogue check" in result.stdout
    assert "exit code: 2" in result.stdout  # the hook ran and found the problem (not an install error)
    assert reported_at(result.stdout, line, width), result.stdout
