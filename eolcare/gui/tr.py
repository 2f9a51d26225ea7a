"""User-visible strings through Qt's translation mechanism.

Every string a coordinator reads goes through :func:`tr` (or a widget's own
``self.tr``), so ``pyside6-lupdate`` can collect them and a ``.qm`` file
loaded by :func:`install_translations` can replace them. The context is the
screen's name, as Qt's ``translate(context, text)`` expects.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

#: The translators installed so far (Qt holds them by pointer: keep them alive).
_installed: list[QTranslator] = []


def tr(text: str, context: str = "eolcare", disambiguation: str | None = None,
       n: int = -1) -> str:
    """``text`` in the coordinator's language (unchanged where no translation exists).

    ``n`` picks a plural form: ``tr("%n people", n=count)``.
    """
    return QCoreApplication.translate(context, text, disambiguation, n)


def install_translations(folder: Path | None = None, locale: QLocale | None = None) -> int:
    """Load Qt's own translations and eolcare's ``eolcare_<lang>.qm`` (when present) for
    the system locale; returns how many were installed."""
    app = QCoreApplication.instance()
    if app is None:
        return 0
    locale = locale or QLocale.system()
    count = 0
    candidates = [("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    if folder is not None:
        candidates.append(("eolcare", str(folder)))
    for name, where in candidates:
        translator = QTranslator(app)
        if translator.load(locale, name, "_", where):
            app.installTranslator(translator)
            _installed.append(translator)
            count += 1
    log.info("%d translation catalogues installed", count)
    return count
