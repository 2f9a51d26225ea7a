"""Reading the caseload: one person's whole record, lists, reviews due, history.

Queries return the plain values of :mod:`eolcare.domain.record`; deleted
entries (tombstones) are left out except where history asks for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Table, and_, func, or_, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from eolcare.domain.entities import (
    KINDS,
    CircleMember,
    ContactNote,
    Document,
    Involvement,
    Person,
    RotaSlot,
    Service,
    Task,
)
from eolcare.domain.errors import AmbiguousReferenceError, NotFoundError
from eolcare.domain.hlc import Stamp
from eolcare.domain.operations import Action
from eolcare.domain.record import Change, PersonRecord, PersonSummary, ReviewDue, ServiceInvolved
from eolcare.domain.schema import Entity
from eolcare.domain.values import normalise_nhs_number
from eolcare.store import search
from eolcare.store.mapping import row_to_entity
from eolcare.store.tables import ENTITY_TABLES, FieldChangeRow, OperationRow
from eolcare.store.writes import DELETED, field_stamps, load

E = TypeVar("E", bound=Entity)

PEOPLE = ENTITY_TABLES["person"]
TASKS = ENTITY_TABLES["task"]
_ENDED = ("died", "discharged")


def _child_rows(session: Session, cls: type[Entity], person_id: str,
                order: str) -> list[RowMapping]:
    table: Table = ENTITY_TABLES[cls.KIND]
    return list(session.execute(
        select(table)
        .where(table.c.person_id == person_id, table.c.deleted_stamp.is_(None))
        .order_by(table.c[order], table.c.id)
    ).mappings())


def children(session: Session, cls: type[E], person_id: str, order: str = "id") -> list[E]:
    """The live entities of one kind in a person's record, ordered by ``order``."""
    rows = _child_rows(session, cls, person_id, order)
    stamps = field_stamps(session, [r["id"] for r in rows])
    return [row_to_entity(cls, r, stamps.get(r["id"])) for r in rows]


_SECTIONS: tuple[tuple[type[Entity], str], ...] = (
    (CircleMember, "name"), (Involvement, "since"), (ContactNote, "occurred_at"),
    (Task, "due"), (RotaSlot, "starts_at"), (Document, "name"),
)


def load_record(session: Session, person_id: str) -> PersonRecord:
    """Everything recorded about one person (each entity with its fields' stamps)."""
    person = load(session, Person, person_id)
    rows = {cls: _child_rows(session, cls, person_id, order) for cls, order in _SECTIONS}
    service_ids = {r["service_id"] for r in rows[Involvement]}
    services_table = ENTITY_TABLES["service"]
    service_rows = session.execute(
        select(services_table).where(services_table.c.id.in_(service_ids))).mappings().all()
    stamps = field_stamps(session, [r["id"] for listed in (*rows.values(), service_rows)
                                    for r in listed])

    def entities(cls: type[E]) -> list[E]:
        return [row_to_entity(cls, r, stamps.get(r["id"])) for r in rows[cls]]

    services = {r["id"]: row_to_entity(Service, r, stamps.get(r["id"])) for r in service_rows}
    return PersonRecord(
        person=person,
        circle=entities(CircleMember),
        services=[ServiceInvolved(i, services[i.service_id]) for i in entities(Involvement)
                  if i.service_id in services],
        contacts=list(reversed(entities(ContactNote))),
        tasks=entities(Task),
        rota=entities(RotaSlot),
        documents=entities(Document),
    )


_SUMMARY_COLUMNS = (
    PEOPLE.c.id, PEOPLE.c.full_name, PEOPLE.c.preferred_name, PEOPLE.c.nhs_number,
    PEOPLE.c.date_of_birth, PEOPLE.c.status_code, PEOPLE.c.gsf_stage_code,
    PEOPLE.c.needs_review,
)


def _summary(row: Sequence[Any]) -> PersonSummary:
    pid, name, preferred, nhs, born, status, stage, review = row
    return PersonSummary(pid, name, preferred, nhs, born, status, stage, bool(review))


def list_people(session: Session, *, include_ended: bool = False, limit: int | None = None,
                offset: int = 0) -> list[PersonSummary]:
    """The caseload in name order; people who died or were discharged only when asked."""
    query = select(*_SUMMARY_COLUMNS).where(PEOPLE.c.deleted_stamp.is_(None))
    if not include_ended:
        query = query.where(or_(PEOPLE.c.status_code.is_(None),
                                PEOPLE.c.status_code.not_in(_ENDED)))
    query = query.order_by(PEOPLE.c.full_name, PEOPLE.c.id).offset(offset).limit(limit)
    return [_summary(r) for r in session.execute(query)]


def count_people(session: Session) -> int:
    return session.scalar(
        select(func.count()).select_from(PEOPLE).where(PEOPLE.c.deleted_stamp.is_(None))
    ) or 0


def find_people(session: Session, query: str, limit: int = 50) -> list[PersonSummary]:
    """People whose name, NHS number, address, circle or notes match, best first."""
    ids = search.search_people(session, query, limit)
    if not ids:
        return []
    rows = session.execute(
        select(*_SUMMARY_COLUMNS).where(PEOPLE.c.id.in_(ids), PEOPLE.c.deleted_stamp.is_(None))
    )
    by_id = {r[0]: _summary(r) for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def reviews_due(session: Session, today: date, within_days: int = 14) -> list[ReviewDue]:
    """Reviews and tasks due by ``today + within_days`` (overdue ones included), soonest first.

    Covers CPR decision reviews, preference reviews and open tasks, for people
    still on the caseload.
    """
    horizon = today + timedelta(days=within_days)
    active = and_(PEOPLE.c.deleted_stamp.is_(None),
                  or_(PEOPLE.c.status_code.is_(None), PEOPLE.c.status_code.not_in(_ENDED)))
    found: list[ReviewDue] = []
    for column, source, what in (
        (PEOPLE.c.cpr_review_date, "cpr", "Review CPR decision"),
        (PEOPLE.c.preferences_review_date, "preferences", "Review preferences"),
    ):
        rows = session.execute(
            select(PEOPLE.c.id, PEOPLE.c.full_name, column)
            .where(active, column.is_not(None), column <= horizon)
        )
        found += [ReviewDue(pid, name, what, due, source) for pid, name, due in rows]
    task_rows = session.execute(
        select(TASKS.c.id, TASKS.c.title, TASKS.c.due, PEOPLE.c.id, PEOPLE.c.full_name)
        .join_from(TASKS, PEOPLE, TASKS.c.person_id == PEOPLE.c.id, isouter=True)
        .where(TASKS.c.deleted_stamp.is_(None), TASKS.c.done_on.is_(None),
               TASKS.c.due <= horizon,
               or_(TASKS.c.person_id.is_(None), active))
    )
    found += [ReviewDue(pid, name, title, due, "task", tid)
              for tid, title, due, pid, name in task_rows]
    return sorted(found, key=lambda r: (r.due, r.person_name or "", r.what))


def history(session: Session, person_id: str, field: str | None = None) -> list[Change]:
    """Every change to a person's record (or one field of it), oldest first.

    ``field`` is a field name of any kind in the record (e.g.
    ``preferred_place_of_death``, or ``name`` for circle members). The values
    an entity was created with come from its creating operation; later edits,
    deletes and restores from the field history.
    """
    load(session, Person, person_id, deleted=True)  # NotFoundError for a wrong id
    if field is not None:
        known = {name for cls in KINDS.values() for name in cls.FIELDS} | {DELETED}
        if field not in known:
            raise NotFoundError("There is no field of that name in the record.")
    edits = select(FieldChangeRow).where(
        or_(FieldChangeRow.record_id == person_id, FieldChangeRow.entity_id == person_id)
    )
    if field is not None:
        edits = edits.where(FieldChangeRow.field == field)
    rows = session.scalars(edits).all()
    found = [(r.stamp, r.id, _change(kind=r.kind, name=r.field, stamp=r.stamp, author=r.author,
                                     device=r.device, entity_id=r.entity_id, old=r.old,
                                     new=r.new, won=r.won))
             for r in rows]
    merged = {r.op_seq for r in rows}
    creations = session.scalars(select(OperationRow).where(
        or_(OperationRow.record_id == person_id, OperationRow.entity_id == person_id),
        OperationRow.action == Action.CREATE.value,
    ))
    for op in creations:
        if op.seq in merged:
            continue  # a creation that arrived late was merged field by field above
        found += [(op.stamp, -1, _change(kind=op.kind, name=name, stamp=op.stamp,
                                         author=op.author, device=op.device,
                                         entity_id=op.entity_id, old=None, new=value,
                                         won=True))
                  for name, value in op.changes.items() if field in (None, name)]
    return [change for _, _, change in sorted(found, key=lambda f: (f[0], f[1]))]


def _change(*, kind: str, name: str, stamp: str, author: str, device: str, entity_id: str,
            old: Any, new: Any, won: bool) -> Change:
    spec = KINDS[kind].FIELDS.get(name)
    label = spec.label if spec else ("Deleted" if name == DELETED else name)
    at = datetime.fromtimestamp(Stamp.parse(stamp).wall_ms / 1000, UTC)
    return Change(at=at, author=author, device=device, kind=kind, entity_id=entity_id,
                  field=name, label=label, old=old, new=new, won=won)


def resolve_person(session: Session, ref: str) -> str:
    """A person's id from an id, the start of an id, an NHS number or a search."""
    alive = PEOPLE.c.deleted_stamp.is_(None)
    if len(ref) >= 4:
        ids = session.scalars(select(PEOPLE.c.id).where(PEOPLE.c.id.startswith(ref), alive))
        listed = ids.all()
        if len(listed) == 1:
            return listed[0]
    try:
        nhs: str | None = normalise_nhs_number(ref)
    except ValueError:
        nhs = None
    if nhs:
        listed = session.scalars(select(PEOPLE.c.id).where(PEOPLE.c.nhs_number == nhs,
                                                           alive)).all()
        if len(listed) == 1:
            return listed[0]
    found = search.search_people(session, ref, limit=5)
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFoundError("No one on this profile matches that. Try 'eolcare search'.")
    raise AmbiguousReferenceError(
        f"{len(found)} or more people match that; give more of the name, the NHS number, "
        "or the id shown by 'eolcare search'."
    )
