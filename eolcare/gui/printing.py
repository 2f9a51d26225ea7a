"""Print preview, print and save as PDF for any printout (family or professional summary).

The printouts are PDFs made by :mod:`eolcare.reports`; this dialog shows
them with Qt's own PDF renderer (``QPdfDocument`` / ``QPdfView`` from
QtPdf), prints through Qt's print dialog by rendering each page to an image
at the printer's resolution, and saves the very same bytes as a PDF file.
Nothing is written to disk unless the coordinator saves.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from eolcare.domain.errors import EolcareError
from eolcare.gui.errors import show_error
from eolcare.gui.tr import tr


class PrintoutError(EolcareError):
    """A printout could not be shown, printed or saved."""


class PrintPreviewDialog(QDialog):
    """Shows a PDF printout with Print..., Save as PDF... and Close."""

    printed = Signal(int)  # pages sent to the printer
    saved = Signal(str)  # the path saved to

    def __init__(self, pdf: bytes | str | Path, parent: QWidget | None = None, *,
                 title: str = "", suggested_name: str = "summary.pdf") -> None:
        super().__init__(parent)
        self.setWindowTitle(title or tr("Print preview", "PrintPreviewDialog"))
        self.setObjectName("PrintPreviewDialog")
        self.resize(820, 980)
        self._bytes = pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()
        self._suggested = suggested_name
        # QPdfDocument reads from the buffer for as long as it is open: keep both alive.
        self._data = QByteArray(self._bytes)
        self._buffer = QBuffer(self._data, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        if self.document.status() != QPdfDocument.Status.Ready or self.document.pageCount() < 1:
            raise PrintoutError(tr("This printout could not be opened for preview. Try making "
                                   "it again.", "PrintPreviewDialog"))

        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setAccessibleName(tr("Printout pages", "PrintPreviewDialog"))
        self.pages_label = QLabel(tr("%n page(s)", "PrintPreviewDialog",
                                     n=self.document.pageCount()))

        buttons = QDialogButtonBox(self)
        self.print_button = QPushButton(tr("&Print...", "PrintPreviewDialog"))
        self.save_button = QPushButton(tr("&Save as PDF...", "PrintPreviewDialog"))
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.choose_printer)
        self.save_button.clicked.connect(self.choose_file)
        self.print_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.pages_label)
        layout.addWidget(buttons)

    @property
    def page_count(self) -> int:
        return int(self.document.pageCount())

    # -- printing ----------------------------------------------------------------------

    def choose_printer(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        printer.setFromTo(1, self.page_count)
        dialog = QPrintDialog(printer, self)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.accepted.connect(lambda: self.print_to(printer))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()  # not exec(): the event loop (and tests) carry on

    def print_to(self, printer: QPrinter) -> int:
        """Render each page (of the chosen range) onto ``printer``; returns pages printed."""
        first, last = printer.fromPage(), printer.toPage()
        if first == 0 and last == 0:  # no range chosen: all pages
            first, last = 1, self.page_count
        first, last = max(1, first), min(self.page_count, last)
        painter = QPainter()
        if not painter.begin(printer):
            show_error(self, PrintoutError(tr("The printer could not be started. Check that "
                                              "it is switched on and try again.",
                                              "PrintPreviewDialog")))
            return 0
        try:
            for number, index in enumerate(range(first - 1, last)):
                if number:
                    printer.newPage()
                self._paint_page(painter, printer, index)
        finally:
            painter.end()
        count = last - first + 1
        self.printed.emit(count)
        return count

    def _paint_page(self, painter: QPainter, printer: QPrinter, index: int) -> None:
        area = printer.pageLayout().paintRectPixels(printer.resolution())
        page = self.document.pagePointSize(index)
        scale = min(area.width() / page.width(), area.height() / page.height())
        size = QSize(int(page.width() * scale), int(page.height() * scale))
        image = self.document.render(index, size)
        painter.drawImage(QRect(0, 0, size.width(), size.height()), image)

    # -- saving ------------------------------------------------------------------------

    def choose_file(self) -> None:
        dialog = QFileDialog(self, tr("Save the printout as PDF", "PrintPreviewDialog"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(tr("PDF files (*.pdf)", "PrintPreviewDialog"))
        dialog.setDefaultSuffix("pdf")
        dialog.selectFile(self._suggested)
        dialog.fileSelected.connect(self.save_to)
        dialog.open()

    def save_to(self, path: str | Path) -> None:
        target = Path(path)
        try:
            target.write_bytes(self._bytes)
        except OSError as e:
            show_error(self, PrintoutError(tr("The PDF could not be saved there ({reason}). "
                                              "Choose another folder.", "PrintPreviewDialog")
                                           .format(reason=e.strerror)))
            return
        self.saved.emit(str(target))

    def closeEvent(self, event: object) -> None:  # noqa: N802 (Qt's name)
        self.document.close()
        super().closeEvent(event)  # type: ignore[arg-type]

