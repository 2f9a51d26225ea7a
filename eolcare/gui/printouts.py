"""The printouts from the window: a person's summaries in a print preview, handover packs.

The PDF is made off the GUI thread (ReportLab takes a fraction of a second a
page); the preview renders it with QtPdf and prints through Qt's print dialog
(:mod:`eolcare.gui.printing`). A handover pack is exported by its wizard, which
shows exactly who is in the selection first (:mod:`eolcare.gui.handover_wizard`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from eolcare.gui.errors import show_error
from eolcare.gui.tr import QT_TR_NOOP, tr
from eolcare.gui.worker import Runner

if TYPE_CHECKING:
    from eolcare.gui.handover_wizard import HandoverWizard
    from eolcare.store.database import Store

#: The kinds of summary: (title shown, function of :mod:`eolcare.reports.summaries`, options)
KINDS = {
    "family": (QT_TR_NOOP("Family summary"), "family_pdf", {}),
    "large": (QT_TR_NOOP("Family summary, large print"), "family_pdf", {"large_print": True}),
    "professional": (QT_TR_NOOP("Professional summary"), "professional_pdf", {}),
}


def preview_summary(parent: QWidget, store: Store, person_ids: list[str], kind: str,
                    shown: Callable[[QWidget], object] | None = None) -> Runner:
    """Make the summaries of the people chosen off the GUI thread (one document, each
    person's pages in turn), then open its print preview."""
    title, name, options = KINDS[kind]

    def make() -> bytes:
        from eolcare.reports import summaries

        pdfs: list[bytes] = [getattr(summaries, name)(store, pid, **options)
                             for pid in person_ids]
        if len(pdfs) == 1:
            return pdfs[0]
        import io

        from pypdf import PdfWriter

        joined = PdfWriter()
        for pdf in pdfs:
            joined.append(io.BytesIO(pdf))
        out = io.BytesIO()
        joined.write(out)
        return out.getvalue()

    def ready(pdf: bytes) -> None:
        from eolcare.gui.printing import PrintPreviewDialog

        dialog = PrintPreviewDialog(pdf, parent, title=tr(title, "printouts"),
                                    suggested_name=f"{kind}-summary.pdf")
        dialog.open()
        if shown is not None:
            shown(dialog)

    runner = Runner(make, what="printout", parent=parent)
    runner.finished.connect(ready)
    runner.failed.connect(lambda exc: show_error(parent, exc))
    return runner.start()


def handover(parent: QWidget, store: Store, person_ids: list[str]) -> HandoverWizard | None:
    """The handover pack wizard for the people chosen (it lists them before export)."""
    if not person_ids:
        QMessageBox.information(parent, tr("Handover pack", "printouts"), tr(
            "Choose the people to hand over first: select them in the caseload, or open "
            "a person's record.", "printouts"))
        return None
    from eolcare.gui.handover_wizard import HandoverWizard

    wizard = HandoverWizard(store, person_ids, parent)
    wizard.open()
    return wizard
