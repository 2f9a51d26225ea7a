"""User-visible strings through Qt's translation mechanism (docs/gui.md, "Translations").

Every string a coordinator reads goes through :func:`tr` with a literal text,
``tr("Save", "record")``, so ``pyside6-lupdate`` collects it into the catalogue
(``tools/translations``); module-level texts translated later are marked with
``QT_TR_NOOP("...")``. PySide6's lupdate (6.11) reads a free function ``tr(text,
"screen", n=count)`` reliably, plurals included, and files it under the empty
context with the screen as the disambiguation; :func:`tr` looks up exactly
there, and Qt's translator falls back to the message without a disambiguation
(how ``QT_TR_NOOP`` texts and texts with a non-literal screen are filed).
The DATASET's field labels, section titles and code displays, declared in the
Qt-free domain, are translated in the contexts ``eolcare.fields``,
``eolcare.sections`` and ``eolcare.codes`` (tools/translations extracts them).

:func:`install_translations` loads ``eolcare_<language>.qm`` for the system
locale (or the one given), and Qt's own catalogue for the same language only,
so a window is never half translated; with no catalogue for the locale
everything stays in the source English.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

#: Where the catalogues ship: eolcare.ts (the source, English) and eolcare_<lang>.ts/.qm.
CATALOGUES = Path(__file__).resolve().parent.parent / "resources" / "i18n"
CATALOGUE = "eolcare"

#: The translators installed so far (Qt holds them by pointer: keep them alive).
_installed: list[QTranslator] = []


def tr(text: str, context: str = "", n: int = -1) -> str:
    """``text`` in the coordinator's language (unchanged where no translation exists).

    ``context`` names the screen (lupdate keeps it as the disambiguation);
    ``n`` picks a plural form: ``tr("%n people", "caseload", n=count)``.
    """
    return QCoreApplication.translate("", text, context or None, n)


def QT_TR_NOOP(text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Marks a text for the catalogue where it is written (a module-level table); it is
    translated where it is shown, with :func:`tr`. Typed, unlike PySide6's own."""
    return text


def install_translations(locale: QLocale | None = None,
                         folder: Path | None = None) -> str | None:
    """Install eolcare's catalogue for ``locale`` (default: the system's, which follows
    LANGUAGE/LC_ALL/LANG on Linux and the display language on Windows and macOS) and
    Qt's own for the same language. Returns the catalogue's language (``"cy"``), or
    None when there is none for the locale: the window then shows the source English."""
    app = QCoreApplication.instance()
    if app is None:
        return None
    remove_translations()
    locale = locale if locale is not None else QLocale.system()
    ours = QTranslator(app)
    # tries eolcare_<lang>_<REGION>.qm, eolcare_<lang>.qm for each of the locale's UI
    # languages in order (the bare eolcare.qm is never shipped: English is the source)
    if not ours.load(locale, CATALOGUE, "_", str(folder or CATALOGUES)):
        log.info("no eolcare catalogue for %s: source English", locale.name())
        return None
    app.installTranslator(ours)
    _installed.append(ours)
    language = ours.language()  # e.g. "cy" or "cy_GB", from the .ts file
    qt = QTranslator(app)
    if qt.load(QLocale(language), "qtbase", "_",
               QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    log.info("eolcare catalogue %s installed", language)
    return language or locale.name()


def remove_translations() -> None:
    """Back to the source English (tests; a change of language)."""
    app = QCoreApplication.instance()
    while _installed:
        translator = _installed.pop()
        if app is not None:
            app.removeTranslator(translator)
