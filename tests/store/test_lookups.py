"""The directory and rota reads of the window (store/lookups.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from eolcare.domain.entities import CircleMember, Involvement, Person, RotaSlot, Service, Volunteer
from eolcare.domain.values import Coded
from eolcare.store import lookups
from eolcare.store.database import Store

NINE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_directories_rota_and_nhs_numbers(store: Store) -> None:
    with store.writing(date(2026, 3, 1)) as w:
        ada = w.add(Person(full_name="Ada", nhs_number="9434765919"))
        gone = w.add(Person(full_name="Gone", status=Coded("died"),
                            date_of_death=date(2026, 1, 1)))
        zed = w.add(Service(name="Zed team", service_type=Coded("gp")))
        abe = w.add(Service(name="Abe team", service_type=Coded("gp")))
        old = w.add(Service(name="Old team", service_type=Coded("gp")))
        w.delete(Service, old.id)
        w.add(Volunteer(name="Vi"))
        helper = w.add(CircleMember(person_id=ada.id, name="Hal"))
        for person in (ada, gone):
            w.add(Involvement(person_id=person.id, service_id=zed.id))
        w.add(RotaSlot(person_id=ada.id, activity=Coded("sitting"), starts_at=NINE,
                       ends_at=NINE.replace(hour=10), helper_id=helper.id))
        w.add(RotaSlot(person_id=ada.id, activity=Coded("meals"), starts_at=NINE,
                       ends_at=NINE.replace(hour=11)))
        w.add(RotaSlot(person_id=gone.id, activity=Coded("meals"), starts_at=NINE,
                       ends_at=NINE.replace(hour=11)))
    with store.reading() as s:
        assert [x.name for x in lookups.services(s)] == ["Abe team", "Zed team"]
        assert lookups.service_use(s) == {zed.id: 2}
        assert abe.id not in lookups.service_use(s)
        assert [v.name for v in lookups.volunteers(s)] == ["Vi"]
        everyone = lookups.rota(s)
        assert {(line.person_name, line.helper_name) for line in everyone} == {
            ("Ada", "Hal"), ("Ada", None)}  # the person who died is not on the rota
        assert len(lookups.rota(s, gone.id)) == 1  # but their own record still lists it
        assert lookups.person_with_nhs_number(s, "943 476 5919") == ada.id
        assert lookups.person_with_nhs_number(s, "9434765920") is None  # not a valid number
        assert lookups.person_with_nhs_number(s, "4010232137") is None
