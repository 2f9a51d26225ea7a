"""Sync in the background: on demand, at start, and on a timer while online.

The sync job runs on the worker's writer thread (it writes the store), so a
save made meanwhile waits its turn there, never on the GUI thread. Status
(last synced, waiting, needing review) is read on the reader pool after every
sync and on request.
"""

from __future__ import annotations

import logging
import sys

import httpx
from PySide6.QtCore import QObject, QTimer, Signal

from eolcare.gui.worker import Runner
from eolcare.store.database import Store
from eolcare.sync import engine, errors, teams

log = logging.getLogger(__name__)

#: How often to sync while online, and to try again while offline.
ONLINE_INTERVAL_MS = 5 * 60_000
OFFLINE_RETRY_MS = 60_000
#: While a sync runs, a thread waiting for Python's GIL asks for it after 1 ms instead
#: of the usual 5: with the sync's two threads busy, the GUI thread could wait through
#: several turns (bench/sync_gui_bench.py, 20,000 people: longest stall 35-70 ms at
#: 5 ms over 5 runs, 34-38 ms at 1 ms; the 99th-percentile tick gap 22 -> 18 ms).
SYNC_SWITCH_INTERVAL_S = 0.001


class SyncController(QObject):
    """Owns the background syncs of one open profile."""

    status_changed = Signal(object)  # teams.Status
    online_changed = Signal(object)  # True, False, or None (not known yet)
    progress = Signal(int, int, str)
    synced = Signal(object)  # engine.SyncSummary
    failed = Signal(object)  # the exception (an EolcareError with a plain sentence)
    busy_changed = Signal(bool)
    #: A sync that received records ended (or failed after committing some): views
    #: showing records may read them again. Not during the sync: a view reading while
    #: the sync's threads hold the GIL most of the time stalls the window (measured by
    #: bench/sync_gui_bench.py: 150-200 ms for each caseload reload at load 4.5).
    records_changed = Signal()

    def __init__(self, store: Store, *, interval_ms: int = ONLINE_INTERVAL_MS,
                 offline_retry_ms: int = OFFLINE_RETRY_MS,
                 transport: httpx.BaseTransport | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.transport = transport
        self.interval_ms = interval_ms
        self.offline_retry_ms = offline_retry_ms
        self.online: bool | None = None
        self.last_status: teams.Status | None = None
        self._runner: Runner | None = None
        self._unannounced = False
        self._switch_interval = sys.getswitchinterval()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.sync_now)

    @property
    def busy(self) -> bool:
        return self._runner is not None and self._runner.running

    def start(self) -> None:
        """At start: read the status, then sync once if the profile is in a team."""
        self.refresh_status(then_sync=True)

    def stop(self) -> None:
        self.timer.stop()
        if self._runner is not None:
            self._runner.cancel()

    def sync_now(self) -> bool:
        """Start a sync unless one is running; returns whether one was started."""
        if self.busy:
            return False
        self.timer.stop()
        runner = Runner(lambda: engine.sync(self.store, transport=self.transport),
                        writes=True, what="sync", parent=self)
        runner.progress.connect(self.progress)
        runner.progress.connect(self._received)
        runner.finished.connect(self._finished)
        runner.failed.connect(self._failed)
        runner.ended.connect(self._ended)
        self._runner = runner
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self._switch_interval, SYNC_SWITCH_INTERVAL_S))
        runner.start()
        self.busy_changed.emit(True)
        return True

    def _ended(self) -> None:
        sys.setswitchinterval(self._switch_interval)
        self.busy_changed.emit(False)

    def refresh_status(self, *, then_sync: bool = False) -> None:
        runner = Runner(lambda: teams.status(self.store), what="sync status", parent=self)

        def got(status: teams.Status) -> None:
            self.last_status = status
            self.status_changed.emit(status)
            if then_sync and status.team is not None and status.removed is None:
                self.sync_now()

        runner.finished.connect(got)
        runner.failed.connect(self.failed)
        runner.start()

    def _set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            self.online_changed.emit(online)

    def _received(self, _done: int, _total: int, what: str) -> None:
        if what == engine.RECEIVING:
            self._unannounced = True  # told when the sync ends

    def _finished(self, summary: engine.SyncSummary) -> None:
        self._set_online(True)
        if summary.applied or self._unannounced:
            self._unannounced = False
            self.records_changed.emit()
        self.synced.emit(summary)
        self.refresh_status()
        if self.interval_ms > 0:
            self.timer.start(self.interval_ms)

    def _failed(self, exc: BaseException) -> None:
        offline = isinstance(exc, errors.OfflineError | errors.ServerError)
        if offline:
            self._set_online(False)
            if self.offline_retry_ms > 0:
                self.timer.start(self.offline_retry_ms)
        elif not isinstance(exc, errors.RemovedError) and self.interval_ms > 0:
            self.timer.start(self.interval_ms)
        if self._unannounced:  # what was committed before the failure stays
            self._unannounced = False
            self.records_changed.emit()
        log.info("sync failed: %s", type(exc).__name__)
        self.failed.emit(exc)
        self.refresh_status()
