"""Reading the caseload: one person's whole record, lists, reviews due, history.

Queries return the plain values of :mod:`eolcare.domain.record`; deleted
entries (tombstones) are left out except where history asks for them.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, TypeVar, overload

from sqlalchemy import (
    Date,
    Table,
    and_,
    bindparam,
    case,
    false,
    func,
    literal,
    or_,
    select,
    text,
)
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import ColumnElement

from eolcare.domain import codes
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
from eolcare.domain.operations import OpAction
from eolcare.domain.record import (
    HistoryEntry,
    PersonRecord,
    PersonSummary,
    ReviewDue,
    ServiceInvolved,
)
from eolcare.domain.schema import Entity
from eolcare.domain.values import Coded, normalise_nhs_number
from eolcare.store import identity, search
from eolcare.store.mapping import row_to_entity
from eolcare.store.tables import ENTITY_TABLES, FieldChangeRow, OperationRow
from eolcare.store.writes import DELETED, field_stamps, load

E = TypeVar("E", bound=Entity)


PEOPLE = ENTITY_TABLES["person"]
TASKS = ENTITY_TABLES["task"]
_ENDED = ("died", "discharged")
_IN_CHUNK = 500
#: Above this many people matching a search, :func:`person_ids` filters the ordered
#: caseload in Python; below it, SQLite looks the few matches up by id.
_FEW_MATCHES = 500


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


# -- the caseload as a table: one filter for the count and the rows -------------------


@dataclass(frozen=True)
class CaseloadFilter:
    """Which people the caseload shows; :func:`count_people` and :func:`person_ids`
    take the same filter, so a table's row count and its rows always agree.

    ``statuses`` and ``gsf_stages`` are codes (any of them matches; empty: all).
    People who died or were discharged show only with ``include_ended``, or when
    ``statuses`` names their status. ``text`` matches names, NHS numbers,
    addresses, circles, services and notes, as search does.
    """

    text: str = ""
    statuses: frozenset[str] = frozenset()
    gsf_stages: frozenset[str] = frozenset()
    include_ended: bool = False
    reviews_overdue: bool = False  #: a review or open task is due before today
    no_preferred_place: bool = False  #: no preferred place of death recorded
    no_cpr_decision: bool = False  #: no CPR decision recorded


#: The orders :func:`person_ids` knows, for the window's column headers and the CLI.
SORTS = ("name", "age", "date_of_birth", "gsf_stage", "preferred_place", "cpr_decision",
         "next_review", "key_worker", "status")

_TIE_BREAK = (PEOPLE.c.full_name, PEOPLE.c.id)

_KEY_WORKER_ROLE = "%key%worker%"


def _next_review() -> ColumnElement[Any]:
    """The soonest of a person's CPR review, preferences review and open tasks' due dates."""
    open_task = (select(func.min(TASKS.c.due))
                 .where(TASKS.c.person_id == PEOPLE.c.id, TASKS.c.deleted_stamp.is_(None),
                        TASKS.c.done_on.is_(None))
                 .correlate(PEOPLE).scalar_subquery())
    never = literal(date.max, Date)
    soonest = func.min(func.coalesce(PEOPLE.c.cpr_review_date, never),
                       func.coalesce(PEOPLE.c.preferences_review_date, never),
                       func.coalesce(open_task, never), type_=Date)
    return func.nullif(soonest, never, type_=Date)


def _key_worker(today: date | ColumnElement[Any]) -> ColumnElement[Any]:
    involvements = ENTITY_TABLES["involvement"]
    return (select(involvements.c.professional)
            .where(involvements.c.person_id == PEOPLE.c.id,
                   involvements.c.deleted_stamp.is_(None),
                   involvements.c.professional.is_not(None),
                   func.lower(involvements.c.role).like(_KEY_WORKER_ROLE),
                   or_(involvements.c.since.is_(None), involvements.c.since <= today),
                   or_(involvements.c.until.is_(None), involvements.c.until >= today))
            .order_by(involvements.c.since.desc(), involvements.c.id)
            .limit(1).correlate(PEOPLE).scalar_subquery())


def _in_order_of(column: ColumnElement[Any], valueset: codes.ValueSet) -> ColumnElement[Any]:
    """A coded column ordered as its value set lists the codes (unknown codes after,
    no code: NULL)."""
    listed = [(column == c.code, i) for i, c in enumerate(valueset)]
    return case((column.is_(None), None), *listed, else_=len(listed))


def _sort_key(sort: str, today: date) -> tuple[list[ColumnElement[Any]], bool]:
    """The ordering columns of a sort (ascending), and whether they read backwards
    (a younger person has a later date of birth)."""
    match sort:
        case "name":
            return [PEOPLE.c.full_name, PEOPLE.c.id], False
        case "age":
            return [PEOPLE.c.date_of_birth], True
        case "date_of_birth":
            return [PEOPLE.c.date_of_birth], False
        case "gsf_stage":
            return [_in_order_of(PEOPLE.c.gsf_stage_code, codes.GSF_STAGE)], False
        case "preferred_place":
            return [_in_order_of(PEOPLE.c.preferred_place_of_death_code, codes.PLACE),
                    PEOPLE.c.preferred_place_of_death_text], False
        case "cpr_decision":
            return [_in_order_of(PEOPLE.c.cpr_decision_code, codes.CPR_DECISION)], False
        case "status":
            return [_in_order_of(PEOPLE.c.status_code, codes.STATUS)], False
        case "next_review":
            return [_next_review()], False
        case "key_worker":
            return [_key_worker(today)], False
    raise ValueError(f"unknown caseload sort {sort!r}; one of {', '.join(SORTS)}")


def _where(flt: CaseloadFilter, today: date, *, text: bool = True
           ) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [PEOPLE.c.deleted_stamp.is_(None)]
    if not flt.include_ended:
        shown = set(_ENDED) & flt.statuses
        conditions.append(or_(PEOPLE.c.status_code.is_(None),
                              PEOPLE.c.status_code.not_in(set(_ENDED) - shown)))
    if flt.statuses:
        conditions.append(PEOPLE.c.status_code.in_(flt.statuses))
    if flt.gsf_stages:
        conditions.append(PEOPLE.c.gsf_stage_code.in_(flt.gsf_stages))
    if flt.no_preferred_place:
        conditions.append(PEOPLE.c.preferred_place_of_death_code.is_(None))
    if flt.no_cpr_decision:
        conditions.append(PEOPLE.c.cpr_decision_code.is_(None))
    if flt.reviews_overdue:
        conditions.append(_next_review() < today)
    if text and flt.text.strip():
        expression = search.match_expression(flt.text)
        if expression is None:  # nothing searchable in it (punctuation): no one matches
            conditions.append(false())
        else:
            conditions.append(PEOPLE.c.id.in_(search.matching_people(expression)))
    return conditions


def _matching(session: Session, expression: str) -> set[str]:
    """The ids of the people a search matches.

    Only the matching rowids are read from the index (its doclists hold them:
    a broad "wi" is 32,000 rows in 3 ms), as one JSON array, and mapped to people
    through :func:`_doc_people`; joining each row to ``search_doc`` in SQL took
    ten times as long as the match itself.
    """
    people = _doc_people(session)
    # a JSON array, parsed in C: "wi" (32,000 rowids) 16 -> 13 ms against a string split
    # and converted number by number
    rowids = session.scalar(text(
        "SELECT json_group_array(rowid) FROM search_index WHERE search_index MATCH :m"),
        {"m": expression})
    found: set[str | None] = set(map(people.__getitem__, json.loads(rowids or "[]")))
    if not found:
        return set()
    found.discard(None)  # a service or volunteer of the directory: no one's record
    return found  # type: ignore[return-value]


def _generation(session: Session) -> tuple[Any, ...]:
    """What changes whenever the store's records do: the last operation's number and
    stamp (every change is an operation; numbers can come back after signing out
    empties the log, stamps only grow), in the session's own read transaction."""
    engine = session.get_bind().engine
    last = session.execute(select(OperationRow.seq, OperationRow.stamp)
                           .order_by(OperationRow.seq.desc()).limit(1)).first()
    return (id(engine), str(engine.url), *(last or (None, None)))


_CACHE_LOCK = threading.Lock()  #: guards both caches below (readers run on threads)

#: ``search_doc``'s rowid -> person id (a list indexed by rowid, None for no one: twice
#: as fast to map through as a dict), by :func:`_generation`: read again (about
#: 250,000 rows for 20,000 people, ~0.1 s) only after the records changed.
_DOC_PEOPLE: OrderedDict[tuple[Any, ...], list[str | None]] = OrderedDict()
_DOC_PEOPLE_KEPT = 2
_BUILDING = threading.Lock()


def prepare_search(session: Session) -> None:
    """Read what a search needs once, ahead of the first keystroke (a window calls it
    on a reader thread after the caseload is shown or changed)."""
    _doc_people(session)


def _doc_people(session: Session) -> list[str | None]:
    key = _generation(session)
    with _CACHE_LOCK:
        found = _DOC_PEOPLE.get(key)
    if found is not None:
        return found
    with _BUILDING:  # one reader builds it; a search meanwhile waits for that one
        with _CACHE_LOCK:
            found = _DOC_PEOPLE.get(key)
        if found is not None:
            return found
        # one string, as the matches are: 250,000 rows as Python rows took 0.5 s, this 0.1 s
        pairs = (session.scalar(text(
            "SELECT group_concat(rowid || ' ' || ifnull(person_id, '-'), ' ') FROM search_doc"))
            or "").split()
        rowids = list(map(int, pairs[0::2]))
        found = [None] * (max(rowids, default=0) + 1)
        for rowid, person in zip(rowids, pairs[1::2], strict=True):
            found[rowid] = None if person == "-" else person
        with _CACHE_LOCK:
            _DOC_PEOPLE[key] = found
            while len(_DOC_PEOPLE) > _DOC_PEOPLE_KEPT:
                _DOC_PEOPLE.popitem(last=False)
    return found


def count_people(session: Session, flt: CaseloadFilter | None = None,
                 today: date | None = None) -> int:
    """How many people :func:`person_ids` gives for the same filter."""
    where = _where(flt or CaseloadFilter(), today or date.today())
    return session.scalar(select(func.count()).select_from(PEOPLE).where(*where)) or 0


def person_ids(session: Session, flt: CaseloadFilter | None = None, sort: str = "name",
               descending: bool = False, today: date | None = None) -> list[str]:
    """The ids of the people a filter shows, in the order of ``sort`` (one of
    :data:`SORTS`); ties in name order. People without a value for the sort
    (no date of birth, no stage...) come last in either direction."""
    today = today or date.today()
    values, backwards = _sort_key(sort, today)
    if sort == "name":  # never blank: read in the order of the caseload index
        order = [v.desc() if descending else v for v in values]
    else:
        order = [(v.desc() if descending != backwards else v.asc()).nulls_last()
                 for v in values] + list(_TIE_BREAK)
    flt = flt or CaseloadFilter()
    expression = search.match_expression(flt.text) if flt.text.strip() else None
    if expression is not None:
        matched = _matching(session, expression)
        if not matched:
            return []
        # The ordered ids without the search, kept with the matches: a broad search
        # ("wi", "99") costs a third of letting SQLite probe its list of matches for every
        # person (docs/gui.md, Performance). A narrow one uses them too when they are
        # kept (the caseload on screen: ~1 ms), rather than reading each match's row (a
        # first "marg", 415 people, 26 ms on a cold page cache).
        unsearched = replace(flt, text="")
        ordered = _ordered(session, unsearched, sort, descending, order=order, today=today,
                           kept_only=len(matched) <= _FEW_MATCHES)
        if ordered is not None:
            return [pid for pid in ordered if pid in matched]
        query = select(PEOPLE.c.id).where(*_where(flt, today, text=False),
                                          PEOPLE.c.id.in_(sorted(matched)))
        return list(session.scalars(query.order_by(*order)).all())
    return list(_ordered(session, flt, sort, descending, order=order, today=today))


#: The last few ordered id lists without a search, by (engine, last operation, filter,
#: sort): a search as you type filters the same ordered caseload keystroke after
#: keystroke. Every change to a store is an operation, so a new one misses.
_ORDERED: OrderedDict[tuple[Any, ...], tuple[str, ...]] = OrderedDict()
_ORDERED_KEPT = 4


def _ordered_query(flt: CaseloadFilter, order: list[ColumnElement[Any]],
                   today: date) -> Select[tuple[str]]:
    return select(PEOPLE.c.id).where(*_where(flt, today)).order_by(*order)


@overload
def _ordered(session: Session, flt: CaseloadFilter, sort: str, descending: bool, *,
             order: list[ColumnElement[Any]], today: date,
             kept_only: Literal[False] = False) -> tuple[str, ...]: ...


@overload
def _ordered(session: Session, flt: CaseloadFilter, sort: str, descending: bool, *,
             order: list[ColumnElement[Any]], today: date,
             kept_only: bool) -> tuple[str, ...] | None: ...


def _ordered(session: Session, flt: CaseloadFilter, sort: str, descending: bool, *,
             order: list[ColumnElement[Any]], today: date,
             kept_only: bool = False) -> tuple[str, ...] | None:
    """The ordered ids of ``flt``, kept between calls when it has no search text;
    ``kept_only``: None unless they are kept already."""
    if flt.text:
        return None if kept_only else tuple(session.scalars(_ordered_query(flt, order, today)))
    key = (*_generation(session), flt, sort, descending, today)
    with _CACHE_LOCK:
        found = _ORDERED.get(key)
    if found is None:
        if kept_only:
            return None
        found = tuple(session.scalars(_ordered_query(flt, order, today)))
        with _CACHE_LOCK:
            _ORDERED[key] = found
            while len(_ORDERED) > _ORDERED_KEPT:
                _ORDERED.popitem(last=False)
    return found


_SUMMARY_COLUMNS = (
    PEOPLE.c.id, PEOPLE.c.full_name, PEOPLE.c.preferred_name, PEOPLE.c.nhs_number,
    PEOPLE.c.date_of_birth, PEOPLE.c.status_code, PEOPLE.c.gsf_stage_code,
    PEOPLE.c.needs_review, PEOPLE.c.preferred_place_of_death_code,
    PEOPLE.c.preferred_place_of_death_text, PEOPLE.c.cpr_decision_code,
    PEOPLE.c.cpr_decision_text,
)


def _coded(code: str | None, text: str | None) -> Coded | None:
    return None if code is None else Coded(code, text or "")


#: The caseload lines' query, built once: building it (and its 100 bound ids) for each
#: page cost twice as long as SQLite answering it (a search's first page, 3.4 -> 1.6 ms).
_SUMMARIES = (
    select(*_SUMMARY_COLUMNS, _next_review(), _key_worker(bindparam("today", type_=Date)))
    .where(PEOPLE.c.id.in_(bindparam("ids", expanding=True)),
           PEOPLE.c.deleted_stamp.is_(None)))
#: The same lines as one JSON array of arrays, made inside SQLite in one step. A row at a
#: time, the reading thread took Python's lock back after every row (SQLite lets go of
#: it for each step) and turned each date with SQLAlchemy's pattern: scrolling, the GUI
#: thread's paint waited for that lock again and again while a page was read (the
#: slowest frames; docs/gui.md, "Scrolling"). Parsed in C; dates are ISO text.
_SUMMARIES_JSON = select(func.json_group_array(func.json_array(
    *_SUMMARIES.subquery().c)))


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def summaries(session: Session, ids: Sequence[str],
              today: date | None = None) -> list[PersonSummary]:
    """The caseload lines of ``ids``, in the same order (a page of a lazy table);
    ids of people not on the profile (or deleted) are left out."""
    if not ids:
        return []
    today = today or date.today()
    by_id: dict[str, PersonSummary] = {}
    listed = list(dict.fromkeys(ids))
    for i in range(0, len(listed), _IN_CHUNK):
        found = session.scalar(_SUMMARIES_JSON,
                               {"ids": listed[i:i + _IN_CHUNK], "today": today})
        for (pid, name, preferred, nhs, born, status, stage, review, place_code, place_text,
             cpr_code, cpr_text, next_review, key_worker) in json.loads(found or "[]"):
            by_id[pid] = PersonSummary(
                pid, name, preferred, nhs, _day(born), status, stage, bool(review),
                preferred_place_of_death=_coded(place_code, place_text),
                cpr_decision=_coded(cpr_code, cpr_text),
                next_review=_day(next_review), key_worker=key_worker)
    return [by_id[i] for i in ids if i in by_id]


def list_people(session: Session, *, include_ended: bool = False, limit: int | None = None,
                offset: int = 0, today: date | None = None) -> list[PersonSummary]:
    """The caseload in name order; people who died or were discharged only when asked."""
    ids = person_ids(session, CaseloadFilter(include_ended=include_ended), today=today)
    page = ids[offset:] if limit is None else ids[offset:offset + limit]
    return summaries(session, page, today)


def find_people(session: Session, query: str, limit: int = 50,
                today: date | None = None) -> list[PersonSummary]:
    """People whose name, NHS number, address, circle or notes match, best first."""
    return summaries(session, search.search_people(session, query, limit), today)


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


def history(session: Session, person_id: str, field: str | None = None) -> list[HistoryEntry]:
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
        OperationRow.action == OpAction.CREATE.value,
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
            old: Any, new: Any, won: bool) -> HistoryEntry:
    spec = KINDS[kind].FIELDS.get(name)
    label = spec.label if spec else ("Deleted" if name == DELETED else name)
    at = datetime.fromtimestamp(Stamp.parse(stamp).wall_ms / 1000, UTC)
    return HistoryEntry(at=at, author=author, device=device, kind=kind, entity_id=entity_id,
                  field=name, label=label, old=old, new=new, won=won)


def resolve_person(session: Session, ref: str) -> str:
    """A person's id from an id (or its end or start), an NHS number or a search."""
    alive = PEOPLE.c.deleted_stamp.is_(None)
    if len(ref) >= identity.MIN_ID_PREFIX:
        listed = identity.ids_like(session, select(PEOPLE.c.id).where(alive), PEOPLE.c.id,
                                   ref.strip().lower())
        if len(listed) == 1:
            return listed[0]
    try:
        nhs: str | None = normalise_nhs_number(ref)
    except ValueError:
        nhs = None
    if nhs:
        listed = list(session.scalars(select(PEOPLE.c.id).where(PEOPLE.c.nhs_number == nhs,
                                                                alive)))
        if len(listed) == 1:
            return listed[0]
    found = search.search_people(session, ref, limit=5)
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFoundError("No one on this profile matches that.")
    raise AmbiguousReferenceError(
        f"{len(found)} or more people match that; give more of the name, the NHS number, "
        "or the id."
    )
