"""Helpers for the store tests: a linked record of every kind, and the log tables read raw."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from eolcare.domain.entities import (
    CircleMember,
    ContactNote,
    Document,
    Involvement,
    Person,
    RotaSlot,
    Service,
    Task,
    Volunteer,
)
from eolcare.domain.operations import Operation
from eolcare.domain.schema import Entity
from eolcare.store import inbox
from eolcare.store.database import Store
from eolcare.store.tables import ENTITY_TABLES, FieldChangeRow, OperationRow, OutboxRow
from tests.domain.factories import TODAY, full


def new_id() -> str:
    return str(uuid.uuid4())


def linked_record(**person: Any) -> list[Entity]:
    """A full entity of every kind, references wired, in an order that can be added."""
    p = full(Person, id=new_id(), **person)
    vol = full(Volunteer, id=new_id())
    svc = full(Service, id=new_id())
    member = full(CircleMember, id=new_id(), person_id=p.id, volunteer_id=vol.id)
    first = full(ContactNote, id=new_id(), person_id=p.id, amends=None)
    return [
        p, vol, svc, member,
        full(Document, id=new_id(), person_id=p.id),
        full(Involvement, id=new_id(), person_id=p.id, service_id=svc.id),
        first,
        full(ContactNote, id=new_id(), person_id=p.id, amends=first.id),
        full(Task, id=new_id(), person_id=p.id),
        full(RotaSlot, id=new_id(), person_id=p.id, helper_id=member.id),
    ]


def add_all(store: Store, entities: list[Entity]) -> list[Operation]:
    with store.writing(TODAY) as w:
        for e in entities:
            w.add(e)
        return list(w.operations)


def operations(session: Session) -> list[OperationRow]:
    return list(session.scalars(select(OperationRow).order_by(OperationRow.seq)))


def outbox_seqs(session: Session) -> list[int]:
    return list(session.scalars(select(OutboxRow.op_seq).order_by(OutboxRow.op_seq)))


def field_changes(session: Session, entity_id: str | None = None) -> list[FieldChangeRow]:
    query = select(FieldChangeRow).order_by(FieldChangeRow.id)
    if entity_id is not None:
        query = query.where(FieldChangeRow.entity_id == entity_id)
    return list(session.scalars(query))


def log_of(store: Store, after_seq: int = 0) -> list[Operation]:
    """A store's operations as sync carries them (through their JSON form, ``base`` and all)."""
    with store.reading() as s:
        return [Operation.from_json(inbox.operation_from_row(r).to_json())
                for r in operations(s) if r.seq > after_seq]


def ship(ops: list[Operation], to: Store, feed: str = "team") -> inbox.Received:
    """Receive operations from another device as sync does: one page, through the inbox."""
    with to.writing(TODAY) as w:
        return inbox.receive(w, feed, ops, inbox.cursor(w.session, feed) + len(ops))


def entity_row(session: Session, kind: str, entity_id: str) -> dict[str, Any]:
    table = ENTITY_TABLES[kind]
    row = session.execute(select(table).where(table.c.id == entity_id)).mappings().one()
    return dict(row)


def table_counts(session: Session) -> dict[str, int]:
    from sqlalchemy import func

    from eolcare.store.tables import metadata

    return {name: session.scalar(select(func.count()).select_from(t)) or 0
            for name, t in metadata.tables.items()}
