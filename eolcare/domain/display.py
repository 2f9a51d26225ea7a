"""How the record reads: one Qt-free display layer for the CLI, the window and the printouts.

Every front end shows a value the same way (coded values as their display text
with the coordinator's words beside them, dates as ``03 Mar 2026``, NHS
numbers as ``943 476 5919``), lays a record out in the sections of DATASET.md
in their order, with the labels the field specs declare, and gives scripts the
same JSON. Nothing here formats for one medium: the CLI turns
:class:`Section` into text, the window into forms, the printouts into tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from eolcare.domain import codes
from eolcare.domain.entities import (
    CIRCLE,
    DECISIONS,
    LOG,
    SERVICES,
    Person,
)
from eolcare.domain.record import HistoryEntry, PersonRecord, PersonSummary, ReviewDue
from eolcare.domain.schema import Entity, FieldSpec, FieldType, from_json, to_json
from eolcare.domain.values import Coded, CodedList, format_nhs_number

#: What an empty value reads as where a front end must show something.
NOT_RECORDED = "not recorded"


# -- single values ------------------------------------------------------------------


def format_day(value: date | None) -> str:
    return value.strftime("%d %b %Y") if value else ""


def format_moment(value: datetime | None) -> str:
    """A moment in local time (the store keeps UTC)."""
    return value.astimezone().strftime("%d %b %Y %H:%M") if value else ""


def show_value(spec: FieldSpec, value: Any) -> str:
    """A field value as a coordinator reads it ("" when not recorded)."""
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
        return format_moment(value)
    if isinstance(value, date):
        return format_day(value)
    return str(value)


def show_json_value(spec: FieldSpec, raw: Any) -> str:
    """A value in its operation (JSON) form, as a coordinator reads it."""
    if raw is None:
        return f"({NOT_RECORDED})"
    return show_value(spec, from_json(spec, raw))


def age(born: date | None, today: date) -> int | None:
    """Age in whole years on ``today`` (None without a date of birth)."""
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def display_name(person: Person | PersonSummary) -> str:
    """``Full Name (Preferred)``: the name a person is listed under."""
    full = person.full_name or ""
    preferred = person.preferred_name
    return f"{full} ({preferred})" if preferred and preferred != full else full


def code_label(valueset: codes.ValueSet, code: str | None) -> str:
    """A code's display text alone (a table cell), "" for none."""
    return valueset.display(code) if code else ""


def provenance_line(entity: Entity) -> str:
    """``Last updated by ... on ...`` (and the needs-review mark), "" before it is stored."""
    p = entity.provenance
    if p is None:
        return ""
    text = f"Last updated by {p.updated_by} on {format_moment(p.updated_at)}"
    return text + (" - needs review: a concurrent change was kept" if p.needs_review else "")


# -- sections -----------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One field as shown: its name, label, display text and value."""

    name: str
    label: str
    text: str
    value: Any
    significant: bool = False


@dataclass(frozen=True)
class Item:
    """One entry of a list section (a circle member, a service, a note...)."""

    title: str
    rows: list[Row]
    entity: Entity


@dataclass(frozen=True)
class Section:
    """A section of DATASET.md as shown: its title, the person's fields, and its list entries."""

    title: str
    rows: list[Row] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.rows and not self.items


def entity_rows(entity: Entity, *, skip: Iterable[str] = (), include_empty: bool = False
                ) -> list[Row]:
    """The entity's fields in declaration order (references to other records left out)."""
    skipped = set(skip)
    rows = []
    for name, spec in entity.FIELDS.items():
        value = getattr(entity, name)
        if name in skipped or spec.type is FieldType.REF:
            continue
        if value is None and not include_empty:
            continue
        rows.append(Row(name, spec.label, show_value(spec, value), value, spec.significant))
    return rows


def section_titles(cls: type[Entity] = Person) -> list[str]:
    """The sections an entity kind's fields belong to, in declaration (DATASET) order."""
    return list(dict.fromkeys(spec.section for spec in cls.FIELDS.values()))


def entity_sections(entity: Entity, *, include_empty: bool = False) -> list[Section]:
    """One entity's fields grouped by section, in order (empty sections left out unless asked)."""
    grouped: dict[str, list[Row]] = {title: [] for title in section_titles(type(entity))}
    for row in entity_rows(entity, include_empty=include_empty):
        grouped[entity.FIELDS[row.name].section].append(row)
    return [Section(title, rows) for title, rows in grouped.items()
            if rows or include_empty]


def record_sections(rec: PersonRecord, *, include_empty: bool = False) -> list[Section]:
    """A person's whole record, section by section, as every front end lays it out.

    Sections 1-6 hold the person's own fields (other documents listed under
    decisions); 7 the circle of support; 8 the services involved, those with
    a 24/7 number first; 9 the contact log (newest first), tasks and help rota.
    The person's name is the record's title and is not repeated as a row.
    """
    grouped: dict[str, list[Row]] = {title: [] for title in section_titles(Person)}
    for row in entity_rows(rec.person, skip=("full_name",), include_empty=include_empty):
        grouped[Person.FIELDS[row.name].section].append(row)
    sections = [Section(title, rows, _items(rec.documents, "name") if title == DECISIONS else [])
                for title, rows in grouped.items()]
    services = sorted(rec.services, key=lambda s: s.service.phone_24_7 is None)
    sections += [
        Section(CIRCLE, items=_items(rec.circle, "name")),
        Section(SERVICES, items=[
            Item(_service_title(s.service.name, s.involvement.professional),
                 entity_rows(s.service, skip=("name",)) + entity_rows(s.involvement),
                 s.involvement)
            for s in services
        ]),
        Section(LOG, items=[
            *(Item(f"{format_moment(c.occurred_at)} {_coded_text(c, 'contact_type')}",
                   entity_rows(c, skip=("occurred_at", "contact_type")), c)
              for c in rec.contacts),
            *_items(rec.tasks, "title"),
            *(Item(_coded_text(r, "activity"), entity_rows(r, skip=("activity",)), r)
              for r in rec.rota),
        ]),
    ]
    return [s for s in sections if include_empty or not s.empty]


def _items(entities: Sequence[Entity], title_field: str) -> list[Item]:
    return [Item(str(getattr(e, title_field) or ""), entity_rows(e, skip=(title_field,)), e)
            for e in entities]


def _coded_text(entity: Entity, name: str) -> str:
    return show_value(entity.FIELDS[name], getattr(entity, name))


def _service_title(service: str | None, professional: str | None) -> str:
    return f"{service} - {professional}" if professional else (service or "")


# -- JSON for scripts ---------------------------------------------------------------


def json_value(spec: FieldSpec, value: Any) -> Any:
    """A value for ``--json``: coded values carry code, label and the free text."""
    raw = to_json(spec, value)
    if isinstance(raw, dict) and spec.valueset is not None:
        if spec.type is FieldType.CODED:
            return {**raw, "label": spec.valueset.display(raw["code"])}
        return {**raw, "labels": [spec.valueset.display(c) for c in raw["codes"]]}
    return raw


def entity_json(entity: Entity) -> dict[str, Any]:
    data: dict[str, Any] = {"id": entity.id}
    for name, spec in entity.FIELDS.items():
        data[name] = json_value(spec, getattr(entity, name))
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
            "status": _code_json(codes.STATUS, s.status),
            "gsf_stage": _code_json(codes.GSF_STAGE, s.gsf_stage),
            "needs_review": s.needs_review}


def _code_json(valueset: codes.ValueSet, code: str | None) -> dict[str, str] | None:
    return {"code": code, "label": valueset.display(code)} if code else None


def review_json(r: ReviewDue, today: date) -> dict[str, Any]:
    return {"person_id": r.person_id, "person_name": r.person_name, "what": r.what,
            "due": r.due.isoformat(), "source": r.source, "task_id": r.task_id,
            "overdue": r.overdue(today)}


def change_json(c: HistoryEntry) -> dict[str, Any]:
    """One history entry; ``old``/``new`` in the JSON form operations carry."""
    return {"at": c.at.isoformat(), "author": c.author, "device": c.device, "kind": c.kind,
            "entity_id": c.entity_id, "field": c.field, "label": c.label, "old": c.old,
            "new": c.new, "applied": c.won}
