"""Typesetting processes: where the handbook and the worksheet are laid out and drawn.

A worker holds its laid-out document between two messages (HTML, then the page numbers), so it is
a process of its own with a pipe, not a task in a pool. On Linux, workers are forked by a fork
server: a clean process that imports WeasyPrint once (about a second) and forks each worker
from itself, ready at once. The fork server is single-threaded, so this is safe even when the
caller is a threaded server (the MkDocs hook in ``mkdocs serve``), where forking the caller
itself would not be. Elsewhere (macOS, where forking is unsafe with its system libraries),
workers are spawned and import WeasyPrint themselves.

Creating a worker never waits: the process starts in a thread, and the first message waits
for it instead. ``python -m generator handbook`` starts the fork server before anything else
(``start_fork_server``), so its import overlaps with loading the command line and catalogue.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any, Protocol

from ..infra.parallel import spawn_only
from . import typeset
from .typeset import HandbookError, Numbers, Public, Session, serve

#: What the fork server imports before it forks the first worker. Names, as multiprocessing
#: wants them; tests/test_module_names.py imports each.
PRELOAD = [typeset.__name__, "weasyprint"]


class Typesetter(Protocol):
    """Where a PDF is laid out and drawn: send HTML, receive a Measure; send Numbers, receive the
    PDF. Or send Public (a whole document for the public API), receive a Typeset."""

    def send(self, message: str | Numbers | Public) -> None: ...

    def receive(self) -> object: ...


class InProcess:
    """The typesetting protocol in this process (one core: the PDFs are laid out in turn)."""

    def __init__(self) -> None:
        self._session = Session()
        self._reply: object = None

    def send(self, message: str | Numbers | Public) -> None:
        self._reply = self._session.handle(message)

    def receive(self) -> object:
        return self._reply


class Worker:
    """A typesetting process, answering over a pipe (see typeset.serve)."""

    def __init__(self, context: Any) -> None:
        self._conn, self._child_end = context.Pipe()
        self._process = context.Process(target=serve, args=(self._child_end,), daemon=True)
        self._failure: BaseException | None = None
        self._starting = threading.Thread(target=self._start, daemon=True)
        self._starting.start()

    def _start(self) -> None:
        # Blocks until the fork server has imported WeasyPrint; hence the thread.
        try:
            self._process.start()
        except BaseException as exc:  # reported by the first message, in the caller's thread
            self._failure = exc
        finally:
            self._child_end.close()

    def _started(self) -> None:
        self._starting.join()
        if self._failure is not None:
            raise HandbookError(f"could not start a typesetting process: {self._failure}")

    @property
    def pid(self) -> int:
        self._started()
        return int(self._process.pid)

    def send(self, message: str | Numbers | Public | None) -> None:
        self._started()
        try:
            self._conn.send(message)
        except (BrokenPipeError, OSError):
            raise HandbookError("a typesetting process stopped unexpectedly") from None

    def receive(self) -> object:
        self._started()
        try:
            reply: object = self._conn.recv()
        except (EOFError, OSError):
            raise HandbookError("a typesetting process stopped unexpectedly") from None
        except Exception as exc:  # a reply that cannot be read back
            raise HandbookError(f"unreadable reply from a typesetting process: {exc}") from None
        if isinstance(reply, BaseException):
            raise reply
        return reply

    def stop(self) -> None:
        """Ask the process to end (it ends once it has answered what it was sent)."""
        with suppress(OSError, HandbookError):  # already gone, or never started
            self.send(None)

    def join(self) -> None:
        """Wait for the process to end (after ``stop``)."""
        self._starting.join()
        if self._process.pid is not None:
            self._process.join(timeout=5)
            if self._process.is_alive():  # pragma: no cover - only if a worker hangs
                self._process.kill()
                self._process.join()
        self._conn.close()

    def kill(self) -> None:
        """End the process now: after a failure, what it is still doing is of no use."""
        self._starting.join()
        self._conn.close()
        if self._process.pid is not None:
            self._process.kill()
            self._process.join()


def worker_context() -> Any:
    """The fork server where it is safe and available (Linux), else spawn."""
    if sys.platform == "linux" and "forkserver" in multiprocessing.get_all_start_methods() and not spawn_only():
        context = multiprocessing.get_context("forkserver")
        # The preload list is read when the (one, per process) fork server starts; setting it
        # again afterwards changes nothing.
        context.set_forkserver_preload(PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


@contextmanager
def typesetters(jobs: int) -> Iterator[list[Worker]]:
    """``jobs`` worker processes, stopped on leaving the block (killed if it raised)."""
    context = worker_context()
    workers: list[Worker] = []
    try:
        workers += [Worker(context) for _ in range(jobs)]
        yield workers
    except BaseException:
        for worker in workers:
            worker.kill()
        raise
    # All are asked first, so they wind down at the same time.
    for worker in workers:
        worker.stop()
    for worker in workers:
        worker.join()


def start_fork_server() -> None:
    """Start the fork server now, if workers come from one: its import of WeasyPrint (about a
    second) then overlaps with whatever the caller does before it asks for workers."""
    context = worker_context()
    if context.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()
