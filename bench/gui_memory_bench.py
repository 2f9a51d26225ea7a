"""The window's resident memory on a 20,000-person caseload, each in a process of its own.

``bench/gui_bench.py`` makes the caseload in its own process (hundreds of MB that
are not the window's), so memory is measured here apart: one process shows a
bare PySide6 window with a lazy 20,000-row table and scrolls it (the floor); another
only unlocks the prepared profile (made by ``gui_bench.py``, same ``--home``),
shows the window, scrolls the caseload end to end, searches and opens people.
Each reports its peak resident memory (``VmHWM`` in ``/proc/self/status``).

    .venv/bin/python bench/gui_memory_bench.py [--people 20000] [--home DIR]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))


def peak_mb() -> float:
    from gui_bench import status_mb  # the same reading of /proc/self/status

    return status_mb("VmHWM")


def floor(people: int) -> float:
    import gui_bench
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])
    gui_bench.floor_window(app, people)
    return peak_mb()


def window(home: Path) -> float:
    os.environ["EOLCARE_HOME"] = str(home)
    import random

    import gui_bench
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtWidgets import QApplication

    from eolcare.gui import worker
    from eolcare.gui.mainwindow import MainWindow
    from eolcare.store import caseload, vault
    from eolcare.store.database import Store
    from eolcare.store.profiles import find_profile

    QCoreApplication.setOrganizationName("eolcare-bench")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      tempfile.mkdtemp(prefix="eolcare-bench-settings-"))
    app = QApplication([sys.argv[0]])
    profile = find_profile("bench")
    key = vault.unlock(profile.vault_path, gui_bench.PASSPHRASE)
    win = MainWindow(None, use_keyring=False)
    win.resize(1200, 760)
    win.show()
    gui_bench.settle(app)
    store = worker.on_writer(lambda: Store(profile, key))
    win.open_store(store)
    workspace = win.workspace
    assert workspace is not None
    widget = workspace.caseload
    gui_bench.settle(app, lambda: widget.model.rowCount() > 0 and not widget.model.loading)
    gui_bench.scroll_end_to_end(app, widget.table)
    for text in gui_bench.SEARCHES:
        for i in range(1, len(text) + 1):
            widget.search.setText(text[:i])
            widget.apply_filter()
            gui_bench.settle(app, lambda: not widget.model.loading)
    widget.search.clear()
    widget.apply_filter()
    gui_bench.settle(app, lambda: not widget.model.loading)
    with store.reading() as s:
        ids = caseload.person_ids(s)
    for pid in random.Random(5).sample(ids, 40):
        win.open_person(pid)
        app.processEvents()
    workspace.show_page("caseload")
    gui_bench.settle(app)
    gui_bench.scroll_end_to_end(app, widget.table)
    return peak_mb()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--home", type=Path,
                        default=Path(tempfile.gettempdir()) / "eolcare-gui-bench")
    parser.add_argument("--part", choices=("floor", "window"))
    args = parser.parse_args()
    if args.part == "floor":
        print(f"{floor(args.people):.1f}")
        return 0
    if args.part == "window":
        print(f"{window(args.home / str(args.people)):.1f}")
        return 0
    results = {}
    for part in ("floor", "window"):
        done = subprocess.run([sys.executable, __file__, "--people", str(args.people),
                               "--home", str(args.home), "--part", part],
                              capture_output=True, text=True, check=True)
        results[part] = float(done.stdout.strip().splitlines()[-1])
    ratio = results["window"] / results["floor"]
    print(f"{args.people:,} people (demo); QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']}")
    print("figure                     floor (bare PySide6)  eolcare   ratio  target")
    print(f"peak resident memory       {results['floor']:.1f} MB{'':9} "
          f"{results['window']:.1f} MB  {ratio:.1f}x   < 350 MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
