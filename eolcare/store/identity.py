"""Which record a reference names, and one person per NHS number.

Two people on one caseload with the same NHS number is a clinical-safety
hazard (a decision recorded on one record is missed on the other), so adding
or changing a person to an NHS number another person already has is refused
unless the caller says the duplicate is meant (an IT team merging records).
The front ends also name records the way coordinators do: by the start of an
id, or by name for directory entries and circle members.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from eolcare.domain.entities import KINDS, Person
from eolcare.domain.errors import AmbiguousReferenceError, EolcareError, NotFoundError
from eolcare.domain.schema import Entity
from eolcare.store import search
from eolcare.store.tables import ENTITY_TABLES

#: Shortest part of an id (its end or its start) accepted as a reference.
MIN_ID_PREFIX = 4


class DuplicateNhsNumberError(EolcareError):
    """Another person on this profile already has the NHS number given."""

    exit_code = 2

    def __init__(self, existing_id: str) -> None:
        super().__init__(
            "Another person on this profile already has this NHS number, so nothing was "
            "saved. Open that person's record instead of adding a second one; two records "
            "for one person can hide a decision from whoever reads the other.")
        #: The id of the person who has the number (for the front end to offer).
        self.existing_id = existing_id


def people_with_nhs_number(session: Session, nhs_number: str) -> list[str]:
    """Ids of the people (not deleted) recorded with this NHS number (ten digits)."""
    table = ENTITY_TABLES[Person.KIND]
    return list(session.scalars(
        select(table.c.id).where(table.c.nhs_number == nhs_number,
                                 table.c.deleted_stamp.is_(None)).order_by(table.c.id)))


def check_nhs_number(session: Session, person: Entity) -> None:
    """Refuse a person whose NHS number another (not deleted) person already has.

    Called by the writer when a person is added or their NHS number changes
    (other kinds of record pass through); ``person`` is validated (its number,
    if any, is ten digits). Received operations are not refused: a duplicate
    made on two devices at once shows on both, for a coordinator to merge.
    """
    if not isinstance(person, Person) or not person.nhs_number:
        return
    others = [pid for pid in people_with_nhs_number(session, person.nhs_number)
              if pid != person.id]
    if others:
        raise DuplicateNhsNumberError(others[0])


def ids_like(session: Session, query: Select[Any], column: ColumnElement[str],
             ref: str) -> list[str]:
    """Up to two ids of ``query`` named by ``ref``: the id itself, else ids ending with it,
    else ids starting with it (the first way that names any)."""
    for part in (column == ref, column.endswith(ref, autoescape=True),
                 column.startswith(ref, autoescape=True)):
        found: list[str] = list(session.scalars(query.where(part).limit(2)))
        if found:
            return found
    return []


def resolve_id(session: Session, kind: str, ref: str, *, person_id: str | None = None,
               deleted: bool = False) -> str:
    """The id of the ``kind`` record whose id is ``ref``, else ends with it, else starts
    with it.

    The command line shows an id's last 8 characters (the random end of a
    time-ordered id); the start still names an older random (UUID4) id.

    ``person_id`` keeps to one person's records; ``deleted`` looks among deleted
    records only (what a restore needs). Raises NotFoundError or
    AmbiguousReferenceError with a plain sentence.
    """
    cls = KINDS[kind]
    table = ENTITY_TABLES[kind]
    ref = ref.strip().lower()
    what = kind.replace("_", " ")
    if len(ref) < MIN_ID_PREFIX:
        raise NotFoundError(f"Give at least {MIN_ID_PREFIX} characters of the {what}'s id.")
    query = select(table.c.id).where(table.c.deleted_stamp.is_not(None) if deleted
                                     else table.c.deleted_stamp.is_(None))
    if person_id is not None and cls.OWNER is not None:
        query = query.where(table.c[cls.OWNER] == person_id)
    found = ids_like(session, query, table.c.id, ref)
    if not found:
        state = "deleted " if deleted else ""
        raise NotFoundError(f"No {state}{what} with an id like that is on this profile.")
    if len(found) > 1:
        raise AmbiguousReferenceError(f"More than one {what} has an id like that; "
                                      "give more of the id.")
    return found[0]


def resolve_named(session: Session, kind: str, ref: str, *,
                  person_id: str | None = None) -> str:
    """The id of a directory entry (service, volunteer) or circle member, by name or id.

    An id (or its end or start) is tried first, then the name: an exact name, else
    the one entry whose name matches as a search would (``Riverside`` finds
    "Riverside District Nurses"). Circle members are looked for in
    ``person_id``'s circle only.
    """
    try:
        return resolve_id(session, kind, ref, person_id=person_id)
    except (NotFoundError, AmbiguousReferenceError):
        pass
    table = ENTITY_TABLES[kind]
    if "name" not in table.c:
        raise NotFoundError(f"No {kind.replace('_', ' ')} with that id is on this profile.")
    alive = table.c.deleted_stamp.is_(None)
    scope = select(table.c.id, table.c.name).where(alive)
    cls = KINDS[kind]
    if person_id is not None and cls.OWNER is not None:
        scope = scope.where(table.c[cls.OWNER] == person_id)
    if cls.OWNER is None:
        ids = search.search_directory(session, kind, ref, limit=20)
        rows = session.execute(scope.where(table.c.id.in_(ids))).all() if ids else []
    else:
        rows = session.execute(scope).all()
        wanted = _plain(ref).split()
        rows = [r for r in rows if _starts_words(wanted, _plain(r.name or ""))]
    exact = [r.id for r in rows if (r.name or "").casefold() == ref.strip().casefold()]
    if len(exact) == 1:
        return exact[0]
    if len(rows) == 1:
        return str(rows[0].id)
    what = kind.replace("_", " ")
    if not rows:
        raise NotFoundError(f"No {what} of that name or id is on this profile.")
    raise AmbiguousReferenceError(f"{len(rows)} entries of the {what}s match that; "
                                  "give more of the name, or the id.")


def _plain(text: str) -> str:
    """Folded as search folds names: ``Siân`` and ``Sian``, ``Łukasz`` and ``Lukasz`` alike."""
    decomposed = unicodedata.normalize("NFKD", search.fold(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _starts_words(wanted: list[str], name: str) -> bool:
    words = name.split()
    return all(any(w.startswith(part) for w in words) for part in wanted)


def directory(session: Session, kind: str, query: str | None = None,
              limit: int = 200) -> list[str]:
    """Ids of a shared directory's entries (services, volunteers), by name or matching a query."""
    table = ENTITY_TABLES[kind]
    if query:
        return search.search_directory(session, kind, query, limit)
    return list(session.scalars(select(table.c.id).where(table.c.deleted_stamp.is_(None))
                                .order_by(table.c.name, table.c.id).limit(limit)))
