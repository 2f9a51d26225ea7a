"""Plain-text tables for a terminal: columns aligned by the columns each character takes.

Light on purpose (no record, no store): commands that only list profiles or
backups print tables without loading the record's display layer.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence


def _columns(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Cf", "Mn", "Me"):
        return 0  # accents, vowel signs, and invisible marks such as the bidi isolates
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def display_width(text: str) -> int:
    """Terminal columns `text` takes: wide (CJK) characters two, combining marks none."""
    return sum(_columns(ch) for ch in text)


_FSI, _PDI = "\u2068", "\u2069"


def _isolated(text: str) -> str:
    """Right-to-left text (Arabic, Urdu, Hebrew) wrapped in bidi isolates, so a terminal
    that reorders it keeps the padding and the next column where they belong."""
    if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text):
        return f"{_FSI}{text}{_PDI}"
    return text


def _cell(text: str) -> str:
    """One line per table row: line breaks in a value (an address) become ' / '."""
    return _isolated(" / ".join(part.strip() for part in text.splitlines() if part.strip()))


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Columns aligned by display width, so Chinese, Arabic or Vietnamese names keep
    them straight."""
    rows = [[_cell(c) for c in r] for r in rows]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in rows])
              for i, h in enumerate(headers)]
    line = "  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True))
    out = [line.rstrip(), "  ".join("-" * w for w in widths)]
    out += ["  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip()
            for r in rows]
    return "\n".join(out)
