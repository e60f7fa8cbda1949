"""Never lose work: killed builds, unwritable and full output folders, determinism."""

from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import MINI, ROOT, run_cli, tree_digest
from tests.synth import write_catalogue
from traitbook._internal.handbook.printhtml import HandbookOptions, handbook_html
from traitbook._internal.infra.layout import OWNED_DIRS, Project
from traitbook._internal.infra.write import MANIFEST, as_bytes
from traitbook._internal.pipeline import generate

KILLS = 20


def generated_files(docs: Path) -> dict[str, bytes]:
    return {
        p.relative_to(docs).as_posix(): p.read_bytes()
        for d in OWNED_DIRS
        for p in sorted((docs / d).rglob("*"))
        if p.is_file()
    }


#: Runs the generator's ``build`` with a gate on every change it makes under docs/ (replace,
#: unlink, rmdir): before the ``stop_at``-th change (counted across the forked writers) it
#: says so on the report pipe and waits to be killed. With ``stop_at`` 0 it only counts, and
#: reports the total when the build is done.
GATED_BUILD = """
import multiprocessing, os, sys, threading
root, stop_at, report_fd = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
docs = os.path.realpath(os.path.join(root, "docs")) + os.sep
report = os.fdopen(report_fd, "w", buffering=1)
changes = multiprocessing.Value("i", 0)  # shared memory: the writers forked later share it

def gated(name, real):
    def call(path, *args, **kwargs):
        if os.path.realpath(path).startswith(docs):
            with changes.get_lock():
                changes.value += 1
                number = changes.value
            if number == stop_at:
                report.write(f"paused before change {number} ({name})\\n")
                threading.Event().wait()
        return real(path, *args, **kwargs)
    return call

for name in ("replace", "unlink", "rmdir"):
    setattr(os, name, gated(name, getattr(os, name)))
from traitbook._internal.adapters.cli import main
code = main(["--root", root, "generate", "--no-handbook"])
report.write(f"done after {changes.value} changes\\n")
sys.exit(code)
"""


def gated_build(root: Path, stop_at: int) -> tuple[subprocess.Popen[bytes], str]:
    """Start a build of ``root``; return it with its first report line, read when it is
    paused before change ``stop_at`` (or, when it never gets there, when it has finished)."""
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        [sys.executable, "-c", GATED_BUILD, str(root), str(stop_at), str(write_end)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=[write_end],
        start_new_session=True,  # its own process group: the writers it forks are killed with it
    )  # fmt: skip
    os.close(write_end)
    with os.fdopen(read_end) as report:
        return process, report.readline()  # blocks until the condition, not for a set time


def test_sigkill_at_random_moments_never_leaves_a_broken_page(tmp_path: Path) -> None:
    # Two versions of a catalogue with different text and a different number of traits, so a
    # build both rewrites and prunes pages. The generator is killed while switching between them,
    # each time before a change to docs/ chosen at random among the changes that build makes.
    versions = [write_catalogue(tmp_path / f"v{i}", n, seed=i) for i, n in enumerate((120, 100))]
    expected = []
    for catalogue in versions:
        _, _, pages = generate(Project.at(tmp_path, catalogue=catalogue, docs=tmp_path / "unused"))
        expected.append({path: as_bytes(content) for path, content in pages.items()})
    root = tmp_path / "proj"
    docs = root / "docs"
    docs.mkdir(parents=True)
    hand_written = {"index.md": b"# Mine\n", "traits/notes.md": b"hand-written, inside an owned folder\n"}
    for rel, data in hand_written.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_bytes(data)

    def use(version: int) -> None:
        shutil.rmtree(root / "catalogue", ignore_errors=True)
        shutil.copytree(versions[version], root / "catalogue")

    def complete_build() -> int:
        """Run a build to its end; the number of changes it made under docs/."""
        process, said = gated_build(root, 0)
        assert process.wait(timeout=300) == 0 and said.startswith("done after "), said
        return int(said.split()[2])

    use(0)
    assert complete_build() > 0
    rng = random.Random(20261128)  # noqa: S311 - reproducible kill points, not cryptography
    interrupted: list[str] = []
    for attempt in range(KILLS):
        use((attempt + 1) % 2)
        # How many changes this build makes from this state: count them on a copy (the build
        # is deterministic), then kill the real one before a change chosen among them.
        rehearsal = tmp_path / "rehearsal"
        shutil.rmtree(rehearsal, ignore_errors=True)
        shutil.copytree(root, rehearsal, symlinks=True)
        process, said = gated_build(rehearsal, 0)
        assert process.wait(timeout=300) == 0 and said.startswith("done after "), said
        changes = int(said.split()[2])
        assert changes > 0, f"kill {attempt}: the build has nothing to write"
        process, said = gated_build(root, rng.randint(1, changes))
        try:
            if said.startswith("paused before change "):
                interrupted.append(said.strip())
        finally:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=60)
        for rel, data in generated_files(docs).items():
            if rel == MANIFEST or Path(rel).name.startswith(".traitbook-") or rel in hand_written:
                continue  # the manifest is replaced atomically too; temp files are cleaned next run
            assert data in (expected[0].get(rel), expected[1].get(rel)), f"kill {attempt}: {rel} is incomplete"
        for rel, data in hand_written.items():
            assert (docs / rel).read_bytes() == data, f"kill {attempt}: {rel} was touched"
    # Every kill landed inside the write window: the build had made some of its changes and
    # not all (a kill after the end, or before the start, would test nothing).
    assert len(interrupted) == KILLS, interrupted
    # The next complete run repairs everything: exactly the last version's pages, nothing stale.
    last = KILLS % 2
    use(last)
    complete_build()
    files = generated_files(docs)
    files.pop(MANIFEST)
    files.pop("traits/notes.md")
    assert files == expected[last]


def _limit_file_size() -> None:
    # A "full disk": any write past 4 KiB fails with EFBIG instead of killing the process.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def _build_in_child(root: Path, preexec: Callable[[], None] | None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "generate", "--no-handbook"],
        cwd=ROOT, capture_output=True, text=True, preexec_fn=preexec, check=False, timeout=120,
    )  # fmt: skip


def _changed_catalogue(root: Path) -> None:
    path = root / "catalogue" / "traits" / "one.yml"
    path.write_text(path.read_text().replace("Does one thing.", "Does one thing well. " * 400), encoding="utf-8")


def test_full_output_folder_is_a_clean_error_and_keeps_the_old_pages(project: Path) -> None:
    assert run_cli("--root", str(project), "generate", "--no-handbook").code == 0
    before = tree_digest(project / "docs")
    _changed_catalogue(project)
    result = _build_in_child(project, _limit_file_size)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("error: cannot write") and "File too large" in result.stderr
    assert "Traceback" not in result.stderr
    after = {k: v for k, v in tree_digest(project / "docs").items() if ".traitbook-" not in k}
    assert after == before


def test_read_only_output_folder_is_a_clean_error_and_keeps_the_old_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "proj"
    shutil.copytree(MINI, root / "catalogue")
    (root / "docs").mkdir()
    assert run_cli("--root", str(root), "generate", "--no-handbook").code == 0
    before = tree_digest(root / "docs")
    _changed_catalogue(root)
    if os.geteuid() == 0:
        # Root ignores file modes: make creating a file in docs/ fail the way it does for a user.
        import traitbook._internal.infra.write as write_module

        def refuse(*args: object, dir: object = None, **kwargs: object) -> tuple[int, str]:
            raise PermissionError(13, "Permission denied", str(dir))

        monkeypatch.setattr(write_module.tempfile, "mkstemp", refuse)  # type: ignore[attr-defined]
        result = run_cli("--root", str(root), "generate", "--no-handbook")
        code, err = result.code, result.err
    else:
        folders = [root / "docs", *(p for p in (root / "docs").rglob("*") if p.is_dir())]
        for folder in folders:
            folder.chmod(0o555)
        try:
            child = _build_in_child(root, None)
        finally:
            for folder in folders:
                folder.chmod(0o755)
        code, err = child.returncode, child.stderr
    assert code == 1, err
    assert err.startswith("error: cannot write") and "Permission denied" in err
    assert "Traceback" not in err
    assert tree_digest(root / "docs") == before


def test_handbook_html_is_identical_whatever_the_hash_seed_and_file_order(tmp_path: Path) -> None:
    script = (
        "import sys; from pathlib import Path; from traitbook import Project, load_and_validate;"
        "from traitbook._internal.plan import plan;"
        "from traitbook._internal.handbook.printhtml import HandbookOptions, handbook_html;"
        "p = plan(load_and_validate(Project.at(Path(sys.argv[1]).parent, catalogue=Path(sys.argv[1]))).catalogue);"
        "sys.stdout.write(handbook_html(p, HandbookOptions(), environ={}))"
    )
    outputs = []
    for seed, order in (("1", sorted), ("999", lambda files: list(reversed(sorted(files))))):
        target = tmp_path / f"cat-{seed}"
        for path in order(list(MINI.rglob("*.yml"))):  # creation order differs between the copies
            (target / path.relative_to(MINI)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target / path.relative_to(MINI))
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", script, str(target)], cwd=ROOT, capture_output=True, text=True, env=env, check=True
        )
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] and len(outputs[0]) > 1000
    project = Project.at(tmp_path, catalogue=MINI)
    _, page_plan, _ = generate(project)
    assert handbook_html(page_plan, HandbookOptions(), environ={}) == outputs[0]
