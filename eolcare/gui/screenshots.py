"""``python -m eolcare.gui.screenshots OUTDIR``: a PNG of each main screen of the window.

Makes a throw-away demo profile (synthetic people, a fixed seed, one record
with a conflicting edit so the "needs review" banner shows), then opens the
real window on it three times, each in its own process because Qt reads the
scale factor once, before the QApplication exists: at normal scale (every
screen), at 200% (QT_SCALE_FACTOR=2: Qt renders text, icons and lines at device
pixel ratio 2, so those PNGs are twice the pixel size, crisp, not upscaled) and
with the dark palette (the main screens). A window is 1200 x 760 logical
pixels; an image wider than that many logical pixels (a dialog never is) would
be scaled down. Nothing is written outside OUTDIR and a temporary folder that
is removed at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

PASSPHRASE = "screenshots only: a throw-away passphrase"  # noqa: S105 - a throw-away demo
PEOPLE = 240
SEED = 11
WIDTH, HEIGHT = 1200, 760
MAX_PNG_WIDTH = 1200
#: variant -> (extra environment, every screen or the main ones only)
VARIANTS: dict[str, tuple[dict[str, str], bool]] = {
    "normal": ({}, True),
    "200": ({"QT_SCALE_FACTOR": "2"}, False),
    "dark": ({}, False),
}
MAIN = ("unlock", "caseload", "dashboard", "record-01", "needs-review", "lock")


def make_profile(home: Path, people: int = PEOPLE) -> str:
    """The demo profile with one conflicting edit; returns the person's id."""
    os.environ["EOLCARE_HOME"] = str(home)
    from eolcare import demo
    from eolcare.domain.entities import Person
    from eolcare.domain.hlc import Stamp
    from eolcare.domain.jobs import run
    from eolcare.domain.operations import Action, Operation
    from eolcare.domain.schema import to_json
    from eolcare.domain.values import Coded
    from eolcare.store import caseload, vault
    from eolcare.store.database import Store, create_profile
    from eolcare.store.writes import apply_operation

    profile, _ = create_profile("demo", "Sam Coordinator", PASSPHRASE, vault.KDF_FAST_FOR_TESTS)
    with Store(profile, vault.unlock(profile.vault_path, PASSPHRASE)) as store:
        run(demo.generate(store, people, seed=SEED))
        with store.reading() as s:
            person_id = caseload.list_people(s, limit=1)[0].id
        spec = Person.FIELDS["preferred_place_of_death"]
        with store.writing() as w:
            w.update(Person, person_id,
                     preferred_place_of_death=Coded("110481000000108", "with the garden"))
        # another coordinator's older edit of the same field arrives through sync's receive
        # path: the record is flagged "needs review" and both values are kept
        with store.writing() as w:
            newest = max(c.at for c in caseload.history(w.session, person_id))
            op = Operation(
                kind="person", entity_id=person_id, action=Action.UPDATE,
                stamp=Stamp(int(newest.timestamp() * 1000) - 60_000, 0, "laptop2"),
                author="Olive Other", record_id=person_id,
                changes={"preferred_place_of_death": to_json(
                    spec, Coded("108401000000102", "St Gemma's"))})
            apply_operation(w.session, op, local=False)
    return person_id


def _save(widget: object, out: Path, name: str, variant: str) -> Path:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QWidget

    assert isinstance(widget, QWidget)
    QApplication.processEvents()
    pixmap = widget.grab()  # at the screen's device pixel ratio: 2 at 200%
    image = pixmap.toImage()
    widest = round(MAX_PNG_WIDTH * pixmap.devicePixelRatio())
    if image.width() > widest:
        image = image.scaledToWidth(widest, Qt.TransformationMode.SmoothTransformation)
    suffix = "" if variant == "normal" else f"-{variant}"
    path = out / f"{name}{suffix}.png"
    image.save(str(path), "PNG", 0)  # type: ignore[call-overload]  # 0: smallest file
    return path


def _settle(until: Callable[[], bool] | None = None, ms: int = 10_000) -> None:
    """Let queued work and painting finish (and wait for ``until``)."""
    from PySide6.QtCore import QDeadlineTimer
    from PySide6.QtWidgets import QApplication

    from eolcare.gui import worker

    deadline = QDeadlineTimer(ms)
    while True:
        worker.wait_for_all(ms)
        QApplication.processEvents()
        if until is None or until() or deadline.hasExpired():
            break
    QApplication.processEvents()


def shoot(out: Path, variant: str, person_id: str,
          only: frozenset[str] = frozenset()) -> list[Path]:
    """In this process: open the window on the demo profile and grab each screen
    (``only``: just these screens, then stop; the test takes one)."""
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtWidgets import QApplication

    from eolcare.gui import palette, settings, stores, worker
    from eolcare.gui.mainwindow import MainWindow
    from eolcare.store.profiles import find_profile

    every = VARIANTS[variant][1] and not only
    QCoreApplication.setOrganizationName(settings.ORGANISATION)
    QCoreApplication.setApplicationName(settings.APPLICATION)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(Path(os.environ["EOLCARE_HOME"]) / "qsettings"))
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    palette.apply(app, variant == "dark")
    saved: list[Path] = []

    def save(widget: object, name: str) -> None:
        if name in only or (not only and (every or name.startswith(MAIN))):
            saved.append(_save(widget, out, name, variant))

    if every:  # first run: the welcome form and the recovery key (a made-up key)
        from eolcare.gui.recovery import RecoveryKeyDialog

        first = MainWindow(None, use_keyring=False)
        first.resize(WIDTH, HEIGHT)
        first.show()
        first.welcome.show_form(demo=False)
        first.welcome.profile_name.setText("sam")
        first.welcome.author.setText("Sam Coordinator")
        first.welcome.passphrase.setText("quiet orange tractor lamp")
        first.welcome.confirm.setText("quiet orange tractor lamp")
        _settle()
        save(first, "first-run")
        dialog = RecoveryKeyDialog("sam", "Sam Coordinator",
                                   "7K2Q-M9XD-4WTR-H8PB-C3NF-V6JY-E1GS-0ZKA", parent=first)
        dialog.show()
        _settle()
        saved.append(_save(dialog, out, "recovery-key", variant))
        dialog.stored.setChecked(True)
        dialog.accept()
        first.close()

    profile = find_profile("demo")
    window = MainWindow(profile, use_keyring=False)
    window.resize(WIDTH, HEIGHT)
    window.show()
    _settle(window.unlock_screen.secret.isEnabled)
    save(window, "unlock")
    if only == {"unlock"}:
        window.close()
        return saved

    store = worker.on_writer(lambda: stores.open_with_secret(profile, PASSPHRASE,
                                                              use_keyring=False))
    window.open_store(store)
    workspace = window.workspace
    assert workspace is not None
    _settle(lambda: workspace.caseload.model.rowCount() > 0)
    workspace.caseload.table.selectRow(2)
    save(window, "caseload")

    dashboard = window.go("dashboard")
    _settle(lambda: getattr(dashboard, "figures", None) is not None)
    save(window, "dashboard")

    window.open_person(person_id)
    editor = workspace.page("person")
    _settle()
    save(window, "needs-review")
    nav = editor.nav  # type: ignore[attr-defined]
    for row in range(nav.count()):
        nav.setCurrentRow(row)
        _settle()
        title = nav.item(row).text()
        slug = "-".join("".join(c if c.isalnum() else " " for c in title.lower()).split())
        save(window, f"record-{row + 1:02d}-{slug}")
    nav.setCurrentRow(0)

    for key in ("reviews", "rota", "services"):
        window.go(key)
        _settle()
        save(window, key)

    # the team screens (this demo profile is not signed in) and the passphrase dialog
    for name, show in (("team-account", window.show_account), ("team", window.show_team),
                       ("team-review", window.show_review),
                       ("change-passphrase", window.change_passphrase)):
        if every or name in only:
            shown = show()
            assert shown is not None, name
            _settle()
            saved.append(_save(shown, out, name, variant))
            shown.close()

    window.go("caseload")
    window.lock()
    _settle()
    save(window, "lock")
    shortcuts = window.show_shortcuts()
    _settle()
    if every:
        saved.append(_save(shortcuts, out, "shortcuts", variant))
    shortcuts.close()
    window.unlock()
    window.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eolcare.gui.screenshots",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--variant", choices=sorted(VARIANTS), help=argparse.SUPPRESS)
    parser.add_argument("--person", help=argparse.SUPPRESS)
    parser.add_argument("--only", action="append", default=[], metavar="SCREEN",
                        help="only this screen (repeat for more; 'unlock' is the quickest)")
    parser.add_argument("--variants", default=",".join(VARIANTS),
                        help="which of %(default)s")
    parser.add_argument("--people", type=int, default=PEOPLE, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    only = frozenset(args.only)
    args.outdir.mkdir(parents=True, exist_ok=True)
    if args.variant:  # a child process: one variant
        for path in shoot(args.outdir, args.variant, args.person, only):
            print(path)
        return 0

    home = Path(tempfile.mkdtemp(prefix="eolcare-screenshots-"))
    try:
        person_id = make_profile(home, args.people)
        for variant in args.variants.split(","):
            extra = VARIANTS[variant][0]
            env = {**os.environ, "EOLCARE_HOME": str(home), **extra}
            env.setdefault("QT_QPA_PLATFORM", "offscreen")
            if not extra:
                env.pop("QT_SCALE_FACTOR", None)
            subprocess.run([sys.executable, "-m", "eolcare.gui.screenshots", str(args.outdir),
                            "--variant", variant, "--person", person_id,
                            *(f"--only={name}" for name in sorted(only))],
                           env=env, check=True)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
