"""CI: the check workflow and the Pages deployment gated on it.

The workflows are read with PyYAML, as GitHub's own parser reads YAML 1.1 keys: the key `on`
comes back as the boolean True (see :func:`triggers`). actionlint lints both files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
CHECK = WORKFLOWS / "check.yml"
PAGES = WORKFLOWS / "pages.yml"
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
    assert list(workflow["jobs"]) == ["check"]
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

    # The README's two commands, exactly, and the check (annotations come from GITHUB_ACTIONS).
    for command in [*quick_start_commands(), "make install", ".venv/bin/python -m generator check"]:
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


def test_actionlint_passes_both_workflows() -> None:
    result = lint(ROOT, str(CHECK.relative_to(ROOT)), str(PAGES.relative_to(ROOT)))
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
