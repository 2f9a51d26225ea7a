"""The background runner: results, progress, errors and cancel come back on the GUI
thread; writes never overlap; a cancelled job leaves nothing half-written."""

from __future__ import annotations

import gc
import threading
import time
import weakref
from collections.abc import Generator

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from eolcare.domain.entities import Person
from eolcare.domain.errors import NotFoundError
from eolcare.domain.jobs import Progress
from eolcare.gui import worker
from eolcare.gui.worker import Runner
from eolcare.store import caseload
from eolcare.store.database import Store


def _on_gui_thread() -> bool:
    app = QApplication.instance()
    assert app is not None
    return QThread.currentThread() is app.thread()


def test_a_callable_runs_off_the_gui_thread_and_reports_on_it(qtbot: QtBot) -> None:
    ran_on: list[bool] = []
    seen_on: list[bool] = []

    def task() -> int:
        ran_on.append(_on_gui_thread())
        return 42

    runner = Runner(task)
    runner.finished.connect(lambda _r: seen_on.append(_on_gui_thread()))
    with qtbot.waitSignal(runner.finished) as blocker:
        runner.start()
    assert blocker.args == [42]
    assert ran_on == [False]
    assert seen_on == [True]


def test_a_job_reports_progress_and_returns_its_result(qtbot: QtBot) -> None:
    def job() -> Generator[Progress, None, str]:
        for i in range(3):
            yield Progress(i + 1, 3, "step")
        return "done"

    steps: list[tuple[int, int, str]] = []
    runner = Runner(job)
    runner.progress.connect(lambda d, t, w: steps.append((d, t, w)))
    with qtbot.waitSignal(runner.finished) as blocker:
        runner.start()
    assert blocker.args == ["done"]
    assert steps == [(1, 3, "step"), (2, 3, "step"), (3, 3, "step")]


def test_a_failure_comes_back_as_the_exception(qtbot: QtBot) -> None:
    def task() -> None:
        raise NotFoundError("There is no such person.")

    runner = Runner(task)
    finished: list[object] = []
    runner.finished.connect(finished.append)
    with qtbot.waitSignal(runner.failed) as blocker:
        runner.start()
    assert isinstance(blocker.args[0], NotFoundError)
    assert finished == []


def _adding_job(store: Store, release: threading.Event | None = None
                ) -> Generator[Progress, None, int]:
    """Adds one person per step, pausing inside each unit of work."""
    for i in range(5):
        with store.writing() as w:
            w.add(Person(full_name=f"Cancel Test {i}"))
            yield Progress(i + 1, 5)
        if release is not None:
            release.wait(5)
    return 5


def _cancel_tests(store: Store) -> int:
    with store.reading() as s:
        return len(caseload.find_people(s, "Cancel Test"))


def test_a_job_cancelled_at_its_first_step_writes_nothing(qtbot: QtBot,
                                                           demo_store: Store) -> None:
    """Stopped at a yield inside ``store.writing()``: that unit of work rolls back."""
    runner = Runner(lambda: _adding_job(demo_store), writes=True)
    runner.cancel()
    finished: list[object] = []
    runner.finished.connect(finished.append)
    with qtbot.waitSignal(runner.cancelled):
        runner.start()
    assert finished == []
    assert _cancel_tests(demo_store) == 0


def test_cancel_stops_a_running_job_at_the_next_step(qtbot: QtBot, demo_store: Store) -> None:
    release = threading.Event()
    runner = Runner(lambda: _adding_job(demo_store, release), writes=True)
    runner.progress.connect(lambda *_: (runner.cancel(), release.set()))
    with qtbot.waitSignal(runner.cancelled):
        runner.start()
    # the step running when the GUI asked (at most one) is kept, nothing after it
    assert _cancel_tests(demo_store) <= 1


def test_cancelling_a_callable_drops_its_result(qtbot: QtBot) -> None:
    go = threading.Event()
    runner = Runner(lambda: go.wait(5) and "late")
    finished: list[object] = []
    runner.finished.connect(finished.append)
    runner.start()
    runner.cancel()
    go.set()
    with qtbot.waitSignal(runner.cancelled):
        pass
    assert finished == []


def test_writes_run_one_at_a_time(qtbot: QtBot) -> None:
    inside = 0
    most = 0
    lock = threading.Lock()

    def write() -> None:
        nonlocal inside, most
        with lock:
            inside += 1
            most = max(most, inside)
        time.sleep(0.03)
        with lock:
            inside -= 1

    runners = [Runner(write, writes=True) for _ in range(4)]
    with qtbot.waitSignals([r.finished for r in runners], timeout=5000):
        for r in runners:
            r.start()
    assert most == 1


def test_reads_can_run_beside_each_other(qtbot: QtBot) -> None:
    both = threading.Barrier(2, timeout=5)
    runners = [Runner(both.wait) for _ in range(2)]
    with qtbot.waitSignals([r.finished for r in runners], timeout=5000):
        for r in runners:
            r.start()


def test_starting_twice_is_refused(qtbot: QtBot) -> None:
    go = threading.Event()
    runner = Runner(lambda: go.wait(5))
    runner.start()
    with pytest.raises(RuntimeError):
        runner.start()
    go.set()
    with qtbot.waitSignal(runner.finished):
        pass


def test_runners_and_their_tasks_are_let_go_of_on_the_gui_thread_only(qtbot: QtBot) -> None:
    """A worker thread must never drop the last reference to a Runner (a QObject of the
    GUI thread) or to its task's closure (which may hold a widget): freed there, they
    were deleted while the GUI thread delivered their queued signals (a rare segfault
    in CI). Hundreds of quick tasks nobody keeps make the race likely."""
    gui = threading.get_ident()
    freed_on: list[int] = []

    class Held:
        """Stands for a widget a task's closure holds."""

    for _ in range(400):
        held = Held()
        weakref.finalize(held, lambda: freed_on.append(threading.get_ident()))
        Runner(lambda held=held: held and None).start()
        del held
        QApplication.processEvents()
    assert worker.wait_for_all(10_000)
    qtbot.waitUntil(lambda: not worker._alive, timeout=5000)
    gc.collect()
    qtbot.waitUntil(lambda: len(freed_on) == 400, timeout=5000)
    assert [t for t in freed_on if t != gui] == []


def test_cycles_are_collected_on_the_gui_thread_only(qtbot: QtBot) -> None:
    """Python's cycle collector runs on the thread that allocates: on a reader thread it
    freed garbage widgets there (the CI segfault in test_craft.py). Once tasks run, it
    runs on the GUI thread only, and still collects."""
    with qtbot.waitSignal(Runner(lambda: None).start().ended):
        pass
    assert not gc.isenabled()
    gui = threading.get_ident()
    freed_on: list[int] = []

    class Cycle:
        """Garbage only the cycle collector frees, as a closed widget's wrappers are."""

    for _ in range(200):
        cycle = Cycle()
        cycle.me = cycle  # type: ignore[attr-defined]
        weakref.finalize(cycle, lambda: freed_on.append(threading.get_ident()))
        del cycle
    # tasks allocating a lot on the readers: where the collector used to run
    for _ in range(6):
        Runner(lambda: [[i] for i in range(50_000)]).start()
    qtbot.waitUntil(lambda: len(freed_on) == 200, timeout=10_000)
    assert set(freed_on) == {gui}


def test_a_full_collection_waits_while_the_writer_works(qtbot: QtBot) -> None:
    collected: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collected.append(info["generation"])

    def due_and_collect() -> int:
        gc.collect()  # counts back to 0, then make the oldest generation due
        for _ in range(4):
            gc.collect(1)
        collected.clear()
        worker.collect_garbage()
        return collected[-1]

    release = threading.Event()
    thresholds = gc.get_threshold()
    gc.set_threshold(700, 10, 2)
    gc.callbacks.append(seen)
    try:
        assert due_and_collect() == 2  # nothing on the writer: as Python would
        runner = Runner(release.wait, writes=True, what="long write").start()
        assert due_and_collect() == 1  # the writer works: the full collection waits
        with qtbot.waitSignal(runner.ended, timeout=10_000):
            release.set()
        assert due_and_collect() == 2
    finally:
        release.set()
        gc.callbacks.remove(seen)
        gc.set_threshold(*thresholds)
