"""The embedded Unicode fonts of the printouts and how text is tagged with them.

ReportLab has no font fallback: a paragraph set in Noto Sans silently drops
Arabic letters. So every run of text in another script is wrapped in
``<font name="...">`` with a face that covers it, and characters no shipped
face covers are replaced by a visible marker rather than printed as boxes or
dropped without a trace. Arabic-script runs (Arabic and Urdu, in Noto Naskh
Arabic) and Indic runs are shaped by ReportLab through ``uharfbuzz``, Arabic
script laid right to left.

The faces are Noto (SIL Open Font Licence, ``resources/fonts/OFL.txt``),
loaded through :mod:`importlib.resources` so the same code works from source,
from an installed wheel and from a PyInstaller bundle.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from importlib import resources
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

#: The body face (Latin with Vietnamese and Welsh, Greek, Cyrillic).
BASE = "EolSans"
BASE_BOLD = "EolSans-Bold"

#: Marker printed where a name uses a script no shipped face covers (see docs/reports.md).
NOT_PRINTABLE = "[not printable here: see the record]"


@dataclass(frozen=True)
class Face:
    """One script's face: its ReportLab names and the files they come from."""

    script: str
    name: str
    regular: str
    bold: str


FACES: tuple[Face, ...] = (
    Face("latin", BASE, "NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    Face("arabic", "EolNaskh", "NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
    Face("devanagari", "EolDevanagari", "NotoSansDevanagari-Regular.ttf",
         "NotoSansDevanagari-Bold.ttf"),
    Face("gurmukhi", "EolGurmukhi", "NotoSansGurmukhi-Regular.ttf", "NotoSansGurmukhi-Bold.ttf"),
    Face("bengali", "EolBengali", "NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf"),
)
_BY_SCRIPT = {f.script: f for f in FACES}

_lock = threading.Lock()
_cmaps: dict[str, frozenset[int]] = {}


def _font_bytes(filename: str) -> bytes:
    return (resources.files("eolcare") / "resources" / "fonts" / filename).read_bytes()


def licence_text() -> str:
    """The SIL Open Font Licence the shipped faces come under."""
    return (resources.files("eolcare") / "resources" / "fonts" / "OFL.txt").read_text("utf-8")


def register() -> None:
    """Register every shipped face with ReportLab (once per process, thread-safe)."""
    with _lock:
        if _cmaps:
            return
        for face in FACES:
            regular = TTFont(face.name, BytesIO(_font_bytes(face.regular)))
            bold = TTFont(f"{face.name}-Bold", BytesIO(_font_bytes(face.bold)))
            pdfmetrics.registerFont(regular)
            pdfmetrics.registerFont(bold)
            addMapping(face.name, 0, 0, face.name)
            addMapping(face.name, 1, 0, f"{face.name}-Bold")
            addMapping(face.name, 0, 1, face.name)  # no italics shipped: upright instead
            addMapping(face.name, 1, 1, f"{face.name}-Bold")
            _cmaps[face.script] = frozenset(regular.face.charToGlyph)


def script_of(ch: str) -> str | None:
    """The script a character needs a face for; None for spaces, digits, punctuation."""
    cp = ord(ch)
    if 0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0xFB50 <= cp <= 0xFDFF \
            or 0xFE70 <= cp <= 0xFEFF:
        return "arabic"
    if 0x0900 <= cp <= 0x097F:
        return "devanagari"
    if 0x0980 <= cp <= 0x09FF:
        return "bengali"
    if 0x0A00 <= cp <= 0x0A7F:
        return "gurmukhi"
    if ch.isspace() or unicodedata.category(ch)[0] in "NPSZ":
        return None
    if unicodedata.category(ch) == "Cf":  # joiners (ZWJ/ZWNJ) belong with the run they are in
        return None
    return "latin"


def _runs(text: str) -> list[tuple[str, str]]:
    """Split text into (script, run); neutral characters join the run around them."""
    if text.isascii():
        return [("latin", text)] if text else []
    scripts = [script_of(ch) for ch in text]
    after: list[str | None] = [None] * len(text)
    following: str | None = None
    for i in range(len(text) - 1, -1, -1):
        after[i] = following
        if scripts[i] is not None:
            following = scripts[i]
    runs: list[tuple[str, str]] = []
    before: str | None = None
    for i, ch in enumerate(text):
        s = scripts[i]
        if s is None:
            s = before if before is not None and before == after[i] else "latin"
        else:
            before = s
        if runs and runs[-1][0] == s:
            runs[-1] = (s, runs[-1][1] + ch)
        else:
            runs.append((s, ch))
    return runs


def _glue(runs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Keep every word in one face: ReportLab shapes a word with its *first* face only.

    Where a run of another script touches other characters with no space
    between (``(عائشہ`` or ``शर्मा)``), the punctuation moves into that run when
    its face has it (Indic faces have ASCII punctuation); otherwise (Naskh has
    no ASCII brackets) a zero-width space splits the word there: ReportLab
    then lays a small gap instead of drawing the bracket with the wrong font.
    """
    out = [list(r) for r in runs]
    for i in range(len(out) - 1):
        left, right = out[i], out[i + 1]
        if "latin" not in (left[0], right[0]) or left[1][-1:].isspace() \
                or right[1][:1].isspace() or not left[1] or not right[1]:
            continue
        complex_side, latin_side = (left, right) if right[0] == "latin" else (right, left)
        cmap = _cmaps[_face_for(complex_side[0], complex_side[1]).script]
        latin = latin_side[1]
        if latin_side is right:
            edge = len(latin) - len(latin.lstrip(_PUNCT))
            moved, rest = latin[:edge], latin[edge:]
        else:
            edge = len(latin.rstrip(_PUNCT))
            rest, moved = latin[:edge], latin[edge:]
        if moved and not (rest and not rest[0 if latin_side is right else -1].isspace()) \
                and all(ord(ch) in cmap for ch in moved):
            latin_side[1] = rest
            complex_side[1] = complex_side[1] + moved if latin_side is right \
                else moved + complex_side[1]
        elif latin_side is right:
            latin_side[1] = _GAP + latin
        else:
            latin_side[1] = latin + _GAP
    return [(script, run) for script, run in out if run]


_GAP = "\u2009"  # a thin space: ReportLab splits words there (any other mark would not)
_PUNCT = "()[]{}-,.;:!?'\"/&%+*"


def _face_for(script: str, run: str) -> Face:
    """Arabic and Urdu both in Naskh: Nastaliq is Urdu's usual style, but its glyphs carry
    no Unicode mapping in ReportLab's PDFs (names could not be searched, copied or read
    aloud) and its tall marks overlap the next line at body leading (docs/reports.md)."""
    return _BY_SCRIPT[script]


_COMPLEX = frozenset({"arabic", "devanagari", "gurmukhi", "bengali"})


def needs_shaping(text: str) -> bool:
    """Whether ``text`` has a run HarfBuzz must shape (Latin text is drawn unshaped: faster)."""
    return any(script_of(ch) in _COMPLEX for ch in text if ord(ch) >= 0x0600)


def covered(text: str) -> bool:
    """Whether every character of ``text`` prints with a shipped face."""
    return all(_printable(script, run) for script, run in _runs(text))


def _printable(script: str, run: str) -> bool:
    register()
    cmap = _cmaps[_face_for(script, run).script]
    return all(ord(ch) in cmap or ch.isspace() or unicodedata.category(ch) == "Cf"
               for ch in run)


def markup(text: str) -> str:
    """``text`` as ReportLab paragraph markup: escaped, other scripts in their faces.

    Latin runs are left in the paragraph's own face (so bold headings stay
    bold); each run of another script is wrapped in its face. A run with
    characters no face covers becomes :data:`NOT_PRINTABLE`.
    """
    register()
    out: list[str] = []
    for script, run in _glue(_runs(text)):
        if not _printable(script, run):
            if not out or out[-1] != escape(NOT_PRINTABLE):
                out.append(escape(NOT_PRINTABLE))
            continue
        if script == "latin":
            out.append(escape(run))
        else:
            out.append(f'<font name="{_face_for(script, run).name}">{escape(run)}</font>')
    return "".join(out).replace("\n", "<br/>")


def base_covers(text: str) -> bool:
    """Whether the base face alone draws ``text`` (no other script, nothing uncovered)."""
    if text.isascii():
        return True
    register()
    cmap = _cmaps["latin"]
    return all(ord(ch) in cmap or ch.isspace() for ch in text)


def plain(text: str) -> str:
    """``text`` as it can be drawn on the canvas in the base face (headers, footers).

    The canvas draws one face per string, so runs in other scripts are drawn
    through :func:`markup` in paragraphs instead; here they are kept only if
    the base face covers them.
    """
    register()
    cmap = _cmaps["latin"]
    return "".join(ch if ord(ch) in cmap or ch.isspace() else "?" for ch in text)
