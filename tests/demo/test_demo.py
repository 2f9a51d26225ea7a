"""The synthetic demo caseload: every part of the record, realistic mixes and rates, safe
identifiers, and a job that can be stopped leaving nothing behind."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Table, func, select

from eolcare import demo
from eolcare.demo import generator
from eolcare.domain import codes
from eolcare.domain.errors import ValidationError
from eolcare.domain.jobs import CancelledError, Progress, run
from eolcare.store import caseload, vault
from eolcare.store.database import Store, create_profile, open_profile
from eolcare.store.tables import ENTITY_TABLES, FieldChangeRow, OperationRow
from tests.conftest import PASSPHRASE
from tests.domain.factories import nhs_check_digit
from tests.store.helpers import table_counts

TODAY = date(2025, 6, 30)
PEOPLE = 150


@pytest.fixture
def summary(store: Store) -> demo.DemoSummary:
    return run(demo.generate(store, PEOPLE, seed=11, today=TODAY))


def _count(store: Store, kind: str, *where: Any) -> int:
    table: Table = ENTITY_TABLES[kind]
    with store.reading() as s:
        return s.scalar(select(func.count()).select_from(table).where(*where)) or 0


def _column(store: Store, kind: str, column: str) -> list[Any]:
    table = ENTITY_TABLES[kind]
    with store.reading() as s:
        return list(s.scalars(select(table.c[column]).order_by(table.c.id)))


FILLED = {
    # 1. the person; 2. illness; 3. what matters; 4. preferences; 5. decisions; 6. medicines
    "person": ("full_name", "date_of_birth", "nhs_number", "address", "phone", "main_language",
               "gp_practice_code", "eol_diagnosis", "status_code", "register_date",
               "gsf_stage_code", "prognosis_code", "akps", "what_matters", "most_fear",
               "spiritual_needs", "funeral_wishes", "preferred_place_of_care_code",
               "preferred_place_of_death_code", "preferred_place_of_death_text",
               "preferences_review_date", "cpr_decision_code", "cpr_review_date",
               "cpr_form_location", "respect_focus_code", "respect_location", "adrt",
               "adrt_life_sustaining", "welfare_proxy_code", "lpa_attorneys",
               "consent_to_share_code", "anticipatory_medicines_code",
               "medicines_box_location", "date_of_death", "place_of_death_code",
               "discharged_on"),
    # 7. circle of support and the community directory
    "circle_member": ("name", "relationship_code", "next_of_kin", "main_carer", "phone",
                      "volunteer_id", "helps_with_codes", "carer_assessment_code",
                      "bereavement_risk_code"),
    "volunteer": ("name", "phone", "email", "helps_with_codes", "area"),
    # 8. services
    "service": ("name", "service_type_code", "phone", "phone_24_7", "email", "address",
                "opening_hours", "ods_code"),
    "involvement": ("service_id", "professional", "role", "since"),
    # 9. contact log, tasks, rota; and other documents (5)
    "contact": ("occurred_at", "contact_type_code", "discussed", "follow_up"),
    "task": ("title", "task_type_code", "due", "done_on"),
    "rota_slot": ("activity_code", "starts_at", "ends_at", "repeat_code", "repeat_until",
                  "helper_id"),
    "document": ("name", "location", "dated"),
}


@pytest.mark.parametrize("kind", sorted(FILLED))
def test_every_section_of_the_record_is_represented(store: Store, summary: demo.DemoSummary,
                                                    kind: str) -> None:
    table = ENTITY_TABLES[kind]
    empty = [c for c in FILLED[kind] if _count(store, kind, table.c[c].is_not(None)) == 0]
    assert _count(store, kind) > 0
    assert empty == []


def test_the_caseload_has_the_sizes_asked_for(store: Store, summary: demo.DemoSummary) -> None:
    with store.reading() as s:
        operations = s.scalar(select(func.count()).select_from(OperationRow))
        edits = s.scalar(select(func.count()).select_from(FieldChangeRow))
    entities = sum(_count(store, kind) for kind in ENTITY_TABLES)
    assert summary.people == _count(store, "person") == PEOPLE
    assert summary.rows == entities == operations
    assert edits == 0  # every entity is new: its values are in its creating operation
    assert 12 * PEOPLE < entities < 20 * PEOPLE  # about 15 rows a person
    assert 30 <= summary.services == _count(store, "service") <= 60
    assert summary.volunteers == _count(store, "volunteer") == PEOPLE // 20
    service_types = set(_column(store, "service", "service_type_code"))
    assert service_types == {c.code for c in codes.SERVICE_TYPE}


def test_every_service_type_that_works_day_and_night_has_a_24_7_number(
        store: Store, summary: demo.DemoSummary) -> None:
    table = ENTITY_TABLES["service"]
    with store.reading() as s:
        rows = s.execute(select(table.c.service_type_code, table.c.phone, table.c.phone_24_7))
        numbers = {kind: (phone, day_and_night) for kind, phone, day_and_night in rows}
    assert numbers["out_of_hours"] == ("111", "111")
    assert all(numbers[kind][1] for kind in ("hospice_inpatient", "district_nursing"))


def test_names_include_diacritics_and_non_latin_scripts(store: Store,
                                                        summary: demo.DemoSummary) -> None:
    names = _column(store, "person", "full_name") + _column(store, "circle_member", "name")
    scripts = {unicodedata.name(ch).split()[0] for name in names for ch in name if ch.isalpha()}
    accented = [n for n in names if unicodedata.normalize("NFD", n) != n]
    assert {"LATIN", "ARABIC"} <= scripts
    assert scripts & {"CJK", "DEVANAGARI"}
    assert len(accented) > len(names) // 20


def test_nhs_numbers_are_valid_and_from_the_range_kept_for_testing(
        store: Store, summary: demo.DemoSummary) -> None:
    numbers = _column(store, "person", "nhs_number")
    given = [n for n in numbers if n is not None]
    assert 0 < len(numbers) - len(given) < len(numbers) // 4  # some people have none
    assert len(set(given)) == len(given)
    assert all(n.startswith("999") and nhs_check_digit(n[:9]) == int(n[9]) for n in given)


def test_deaths_have_a_date_and_a_place(
        store: Store, summary: demo.DemoSummary) -> None:
    people = ENTITY_TABLES["person"]
    with store.reading() as s:
        died = s.execute(select(people.c.date_of_death, people.c.place_of_death_code,
                                people.c.preferred_place_of_death_code)
                         .where(people.c.status_code == "died")).all()
    assert summary.died == len(died)
    assert 0.05 * PEOPLE < len(died) < 0.16 * PEOPLE
    assert all(day is not None and day <= TODAY and place for day, place, _ in died)
    assert _count(store, "person", people.c.status_code == "discharged") > 0


def test_reviews_are_overdue_for_some_and_due_soon_for_others(
        store: Store, summary: demo.DemoSummary) -> None:
    with store.reading() as s:
        due = caseload.reviews_due(s, TODAY, within_days=14)
    sources = {r.source for r in due}
    assert any(r.due < TODAY for r in due)
    assert any(r.due >= TODAY for r in due)
    assert {"cpr", "preferences", "task"} <= sources


def test_rota_has_repeating_slots_and_gaps(store: Store, summary: demo.DemoSummary) -> None:
    rota = ENTITY_TABLES["rota_slot"]
    assert _count(store, "rota_slot", rota.c.repeat_code == "weekly") > 0
    assert _count(store, "rota_slot", rota.c.helper_id.is_(None)) > 0


def test_the_record_of_a_sample_of_people_reloads(store: Store,
                                                  summary: demo.DemoSummary) -> None:
    ids = _column(store, "person", "id")[::15]
    with store.reading() as s:
        records = [caseload.load_record(s, pid) for pid in ids]
    for record in records:
        assert len(record.circle) <= 9
        carers = [m for m in record.circle if m.main_carer and m.next_of_kin]
        assert len(carers) == (1 if record.circle else 0)
        assert 2 <= len(record.services) <= 6
        assert 3 <= len(record.contacts) <= 10
        assert record.person.provenance is not None


def _fingerprint(store: Store) -> list[Any]:
    people = ENTITY_TABLES["person"]
    with store.reading() as s:
        return list(s.execute(select(people.c.id, people.c.full_name, people.c.nhs_number,
                                     people.c.date_of_birth, people.c.gsf_stage_code)
                              .order_by(people.c.id)).all())


def test_the_same_seed_makes_the_same_caseload(store: Store) -> None:
    run(demo.generate(store, 40, seed=3, today=TODAY))
    create_profile("again", "Test Coordinator", PASSPHRASE, vault.KDF_FAST_FOR_TESTS)
    with open_profile("again", lambda: PASSPHRASE, use_keyring=False) as again:
        run(demo.generate(again, 40, seed=3, today=TODAY))
        assert _fingerprint(again) == _fingerprint(store)
        run(demo.generate(again, 40, seed=4, today=TODAY))  # another seed: new ids, no clash
        with again.reading() as s:
            assert caseload.count_people(s, caseload.CaseloadFilter(include_ended=True)) == 80


@pytest.mark.parametrize("people", [0, -1, demo.MAX_PEOPLE + 1])
def test_sizes_out_of_range_are_refused_and_nothing_is_written(store: Store,
                                                                people: int) -> None:
    with pytest.raises(ValidationError, match="1 to 20,000 people"):
        run(demo.generate(store, people, seed=1))
    with store.reading() as s:
        assert s.scalar(select(func.count()).select_from(OperationRow)) == 0


def test_progress_is_reported_batch_by_batch(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generator, "BATCH", 25)
    seen: list[Progress] = []
    summary = run(demo.generate(store, 60, seed=5, today=TODAY), seen.append)
    assert [(p.done, p.total) for p in seen] == [(0, 60), (25, 60), (50, 60), (60, 60)]
    assert summary.people == 60


def test_a_job_stopped_part_way_leaves_the_store_as_it_was(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generator, "BATCH", 10)
    run(demo.generate(store, 5, seed=1, today=TODAY))  # something already there
    with store.reading() as s:
        before = table_counts(s)
    job = demo.generate(store, 50, seed=2, today=TODAY)
    assert [next(job).done for _ in range(3)] == [0, 10, 20]  # two batches written...
    job.close()  # ... then the coordinator presses Cancel
    with store.reading() as s:
        assert table_counts(s) == before
    with pytest.raises(CancelledError, match="nothing half-done"):
        run(demo.generate(store, 50, seed=3, today=TODAY), should_stop=lambda: True)
    with store.reading() as s:
        assert table_counts(s) == before
    added = run(demo.generate(store, 3, seed=4, today=TODAY))  # the unit of work was let go
    with store.reading() as s:
        assert caseload.count_people(s, caseload.CaseloadFilter(include_ended=True)) == 8
    assert added.people == 3



# -- a caseload that looks like a real one ------------------------------------------------

RATES_PEOPLE = 500


@pytest.fixture
def rates(store: Store) -> Store:
    run(demo.generate(store, RATES_PEOPLE, seed=2026, today=TODAY))
    return store


def test_reviews_are_spread_over_the_coming_months_and_few_are_overdue(rates: Store) -> None:
    with rates.reading() as s:
        ids = caseload.person_ids(s, caseload.CaseloadFilter(), "next_review", today=TODAY)
        overdue = caseload.count_people(s, caseload.CaseloadFilter(reviews_overdue=True), TODAY)
        upcoming = [p.next_review for p in caseload.summaries(s, ids, TODAY)]
        due_soon = caseload.reviews_due(s, TODAY, within_days=14)
    assert 0.03 <= overdue / len(ids) <= 0.15
    months = {(d.year, d.month) for d in upcoming if d is not None and d >= TODAY}
    assert len(months) >= 4  # spread over months, not bunched this week
    late = sum(r.overdue(TODAY) for r in due_soon)
    assert 0 < late < len(due_soon) / 2  # the reviews list: a few overdue, not most


def test_deaths_in_the_preferred_place_are_in_the_national_range(rates: Store) -> None:
    people = ENTITY_TABLES["person"]
    with rates.reading() as s:
        died = s.execute(select(people.c.place_of_death_code,
                                people.c.preferred_place_of_death_code)
                         .where(people.c.status_code == "died")).all()
    with_a_place = [(place, wished) for place, wished in died if wished in codes.ACTUAL_PLACES]
    achieved = sum(place == wished for place, wished in with_a_place)
    assert len(with_a_place) >= 25
    assert 0.55 <= achieved / len(with_a_place) <= 0.80
    assert 0.06 * RATES_PEOPLE <= len(died) <= 0.14 * RATES_PEOPLE


def test_help_rotas_have_a_few_gaps(rates: Store) -> None:
    rota = ENTITY_TABLES["rota_slot"]
    slots = _count(rates, "rota_slot")
    gaps = _count(rates, "rota_slot", rota.c.helper_id.is_(None))
    assert slots > RATES_PEOPLE / 2
    assert 0.05 <= gaps / slots <= 0.20


def test_circles_of_support_come_in_different_sizes(rates: Store) -> None:
    members = ENTITY_TABLES["circle_member"]
    with rates.reading() as s:
        sizes = dict(s.execute(select(members.c.person_id, func.count())
                               .group_by(members.c.person_id)).all())
    people = _column(rates, "person", "id")
    counted = [sizes.get(pid, 0) for pid in people]
    assert {0, 1, 2, 3, 4, 5} <= set(counted)
    assert max(counted) >= 7
    alone = counted.count(0) / len(counted)
    assert 0.01 <= alone <= 0.10


def test_some_people_have_no_preference_recorded(rates: Store) -> None:
    with rates.reading() as s:
        everyone = caseload.count_people(s, caseload.CaseloadFilter(include_ended=True), TODAY)
        none = caseload.count_people(
            s, caseload.CaseloadFilter(include_ended=True, no_preferred_place=True), TODAY)
    assert 0.06 <= none / everyone <= 0.18
