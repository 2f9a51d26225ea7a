"""The record as text for a terminal, laid out by the shared display layer.

How each value reads, the sections and their order, and the JSON for
``--json`` all come from :mod:`eolcare.domain.display` (the window and the
printouts use the same); this module only aligns columns and indents lines
for a terminal.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date

from eolcare.domain import codes, display
from eolcare.domain.record import HistoryEntry, PersonRecord, PersonSummary, ReviewDue
from eolcare.domain.rota import Occurrence
from eolcare.domain.schema import FieldSpec
from eolcare.domain.values import format_nhs_number


def display_width(text: str) -> int:
    """Terminal columns `text` takes: wide (CJK) characters two, combining marks none."""
    return sum(0 if unicodedata.combining(ch) else
               2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Columns aligned by display width, so Chinese or Japanese names keep them straight."""
    rows = [list(r) for r in rows]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in rows])
              for i, h in enumerate(headers)]
    line = "  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True))
    out = [line.rstrip(), "  ".join("-" * w for w in widths)]
    out += ["  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip()
            for r in rows]
    return "\n".join(out)


def people(summaries: Sequence[PersonSummary]) -> str:
    if not summaries:
        return "No one found."
    rows = [
        [s.full_name + (f" ({s.preferred_name})" if s.preferred_name else ""),
         format_nhs_number(s.nhs_number) if s.nhs_number else "",
         display.format_day(s.date_of_birth),
         codes.GSF_STAGE.display(s.gsf_stage).split(":")[0] if s.gsf_stage else "",
         codes.STATUS.display(s.status) if s.status else "Active",
         "needs review" if s.needs_review else "",
         s.id[:8]]
        for s in summaries
    ]
    return table(["Name", "NHS number", "Born", "GSF", "Status", "", "Id"], rows)


def _indented(label: str, text: str, indent: str = "  ") -> list[str]:
    """``label: text`` with a multi-line value indented under its label."""
    first, *rest = text.splitlines() or [""]
    pad = indent + " " * (display_width(label) + 2)
    return [f"{indent}{label}: {first}", *(pad + line for line in rest)]


def _rows(rows: Sequence[display.Row], indent: str = "  ") -> list[str]:
    return [line for r in rows for line in _indented(r.label, r.text, indent)]


def record(rec: PersonRecord, week: Sequence[Occurrence] = ()) -> str:
    """The whole record, section by section (the display layer's order), then the coming week."""
    person = rec.person
    provenance = display.provenance_line(person)
    out = [display.display_name(person), provenance.upper() if person.provenance
           and person.provenance.needs_review else provenance, ""]
    for section in display.record_sections(rec):
        out.append(section.title)
        out += _rows(section.rows)
        for item in section.items:
            out.append(f" * {item.title}")
            out += _rows(item.rows, "    ")
        out.append("")
    names = {m.id: m.name for m in rec.circle}
    out.append("Help rota, coming week")
    for o in week:
        spec = o.slot.FIELDS["activity"]
        who = names.get(o.slot.helper_id or "", "") or "GAP: nobody signed up"
        out.append(f" * {o.starts_at.astimezone():%a %d %b %H:%M}-{o.ends_at.astimezone():%H:%M} "
                   f"{display.show_value(spec, o.slot.activity)}: {who}")
    if not week:
        out.append("  (nothing this week)")
    return "\n".join(out)


def reviews(items: Sequence[ReviewDue], today: date) -> str:
    if not items:
        return "No reviews or tasks due."
    rows = [[("OVERDUE " if r.overdue(today) else "due ") + display.format_day(r.due),
             r.person_name or "(no person)", r.what] for r in items]
    return table(["When", "Person", "What"], rows)


def changes(items: Sequence[HistoryEntry], specs: dict[tuple[str, str], FieldSpec]) -> str:
    if not items:
        return "No changes recorded."
    rows = []
    for c in items:
        spec = specs.get((c.kind, c.field))
        old = display.show_json_value(spec, c.old) if spec else str(c.old)
        new = display.show_json_value(spec, c.new) if spec else str(c.new)
        state = "" if c.won else "  (not applied: a later change won; kept for review)"
        rows.append([f"{c.at.astimezone():%d %b %Y %H:%M}", c.author, c.label,
                     f"{old} -> {new}{state}"])
    return table(["When", "By", "Field", "HistoryEntry"], rows)
