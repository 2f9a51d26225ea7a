"""Records that need review: concurrent edits with both values kept, and how one is settled.

When two devices change the same clinically significant field without seeing
each other's change, the store keeps both values (the newer wins for now) and
flags the entity "needs review" (see :mod:`eolcare.store.writes`). This module
answers *what* needs review - for each flagged entity, the fields whose value
is contested, with every competing value, who made it and when - and settles
it: the coordinator's choice is an ordinary edit (it syncs like any other)
carrying a :data:`REVIEWED` mark, and every device that applies it clears the
flag once nothing on the entity is contested any more.

A field is contested when an edit of it was made without seeing the value
that now stands: an edit older than the winner but newer than the value the
winner replaced (the winner's ``base``). The choice replaces the winner having
seen it, so afterwards nothing is contested. Clocks observe every stamp a
device receives, so "older than" and "made without seeing" agree.

A flag with no contested field (an edit made after a delete brought the record
back, a possible duplicate person) is settled with :func:`mark_reviewed`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from eolcare.domain import display
from eolcare.domain.entities import KINDS, Person
from eolcare.domain.errors import NotFoundError, Problem, ValidationError
from eolcare.domain.hlc import Stamp
from eolcare.domain.operations import OpAction
from eolcare.domain.schema import Entity, from_json
from eolcare.store.tables import ENTITY_TABLES, FieldChangeRow, OperationRow

if TYPE_CHECKING:
    from eolcare.store.writes import Writer

#: The mark an operation carries when it settles a review (ignored as a field everywhere).
REVIEWED = "_reviewed"

PEOPLE = ENTITY_TABLES["person"]


@dataclass(frozen=True)
class ConflictValue:
    """One of the competing values of a contested field."""

    raw: Any  #: the JSON form (what :func:`resolve` takes back)
    text: str  #: as a coordinator reads it
    author: str
    device: str
    at: datetime
    current: bool  #: the value the record holds now


@dataclass(frozen=True)
class Conflict:
    """Something on a person's record that needs a coordinator to look at it."""

    kind: str
    entity_id: str
    person_id: str | None
    person_name: str | None
    #: the contested field; None when the flag has no contested field (see module doc)
    field: str | None
    label: str
    values: list[ConflictValue]


@dataclass(frozen=True)
class _Edit:
    order: str  #: its stamp, "" for the value the entity was created with (older than any)
    stamp: str
    raw: Any
    author: str
    device: str
    base: str  #: the stamp of the value this edit replaced


def count_needing_review(session: Session) -> int:
    """How many live records (of any kind) are flagged "needs review"."""
    return sum(
        session.scalar(select(func.count()).select_from(table).where(
            table.c.needs_review.is_(True), table.c.deleted_stamp.is_(None))) or 0
        for table in ENTITY_TABLES.values()
    )


def conflicts(session: Session, person_id: str | None = None) -> list[Conflict]:
    """Everything flagged "needs review" (on one person's record, or on the whole profile)."""
    found: list[Conflict] = []
    for kind, table in ENTITY_TABLES.items():
        query = select(table.c.id).where(table.c.needs_review.is_(True),
                                         table.c.deleted_stamp.is_(None))
        if person_id is not None:
            owner = table.c.id if kind == "person" else table.c.get("person_id")
            if owner is None:
                continue  # directory entries belong to no person
            query = query.where(owner == person_id)
        for entity_id in session.scalars(query):
            found += entity_conflicts(session, KINDS[kind], entity_id)
    return found


def entity_conflicts(session: Session, cls: type[Entity], entity_id: str) -> list[Conflict]:
    """What is contested on one flagged entity (one entry without a field if nothing is)."""
    owner = _owner(session, cls, entity_id)
    person_name = owner and session.scalar(select(PEOPLE.c.full_name)
                                           .where(PEOPLE.c.id == owner))
    found = []
    for name, (winner, rivals) in contested(session, cls, entity_id).items():
        spec = cls.FIELDS[name]
        values = [
            ConflictValue(e.raw, display.show_json_value(spec, e.raw), e.author, e.device,
                          _when(e.stamp), e is winner)
            for e in [winner, *rivals]
        ]
        found.append(Conflict(cls.KIND, entity_id, owner, person_name, name, spec.label, values))
    if not found:
        found.append(Conflict(cls.KIND, entity_id, owner, person_name, None,
                              "Changed on another device after it was deleted, or possibly "
                              "the same person as another record", []))
    return found


def contested(session: Session, cls: type[Entity], entity_id: str
              ) -> dict[str, tuple[_Edit, list[_Edit]]]:
    """For each contested significant field: the standing value, and those made without
    seeing it (distinct values only, newest first)."""
    found = {}
    for name, edits in _edits(session, cls, entity_id).items():
        winner = max(edits, key=lambda e: e.order)
        seen_values = {_key(winner.raw)}
        rivals = []
        for e in sorted(edits, key=lambda e: e.order, reverse=True):
            if winner.base < e.order < winner.order and _key(e.raw) not in seen_values:
                seen_values.add(_key(e.raw))
                rivals.append(e)
        if rivals:
            found[name] = (winner, rivals)
    return found


def resolve(writer: Writer, kind: str, entity_id: str, field: str, chosen: Any) -> Entity:
    """Settle a contested field with the value the coordinator chose (a JSON form from
    :class:`ConflictValue.raw`; it may be the value standing now)."""
    cls = _kind(kind)
    if field not in contested(writer.session, cls, entity_id):
        raise ValidationError(Problem(cls.FIELDS[field].label if field in cls.FIELDS
                                      else field, "has no competing values to choose from"))
    return writer.settle(cls, entity_id, {field: from_json(cls.FIELDS[field], chosen)})


def mark_reviewed(writer: Writer, kind: str, entity_id: str) -> Entity:
    """Settle a flag that has no contested field (the coordinator has looked at it)."""
    return writer.settle(_kind(kind), entity_id, {})


def _kind(kind: str) -> type[Entity]:
    cls = KINDS.get(kind)
    if cls is None:
        raise NotFoundError("There is no such kind of record.")
    return cls


def _edits(session: Session, cls: type[Entity], entity_id: str) -> dict[str, list[_Edit]]:
    """Every edit of each clinically significant field that reached this device."""
    significant = [name for name, spec in cls.FIELDS.items() if spec.significant]
    edits: dict[str, list[_Edit]] = defaultdict(list)
    rows = session.execute(
        select(FieldChangeRow.field, FieldChangeRow.stamp, FieldChangeRow.new,
               FieldChangeRow.author, FieldChangeRow.device, OperationRow.base,
               OperationRow.action)
        .join(OperationRow, OperationRow.seq == FieldChangeRow.op_seq)
        .where(FieldChangeRow.entity_id == entity_id, FieldChangeRow.field.in_(significant))
    )
    for name, stamp, new, author, device, base, action in rows:
        created = action == OpAction.CREATE.value  # a creation that arrived after an edit
        edits[name].append(_Edit("" if created else stamp, stamp, new, author, device,
                                 (base or {}).get(name, "")))
    creation = session.execute(
        select(OperationRow.changes, OperationRow.stamp, OperationRow.author,
               OperationRow.device)
        .where(OperationRow.entity_id == entity_id, OperationRow.action == OpAction.CREATE.value)
        .order_by(OperationRow.stamp).limit(1)
    ).first()
    if creation is not None:
        changes, stamp, author, device = creation
        for name in significant:
            if not any(e.order == "" for e in edits[name]):
                edits[name].append(_Edit("", stamp, (changes or {}).get(name), author, device,
                                         ""))
    return edits


def _owner(session: Session, cls: type[Entity], entity_id: str) -> str | None:
    if cls is Person:
        return entity_id
    if cls.OWNER is None:
        return None
    table = ENTITY_TABLES[cls.KIND]
    owner: str | None = session.scalar(select(table.c[cls.OWNER]).where(table.c.id == entity_id))
    return owner


def _when(stamp: str) -> datetime:
    return datetime.fromtimestamp(Stamp.parse(stamp).wall_ms / 1000, UTC)


def _key(raw: Any) -> str:
    return repr(raw)


def still_flagged(session: Session, cls: type[Entity], entity_id: str) -> bool:
    """Whether anything on the entity is still contested (after a settling edit)."""
    return bool(contested(session, cls, entity_id))



def is_flagged(session: Session, cls: type[Entity], entity_id: str) -> bool:
    """Whether the entity is flagged "needs review" now (contested or not)."""
    table = ENTITY_TABLES[cls.KIND]
    return bool(session.scalar(select(table.c.needs_review).where(table.c.id == entity_id)))
