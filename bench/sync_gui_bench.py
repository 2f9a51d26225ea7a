"""Whether the window stays responsive while a large first sync runs in the background.

Uses the set-up of ``bench/sync_bench.py`` (a real server on loopback holding a
team's synthetic caseload, 20,000 people by default; laptop B in the team, not
yet synced; ``--cache DIR`` reuses it). In one process (``QT_QPA_PLATFORM=
offscreen``), the real main window is opened on laptop B's profile, then:

- **floor**: a ``QTimer`` on the GUI thread ticking every 5 ms for a few
  seconds with no sync running: the longest gap between two ticks (the
  stall) and its 99th percentile;
- **during the sync**: the window's own team sync (``TeamSync`` and its
  ``SyncController``, as ``open_store`` wires them: status bar, background
  sync on the worker's writer thread, caseload refreshed as records arrive)
  runs B's first sync of the whole team while the same timer ticks; the same
  figures, and how long the sync took.

Target: no GUI-thread stall over 50 ms. Run from the repository root:

    .venv/bin/python bench/sync_gui_bench.py [--people N] [--cache DIR]
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import sync_bench  # the set-up shared with the sync benchmark
from gui_bench import status_mb  # the same reading of /proc/self/status

TICK_MS = 5


class StallMeter:
    """Gaps between the ticks of a 5 ms timer on the GUI thread (lateness = stall)."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self._last = self._started = 0.0
        self.report_over = float(os.environ.get("STALLS") or "inf") / 1000

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        if now - self._last > self.report_over:  # STALLS=MS: say each stall over MS
            print(f"stall {(now - self._last) * 1000:.0f} ms ending "
                  f"{now - self._started:.2f} s in", file=sys.stderr)
        self._last = now

    def start(self) -> None:
        self.gaps = []
        self._last = self._started = time.perf_counter()
        self.timer.start()

    def stop(self) -> list[float]:
        self.timer.stop()
        return self.gaps


def summary(gaps: list[float]) -> tuple[str, str, str]:
    """Longest gap, p99 gap (ms) and the ticks counted."""
    ms = sorted(g * 1000 for g in gaps)
    p99 = statistics.quantiles(ms, n=100, method="inclusive")[98]
    return f"{ms[-1]:.0f} ms", f"{p99:.1f} ms", f"{len(ms):,}"


def run_until(app: Any, done: Any, timeout: float) -> None:
    """Run the event loop (as the window does) until ``done()`` or ``timeout`` seconds."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    check = QTimer()
    check.setInterval(50)
    check.timeout.connect(lambda: loop.quit() if done() else None)
    check.start()
    QTimer.singleShot(int(timeout * 1000), loop.quit)
    loop.exec()
    check.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--cache", type=Path, help="keep / reuse the set-up in this folder")
    parser.add_argument("--floor-seconds", type=float, default=5.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sync_bench._prepared(folder, args.people, args.seed, args.cache)
        with sync_bench.server(folder):
            rows = measure(args, folder)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    print()
    for r in rows:
        print(" | ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)))
    print("\nuptime:", subprocess.run(["uptime"], capture_output=True, text=True,
                                    check=False).stdout.strip())


def measure(args: argparse.Namespace, folder: Path) -> list[tuple[str, ...]]:
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setOrganizationName("eolcare-bench")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(folder / "settings"))
    app = QApplication.instance() or QApplication([sys.argv[0]])

    from eolcare.gui import worker
    from eolcare.gui.mainwindow import MainWindow
    from eolcare.gui.team_sync import TeamSync
    from eolcare.store import vault
    from eolcare.store.database import Store
    from eolcare.store.profiles import find_profile

    profile = find_profile("b")
    key = vault.unlock(profile.vault_path, sync_bench.PASSPHRASE)
    window = MainWindow(None, use_keyring=False)
    window.resize(1200, 760)
    window.show()
    gc.freeze()  # as eolcare.gui.app.main does once the window is up
    store = worker.on_writer(lambda: Store(profile, key))
    window.sync_enabled = False  # the floor first: the window open, no sync
    window.open_store(store)
    run_until(app, lambda: False, 1.0)
    meter = StallMeter()
    meter.start()
    run_until(app, lambda: False, args.floor_seconds)
    floor = meter.stop()
    before_mb = status_mb("VmRSS")

    # the window's own team sync, as open_store wires it when syncing is on
    ended: list[object] = []
    meter.start()
    started = time.perf_counter()
    team_sync = TeamSync(window, store, window.add_status_widget,
                         records_changed=window._records_changed)
    window.team_sync = team_sync
    team_sync.controller.synced.connect(ended.append)
    team_sync.controller.failed.connect(ended.append)
    run_until(app, lambda: bool(ended), 3600)
    took = time.perf_counter() - started
    peak_mb = status_mb("VmHWM")  # the page cache grows while the sync writes
    if os.environ.get("STALLS"):
        print(f"sync ended by {time.perf_counter():.3f}", file=sys.stderr)
    during = meter.stop()
    result = ended[0] if ended else "did not end"
    if isinstance(result, BaseException):
        raise SystemExit(f"the sync failed: {result!r}")
    pulled = getattr(result, "pulled", 0)
    # the caseload as the window shows it once the sync is over
    model = window.workspace.caseload.model if window.workspace else None
    run_until(app, lambda: model is None or not model.loading, 60)
    shown = model.rowCount() if model is not None else 0
    after_mb = status_mb("VmRSS")  # ... and is given back at its end
    team_sync.stop()
    window.close()
    worker.on_writer(store.close)
    floor_max, floor_p99, floor_n = summary(floor)
    sync_max, sync_p99, sync_n = summary(during)
    return [
        ("figure", "floor (no sync)", "during the first sync", "target"),
        ("longest GUI-thread stall", floor_max, sync_max, "< 50 ms"),
        ("p99 gap between 5 ms ticks", floor_p99, sync_p99, ""),
        ("ticks counted", floor_n, sync_n, ""),
        ("the sync", "", f"{pulled:,} ops in {took:.1f} s; caseload shows {shown:,}", ""),
        ("resident memory", f"{before_mb:.0f} MB", f"peak {peak_mb:.0f} MB, "
         f"{after_mb:.0f} MB after", ""),
    ]


if __name__ == "__main__":
    main()
