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

import gc
import itertools
import logging
import threading
import time
import traceback
import types
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot

from eolcare.domain import jobs

log = logging.getLogger(__name__)

R = TypeVar("R")

#: What a Runner runs: a job, or a callable returning a value or a job.
Task = Callable[[], Any] | jobs.Job[Any]

_readers: QThreadPool | None = None
_writer: ThreadPoolExecutor | None = None
_writes: set[Future[None]] = set()
#: Runners still working, by token: Python must not collect them before they report,
#: and only the GUI thread ever lets go of them (see :class:`_Dispatcher`).
_alive: dict[int, Runner] = {}
#: What each ended task left for the GUI thread: (how, payload), by token.
_outcomes: dict[int, tuple[str, object]] = {}
_outcomes_lock = threading.Lock()
_tokens = itertools.count(1)
_dispatcher: _Dispatcher | None = None
_COLLECT_EVERY_MS = 100
#: Runners on the writer started and not yet ended (read on the GUI thread only).
_writing = 0


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


class _Dispatcher(QObject):
    """One per process, made on the GUI thread and never deleted: the only Qt object a
    worker thread touches.

    A worker emits plain tokens (ints); Qt queues them to the GUI thread, where the
    Runner is looked up and told. So a worker never holds a Runner, its signals, the
    task's closure (which may hold a widget) or a result when it lets go of them: the
    last reference to any of them is always dropped on the GUI thread. (A Runner freed
    by a worker thread's last reference was deleted there while the GUI thread was
    delivering its queued signal: a rare segfault in Qt's event processing.)
    """

    stepped = Signal(int, int, int, str)
    ended = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.stepped.connect(self._on_step, Qt.ConnectionType.QueuedConnection)
        self.ended.connect(self._on_end, Qt.ConnectionType.QueuedConnection)
        # Python's cycle collector runs on whichever thread happens to allocate: on a
        # reader thread it deleted widgets (garbage cycles of a closed caseload) there,
        # while the GUI thread used Qt - the CI segfault, reproduced by
        # tests/gui/test_caseload.py then test_craft.py. Once threads run tasks, cycles
        # are collected here, on the GUI thread, by the same thresholds.
        gc.disable()
        self._collector = QTimer(self)
        self._collector.setInterval(_COLLECT_EVERY_MS)
        self._collector.timeout.connect(collect_garbage)
        self._collector.start()

    @Slot(int, int, int, str)
    def _on_step(self, token: int, done: int, total: int, what: str) -> None:
        runner = _alive.get(token)
        if runner is not None and shiboken6.isValid(runner):
            runner._on_step(done, total, what)

    @Slot(int)
    def _on_end(self, token: int) -> None:
        with _outcomes_lock:
            how, payload = _outcomes.pop(token, ("cancelled", None))
        runner = _alive.pop(token, None)
        if runner is not None and shiboken6.isValid(runner):  # its parent may be gone
            runner._on_end(how, payload)


#: A full collection waits while the writer works (a large sync keeps hundreds of
#: thousands of objects alive: one took 20-50 ms on the GUI thread, the window's longest
#: stalls), but never longer than this.
_FULL_COLLECTION_AT_LEAST_EVERY_S = 60.0
_last_full = time.monotonic()


def collect_garbage() -> None:
    """Collect cycles on the GUI thread as Python's thresholds would have (the youngest
    generation often, the oldest seldom; the oldest not while the writer works)."""
    global _last_full  # noqa: PLW0603 - the GUI thread's own clock
    thresholds, counts = gc.get_threshold(), gc.get_count()
    for generation in (2, 1, 0):
        if counts[generation] > thresholds[generation]:
            now = time.monotonic()
            wait = generation == 2 and _writing > 0 and \
                now - _last_full < _FULL_COLLECTION_AT_LEAST_EVERY_S
            chosen = 1 if wait else generation
            gc.collect(chosen)
            if chosen == 2:
                _last_full = now
            return


def freeze_long_lived() -> None:
    """Move every object alive now out of the collector's way (``gc.freeze``): called when
    the workspace is open and at each unlock; its objects (the store's engine, the widgets,
    the search's kept lists: ~35,000 at 20,000 people) live as long as the window. Left
    in the young generations, the first collections after unlocking walked them all:
    10-35 ms each on the GUI thread, during the first keystrokes of a search. Cycles
    already garbage then wait for :func:`thaw_long_lived`."""
    gc.freeze()


def thaw_long_lived() -> None:
    """Give the frozen objects back to the collector and collect once (locking, closing):
    what became garbage before a freeze is freed, so a day of locking and unlocking does
    not keep it all. The one full collection (85-107 ms at 20,000 people) falls while
    the lock screen shows."""
    gc.unfreeze()
    gc.collect()


def _the_dispatcher() -> _Dispatcher:
    global _dispatcher  # noqa: PLW0603 - one per process, made on the GUI thread
    if _dispatcher is None:
        _dispatcher = _Dispatcher()
    return _dispatcher


class _Task:
    """What a worker thread holds: the task (taken out before the end is reported),
    the stop flag and a token. No Qt object but the process-long dispatcher."""

    __slots__ = ("dispatcher", "stop", "task", "token", "what")

    def __init__(self, token: int, task: Task, stop: threading.Event, what: str,
                 dispatcher: _Dispatcher) -> None:
        self.token = token
        self.task: Task | None = task
        self.stop = stop
        self.what = what
        self.dispatcher = dispatcher

    def __call__(self) -> None:  # the worker thread
        task, self.task = self.task, None
        try:
            how, payload = _execute(task, self)
        finally:
            del task
        with _outcomes_lock:
            _outcomes[self.token] = (how, payload)
        del how, payload  # the GUI thread takes the last reference
        self.dispatcher.ended.emit(self.token)

    def report(self, step: jobs.Progress) -> None:
        self.dispatcher.stepped.emit(self.token, step.done, step.total, step.what)


def _execute(task: Task | None, work: _Task) -> tuple[str, object]:
    try:
        result = task() if callable(task) else task
        if isinstance(result, types.GeneratorType):
            result = jobs.run(result, work.report, work.stop.is_set)
    except jobs.CancelledError:
        return "cancelled", None
    except Exception as exc:  # every failure goes back to the GUI thread
        log.info("background task %s failed: %s", work.what or "(unnamed)",
                 type(exc).__name__)
        # the frames' locals may hold the task's closure; where it failed stays known
        traceback.clear_frames(exc.__traceback__)
        return "failed", exc
    return "finished", result


class _Work(QRunnable):
    def __init__(self, work: _Task) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work: _Task | None = work

    def run(self) -> None:  # the worker thread
        work, self._work = self._work, None
        if work is not None:
            work()


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
                 priority: int = 0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._task: Task | None = task
        self.writes = writes
        self.priority = priority  # readers: a higher one leaves the queue first
        self.what = what  # for the log only: never personal data
        self._stop = threading.Event()
        self.running = False

    # -- GUI thread ----------------------------------------------------------------

    def start(self) -> Runner:
        """Queue the task; returns self so ``Runner(...).start()`` reads well."""
        if self.running or self._task is None:
            raise RuntimeError("this Runner is already running")
        global _writing  # noqa: PLW0603 - GUI thread only
        self.running = True
        if self.writes:
            _writing += 1
        token = next(_tokens)
        _alive[token] = self
        work = _Task(token, self._task, self._stop, self.what, _the_dispatcher())
        if self.writes:
            future = writer().submit(work)
            _writes.add(future)
            future.add_done_callback(_writes.discard)
        else:
            reader_pool().start(_Work(work), self.priority)
        return self

    def cancel(self) -> None:
        """Stop at the next step (a job) or drop the result (a callable)."""
        self._stop.set()

    @property
    def cancelling(self) -> bool:
        return self._stop.is_set()

    def _on_step(self, done: int, total: int, what: str) -> None:
        if not self._stop.is_set():
            self.progress.emit(done, total, what)

    def _on_end(self, how: str, payload: object) -> None:
        global _writing  # noqa: PLW0603 - GUI thread only
        self.running = False
        if self.writes:
            _writing -= 1
        self._task = None  # let go of the closure here, on the GUI thread
        if how == "finished" and self._stop.is_set():
            how = "cancelled"  # asked to stop while the last step ran: drop it
        if how == "finished":
            self.finished.emit(payload)
        elif how == "failed":
            self.failed.emit(payload)
        else:
            self.cancelled.emit()
        self.ended.emit()


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
