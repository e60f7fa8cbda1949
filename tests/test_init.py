"""`traitbook init DIR`: a new project that checks, builds strictly and works under a sub-path,
about no subject in particular; an existing file is never replaced. And `new`'s category comment."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser

from tests.browser import Server, listen, open_session, serve
from tests.conftest import ROOT, run_cli, run_command, tree_digest
from tests.htmlscan import page_text
from tests.sitebuild import mkdocs_build
from tests.test_publish import PREFIX, crawl
from traitbook._internal.catalogue.model import Trait
from traitbook._internal.catalogue.scaffold import scaffold_text
from traitbook._internal.infra.layout import OWNED_DIRS
from traitbook._internal.scaffold import project_files

#: This repository's course is about security careers; a new project's site must not be. SOC,
#: NICE and ECSF are matched as whole words ("social" and "nice-looking" are other words).
SUBJECT = re.compile(r"security|cyber|incident|\bSOC\b|\bNICE\b|\bECSF\b", re.IGNORECASE)


def init(target: Path, *options: str) -> tuple[int, str, str]:
    result = run_cli("init", str(target), *options)
    return result.code, result.out, result.err


def generator(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m generator …`` in ``root``, which holds a copy of this repository's generator/."""
    return run_command(*args, cwd=root)


@pytest.fixture(scope="module")
def new_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project made by `init` in an empty folder, with this repository's generator beside it
    (what an installed Traitbook provides): the build and the MkDocs plugin run that source."""
    root = tmp_path_factory.mktemp("init") / "course"
    code, out, err = init(root)
    assert code == 0, err
    assert "created" in out and "skipped" not in out
    shutil.copytree(ROOT / "generator", root / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    return root


@pytest.fixture(scope="module")
def subpath_site(new_project: Path) -> Iterator[Server]:
    httpd = listen()
    port = httpd.server_address[1]
    site = mkdocs_build(new_project, f"http://127.0.0.1:{port}{PREFIX}")
    srv = serve(site, prefix=PREFIX, httpd=httpd)
    yield srv
    srv.stop()


def test_the_new_project_passes_check_once_its_placeholder_is_replaced(new_project: Path) -> None:
    """The example catalogue meets its minimums; what the author must still write is the about
    page's placeholder paragraph, which `check` points at (minimums.placeholders is on)."""
    result = generator(new_project, "check")
    assert result.returncode == 2
    assert result.stderr.splitlines()[0].startswith("docs/about.md:11:34: text: placeholder 'Replace this paragraph")
    assert "1 problem(s) found" in result.stderr
    about = new_project / "docs" / "about.md"
    original = about.read_text(encoding="utf-8")
    about.write_text(original.replace("Replace this paragraph with the story", "Here is the story"), encoding="utf-8")
    try:
        result = generator(new_project, "check")
    finally:
        about.write_text(original, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    assert "ok: 1 traits, 4 exercises, every minimum met" in result.stdout


def test_the_example_trait_shows_every_field_and_every_exercise_kind(new_project: Path) -> None:
    trait = yaml.safe_load((new_project / "catalogue" / "traits" / "curious.yml").read_text(encoding="utf-8"))
    text = (new_project / "catalogue" / "traits" / "curious.yml").read_text(encoding="utf-8")
    for field in Trait.model_fields:
        # Every field is filled in, except `related` (one trait has nothing to relate to): shown commented.
        assert field in trait or f"# {field}:" in text, field
        assert f"{field}:" in scaffold_text("x", "c"), field  # `new` writes the same fields
    assert {ex["kind"] for ex in trait["exercises"]} == {"single", "multiple", "reflection", "task"}


def test_the_new_project_builds_strictly_and_every_page_works_under_a_sub_path(
    browser: Browser, subpath_site: Server
) -> None:
    session = open_session(browser)
    result = crawl(session, subpath_site)
    errors, external = list(session.errors), list(session.guard.external)
    session.context.close()
    # home, how to use, about, overview, category, trait, 4 reference, paths, path, self-assessment, 404
    assert result.pages >= 14
    assert result.broken == []
    assert result.failed_requests == []
    assert errors == [] and external == []


def visible_text(page: Path) -> str:
    return page_text(page.read_text(encoding="utf-8")).words()


def test_no_page_of_the_new_site_is_about_this_courses_subject(subpath_site: Server) -> None:
    site = subpath_site.root / PREFIX.strip("/")
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 14
    found = {
        page.relative_to(site).as_posix(): sorted({m.group(0) for m in SUBJECT.finditer(visible_text(page))})
        for page in pages
    }
    assert {page: words for page, words in found.items() if words} == {}


def test_the_home_page_takes_the_title_and_description_from_the_catalogue(
    new_project: Path, subpath_site: Server
) -> None:
    site = yaml.safe_load((new_project / "catalogue" / "catalogue.yml").read_text(encoding="utf-8"))
    home = visible_text(subpath_site.root / PREFIX.strip("/") / "index.html")
    assert site["title"] in home and " ".join(site["description"].split()) in home
    for name in ("index.md", "how-to-use.md", "about.md"):
        written = (new_project / "docs" / name).read_text(encoding="utf-8")
        assert site["title"] not in written and site["description"][:30] not in written, name
    assert '--8<-- "_generated/course.md"' in (new_project / "docs" / "index.md").read_text(encoding="utf-8")


def test_this_repositorys_home_page_takes_them_from_the_catalogue_too() -> None:
    site = yaml.safe_load((ROOT / "catalogue" / "catalogue.yml").read_text(encoding="utf-8"))
    home = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    assert '--8<-- "_generated/course.md"' in home
    assert site["title"] not in home


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    target = tmp_path / "course"
    target.mkdir()
    (target / "notes.txt").write_text("mine\n", encoding="utf-8")
    before = tree_digest(target)
    code, _, err = init(target)
    assert code == 1 and "is not empty; nothing was written" in err and "--force" in err
    assert tree_digest(target) == before
    (tmp_path / "file").write_text("x", encoding="utf-8")
    code, _, err = init(tmp_path / "file")
    assert code == 1 and "is a file, not a folder" in err


def test_init_force_writes_only_the_missing_files_and_never_replaces_one(tmp_path: Path) -> None:
    target = tmp_path / "course"
    (target / "docs").mkdir(parents=True)
    mine = {"README.md": "my readme\n", "docs/index.md": "my home\n", "mkdocs.yml": "site_name: mine\n"}
    for rel, text in mine.items():
        (target / rel).write_text(text, encoding="utf-8")
    (target / "overrides").write_text("a file where a folder goes\n", encoding="utf-8")
    code, out, err = init(target, "--force")
    assert code == 0, err
    for rel, text in mine.items():
        assert (target / rel).read_text(encoding="utf-8") == text
        assert f"skipped {rel}: it exists already" in out
    assert (target / "overrides").read_text(encoding="utf-8") == "a file where a folder goes\n"
    theme = [rel for rel in project_files() if rel.startswith("overrides/")]
    assert theme and all(f"skipped {rel}" in out for rel in theme)
    written = [rel for rel in project_files() if rel not in mine and rel not in theme]
    for rel in written:
        assert (target / rel).read_bytes() == project_files()[rel], rel
    assert f"created {len(written)} file(s)" in out
    # A second run finds every file and writes nothing.
    before = tree_digest(target)
    code, out, _ = init(target, "--force")
    assert code == 0 and "created 0 file(s)" in out and tree_digest(target) == before


def test_init_writes_every_file_of_the_project_with_dot_names_restored(tmp_path: Path) -> None:
    files = project_files()
    assert {
        ".gitignore",
        ".github/workflows/pages.yml",
        ".github/workflows/check.yml",
        "requirements.txt",
        "Makefile",
        "README.md",
    } <= set(files)
    assert not any(part.startswith("dot-") for rel in files for part in rel.split("/"))
    assert files["requirements.txt"].decode().splitlines()[-1].startswith("traitbook")
    assert init(tmp_path / "a" / "b")[0] == 0  # missing parent folders are created
    assert tree_digest(tmp_path / "a" / "b").keys() == files.keys()
    authoring = (ROOT / "AUTHORING.md").read_text(encoding="utf-8")
    assert f"created {len(files)} file(s) in my-course" in authoring, "AUTHORING's example output is out of date"


def test_the_gitignore_covers_every_generated_folder() -> None:
    ignored = project_files()[".gitignore"].decode().splitlines()
    for folder in (*OWNED_DIRS, "downloads"):
        assert f"/docs/{folder}/" in ignored, folder
    for other in ("/site/", "/.venv/", "/.cache/"):
        assert other in ignored


def test_the_package_ships_this_repositorys_theme_and_workflow() -> None:
    """The copies the package writes into a new project are the files this site uses; after a
    change to overrides/, `make assets` copies it. The workflow is this repository's
    (refresh it after a change to .github/workflows/pages.yml)."""
    files = project_files()
    ours = {p.relative_to(ROOT).as_posix(): p.read_bytes() for p in (ROOT / "overrides").rglob("*") if p.is_file()}
    assert {rel: data for rel, data in files.items() if rel.startswith("overrides/")} == ours
    # The Pages workflow is this repository's, job for job and action for action; only how
    # Traitbook is installed and run differs (here `make site` from the source, there the
    # `traitbook` command that requirements.txt installs).
    ours_pages = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    theirs = yaml.safe_load(files[".github/workflows/pages.yml"])

    def shape(workflow: dict[str, object]) -> object:
        jobs = workflow["jobs"]
        assert isinstance(jobs, dict)
        return {
            name: (
                job.get("needs"),
                job.get("permissions"),
                [s.get("uses") for s in job.get("steps", []) if "uses" in s],
            )
            for name, job in jobs.items()
        }

    assert shape(theirs) == shape(ours_pages)
    assert theirs["permissions"] == ours_pages["permissions"] and theirs[True] == ours_pages[True]  # True: the on: key


def test_the_new_projects_workflows_check_every_change_and_gate_the_deployment(tmp_path: Path) -> None:
    from tests.test_workflows import lint, triggers

    files = project_files()
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    for name in ("check.yml", "pages.yml"):
        (workflows / name).write_bytes(files[f".github/workflows/{name}"])
    result = lint(tmp_path, ".github/workflows/check.yml", ".github/workflows/pages.yml")
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr
    check = yaml.safe_load(files[".github/workflows/check.yml"])
    assert {"pull_request", "push", "workflow_call"} <= set(triggers(check))
    assert check["permissions"] == {"contents": "read"}
    runs = [step.get("run") for step in check["jobs"]["check"]["steps"]]
    install = runs.index("python -m pip install -r requirements.txt")
    assert install < runs.index("traitbook check") < runs.index("traitbook build")  # the README's commands
    for workflow in (check, yaml.safe_load(files[".github/workflows/pages.yml"])):
        assert workflow["env"] == {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    uploads = [
        s["with"]["name"]
        for s in check["jobs"]["check"]["steps"]
        if s.get("uses", "").startswith("actions/upload-artifact")
    ]
    assert uploads == ["site-preview", "handbook-pdfs"]
    pages = yaml.safe_load(files[".github/workflows/pages.yml"])
    assert (
        pages["jobs"]["check"]["uses"] == "./.github/workflows/check.yml" and pages["jobs"]["build"]["needs"] == "check"
    )


class _Loader(yaml.SafeLoader):
    """mkdocs.yml with its ``!ENV [NAME, default]`` tags read as the list."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> list[object]:
    assert isinstance(node, yaml.SequenceNode)
    return loader.construct_sequence(node)


_Loader.add_constructor("!ENV", _env)


def test_the_new_mkdocs_yml_is_this_repositorys_settings() -> None:
    """Only the comments differ: the same theme, plugins, English search separator, nav,
    Markdown extensions and validation."""
    new = yaml.load(project_files()["mkdocs.yml"], Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    ours = yaml.load((ROOT / "mkdocs.yml").read_bytes(), Loader=_Loader)  # noqa: S506
    assert new == ours


def test_new_names_the_other_categories_in_a_comment(project: Path, new_project: Path, tmp_path: Path) -> None:
    assert run_cli("--root", str(project), "new", "curious").code == 0
    text = (project / "catalogue" / "traits" / "curious.yml").read_text(encoding="utf-8")
    assert re.search(r"^category: alpha +# or: beta$", text, re.MULTILINE), text
    assert run_cli("--root", str(project), "new", "other", "--category", "beta").code == 0
    text = (project / "catalogue" / "traits" / "other.yml").read_text(encoding="utf-8")
    assert re.search(r"^category: beta +# or: alpha$", text, re.MULTILINE), text
    # The new project has one category.
    root = tmp_path / "course"
    shutil.copytree(new_project / "catalogue", root / "catalogue")
    assert run_cli("--root", str(root), "new", "patient").code == 0
    text = (root / "catalogue" / "traits" / "patient.yml").read_text(encoding="utf-8")
    assert re.search(r"^category: growth +# the only category in catalogue.yml$", text, re.MULTILINE), text
