"""INTERIM: the core's caseload API under its final names, until it lands.

The core engineer's ``eolcare.store.caseload`` (``CaseloadFilter``,
``count_people(session, flt, today)``, ``person_ids``, ``summaries``) is being
built beside the window. This module answers the same calls with what exists
today, so the window is written against the final names; it is deleted when
they are merged (docs/gui.md).
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from eolcare.domain.jobs import CancelledError, Job, Progress
from eolcare.store import demo, search
from eolcare.store.database import Store
from eolcare.store.tables import ENTITY_TABLES

PEOPLE = ENTITY_TABLES["person"]
_ENDED = ("died", "discharged")


@dataclass(frozen=True)
class CaseloadFilter:
    text: str = ""
    statuses: tuple[str, ...] = ()
    gsf_stages: tuple[str | None, ...] = ()
    include_ended: bool = False
    reviews_overdue: bool = False
    no_preferred_place: bool = False
    no_cpr_decision: bool = False


@dataclass(frozen=True)
class Summary:
    """PersonSummary with the columns the core is adding."""

    id: str
    full_name: str
    preferred_name: str | None
    nhs_number: str | None
    date_of_birth: date | None
    status: str | None
    gsf_stage: str | None
    needs_review: bool
    preferred_place_of_death: str | None = None
    cpr_decision: str | None = None
    next_review: date | None = None
    key_worker: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


_SORTS = {
    "name": (PEOPLE.c.full_name,),
    "age": (PEOPLE.c.date_of_birth.desc(),),
    "gsf_stage": (PEOPLE.c.gsf_stage_code,),
    "status": (PEOPLE.c.status_code,),
    "preferred_place_of_death": (PEOPLE.c.preferred_place_of_death_text,),
    "cpr_decision": (PEOPLE.c.cpr_decision_code,),
    "next_review": (func.min(func.coalesce(PEOPLE.c.cpr_review_date, "9999-12-31"),
                             func.coalesce(PEOPLE.c.preferences_review_date, "9999-12-31")),),
}


def _where(flt: CaseloadFilter, today: date) -> list[Any]:
    conditions: list[Any] = [PEOPLE.c.deleted_stamp.is_(None)]
    if flt.statuses:
        conditions.append(PEOPLE.c.status_code.in_(flt.statuses))
    elif not flt.include_ended:
        conditions.append(or_(PEOPLE.c.status_code.is_(None),
                              PEOPLE.c.status_code.not_in(_ENDED)))
    if flt.gsf_stages:
        named = [s for s in flt.gsf_stages if s is not None]
        options = [PEOPLE.c.gsf_stage_code.in_(named)] if named else []
        if None in flt.gsf_stages:
            options.append(PEOPLE.c.gsf_stage_code.is_(None))
        conditions.append(or_(*options))
    if flt.reviews_overdue:
        conditions.append(or_(PEOPLE.c.cpr_review_date < today,
                              PEOPLE.c.preferences_review_date < today))
    if flt.no_preferred_place:
        conditions.append(PEOPLE.c.preferred_place_of_death_code.is_(None))
    if flt.no_cpr_decision:
        conditions.append(PEOPLE.c.cpr_decision_code.is_(None))
    return conditions


def person_ids(session: Session, flt: CaseloadFilter, sort: str = "name",
               descending: bool = False, today: date | None = None) -> list[str]:
    today = today or date.today()
    query = select(PEOPLE.c.id).where(and_(*_where(flt, today)))
    if flt.text.strip():
        found = search.search_people(session, flt.text, 5000)
        if not found:
            return []
        query = query.where(PEOPLE.c.id.in_(found))
    order = [o.desc() if descending and hasattr(o, "desc") else o
             for o in _SORTS.get(sort, _SORTS["name"])]
    return list(session.scalars(query.order_by(*order, PEOPLE.c.full_name, PEOPLE.c.id)))


def count_people(session: Session, flt: CaseloadFilter, today: date | None = None) -> int:
    today = today or date.today()
    query = select(func.count()).select_from(PEOPLE).where(and_(*_where(flt, today)))
    if flt.text.strip():
        return len(person_ids(session, flt, today=today))
    return session.scalar(query) or 0


def summaries(session: Session, ids: list[str], today: date | None = None) -> list[Summary]:
    rows = session.execute(
        select(PEOPLE.c.id, PEOPLE.c.full_name, PEOPLE.c.preferred_name, PEOPLE.c.nhs_number,
               PEOPLE.c.date_of_birth, PEOPLE.c.status_code, PEOPLE.c.gsf_stage_code,
               PEOPLE.c.needs_review, PEOPLE.c.preferred_place_of_death_text,
               PEOPLE.c.cpr_decision_code, PEOPLE.c.cpr_review_date,
               PEOPLE.c.preferences_review_date)
        .where(PEOPLE.c.id.in_(ids))
    ).all()
    by_id = {}
    for (pid, name, pref, nhs, born, status, stage, review, place, cpr, cpr_rev,
         pref_rev) in rows:
        reviews = [d for d in (cpr_rev, pref_rev) if d is not None]
        by_id[pid] = Summary(pid, name, pref, nhs, born, status, stage, bool(review),
                             place, cpr, min(reviews) if reviews else None)
    return [by_id[i] for i in ids if i in by_id]




# -- the demo caseload as a job (becomes eolcare.demo.generate) ---------------------


def demo_job(store: Store, people: int, seed: int | None = None,
             today: date | None = None) -> Job[demo.DemoSummary]:
    """``demo.generate`` as a job: its progress relayed from a helper thread; closing
    the job stops it after the batch being written (earlier batches stay)."""
    steps: queue.Queue[tuple[int, int] | None] = queue.Queue()
    stop = threading.Event()
    outcome: dict[str, Any] = {}

    def progress(done: int, total: int) -> None:
        steps.put((done, total))
        if stop.is_set():
            raise CancelledError("Stopped before the end.")

    def work() -> None:
        try:
            outcome["summary"] = demo.generate(store, people, seed=seed, today=today,
                                               progress=progress)
        except BaseException as exc:  # handed over to the job's thread below
            outcome["error"] = exc
        finally:
            steps.put(None)

    thread = threading.Thread(target=work, name="demo", daemon=True)
    thread.start()
    try:
        yield Progress(0, people, "people")
        while (step := steps.get()) is not None:
            yield Progress(step[0], step[1], "people")
    finally:
        stop.set()
        thread.join()
    if "error" in outcome:
        raise outcome["error"]
    summary: demo.DemoSummary = outcome["summary"]
    return summary
