"""The page frame every printout shares: styles, header, footer, "page x of y".

Every page carries the person's name, date of birth and NHS number (a page
that falls out of a folder still says whose it is) and a footer with the page
number, the summary's version and a reminder to check for a newer one.
Everything is drawn in the embedded Noto faces: ``initialFontName`` keeps the
canvas off ReportLab's default Helvetica, which would not be embedded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from eolcare.reports import fonts
from eolcare.reports.fonts import BASE, BASE_BOLD, markup

# Binary (not ASCII85) streams: smaller files, less time; PDF readers take either.
rl_config.useA85 = 0

MARGIN = 18 * mm
_PAD = 6  # the frame's own padding, so header and footer line up with the text
WIDTH = A4[0] - 2 * MARGIN - 2 * _PAD
HEADER_SPACE = 10 * mm
FOOTER_SPACE = 14 * mm


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of one printout (normal or large print)."""

    body: ParagraphStyle
    small: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    warning: ParagraphStyle
    cell: ParagraphStyle
    cell_label: ParagraphStyle
    header: ParagraphStyle


def make_styles(large_print: bool = False) -> Styles:
    """Body 11 pt (large print: 16 pt with 1.5 line spacing and more space between)."""
    size = 16.0 if large_print else 10.5
    leading = size * (1.5 if large_print else 1.3)
    gap = size * (0.9 if large_print else 0.5)

    def style(name: str, **kw: Any) -> ParagraphStyle:
        base: dict[str, Any] = {"fontName": BASE, "fontSize": size, "leading": leading,
                                "spaceAfter": gap, "alignment": TA_LEFT, "shaping": 0}
        base.update(kw)
        return ParagraphStyle(name, **base)

    return Styles(
        body=style("body"),
        small=style("small") if large_print else style("small", fontSize=9, leading=11.7),
        title=style("title", fontName=BASE_BOLD, fontSize=size + 8, leading=(size + 8) * 1.25,
                    spaceAfter=gap * 1.5),
        heading=style("heading", fontName=BASE_BOLD, fontSize=size + 4,
                      leading=(size + 4) * 1.3, spaceBefore=gap * 2, spaceAfter=gap,
                      textColor=colors.HexColor("#1d3b5a")),
        subheading=style("subheading", fontName=BASE_BOLD, spaceBefore=gap, spaceAfter=gap / 2),
        warning=style("warning", fontName=BASE_BOLD, textColor=colors.HexColor("#9b1c1c"),
                      borderColor=colors.HexColor("#9b1c1c"), borderWidth=1,
                      borderPadding=4, spaceBefore=gap, spaceAfter=gap * 1.5),
        cell=style("cell", spaceAfter=0),
        cell_label=style("cell_label", fontName=BASE_BOLD, spaceAfter=0),
        header=style("header", fontSize=9 if not large_print else 12,
                     leading=11 if not large_print else 15, spaceAfter=0),
    )


_shaped: dict[int, ParagraphStyle] = {}


def shaped(style: ParagraphStyle, text: str) -> ParagraphStyle:
    """``style``, or its shaping twin when ``text`` has Arabic-script or Indic runs.

    HarfBuzz shaping of every word costs a third of a page's time, and Latin,
    Greek and Cyrillic text reads the same without it.
    """
    if not fonts.needs_shaping(text):
        return style
    twin = _shaped.get(id(style))
    if twin is None:
        twin = _shaped[id(style)] = ParagraphStyle(f"{style.name}-shaped", parent=style,
                                                   shaping=1)
    return twin


def p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped, other scripts tagged with their faces)."""
    return Paragraph(markup(text), shaped(style, text))


def p_markup(fragments: Sequence[tuple[str, bool]], style: ParagraphStyle) -> Paragraph:
    """A paragraph of (text, bold) fragments."""
    return Paragraph("".join(f"<b>{markup(t)}</b>" if bold else markup(t)
                             for t, bold in fragments),
                     shaped(style, "".join(t for t, _ in fragments)))


@dataclass(frozen=True)
class PageFrame:
    """What every page of one printout shows above and below the content."""

    header: str  # e.g. "Name · born ... · NHS number ..."
    footer: str  # e.g. "Version 12 · printed ... · check for a newer version"
    styles: Styles


class _NumberedCanvas(Canvas):
    """A canvas that writes "page x of y" once it knows y (ReportLab's deferred-page recipe)."""

    frame: PageFrame

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._draw_frame(number, total)
            super().showPage()
        super().save()

    def _draw_frame(self, number: int, total: int) -> None:
        width, height = self._pagesize
        inner = width - 2 * MARGIN - 2 * _PAD
        style = self.frame.styles.header
        h = self._text_block(self.frame.header, style, inner, top=height - MARGIN + 2 * mm)
        self.setStrokeColor(colors.grey)
        self.setLineWidth(0.5)
        self.line(MARGIN + _PAD, height - MARGIN - h + 1 * mm, width - MARGIN - _PAD,
                  height - MARGIN - h + 1 * mm)
        self.line(MARGIN + _PAD, MARGIN - 1 * mm, width - MARGIN - _PAD, MARGIN - 1 * mm)
        self._text_block(f"Page {number} of {total} · {self.frame.footer}", style, inner,
                         top=MARGIN - 3 * mm)

    def _text_block(self, text: str, style: ParagraphStyle, width: float, *, top: float
                    ) -> float:
        """Draw wrapped text from ``top`` down; returns its height. Plain lines when the
        base face covers it (every page has two of these), else a Paragraph."""
        if not fonts.base_covers(text):
            para = p(text, style)
            _, h = para.wrap(width, HEADER_SPACE)
            para.drawOn(self, MARGIN + _PAD, top - h)
            return float(h)
        lines = simpleSplit(text, style.fontName, style.fontSize, width)
        self.setFont(style.fontName, style.fontSize)
        self.setFillColor(colors.black)
        for i, line in enumerate(lines):
            self.drawString(MARGIN + _PAD, top - style.fontSize - i * style.leading, line)
        return float(len(lines) * style.leading)


_CELL_PADDING = 2 + 6  # left (set below) + right (ReportLab's default)


def cell(text: str, style: ParagraphStyle, width: float) -> str | Paragraph:
    """A table cell: plain lines when the base face draws the text, else a Paragraph.

    A Paragraph costs about half a millisecond to build and lay out; a long
    professional summary has hundreds of cells, nearly all plain Latin text,
    which ReportLab's ``simpleSplit`` wraps for a fraction of that. Text in
    other scripts still goes through :func:`p` (tagged faces, shaping).
    """
    if not fonts.base_covers(text):
        return p(text, style)
    return "\n".join(simpleSplit(text, style.fontName, style.fontSize, width - _CELL_PADDING))


def table(rows: list[list[Any]], widths: Sequence[float],
          style: Sequence[tuple[Any, ...]] = (), *, padding: float = 3,
          repeat_rows: int = 0, columns: Sequence[ParagraphStyle] = ()) -> Table:
    """A table whose own text state is in the embedded face (ReportLab's cells default to
    Helvetica, which would put an unembedded font in the PDF even with Paragraph cells).

    ``columns`` gives each column's face and size for plain-text cells (:func:`cell`).
    """
    t = Table(rows, colWidths=list(widths), hAlign="LEFT", repeatRows=repeat_rows)
    per_column: list[tuple[Any, ...]] = []
    for i, col in enumerate(columns):
        per_column += [("FONTNAME", (i, 0), (i, -1), col.fontName),
                       ("FONTSIZE", (i, 0), (i, -1), col.fontSize),
                       ("LEADING", (i, 0), (i, -1), col.leading),
                       ("TEXTCOLOR", (i, 0), (i, -1), col.textColor)]
    t.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), BASE),
        *per_column,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#b0b8c0")),
        ("TOPPADDING", (0, 0), (-1, -1), padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding + 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        *style,
    ]))
    return t


def build(out: IO[bytes], story: list[Flowable], frame: PageFrame, *, title: str,
          subject: str) -> None:
    """Lay out ``story`` on A4 pages with the shared header and footer into ``out``."""
    fonts.register()

    class Canvas(_NumberedCanvas):
        pass

    Canvas.frame = frame
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=MARGIN + HEADER_SPACE, bottomMargin=MARGIN + FOOTER_SPACE / 2,
        title=title, subject=subject, author="eolcare", creator="eolcare",
        initialFontName=BASE, initialFontSize=10, lang="en-GB",
    )
    doc.build(story, canvasmaker=Canvas)
