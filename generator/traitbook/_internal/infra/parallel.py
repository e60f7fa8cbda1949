"""Work on every core: how many there are, and a map over forked child processes."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def cores() -> int:
    """The cores this process may run on (a container's limit, not the host's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def resident_memory() -> int | None:
    """This process's resident memory in bytes, where the system tells it (Linux)."""
    try:
        pages = int(Path("/proc/self/statm").read_text(encoding="ascii").split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


#: ``TRAITBOOK_START_METHOD=spawn`` makes Linux behave as macOS and Windows do (no fork, workers
#: spawned): how the tests play those platforms' path on this one.
START_METHOD_VARIABLE = "TRAITBOOK_START_METHOD"


def spawn_only() -> bool:
    """Fork is unavailable or unsafe on this platform (macOS, Windows), or was switched off."""
    return (
        os.environ.get(START_METHOD_VARIABLE) == "spawn"
        or sys.platform == "darwin"
        or "fork" not in multiprocessing.get_all_start_methods()
    )


def can_fork() -> bool:
    """Fork is safe here: one thread, and not macOS (where system libraries may crash a forked
    child: https://docs.python.org/3/library/multiprocessing.html#contexts-and-start-methods)."""
    return threading.active_count() == 1 and not spawn_only()


def fork_jobs(items: int, per_job: int, *, requested: int | None = None, memory_budget: int | None = None) -> int:
    """How many processes to share ``items`` pieces of work: ``requested`` (at most one per
    core), or by default one per core with at least ``per_job`` pieces each (a fork costs
    milliseconds) and within ``memory_budget``. Always 1 where fork is unsafe.

    Fork copies only the calling thread: in a process with other threads (``mkdocs serve``
    runs its server in threads) a lock one of them held would stay locked in the child.
    Memory: a child ends with a private copy of nearly all it shares with the parent
    (measured at 10,000 traits: 331 MiB of the parent's 333; touching reference counts and
    allocating into the parent's half-used memory pools writes to almost every page), so
    ``k`` processes take about ``k`` times this process's memory.
    """
    if not can_fork():
        return 1
    if requested is not None:
        return max(1, min(cores(), requested))
    jobs = max(1, min(cores(), items // per_job))
    resident = resident_memory()
    if memory_budget is not None and resident:
        jobs = max(1, min(jobs, memory_budget // resident))
    return jobs


def shares(items: Sequence[T], cost: Callable[[T], int], jobs: int) -> list[list[T]]:
    """``items`` dealt into ``jobs`` lists of about equal total cost: the costliest first,
    each to the lightest list so far (deterministic: ties keep the items' order)."""
    out: list[list[T]] = [[] for _ in range(max(1, jobs))]
    totals = [0] * len(out)
    for item in sorted(items, key=cost, reverse=True):
        lightest = totals.index(min(totals))
        out[lightest].append(item)
        totals[lightest] += cost(item)
    return out


def fork_map(fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``[fn(item) for item in items]``: the first in this process, each other one in a
    forked child at the same time.

    Fork rather than spawn or a pool: a child starts in about a millisecond and shares the
    parent's memory (the catalogue, the compiled templates) without pickling any of it. Only
    results come back, pickled through a pipe. An exception in a child is raised here.
    """
    if len(items) < 2:
        return [fn(item) for item in items]
    context = multiprocessing.get_context("fork")
    children = []
    parent = os.getpid()
    for item in items[1:]:
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(fn, item, send, parent), daemon=True)
        child.start()
        send.close()
        children.append((child, receive))
    try:
        results = [fn(items[0])]
    finally:
        outcomes = [_outcome(child, receive) for child, receive in children]
    for ok, value in outcomes:
        if not ok:
            raise value
        results.append(value)  # a result of fn, pickled
    return results


#: prctl(2) option: the signal this process gets when its parent ends (Linux).
PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """End this process when ``parent`` ends, however it ends. A worker that outlived a killed
    build would go on writing pages beside the next run, the one repairing them (``daemon``
    only covers a parent that exits normally). Linux, where fork is used."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent ended before the line above took effect
        os._exit(1)


def _child(fn: Callable[[T], R], item: T, send: Connection, parent: int) -> None:
    die_with_parent(parent)
    try:
        outcome: tuple[bool, object] = (True, fn(item))
    except BaseException as exc:
        outcome = (False, exc)
    try:
        send.send(outcome)
    except Exception as exc:
        send.send((False, RuntimeError(f"in a worker process: {outcome[1]!r} ({exc})")))
    send.close()


def _outcome(child: BaseProcess, receive: Connection) -> tuple[bool, Any]:
    try:
        ok, value = receive.recv()
    except EOFError:  # the child died without a word (killed, out of memory)
        # The pipe closes as the child exits, a moment before it can be reaped: until join()
        # returns, exitcode is still None. Reap first, then report what really happened.
        child.join()
        ok, value = False, RuntimeError(f"a worker process {ending(child.exitcode)}")
    child.join()
    receive.close()
    return ok, value


def ending(exitcode: int | None) -> str:
    """How a reaped process ended, in words: "ended with status 3" or "was killed by signal 9
    (SIGKILL)" (multiprocessing gives a signal as a negative exit code)."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = "unknown signal"
        return f"was killed by signal {-exitcode} ({name})"
    return f"ended with status {exitcode}"
