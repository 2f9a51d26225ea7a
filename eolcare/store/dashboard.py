"""The team's figures at a glance (DATASET.md, "Reports the team needs").

One Qt-free function, :func:`figures`, answers everything the window's
dashboard draws, so the numbers can be checked without a screen and printed
by other front ends. The caseload counts are :func:`caseload.count_people`
of the very filter the window opens from each figure, so a chart and the
list behind it always agree.

Definitions (docs/gui.md, "Dashboard"):
- *On the caseload*: not deleted, neither died nor discharged (the caseload list's
  default). *Reviews overdue*: a CPR or preferences review, or an open task, due
  before today (the caseload filter's meaning).
- *Preferred place of death achieved*: of the people whose date of death falls
  in the period, those with a preferred place of death that names a place (not
  "undecided", "declined"...) and whose actual place of death is that place.
  "Home" and "Usual place of residence" count as the same place; two "other"
  places match when their texts do. *Deaths in usual place of residence*: the
  actual place is home, usual place of residence, or a care, nursing or
  residential home (the national measure's list).
- *Active circle*: a person on the caseload with at least one circle member.
- *Volunteers* are directory volunteers in the circle of someone on the caseload;
  *volunteer hours* are the rota hours they signed up for within the period, and
  (a second figure) within the coming four weeks, tomorrow onwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from eolcare.domain import codes
from eolcare.domain.entities import RotaSlot
from eolcare.domain.rota import occurrences
from eolcare.store import caseload
from eolcare.store.mapping import row_to_entity
from eolcare.store.tables import ENTITY_TABLES

PEOPLE = ENTITY_TABLES["person"]
CIRCLE = ENTITY_TABLES["circle_member"]
ROTA = ENTITY_TABLES["rota_slot"]

_ENDED = ("died", "discharged")
#: "Coming weeks" for the volunteer hours signed up for ahead.
AHEAD_DAYS = 28
_HOME = "110481000000108"
_USUAL_RESIDENCE = "819211000000102"


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included."""

    start: date
    end: date

    @classmethod
    def last_days(cls, today: date, days: int) -> Period:
        return cls(today - timedelta(days=days - 1), today)


@dataclass(frozen=True)
class PlaceOfDeath:
    """Deaths in the period and where they happened, against the person's wish."""

    died: int
    with_preference: int  # a preferred place of death naming a place was recorded
    achieved: int  # ... and the person died there
    in_usual_residence: int

    @property
    def achieved_share(self) -> float | None:
        return self.achieved / self.with_preference if self.with_preference else None

    @property
    def usual_residence_share(self) -> float | None:
        return self.in_usual_residence / self.died if self.died else None


@dataclass(frozen=True)
class Dashboard:
    today: date
    period: Period
    on_caseload: int
    #: (GSF stage code or None for "not staged", people) in stage order A..D, then None
    by_stage: tuple[tuple[str | None, int], ...]
    reviews_overdue: int
    no_preferred_place: int
    no_cpr_decision: int
    place_of_death: PlaceOfDeath
    active_circles: int
    volunteers: int
    volunteer_hours: float  # given in the period
    volunteer_hours_ahead: float  # signed up for in the coming four weeks


def figures(session: Session, today: date, period: Period) -> Dashboard:
    """Every figure of the dashboard on ``today``; deaths and hours within ``period``."""
    return Dashboard(
        today=today,
        period=period,
        on_caseload=_count(session, today),
        by_stage=_by_stage(session, today),
        reviews_overdue=_count(session, today, reviews_overdue=True),
        no_preferred_place=_count(session, today, no_preferred_place=True),
        no_cpr_decision=_count(session, today, no_cpr_decision=True),
        place_of_death=_place_of_death(session, period),
        active_circles=_active_circles(session),
        volunteers=_volunteers(session),
        volunteer_hours=_volunteer_hours(session, period),
        volunteer_hours_ahead=_volunteer_hours(
            session, Period(today + timedelta(days=1), today + timedelta(days=AHEAD_DAYS))),
    )


def _on_caseload() -> ColumnElement[bool]:
    """Still on the caseload: not deleted, and neither died nor discharged."""
    return and_(PEOPLE.c.deleted_stamp.is_(None),
                or_(PEOPLE.c.status_code.is_(None), PEOPLE.c.status_code.not_in(_ENDED)))


def _count(session: Session, today: date, **flt: Any) -> int:
    return caseload.count_people(session, caseload.CaseloadFilter(**flt), today)


def _by_stage(session: Session, today: date) -> tuple[tuple[str | None, int], ...]:
    """People per stage (the stage filter's counts), then those with no stage recorded."""
    staged = [(c.code, _count(session, today, gsf_stages=frozenset({c.code})))
              for c in codes.GSF_STAGE]
    not_staged = session.scalar(select(func.count()).select_from(PEOPLE).where(
        _on_caseload(), PEOPLE.c.gsf_stage_code.is_(None))) or 0
    return (*staged, (None, not_staged))


def _same_place(preferred: tuple[str, str | None], actual: tuple[str, str | None]) -> bool:
    (p_code, p_text), (a_code, a_text) = preferred, actual
    both_home = {p_code, a_code} <= {_HOME, _USUAL_RESIDENCE}
    if p_code == codes.OTHER and a_code == codes.OTHER:
        return bool(p_text and a_text and p_text.strip().casefold() == a_text.strip().casefold())
    return p_code == a_code or both_home


def _place_of_death(session: Session, period: Period) -> PlaceOfDeath:
    rows = session.execute(
        select(PEOPLE.c.preferred_place_of_death_code, PEOPLE.c.preferred_place_of_death_text,
               PEOPLE.c.place_of_death_code, PEOPLE.c.place_of_death_text)
        .where(PEOPLE.c.deleted_stamp.is_(None), PEOPLE.c.date_of_death.is_not(None),
               PEOPLE.c.date_of_death >= period.start, PEOPLE.c.date_of_death <= period.end)
    ).all()
    died = len(rows)
    with_preference = achieved = usual = 0
    for p_code, p_text, a_code, a_text in rows:
        if a_code in codes.USUAL_RESIDENCE:
            usual += 1
        if p_code not in codes.ACTUAL_PLACES:
            continue
        with_preference += 1
        if a_code is not None and _same_place((p_code, p_text), (a_code, a_text)):
            achieved += 1
    return PlaceOfDeath(died, with_preference, achieved, usual)


def _active_circles(session: Session) -> int:
    return session.scalar(
        select(func.count(func.distinct(CIRCLE.c.person_id)))
        .join(PEOPLE, PEOPLE.c.id == CIRCLE.c.person_id)
        .where(CIRCLE.c.deleted_stamp.is_(None), _on_caseload())
    ) or 0


def _volunteers(session: Session) -> int:
    return session.scalar(
        select(func.count(func.distinct(CIRCLE.c.volunteer_id)))
        .join(PEOPLE, PEOPLE.c.id == CIRCLE.c.person_id)
        .where(CIRCLE.c.deleted_stamp.is_(None), CIRCLE.c.volunteer_id.is_not(None),
               _on_caseload())
    ) or 0


def _volunteer_hours(session: Session, period: Period) -> float:
    """Rota hours within the period signed up by directory volunteers."""
    start = datetime.combine(period.start, time.min, UTC)
    end = datetime.combine(period.end + timedelta(days=1), time.min, UTC)
    volunteer_members = (
        select(CIRCLE.c.id).where(CIRCLE.c.deleted_stamp.is_(None),
                                  CIRCLE.c.volunteer_id.is_not(None))
    )
    rows = session.execute(
        select(ROTA).where(ROTA.c.deleted_stamp.is_(None),
                           ROTA.c.helper_id.in_(volunteer_members))
    ).mappings()
    seconds = 0.0
    for row in rows:
        slot = row_to_entity(RotaSlot, row)
        for o in occurrences(slot, start, end):
            # only the part of an occurrence inside the period counts
            inside = min(o.ends_at, end) - max(o.starts_at, start)
            seconds += max(0.0, inside.total_seconds())
    return round(seconds / 3600, 1)
