"""Reads the window's directory and rota screens need, beside those of caseload.py.

The shared directories (services, volunteers) listed whole, how many people
each service is involved with, the help rota across the caseload with the
names of who is helped and who helps, and whether an NHS number is already
on the profile. Plain frozen objects out, as everywhere in the store.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from eolcare.domain.entities import RotaSlot, Service, Volunteer
from eolcare.domain.values import normalise_nhs_number
from eolcare.store.mapping import row_to_entity
from eolcare.store.tables import ENTITY_TABLES

_PEOPLE = ENTITY_TABLES["person"]
_ENDED = ("died", "discharged")


def services(session: Session) -> list[Service]:
    """The service directory in name order (deleted entries left out)."""
    table = ENTITY_TABLES["service"]
    rows = session.execute(select(table).where(table.c.deleted_stamp.is_(None))
                           .order_by(table.c.name, table.c.id)).mappings()
    return [row_to_entity(Service, r) for r in rows]


def volunteers(session: Session) -> list[Volunteer]:
    """The community directory in name order (deleted entries left out)."""
    table = ENTITY_TABLES["volunteer"]
    rows = session.execute(select(table).where(table.c.deleted_stamp.is_(None))
                           .order_by(table.c.name, table.c.id)).mappings()
    return [row_to_entity(Volunteer, r) for r in rows]


def service_use(session: Session) -> dict[str, int]:
    """How many people each service is involved with (services with none left out)."""
    inv = ENTITY_TABLES["involvement"]
    rows = session.execute(
        select(inv.c.service_id, func.count(func.distinct(inv.c.person_id)))
        .where(inv.c.deleted_stamp.is_(None)).group_by(inv.c.service_id)
    )
    return {service_id: count for service_id, count in rows}  # noqa: C416 (Row objects)


@dataclass(frozen=True)
class RotaLine:
    """A slot of the help rota with who is helped and who signed up (None: a gap)."""

    slot: RotaSlot
    person_name: str
    helper_name: str | None


def rota(session: Session, person_id: str | None = None) -> list[RotaLine]:
    """Rota slots of one person, or of everyone still on the caseload."""
    slots = ENTITY_TABLES["rota_slot"]
    members = ENTITY_TABLES["circle_member"]
    query = (
        select(slots, _PEOPLE.c.full_name.label("_person"), members.c.name.label("_helper"))
        .join(_PEOPLE, slots.c.person_id == _PEOPLE.c.id)
        .join(members, and_(slots.c.helper_id == members.c.id,
                            members.c.deleted_stamp.is_(None)), isouter=True)
        .where(slots.c.deleted_stamp.is_(None), _PEOPLE.c.deleted_stamp.is_(None))
        .order_by(slots.c.starts_at, slots.c.id)
    )
    if person_id is not None:
        query = query.where(slots.c.person_id == person_id)
    else:
        query = query.where(or_(_PEOPLE.c.status_code.is_(None),
                                _PEOPLE.c.status_code.not_in(_ENDED)))
    return [RotaLine(row_to_entity(RotaSlot, r), r["_person"] or "", r["_helper"])
            for r in session.execute(query).mappings()]


def person_with_nhs_number(session: Session, nhs_number: str) -> str | None:
    """The id of the person holding this NHS number (None when no one, or not a number)."""
    try:
        digits = normalise_nhs_number(nhs_number)
    except ValueError:
        return None
    return session.scalar(select(_PEOPLE.c.id).where(
        _PEOPLE.c.nhs_number == digits, _PEOPLE.c.deleted_stamp.is_(None)).limit(1))
