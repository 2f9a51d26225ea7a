"""Print preview: every page shown, printed through Qt (to a PDF printer here), saved as is."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pypdf
import pytest
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from eolcare.gui.printing import PrintoutError, PrintPreviewDialog
from eolcare.reports import summaries
from eolcare.store.database import Store
from tests.reports.records import add_person


@pytest.fixture
def family_pdf(store: Store) -> bytes:
    return summaries.family_pdf(store, add_person(store).person_id, large_print=True)


def test_preview_shows_every_page(qtbot: QtBot, family_pdf: bytes) -> None:
    dialog = PrintPreviewDialog(family_pdf)
    qtbot.addWidget(dialog)
    dialog.show()
    pages = len(pypdf.PdfReader(BytesIO(family_pdf)).pages)
    assert dialog.page_count == pages > 2
    assert dialog.view.document() is dialog.document
    assert str(pages) in dialog.pages_label.text()
    image = dialog.document.render(0, dialog.document.pagePointSize(0).toSize())
    dark = sum(1 for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)
               if image.pixelColor(x, y).lightness() < 200)
    assert dark > 1000  # Qt's renderer drew the text, not a blank page


def test_print_renders_each_page_onto_the_printer(qtbot: QtBot, family_pdf: bytes,
                                                  tmp_path: Path) -> None:
    dialog = PrintPreviewDialog(family_pdf)
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # a real printer without paper
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(dialog.printed) as blocker:
        dialog.print_to(printer)
    assert blocker.args == [dialog.page_count]
    assert len(pypdf.PdfReader(tmp_path / "printed.pdf").pages) == dialog.page_count
    printer.setFromTo(2, 2)  # a page range chosen in the print dialog
    printer.setOutputFileName(str(tmp_path / "page2.pdf"))
    assert dialog.print_to(printer) == 1
    assert len(pypdf.PdfReader(tmp_path / "page2.pdf").pages) == 1


def test_save_as_pdf_writes_the_same_bytes(qtbot: QtBot, family_pdf: bytes,
                                           tmp_path: Path) -> None:
    dialog = PrintPreviewDialog(family_pdf)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.saved):
        dialog.save_to(tmp_path / "copy.pdf")
    assert (tmp_path / "copy.pdf").read_bytes() == family_pdf


def test_a_file_that_is_not_a_pdf_is_a_plain_error(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "not.pdf"
    path.write_bytes(b"hello")
    with pytest.raises(PrintoutError, match="could not be opened"):
        PrintPreviewDialog(path)
