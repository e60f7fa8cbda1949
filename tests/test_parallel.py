"""Pages rendered and written by several processes: the same files, the same report."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import ROOT, tree_digest
from tests.synth import write_catalogue
from traitbook._internal.catalogue.validate import load_catalogue
from traitbook._internal.infra import parallel, write
from traitbook._internal.infra.layout import OWNED_DIRS, Project
from traitbook._internal.infra.parallel import R, T, cores, fork_jobs, fork_map, resident_memory, shares
from traitbook._internal.infra.write import write_pages
from traitbook._internal.pipeline import PAGES_PER_JOB, build
from traitbook._internal.plan import plan
from traitbook._internal.site.render import render


def _pid(_: int) -> int:
    return os.getpid()


def test_fork_map_keeps_order_and_runs_the_rest_in_children() -> None:
    assert fork_map(lambda x: x * x, [1, 2, 3, 4]) == [1, 4, 9, 16]
    pids = fork_map(_pid, [0, 1, 2])
    assert pids[0] == os.getpid()
    assert len(set(pids)) == 3


def _fail_in_child(x: int) -> int:
    if x == 2:
        raise ValueError("page two is broken")
    return x


def test_an_exception_in_a_child_is_raised_in_the_parent() -> None:
    with pytest.raises(ValueError, match="page two is broken"):
        fork_map(_fail_in_child, [1, 2])


def _die(x: int) -> int:
    if x:
        os._exit(3)
    return x


def test_a_child_that_dies_is_an_error_not_a_hang() -> None:
    with pytest.raises(RuntimeError, match=r"^a worker process ended with status 3$"):
        fork_map(_die, [0, 1])


def _close_the_pipe_then_die(x: int) -> int:
    if x:
        # The parent sees the end of the pipe while this process still runs: the window in
        # which a parent that reads the exit code before reaping the child gets None. Held
        # open so that such a parent loses the race every time, not one run in four.
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))
        time.sleep(0.5)
        os._exit(3)
    return x


def test_a_dead_childs_status_is_read_after_it_is_reaped() -> None:
    with pytest.raises(RuntimeError, match=r"^a worker process ended with status 3$"):
        fork_map(_close_the_pipe_then_die, [0, 1])


def _killed(x: int) -> int:
    if x:
        os.kill(os.getpid(), signal.SIGKILL)
    return x


def test_a_killed_child_is_reported_with_its_signal() -> None:
    with pytest.raises(RuntimeError, match=r"^a worker process was killed by signal 9 \(SIGKILL\)$"):
        fork_map(_killed, [0, 1])


#: fork_map in a process of its own: each side reports its pid on a pipe, then waits forever.
WAITING_FORK_MAP = """
import os, sys, threading
from traitbook._internal.infra.parallel import fork_map
report = int(sys.argv[1])
def wait_forever(x):
    os.write(report, f"{x} {os.getpid()}\\n".encode())
    threading.Event().wait()
fork_map(wait_forever, [0, 1])
"""


def test_a_worker_dies_with_its_killed_parent() -> None:
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        [sys.executable, "-c", WAITING_FORK_MAP, str(write_end)],
        cwd=ROOT, pass_fds=[write_end], start_new_session=True,
    )  # fmt: skip
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as report:
            said = [report.readline(), report.readline()]  # both sides are running
            assert sorted(line.split()[0] for line in said) == [b"0", b"1"], said
            process.kill()  # the parent only, as the OOM killer or `kill -9` would
            process.wait(timeout=60)
            # The pipe ends when the last process holding it does: the worker. A generous
            # deadline only turns the old behaviour (a worker that lives on) into a failure.
            ready, _, _ = select.select([report], [], [], 60)
            assert ready and report.read() == b"", "the worker outlived its parent"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def test_how_a_process_ended_in_words() -> None:
    assert parallel.ending(0) == "ended with status 0"
    assert parallel.ending(-15) == "was killed by signal 15 (SIGTERM)"
    assert parallel.ending(-200) == "was killed by signal 200 (unknown signal)"


def test_no_fork_while_other_threads_run() -> None:
    assert fork_jobs(10_000, 1) >= 1
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert fork_jobs(10_000, 1) == 1
    finally:
        stop.set()
        thread.join()
    assert fork_jobs(5, 10) == 1  # too little work to be worth a process


def test_no_fork_on_macos(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    assert fork_jobs(10_000, 1, requested=2) == 1


def test_resident_memory_is_read_from_the_system() -> None:
    resident = resident_memory()
    assert resident is not None and resident > 10 * 1024 * 1024  # this test process, from /proc


def test_jobs_stay_within_the_memory_budget_unless_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    mib = 1024 * 1024
    monkeypatch.setattr(parallel, "resident_memory", lambda: 100 * mib)  # readings move as tests run
    monkeypatch.setattr(parallel, "cores", lambda: 4)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    assert fork_jobs(10_000, 1, memory_budget=199 * mib) == 1  # room for one process only
    assert fork_jobs(10_000, 1, memory_budget=200 * mib) == 2
    assert fork_jobs(10_000, 1, memory_budget=10_000 * mib) == 4  # never more than the cores
    assert fork_jobs(10_000, 1) == 4  # no budget
    assert fork_jobs(10, 1000, requested=2, memory_budget=1) == 2  # asked for: given
    assert fork_jobs(10, 1000, requested=64) == 4


@given(st.lists(st.integers(0, 50), max_size=40), st.integers(1, 4))
def test_shares_deal_every_item_once_and_evenly(costs: list[int], jobs: int) -> None:
    items = list(range(len(costs)))
    dealt = shares(items, costs.__getitem__, jobs)
    assert len(dealt) == jobs
    assert sorted(i for share in dealt for i in share) == items
    totals = [sum(costs[i] for i in share) for share in dealt]
    # Greedy dealing, costliest first: no share exceeds another by more than one item.
    assert max(totals) - min(totals) <= max(costs, default=0)


def test_writing_in_processes_gives_the_same_files_and_report(tmp_path: Path) -> None:
    catalogue = write_catalogue(tmp_path / "catalogue", 60)
    loaded = load_catalogue(catalogue, tmp_path)
    page_plan = plan(loaded.catalogue)
    costs = {p.path: page_plan.cost(p) for p in page_plan.pages}
    one = write_pages(tmp_path / "one", render(page_plan), OWNED_DIRS)
    two = write_pages(tmp_path / "two", render(page_plan), OWNED_DIRS, jobs=2, cost=costs.__getitem__)
    assert one == two and len(one.written) == len(page_plan.pages)
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")
    again = write_pages(tmp_path / "two", render(page_plan), OWNED_DIRS, jobs=2, cost=costs.__getitem__)
    assert again.written == () and again.unchanged == one.written


def test_a_large_build_uses_processes_and_matches_a_single_process_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if cores() < 2:
        pytest.skip("one core: nothing runs in parallel here")
    # Earlier tests of the session may leave idle server threads, which would make the build
    # choose one process; this test is about what several processes write.
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    catalogue = write_catalogue(tmp_path / "catalogue", 2 * PAGES_PER_JOB)
    processes: list[int] = []

    def counting_fork_map(fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        processes.append(len(items))
        return fork_map(fn, items)

    monkeypatch.setattr(write, "fork_map", counting_fork_map)
    build(Project.at(tmp_path, catalogue, tmp_path / "docs"), jobs=2)  # the default depends on memory used
    assert processes == [2]
    loaded = load_catalogue(catalogue, tmp_path)
    write_pages(tmp_path / "single", render(plan(loaded.catalogue)), OWNED_DIRS)
    assert processes == [2, 1]
    assert tree_digest(tmp_path / "docs") == tree_digest(tmp_path / "single")
