"""The dashboard's figures, each checked against a caseload built for it."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from eolcare.domain.entities import CircleMember, Person, RotaSlot, Volunteer
from eolcare.domain.values import Coded
from eolcare.store import dashboard
from eolcare.store.dashboard import Period
from eolcare.store.database import Store

TODAY = date(2026, 3, 2)
PERIOD = Period(date(2026, 1, 1), date(2026, 2, 28))
A, B, C, D = "845701000000104", "845721000000108", "845751000000103", "845771000000107"
HOME, USUAL, HOSPICE, HOSPITAL, CARE_HOME = ("110481000000108", "819211000000102",
                                            "108401000000102", "109401000000108",
                                            "710571000000101")
UNDECIDED = "517161000000101"
FOR_CPR = "450475007"


def _id() -> str:
    return str(uuid.uuid4())


def _person(name: str, **fields: object) -> Person:
    return Person(id=_id(), full_name=name, **fields)  # type: ignore[arg-type]


def _died(name: str, on: date, preferred: str | None, actual: str | None, *,
          preferred_text: str | None = None, actual_text: str | None = None) -> Person:
    return _person(name, status=Coded("died"), date_of_death=on,
                   preferred_place_of_death=Coded(preferred, preferred_text or "")
                   if preferred else None,
                   place_of_death=Coded(actual, actual_text or "") if actual else None)


def _add(store: Store, *entities: object) -> None:
    with store.writing(TODAY) as w:
        for e in entities:
            w.add(e)  # type: ignore[arg-type]


def test_an_empty_profile_has_zero_everywhere_and_no_shares(store: Store) -> None:
    with store.reading() as s:
        got = dashboard.figures(s, TODAY, PERIOD)
    assert got.on_caseload == 0
    assert all(n == 0 for _, n in got.by_stage)
    assert got.place_of_death.died == 0
    assert got.place_of_death.achieved_share is None
    assert got.place_of_death.usual_residence_share is None
    assert (got.active_circles, got.volunteers, got.volunteer_hours,
            got.volunteer_hours_ahead) == (0, 0, 0.0, 0.0)


def test_caseload_counts_by_stage_reviews_preferences_and_cpr(store: Store) -> None:
    _add(store,
         _person("Stage A", status=Coded("active"), gsf_stage=Coded(A),
                 preferred_place_of_death=Coded(HOME), cpr_decision=Coded(FOR_CPR)),
         _person("Stage C overdue", status=Coded("active"), gsf_stage=Coded(C),
                 cpr_decision=Coded(FOR_CPR), cpr_review_date=TODAY - timedelta(days=1)),
         _person("Stage C prefs overdue", gsf_stage=Coded(C),
                 preferred_place_of_death=Coded(HOSPICE),
                 preferences_review_date=TODAY - timedelta(days=30)),
         _person("Not staged, due today", status=Coded("active"),
                 cpr_review_date=TODAY),  # due today is not overdue
         _person("Died, stage D", gsf_stage=Coded(D), status=Coded("died"),
                 date_of_death=date(2025, 5, 1)),
         _person("Discharged", status=Coded("discharged"), discharged_on=TODAY,
                 cpr_review_date=TODAY - timedelta(days=9)))
    with store.reading() as s:
        got = dashboard.figures(s, TODAY, PERIOD)
    assert got.on_caseload == 4
    assert dict(got.by_stage) == {A: 1, B: 0, C: 2, D: 0, None: 1}
    assert [stage for stage, _ in got.by_stage] == [A, B, C, D, None]
    assert got.reviews_overdue == 2
    assert got.no_preferred_place == 2  # "Stage C overdue" and "Not staged"
    assert got.no_cpr_decision == 2  # "Stage C prefs overdue" and "Not staged"


def test_preferred_place_of_death_achieved_in_the_period(store: Store) -> None:
    jan, feb = date(2026, 1, 10), date(2026, 2, 28)
    _add(store,
         _died("Home at home", jan, HOME, HOME),
         _died("Home, usual residence", feb, HOME, USUAL),  # the same place
         _died("Hospice, died in hospital", jan, HOSPICE, HOSPITAL),
         _died("Care home at care home", jan, CARE_HOME, CARE_HOME),
         _died("Undecided, care home", jan, UNDECIDED, CARE_HOME),  # no named preference
         _died("No preference recorded", jan, None, HOSPITAL),
         _died("Other place, same text", jan, "other", "other",
               preferred_text="Daughter's house", actual_text="daughter's house "),
         _died("Other place, another text", jan, "other", "other",
               preferred_text="Sea view", actual_text="Hospital"),
         _died("Died before the period", date(2025, 12, 31), HOME, HOME),
         _died("Died after the period", date(2026, 3, 1), HOME, HOME))
    with store.reading() as s:
        got = dashboard.figures(s, TODAY, PERIOD).place_of_death
    assert got.died == 8
    assert got.with_preference == 6  # undecided and not recorded are left out
    assert got.achieved == 4  # home, home~usual, care home, same "other" text
    assert got.in_usual_residence == 4  # home, usual, care home twice
    assert got.achieved_share == pytest.approx(4 / 6)
    assert got.usual_residence_share == pytest.approx(4 / 8)


def test_circles_volunteers_and_their_rota_hours(store: Store) -> None:
    ann, bob, gone = (_person("Ann", status=Coded("active")), _person("Bob"),
                      _person("Gone", status=Coded("died"), date_of_death=date(2025, 1, 1)))
    vera, walt = Volunteer(id=_id(), name="Vera"), Volunteer(id=_id(), name="Walt")
    vera_for_ann = CircleMember(id=_id(), person_id=ann.id, name="Vera",
                                relationship=Coded("volunteer"), volunteer_id=vera.id)
    daughter = CircleMember(id=_id(), person_id=ann.id, name="Daughter",
                            relationship=Coded("daughter"))
    vera_for_bob = CircleMember(id=_id(), person_id=bob.id, name="Vera",
                                relationship=Coded("volunteer"), volunteer_id=vera.id)
    walt_for_gone = CircleMember(id=_id(), person_id=gone.id, name="Walt",
                                 relationship=Coded("volunteer"), volunteer_id=walt.id)
    start = datetime(2026, 2, 2, 14, 0, tzinfo=UTC)  # a Monday, weekly, 2 hours
    weekly = RotaSlot(id=_id(), person_id=ann.id, activity=Coded("sitting"),
                      starts_at=start, ends_at=start + timedelta(hours=2),
                      repeat=Coded("weekly"), helper_id=vera_for_ann.id)
    by_daughter = RotaSlot(id=_id(), person_id=ann.id, activity=Coded("meals"),
                           starts_at=start, ends_at=start + timedelta(hours=5),
                           helper_id=daughter.id)  # family, not a volunteer
    gap = RotaSlot(id=_id(), person_id=bob.id, activity=Coded("night"),
                   starts_at=start, ends_at=start + timedelta(hours=8))  # nobody: a gap
    across_the_end = RotaSlot(id=_id(), person_id=bob.id, activity=Coded("night"),
                              starts_at=datetime(2026, 2, 28, 22, 0, tzinfo=UTC),
                              ends_at=datetime(2026, 3, 1, 6, 0, tzinfo=UTC),
                              helper_id=vera_for_bob.id)  # 2 of its 8 hours in the period
    _add(store, ann, bob, gone, vera, walt, vera_for_ann, daughter, vera_for_bob,
         walt_for_gone, weekly, by_daughter, gap, across_the_end)
    with store.reading() as s:
        got = dashboard.figures(s, TODAY, PERIOD)
    assert got.active_circles == 2  # Ann and Bob; Gone has died
    assert got.volunteers == 1  # Vera (twice), Walt only for someone who died
    # weekly from 2 Feb to 28 Feb: 2, 9, 16, 23 Feb = 4 x 2 h; plus 2 h before midnight
    assert got.volunteer_hours == pytest.approx(10.0)
    # after 2 March (today): 9, 16, 23, 30 March are within 28 days, 2 h each; the night
    # slot's 6 hours on 1 March fall before tomorrow
    assert got.volunteer_hours_ahead == pytest.approx(8.0)


def test_a_period_of_the_last_days_includes_today() -> None:
    p = Period.last_days(TODAY, 30)
    assert p.end == TODAY
    assert (p.end - p.start).days == 29
