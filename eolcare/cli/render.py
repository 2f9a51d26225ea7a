"""Text and JSON forms of the record for the command line.

Human output shows labels, display texts and NHS numbers the way they are
written (``943 476 5919``), never codes alone; ``--json`` output gives codes
and text beside each other for scripts.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from eolcare.domain import codes
from eolcare.domain.entities import DECISIONS
from eolcare.domain.record import HistoryEntry, PersonRecord, PersonSummary, ReviewDue
from eolcare.domain.rota import Occurrence
from eolcare.domain.schema import Entity, FieldSpec, FieldType, from_json, to_json
from eolcare.domain.values import Coded, CodedList, format_nhs_number


def show_value(spec: FieldSpec, value: Any) -> str:
    """A field value as a coordinator reads it."""
    if value is None:
        return ""
    if isinstance(value, Coded | CodedList):
        assert spec.valueset is not None
        return value.display(spec.valueset)
    if spec.type is FieldType.BOOL:
        return "Yes" if value else "No"
    if spec.name == "nhs_number":
        return format_nhs_number(value)
    if isinstance(value, datetime):
        return value.astimezone().strftime("%d %b %Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d %b %Y")
    return str(value)


def show_json_value(spec: FieldSpec, raw: Any) -> str:
    """A value in its operation (JSON) form, as a coordinator reads it."""
    if raw is None:
        return "(empty)"
    return show_value(spec, from_json(spec, raw))


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


def _day(d: date | None) -> str:
    return d.strftime("%d %b %Y") if d else ""


def people(summaries: Sequence[PersonSummary]) -> str:
    if not summaries:
        return "No one found."
    rows = [
        [s.full_name + (f" ({s.preferred_name})" if s.preferred_name else ""),
         format_nhs_number(s.nhs_number) if s.nhs_number else "",
         _day(s.date_of_birth),
         codes.GSF_STAGE.display(s.gsf_stage).split(":")[0] if s.gsf_stage else "",
         codes.STATUS.display(s.status) if s.status else "Active",
         "needs review" if s.needs_review else "",
         s.id[:8]]
        for s in summaries
    ]
    return table(["Name", "NHS number", "Born", "GSF", "Status", "", "Id"], rows)


def _fields(entity: Entity, skip: Iterable[str] = ()) -> list[str]:
    skipped = set(skip)
    out = []
    for name, spec in entity.FIELDS.items():
        value = getattr(entity, name)
        if name in skipped or value is None or spec.type is FieldType.REF:
            continue
        out.append(f"  {spec.label}: {show_value(spec, value)}")
    return out


def _provenance(entity: Entity) -> str:
    p = entity.provenance
    if p is None:
        return ""
    text = f"Last updated by {p.updated_by} on {p.updated_at.astimezone():%d %b %Y %H:%M}"
    return text + ("  [NEEDS REVIEW: a concurrent change was kept]" if p.needs_review else "")


def record(rec: PersonRecord, week: Sequence[Occurrence] = ()) -> str:
    """The whole record, section by section, with 24/7 numbers first among services."""
    person = rec.person
    out = [person.full_name or "", _provenance(person), ""]
    sections: dict[str, list[str]] = {}
    for name, spec in person.FIELDS.items():
        value = getattr(person, name)
        if value is not None and name != "full_name":
            sections.setdefault(spec.section, []).append(
                f"  {spec.label}: {show_value(spec, value)}")
    documents = [f"  Other document: {d.name} - kept: {d.location or 'not recorded'}"
                 for d in rec.documents]
    for section in dict.fromkeys(spec.section for spec in person.FIELDS.values()):
        lines = sections.get(section, []) + (documents if section == DECISIONS else [])
        if lines:
            out += [section, *lines, ""]
    out.append("7. Circle of support")
    for m in rec.circle:
        out += [f" * {m.name}", *_fields(m, ("name",))]
    if not rec.circle:
        out.append("  (no one recorded)")
    out += ["", "8. Services involved"]
    ordered = sorted(rec.services, key=lambda s: s.service.phone_24_7 is None)
    for s in ordered:
        svc, inv = s.service, s.involvement
        numbers = [f"24/7: {svc.phone_24_7}"] if svc.phone_24_7 else []
        numbers += [f"phone: {svc.phone}"] if svc.phone else []
        who = f" - {inv.professional}" if inv.professional else ""
        role = f" ({inv.role})" if inv.role else ""
        out.append(f" * {svc.name}{who}{role}  {'; '.join(numbers)}")
    out += ["", "9. Contact log (newest first)"]
    for c in rec.contacts:
        assert c.occurred_at is not None
        assert c.contact_type is not None
        kind = show_value(c.FIELDS["contact_type"], c.contact_type)
        out.append(f" * {c.occurred_at.astimezone():%d %b %Y %H:%M} {kind}: {c.discussed}")
        if c.follow_up:
            out.append(f"   follow-up: {c.follow_up}")
    out += ["", "Tasks"]
    out += [f" * {_day(t.due)} {t.title}" + (f" (done {_day(t.done_on)})" if t.done_on else "")
            for t in rec.tasks] or ["  (none)"]
    names = {m.id: m.name for m in rec.circle}
    out += ["", "Help rota, coming week"]
    for o in week:
        spec = o.slot.FIELDS["activity"]
        who = names.get(o.slot.helper_id or "", "") or "GAP: nobody signed up"
        out.append(f" * {o.starts_at.astimezone():%a %d %b %H:%M}-{o.ends_at.astimezone():%H:%M} "
                   f"{show_value(spec, o.slot.activity)}: {who}")
    if not week:
        out.append("  (nothing this week)")
    return "\n".join(out)


def entity_json(entity: Entity) -> dict[str, Any]:
    data: dict[str, Any] = {"id": entity.id}
    for name, spec in entity.FIELDS.items():
        data[name] = to_json(spec, getattr(entity, name))
    p = entity.provenance
    if p is not None:
        data["_provenance"] = {
            "created_at": p.created_at.isoformat(), "created_by": p.created_by,
            "updated_at": p.updated_at.isoformat(), "updated_by": p.updated_by,
            "needs_review": p.needs_review,
        }
    return data


def record_json(rec: PersonRecord) -> dict[str, Any]:
    return {
        "person": entity_json(rec.person),
        "circle": [entity_json(m) for m in rec.circle],
        "services": [{"involvement": entity_json(s.involvement),
                      "service": entity_json(s.service)} for s in rec.services],
        "contacts": [entity_json(c) for c in rec.contacts],
        "tasks": [entity_json(t) for t in rec.tasks],
        "rota": [entity_json(r) for r in rec.rota],
        "documents": [entity_json(d) for d in rec.documents],
    }


def summary_json(s: PersonSummary) -> dict[str, Any]:
    return {"id": s.id, "full_name": s.full_name, "preferred_name": s.preferred_name,
            "nhs_number": s.nhs_number,
            "date_of_birth": s.date_of_birth.isoformat() if s.date_of_birth else None,
            "status": s.status, "gsf_stage": s.gsf_stage, "needs_review": s.needs_review}


def reviews(items: Sequence[ReviewDue], today: date) -> str:
    if not items:
        return "No reviews or tasks due."
    rows = [[("OVERDUE " if r.overdue(today) else "due ") + _day(r.due),
             r.person_name or "(no person)", r.what] for r in items]
    return table(["When", "Person", "What"], rows)


def review_json(r: ReviewDue, today: date) -> dict[str, Any]:
    return {"person_id": r.person_id, "person_name": r.person_name, "what": r.what,
            "due": r.due.isoformat(), "source": r.source, "task_id": r.task_id,
            "overdue": r.overdue(today)}


def changes(items: Sequence[HistoryEntry], specs: dict[tuple[str, str], FieldSpec]) -> str:
    if not items:
        return "No changes recorded."
    rows = []
    for c in items:
        spec = specs.get((c.kind, c.field))
        old = show_json_value(spec, c.old) if spec else str(c.old)
        new = show_json_value(spec, c.new) if spec else str(c.new)
        state = "" if c.won else "  (not applied: a later change won; kept for review)"
        rows.append([f"{c.at.astimezone():%d %b %Y %H:%M}", c.author, c.label,
                     f"{old} -> {new}{state}"])
    return table(["When", "By", "Field", "Change"], rows)


def change_json(c: HistoryEntry) -> dict[str, Any]:
    return {"at": c.at.isoformat(), "author": c.author, "device": c.device, "kind": c.kind,
            "entity_id": c.entity_id, "field": c.field, "label": c.label, "old": c.old,
            "new": c.new, "applied": c.won}
