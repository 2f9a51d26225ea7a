"""The record as text for a terminal, laid out by the shared display layer.

How each value reads, the sections and their order, and the JSON for
``--json`` all come from :mod:`eolcare.domain.display` (the window and the
printouts use the same); this module only aligns columns and indents lines
for a terminal.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from eolcare.cli.tables import _pad, display_width, table
from eolcare.domain import codes, display
from eolcare.domain.record import HistoryEntry, PersonRecord, PersonSummary, ReviewDue
from eolcare.domain.rota import Occurrence
from eolcare.domain.schema import FieldSpec
from eolcare.domain.values import format_nhs_number


def short_id(entity_id: str) -> str:
    """The last 8 characters of an id: enough to name a record on the command line.

    The end, not the start: ids are time-ordered (UUIDv7), so ids made the
    same minute share their first characters and differ at the random end.
    """
    return entity_id[-8:]


def _gsf(code: str | None) -> str:
    return codes.GSF_STAGE.display(code).split(":")[0] if code else ""


def people(summaries: Sequence[PersonSummary],
           found_in: Mapping[str, Sequence[str]] | None = None) -> str:
    """The caseload as a table; with ``found_in``, where each search match was found."""
    if not summaries:
        return "No one found."
    headers = ["Name", "NHS number", "Born", "GSF", "Status", "", "Id"]
    rows = [
        [display.display_name(s),
         format_nhs_number(s.nhs_number) if s.nhs_number else "",
         display.format_day(s.date_of_birth),
         _gsf(s.gsf_stage),
         codes.STATUS.display(s.status) if s.status else "Active",
         "needs review" if s.needs_review else "",
         short_id(s.id)]
        for s in summaries
    ]
    if found_in is not None:
        headers.insert(1, "Found in")
        for row, s in zip(rows, summaries, strict=True):
            row.insert(1, ", ".join(found_in.get(s.id, ())))
    return table(headers, rows)


def matches(summaries: Sequence[PersonSummary]) -> str:
    """The people a reference matched, with what tells them apart."""
    return table(["Name", "Born", "NHS number", "Id"], [
        [display.display_name(s), display.format_day(s.date_of_birth),
         format_nhs_number(s.nhs_number) if s.nhs_number else "", short_id(s.id)]
        for s in summaries])


def _indented(label: str, text: str, indent: str = "  ") -> list[str]:
    """``label: text`` with a multi-line value indented under its label."""
    first, *rest = text.splitlines() or [""]
    pad = indent + " " * (display_width(label) + 2)
    return [f"{indent}{label}: {first}", *(pad + line for line in rest)]


def _rows(rows: Sequence[display.Row], indent: str = "  ") -> list[str]:
    return [line for r in rows for line in _indented(r.label, r.text, indent)]


def record(rec: PersonRecord, week: Sequence[Occurrence] = ()) -> str:
    """The whole record, section by section (the display layer's order), then the coming week."""
    from eolcare.cli.kinds import cli_name

    person = rec.person
    provenance = display.provenance_line(person)
    out = [display.display_name(person), provenance.upper() if person.provenance
           and person.provenance.needs_review else provenance, ""]
    for section in display.record_sections(rec):
        out.append(section.title)
        out += _rows(section.rows)
        for item in section.items:
            out.append(f" * {item.title}  [{cli_name(type(item.entity))} "
                       f"{short_id(item.entity.id)}]")
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
    """Reviews and tasks in three groups with counts: overdue, due this week, later."""
    if not items:
        return "No reviews or tasks due."
    week = today + timedelta(days=7)
    groups = (("Overdue", [r for r in items if r.due < today]),
              ("Due this week", [r for r in items if today <= r.due < week]),
              ("Later", [r for r in items if r.due >= week]))
    out = []
    for title, group in groups:
        if not group:
            continue
        out.append(f"{title} ({len(group)})")
        out.append(table(["Due", "Person", "What", "Task"], [
            [display.format_day(r.due), r.person_name or "(team task)", r.what,
             short_id(r.task_id) if r.task_id else ""]
            for r in group]))
        out.append("")
    return "\n".join(out).rstrip()


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
    return table(["When", "By", "Field", "Change"], rows)


def fields(rows: Sequence[Sequence[str]]) -> str:
    """Fields by section: name and label, then what each takes, wrapped under it."""
    width = max(display_width(r[0]) for r in rows) + 2
    out: list[str] = []
    section = None
    for name, label, takes, in_section in rows:
        if in_section != section:
            out += ["", in_section] if out else [in_section]
            section = in_section
        out.append(f"  {_pad(name, width)}{label}")
        out += textwrap.wrap(f"takes: {takes}", 100 - width, initial_indent=" " * (width + 2),
                             subsequent_indent=" " * (width + 4))
    return "\n".join(out)
