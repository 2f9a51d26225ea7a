"""Work off the GUI thread: a plain callable or a long job, with progress and cancel.

The window never waits on the database, the keyring, a key derivation or the
network. Anki's ``CollectionOp``/``QueryOp`` and napari's generator workers
are the models:

- a task is a plain callable (``lambda: caseload.count_people(...)``) or a
  Qt-free job from :mod:`eolcare.domain.jobs` (a generator yielding
  :class:`~eolcare.domain.jobs.Progress` and returning its result), or a
  callable that returns such a job;
- reads run on a small ``QThreadPool``; anything that writes the database runs
  on ONE writer thread (``writes=True``), so units of work never queue inside
  SQLite. The writer is a long-lived Python thread (a one-worker
  ``ThreadPoolExecutor``, as Anki's task manager uses), not a ``QThreadPool``
  thread: PySide6 drops a pool thread's Python thread state after each task,
  and with it ``threading.local`` data such as the profile lock's owner, so a
  store opened in one task could not be closed in the next;
- results, progress and errors come back as signals delivered on the GUI
  thread; a task never touches a widget;
- :meth:`Runner.cancel` stops a job between two steps (the job is closed, so
  its open ``store.writing()`` rolls back) and drops a plain callable's
  result; either way ``cancelled`` is emitted instead of ``finished``.

Example::

    runner = Runner(lambda: demo.generate(store, 2000), writes=True)
    runner.progress.connect(dialog.set_progress)
    runner.finished.connect(self.show_caseload)
    runner.failed.connect(lambda exc: show_error(self, exc))
    runner.start()
"""

from __future__ import annotations

import logging
import threading
import types
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from eolcare.domain import jobs

log = logging.getLogger(__name__)

R = TypeVar("R")

#: What a Runner runs: a job, or a callable returning a value or a job.
Task = Callable[[], Any] | jobs.Job[Any]

_readers: QThreadPool | None = None
_writer: ThreadPoolExecutor | None = None
_writes: set[Future[None]] = set()
#: Runners still working: Python must not collect them before they report.
_alive: set[Runner] = set()


def reader_pool() -> QThreadPool:
    """The reader pool: two threads, kept a minute (a keystroke should not start one)."""
    global _readers  # noqa: PLW0603 - one pool per process, made on first use
    if _readers is None:
        _readers = QThreadPool()
        _readers.setObjectName("eolcare-readers")
        _readers.setMaxThreadCount(2)
        _readers.setExpiryTimeout(60_000)
    return _readers


def writer() -> ThreadPoolExecutor:
    """The one writer thread; it lives for the whole run, so a store opened there can be
    closed there (its lock file belongs to the thread that took it)."""
    global _writer  # noqa: PLW0603 - one writer per process, made on first use
    if _writer is None:
        _writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="eolcare-writer")
    return _writer


def on_writer(function: Callable[[], R], timeout: float | None = 30.0) -> R:
    """Run ``function`` on the writer thread and wait for it (closing a store at exit)."""
    return writer().submit(function).result(timeout)


def wait_for_all(msecs: int = 30_000) -> bool:
    """Block until every task has ended (quitting, and tests); True when all did."""
    readers_done = _readers is None or _readers.waitForDone(msecs)
    _done, pending = futures_wait(list(_writes), timeout=msecs / 1000)
    return readers_done and not pending


class _Bridge(QObject):
    """Lives on the GUI thread; the worker emits these, Qt queues them across."""

    stepped = Signal(int, int, str)
    ended = Signal(str, object)  # "finished" | "failed" | "cancelled", payload


class _Work(QRunnable):
    def __init__(self, runner: Runner) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._runner = runner

    def run(self) -> None:  # the worker thread
        self._runner._work()


class Runner(QObject):
    """One task run off the GUI thread. Signals arrive on the GUI thread.

    ``progress(done, total, what)`` after each step of a job (total 0: unknown);
    ``finished(result)``; ``failed(exception)``; ``cancelled()``; and ``ended()``
    after any of the three (to stop a busy indicator in one place).
    """

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    ended = Signal()

    def __init__(self, task: Task, *, writes: bool = False, what: str = "",
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._task = task
        self.writes = writes
        self.what = what  # for the log only: never personal data
        self._stop = threading.Event()
        self.running = False
        self._bridge = _Bridge()
        self._bridge.stepped.connect(self._on_step)
        self._bridge.ended.connect(self._on_end)

    # -- GUI thread ----------------------------------------------------------------

    def start(self) -> Runner:
        """Queue the task; returns self so ``Runner(...).start()`` reads well."""
        if self.running:
            raise RuntimeError("this Runner is already running")
        self.running = True
        _alive.add(self)
        if self.writes:
            future = writer().submit(self._work)
            _writes.add(future)
            future.add_done_callback(_writes.discard)
        else:
            reader_pool().start(_Work(self))
        return self

    def cancel(self) -> None:
        """Stop at the next step (a job) or drop the result (a callable)."""
        self._stop.set()

    @property
    def cancelling(self) -> bool:
        return self._stop.is_set()

    @Slot(int, int, str)
    def _on_step(self, done: int, total: int, what: str) -> None:
        if not self._stop.is_set():
            self.progress.emit(done, total, what)

    @Slot(str, object)
    def _on_end(self, how: str, payload: object) -> None:
        self.running = False
        _alive.discard(self)
        if how == "finished" and self._stop.is_set():
            how = "cancelled"  # asked to stop while the last step ran: drop it
        if how == "finished":
            self.finished.emit(payload)
        elif how == "failed":
            self.failed.emit(payload)
        else:
            self.cancelled.emit()
        self.ended.emit()

    # -- worker thread -------------------------------------------------------------

    def _work(self) -> None:
        try:
            result = self._task() if callable(self._task) else self._task
            if isinstance(result, types.GeneratorType):
                result = jobs.run(result, self._report, self._stop.is_set)
        except jobs.CancelledError:
            self._bridge.ended.emit("cancelled", None)
        except Exception as exc:  # every failure goes back to the GUI thread
            log.info("background task %s failed: %s", self.what or "(unnamed)",
                     type(exc).__name__)
            self._bridge.ended.emit("failed", exc)
        else:
            self._bridge.ended.emit("finished", result)

    def _report(self, step: jobs.Progress) -> None:
        self._bridge.stepped.emit(step.done, step.total, step.what)


def run(task: Task, *, writes: bool = False, what: str = "",
        finished: Callable[[Any], object] | None = None,
        failed: Callable[[BaseException], object] | None = None,
        progress: Callable[[int, int, str], object] | None = None,
        parent: QObject | None = None) -> Runner:
    """Start ``task`` with callbacks, the way Anki's ``QueryOp(...).run_in_background()``
    reads. Without ``failed``, errors are logged only: pass ``errors.show_error``
    (bound to a parent widget) to show them."""
    runner = Runner(task, writes=writes, what=what, parent=parent)
    if finished is not None:
        runner.finished.connect(finished)
    if failed is not None:
        runner.failed.connect(failed)
    if progress is not None:
        runner.progress.connect(progress)
    return runner.start()
