"""Starting the window: ``eolcare`` with no arguments, or ``python -m eolcare.gui``.

Chooses the profile (the one named, else the last one used, else the only
one; none: first run), sets up Qt (names for QSettings, translations, the
crash dialog, light or dark colours) and shows :class:`MainWindow`. On a
machine with no display it says so plainly and lists the caseload in the
terminal instead.
"""

from __future__ import annotations

import argparse
import gc
import logging
import multiprocessing
import os
import sys
from collections.abc import Sequence

from eolcare.gui.settings import APPLICATION, ORGANISATION

log = logging.getLogger(__name__)

NO_DISPLAY = (
    "eolcare's window needs a screen, and this session has none (no DISPLAY or "
    "WAYLAND_DISPLAY). Here is the caseload in the terminal instead; "
    "'eolcare --help' lists the commands."
)


def has_display() -> bool:
    """Whether a window can be shown: always on Windows and macOS; on Linux and other
    Unix, when an X or Wayland display is set or a Qt platform is chosen explicitly."""
    if sys.platform in ("win32", "darwin"):
        return True
    return any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="eolcare",
                                     description="The coordinator's window.")
    parser.add_argument("--profile", metavar="NAME", help="open this profile")
    parser.add_argument("--demo", action="store_true",
                        help="open the demo profile (offer to make it when missing)")
    parser.add_argument("--people", type=int, default=None, metavar="N",
                        help="with --demo: how many people a new demo gets")
    parser.add_argument("--dark", action="store_true", help="dark colours")
    parser.add_argument("--light", action="store_true", help="light colours")
    parser.add_argument("--language", metavar="CODE",
                        help="the window's language, e.g. cy (default: the system's; "
                             "English where no translation ships)")
    parser.add_argument("--no-keyring", action="store_true",
                        help="do not use or fill the OS keyring")
    parser.add_argument("-v", "--verbose", action="store_true", help="log to standard error")
    return parser


def terminal_caseload(profile: str | None) -> int:
    """No screen: the caseload through the command line's own ``list``."""
    from eolcare.cli.main import main as cli_main
    from eolcare.store.profiles import list_profiles

    print(NO_DISPLAY, file=sys.stderr)
    if not list_profiles():
        print("There is no profile on this computer yet: create one with 'eolcare init', "
              "or 'eolcare demo' for a demo caseload.", file=sys.stderr)
        return 1
    return cli_main(["list", *(["--profile", profile] if profile else [])])


def choose_profile(name: str | None, demo: bool) -> tuple[object | None, bool]:
    """(profile or None, start on the demo form)."""
    from eolcare.domain.errors import EolcareError
    from eolcare.gui import settings
    from eolcare.gui.welcome import DEMO_PROFILE
    from eolcare.store.profiles import find_profile, list_profiles

    if demo:
        name = DEMO_PROFILE
        if not any(p.name == DEMO_PROFILE for p in list_profiles()):
            return None, True
    if name is not None:
        return find_profile(name), False
    profiles = list_profiles()
    last = settings.last_profile()
    for p in profiles:
        if p.name == last:
            return p, False
    try:
        return (find_profile(None) if profiles else None), False
    except EolcareError:  # several profiles and none used before: the first one
        return profiles[0], False


def main(argv: Sequence[str] | None = None) -> int:
    multiprocessing.freeze_support()  # see eolcare.cli.main.main
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not has_display():
        return terminal_caseload("demo" if args.demo else args.profile)

    from PySide6.QtCore import QCoreApplication, QLocale, QSettings
    from PySide6.QtWidgets import QApplication

    from eolcare.domain.errors import EolcareError
    from eolcare.gui import errors, palette, settings
    from eolcare.gui.mainwindow import MainWindow
    from eolcare.gui.tr import install_translations

    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationDisplayName("eolcare")
    install_translations(QLocale(args.language) if args.language else None)
    errors.install_excepthook()
    dark = settings.settings().value("view/dark", False) in (True, "true")
    if args.dark or args.light:
        dark = args.dark
    palette.apply(app, dark)
    try:
        profile, demo_form = choose_profile(args.profile, args.demo)
    except EolcareError as exc:
        print(f"eolcare: {exc}", file=sys.stderr)
        return exc.exit_code
    window = MainWindow(profile, use_keyring=not args.no_keyring)  # type: ignore[arg-type]
    if demo_form:
        window.welcome.show_form(demo=True)
        if args.people:
            window.welcome.people.setValue(args.people)
    window.show()
    QSettings().sync()
    # Everything made so far (modules, Qt's enum classes, the window) lives as long as the
    # program: out of the collector's way, a full collection no longer walks it, which
    # halves the cost of building the workspace after unlocking (docs/gui.md).
    gc.freeze()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
