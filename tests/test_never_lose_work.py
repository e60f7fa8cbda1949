"""Never lose work: killed builds, unwritable and full output folders, determinism."""

from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.synth import write_catalogue
from generator.build import Project, generate
from generator.handbook import HandbookOptions, handbook_html
from generator.pages import OWNED_DIRS
from generator.write import MANIFEST, as_bytes
from tests.conftest import MINI, ROOT, run_cli, tree_digest

KILLS = 20


def generated_files(docs: Path) -> dict[str, bytes]:
    return {
        p.relative_to(docs).as_posix(): p.read_bytes()
        for d in OWNED_DIRS
        for p in sorted((docs / d).rglob("*"))
        if p.is_file()
    }


def test_sigkill_at_random_moments_never_leaves_a_broken_page(tmp_path: Path) -> None:
    # Two versions of a catalogue with different text and a different number of traits, so a
    # build both rewrites and prunes pages. The generator is killed while switching between them.
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

    def start(version: int) -> subprocess.Popen[bytes]:
        shutil.rmtree(root / "catalogue", ignore_errors=True)
        shutil.copytree(versions[version], root / "catalogue")
        return subprocess.Popen(
            [sys.executable, "-m", "generator", "--root", str(root), "build"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    began = time.perf_counter()
    assert start(0).wait(timeout=120) == 0
    full_build = time.perf_counter() - began
    rng = random.Random(20261128)  # noqa: S311 - reproducible kill times, not cryptography
    for attempt in range(KILLS):
        version = (attempt + 1) % 2
        process = start(version)
        time.sleep(rng.uniform(0.05, full_build))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        for rel, data in generated_files(docs).items():
            if rel == MANIFEST or Path(rel).name.startswith(".traitbook-") or rel in hand_written:
                continue  # the manifest is replaced atomically too; temp files are cleaned next run
            assert data in (expected[0].get(rel), expected[1].get(rel)), f"kill {attempt}: {rel} is incomplete"
        for rel, data in hand_written.items():
            assert (docs / rel).read_bytes() == data, f"kill {attempt}: {rel} was touched"
    # The next complete run repairs everything: exactly the last version's pages, nothing stale.
    last = KILLS % 2
    assert start(last).wait(timeout=120) == 0
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
        [sys.executable, "-m", "generator", "--root", str(root), "build"],
        cwd=ROOT, capture_output=True, text=True, preexec_fn=preexec, check=False, timeout=120,
    )  # fmt: skip


def _changed_catalogue(root: Path) -> None:
    path = root / "catalogue" / "traits" / "one.yml"
    path.write_text(path.read_text().replace("Does one thing.", "Does one thing well. " * 400), encoding="utf-8")


def test_full_output_folder_is_a_clean_error_and_keeps_the_old_pages(project: Path) -> None:
    assert run_cli("--root", str(project), "build").code == 0
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
    assert run_cli("--root", str(root), "build").code == 0
    before = tree_digest(root / "docs")
    _changed_catalogue(root)
    if os.geteuid() == 0:
        # Root ignores file modes: make creating a file in docs/ fail the way it does for a user.
        import generator.write as write_module

        def refuse(*args: object, dir: object = None, **kwargs: object) -> tuple[int, str]:
            raise PermissionError(13, "Permission denied", str(dir))

        monkeypatch.setattr(write_module.tempfile, "mkstemp", refuse)  # type: ignore[attr-defined]
        result = run_cli("--root", str(root), "build")
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
        "import sys; from pathlib import Path; from generator.build import Project, check;"
        "from generator.pages import plan; from generator.handbook import HandbookOptions, handbook_html;"
        "p = plan(check(Project.at(Path(sys.argv[1]).parent, catalogue=Path(sys.argv[1]))).catalogue);"
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
