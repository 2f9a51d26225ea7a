"""Fixtures of the record-editor tests: a store with people, a volunteer and a service."""

from __future__ import annotations

from datetime import date

import pytest

from eolcare.domain.entities import CircleMember, Person, Service, Volunteer
from eolcare.domain.values import Coded, CodedList
from eolcare.store.database import Store


@pytest.fixture
def people(store: Store) -> dict[str, str]:
    """Two people, a volunteer in the directory and a service: their ids by role."""
    with store.writing() as w:
        ada = w.add(Person(full_name="Ada Lovelace", nhs_number="9434765919",
                           date_of_birth=date(1938, 12, 10), status=Coded("active")))
        bob = w.add(Person(full_name="Bob Marley", status=Coded("active")))
        vol = w.add(Volunteer(name="Vera Volunteer", area="Headingley", active=True,
                              helps_with=CodedList(("sitting", "shopping")),
                              availability="Tuesday afternoons", phone="0113 496 0000"))
        svc = w.add(Service(name="St Mary's Hospice at Home",
                            service_type=Coded("hospice_at_home"), phone="0113 496 0001",
                            phone_24_7="0113 496 0999"))
        carer = w.add(CircleMember(person_id=ada.id, name="Charles Babbage",
                                   relationship=Coded("friend"), main_carer=True))
    return {"ada": ada.id, "bob": bob.id, "volunteer": vol.id, "service": svc.id,
           "carer": carer.id}
