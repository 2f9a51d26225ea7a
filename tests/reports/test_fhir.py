"""The FHIR R4 Bundle: valid R4B, NHS number and SNOMED codes, every field there and back."""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from eolcare.domain import codes
from eolcare.domain.entities import (
    CircleMember,
    ContactNote,
    Document,
    Involvement,
    Person,
    RotaSlot,
    Service,
    Task,
    Volunteer,
)
from eolcare.domain.jobs import run
from eolcare.domain.record import PersonRecord
from eolcare.reports import fhir, importer
from eolcare.store import caseload
from eolcare.store.database import Store
from eolcare.store.writes import load
from tests.domain.factories import TODAY, full
from tests.reports.records import NHS, Made


def _record(store: Store, person_id: str) -> tuple[PersonRecord, list[Volunteer]]:
    with store.reading() as s:
        rec = caseload.load_record(s, person_id)
        return rec, [load(s, Volunteer, m.volunteer_id) for m in rec.circle if m.volunteer_id]


def _resources(data: dict[str, Any], rtype: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == rtype]


def test_bundle_is_valid_r4b_with_nhs_number_uk_core_and_snomed(store: Store, made: Made) -> None:
    rec, volunteers = _record(store, made.person_id)
    data = fhir.bundle(rec, volunteers)
    parsed = Bundle.model_validate(data)
    assert parsed.type == "collection"
    patient = _resources(data, "Patient")[0]
    assert patient["identifier"] == [{"system": "https://fhir.nhs.uk/Id/nhs-number",
                                      "value": NHS[0]}]
    assert patient["meta"]["profile"] == [
        "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient"]
    assert patient["birthDate"] == "1941-03-09"
    assert patient["gender"] == "female"
    kinds = {e["resource"]["resourceType"] for e in data["entry"]}
    assert {"RelatedPerson", "Organization", "PractitionerRole", "Consent", "Flag",
            "Observation", "CarePlan", "DocumentReference", "Communication", "Task",
            "Basic"} <= kinds
    text = json.dumps(data)
    for code in ("845751000000103", "955231000000109", "110481000000108", "108401000000102",
                 codes.NOT_FOR_CPR, codes.ADRT, "376201000000102", codes.AWARE_OF_PROGNOSIS,
                 codes.FAMILY_TOLD_OF_CPR):
        assert f'"code": "{code}"' in text, code
    flags = {f["code"]["coding"][0]["code"] for f in _resources(data, "Flag")}
    assert flags == {codes.NOT_FOR_CPR, codes.ADRT}
    consent = _resources(data, "Consent")[0]
    assert consent["status"] == "active"
    assert consent["provision"]["type"] == "permit"
    org = next(o for o in _resources(data, "Organization") if o["name"].startswith("Ty Hafan"))
    assert {"url": f"{fhir.EXT}/service.phone_24_7", "valueString": "0161 496 0999"} \
        in org["extension"]


def _full_record(store: Store) -> str:
    """Every field of every kind of entity filled (tests/domain/factories.full)."""
    ids = {k: str(uuid.uuid4()) for k in ("person", "service", "volunteer", "member", "note")}
    with store.writing(TODAY) as w:
        w.add(full(Person, id=ids["person"]))
        w.add(full(Service, id=ids["service"]))
        w.add(full(Volunteer, id=ids["volunteer"]))
        w.add(full(CircleMember, id=ids["member"], person_id=ids["person"],
                   volunteer_id=ids["volunteer"]))
        w.add(full(Involvement, person_id=ids["person"], service_id=ids["service"]))
        w.add(full(ContactNote, id=ids["note"], person_id=ids["person"], amends=None))
        w.add(full(ContactNote, person_id=ids["person"], amends=ids["note"]))
        w.add(full(Task, person_id=ids["person"]))
        w.add(full(RotaSlot, person_id=ids["person"], helper_id=ids["member"]))
        w.add(full(Document, person_id=ids["person"]))
    return ids["person"]


def test_every_field_of_every_kind_goes_there_and_back(store: Store) -> None:
    person_id = _full_record(store)
    rec, volunteers = _record(store, person_id)
    data = json.loads(json.dumps(fhir.bundle(rec, volunteers)))
    back = fhir.read_bundle(data)
    assert back.person == rec.person
    for name in Person.FIELDS:  # the same, said field by field
        assert getattr(back.person, name) == getattr(rec.person, name), name
    originals = {e.id: e for e in [*rec.circle, *(s.involvement for s in rec.services),
                                   *rec.contacts, *rec.tasks, *rec.rota, *rec.documents]}
    assert {c.id for c in back.children} == set(originals)
    for child in back.children:
        for name in child.FIELDS:
            assert getattr(child, name) == getattr(originals[child.id], name), (child.KIND, name)
    assert back.services == [s.service for s in rec.services]
    assert back.volunteers == volunteers


HAND_WRITTEN: dict[str, Any] = {
    "resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": "urn:uuid:pat-1", "resource": {
            "resourceType": "Patient", "id": "pat-1",
            "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": NHS[7]}],
            "name": [{"use": "official", "text": "Nguyễn Thị Hương"},
                     {"use": "usual", "text": "Hương"}],
            "birthDate": "1950-07-01", "gender": "female",
            "telecom": [{"system": "phone", "value": "020 7946 0555", "use": "home"}]}},
        {"resource": {
            "resourceType": "Observation", "id": "obs-1", "status": "final",
            "code": {"coding": [{"system": "https://eolcare.example/fhir/CodeSystem/record-field",
                                 "code": "preferred_place_of_death"}]},
            "subject": {"reference": "urn:uuid:pat-1"},
            "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct",
                                                 "code": "108401000000102"}],
                                     "text": "the hospice by the river"}}},
        {"resource": {
            "resourceType": "Observation", "id": "obs-2", "status": "final",
            "code": {"coding": [{"system": "https://eolcare.example/fhir/CodeSystem/record-field",
                                 "code": "cpr_review_date"}]},
            "subject": {"reference": "urn:uuid:pat-1"}, "valueDateTime": "2030-01-31"}},
        {"resource": {
            "resourceType": "Consent", "id": "c-1", "status": "active",
            "scope": {"coding": [{"system":
                                  "http://terminology.hl7.org/CodeSystem/consentscope",
                                  "code": "patient-privacy"}]},
            "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
            "patient": {"reference": "urn:uuid:pat-1"}, "dateTime": "2026-01-05",
            "provision": {"type": "permit", "code": [{"coding": [
                {"system": "https://eolcare.example/CodeSystem/local", "code": "given"}]}]}}},
        {"resource": {
            "resourceType": "RelatedPerson", "id": "rp-1",
            "patient": {"reference": "urn:uuid:pat-1"}, "name": [{"text": "Trần Văn Minh"}],
            "relationship": [{"coding": [{"system": "https://eolcare.example/CodeSystem/local",
                                          "code": "son"}]}],
            "telecom": [{"system": "phone", "value": "020 7946 0556", "use": "home"}]}},
        {"resource": {
            "resourceType": "DocumentReference", "id": "doc-1", "status": "current",
            "subject": {"reference": "urn:uuid:pat-1"}, "description": "ReSPECT form copy",
            "content": [{"attachment": {"title": "Kitchen drawer"}}]}},
    ]}


def test_a_hand_written_bundle_following_the_mapping_imports(store: Store, tmp_path: Path
                                                             ) -> None:
    path = tmp_path / "hand.json"
    path.write_text(json.dumps(HAND_WRITTEN), "utf-8")
    result = run(importer.import_bundle_file(store, path))
    assert result.added_people == 1
    with store.reading() as s:
        rec = caseload.load_record(s, caseload.resolve_person(s, NHS[7]))
    p = rec.person
    assert (p.full_name, p.preferred_name, p.phone) == ("Nguyễn Thị Hương", "Hương",
                                                       "020 7946 0555")
    assert p.preferred_place_of_death is not None
    assert p.preferred_place_of_death.code == "108401000000102"
    assert p.preferred_place_of_death.text == "the hospice by the river"
    assert p.cpr_review_date is not None
    assert p.cpr_review_date.isoformat() == "2030-01-31"
    assert p.consent_to_share is not None
    assert p.consent_to_share.code == "given"
    assert [(m.name, m.relationship.code if m.relationship else None) for m in rec.circle] == [
        ("Trần Văn Minh", "son")]
    assert [(d.name, d.location) for d in rec.documents] == [("ReSPECT form copy",
                                                              "Kitchen drawer")]
    assert p.provenance is not None
    assert "imported from hand.json" in p.provenance.created_by


def _broken(change: str) -> dict[str, Any]:
    data = copy.deepcopy(HAND_WRITTEN)
    entries = data["entry"]
    if change == "unknown resource":
        entries.append({"resource": {"resourceType": "Medication", "id": "m"}})
    elif change == "unknown field":
        entries[1]["resource"]["code"]["coding"][0]["code"] = "favourite_colour"
    elif change == "unknown code":
        entries[1]["resource"]["valueCodeableConcept"]["coding"][0]["code"] = "123"
    elif change == "wrong value type":
        entries[2]["resource"]["valueDateTime"] = "2030-01-31T10:00:00+00:00"
    elif change == "impossible date":
        entries[0]["resource"]["birthDate"] = "1940-02-30"
    elif change == "modifier extension":
        entries[4]["resource"]["modifierExtension"] = [{"url": "https://x.example/y",
                                                        "valueBoolean": True}]
    elif change == "two patients":
        entries.append(copy.deepcopy(entries[0]))
    elif change == "unknown eolcare extension":
        entries[4]["resource"]["extension"] = [{"url": f"{fhir.EXT}/circle_member.shoe_size",
                                                "valueString": "9"}]
    elif change == "invalid NHS number":
        entries[0]["resource"]["identifier"][0]["value"] = "1234567890"
    return data


@pytest.mark.parametrize("change", ["unknown resource", "unknown field", "unknown code",
                                    "wrong value type", "impossible date", "modifier extension",
                                    "two patients", "unknown eolcare extension",
                                    "invalid NHS number"])
def test_a_bundle_with_unknown_or_malformed_content_imports_nothing(
        store: Store, tmp_path: Path, change: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_broken(change)), "utf-8")
    with pytest.raises(Exception) as caught:  # noqa: PT011 (checked just below)
        run(importer.import_bundle_file(store, path))
    assert isinstance(caught.value, fhir.BundleError | importer.EolcareError)
    assert "Nothing was" in str(caught.value) or "Nothing was saved" in str(caught.value)
    assert NHS[7] not in str(caught.value)  # no personal data in the message
    with store.reading() as s:
        assert caseload.count_people(s) == 0
