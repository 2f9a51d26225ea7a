"""A person's record as a FHIR R4 Bundle, and back (docs/fhir-mapping.md has the table).

Each entity of the record becomes one resource whose ``id`` is the entity's
id: the person a UK Core ``Patient`` (NHS number under its NHS identifier
system), circle members ``RelatedPerson``, services ``Organization``,
services involved ``PractitionerRole``, other documents ``DocumentReference``,
contact-log notes ``Communication``, tasks ``Task``, volunteers and rota
slots ``Basic``. The person's fields beyond identity are one ``Observation``
each (code: the field, value: the value with its SNOMED CT code) except the
consent fields, which make a ``Consent``. Fields with no standard element
travel in extensions under :data:`EXT`, so nothing is lost; a receiver that
ignores them still reads the standard elements. ``Flag`` (alerts) and
``CarePlan`` (the advance care plan pointing at its observations) are
derived for receivers and ignored on import.

Import reads the standard elements first, then the extensions, so a
hand-written Bundle that follows the mapping imports too; anything of
eolcare's namespace it does not know is refused with a plain sentence.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pydantic
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
from eolcare.domain.errors import EolcareError
from eolcare.domain.record import PersonRecord
from eolcare.domain.schema import Entity, FieldSpec, FieldType
from eolcare.domain.values import Coded, CodedList

EXT = "https://eolcare.example/fhir/StructureDefinition"
FIELD_SYSTEM = "https://eolcare.example/fhir/CodeSystem/record-field"
BASIC_SYSTEM = "https://eolcare.example/fhir/CodeSystem/basic-kind"
NHS_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"
UKCORE = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-"
_ID_NAMESPACE = uuid.UUID("0f4e2b8c-6a53-4f1e-9a57-2f1c2b2d7e90")

#: Person fields the Patient resource carries; the consent fields make the Consent.
PATIENT_FIELDS = tuple(n for n, s in Person.FIELDS.items() if s.section.startswith("1."))
CONSENT_FIELDS = ("consent_to_share", "consent_date", "consent_recorded_by",
                  "consent_share_with")
OBSERVATION_FIELDS = tuple(n for n in Person.FIELDS
                           if n not in PATIENT_FIELDS and n not in CONSENT_FIELDS)
_SEX_TO_GENDER = {"248152002": "female", "248153007": "male", "indeterminate": "other",
                  "unknown": "unknown"}
_GENDER_TO_SEX = {v: k for k, v in _SEX_TO_GENDER.items()}


class BundleError(EolcareError):
    """A Bundle in a pack is not one eolcare can read; nothing was imported."""

    exit_code = 2


# -- values ----------------------------------------------------------------------------


def _coding(valueset: codes.ValueSet, code: str) -> dict[str, Any]:
    known = valueset.get(code)
    return {"system": known.system if known else codes.LOCAL, "code": code,
            "display": valueset.display(code)}


def value_to_fhir(spec: FieldSpec, value: Any, *, observation: bool = False) -> tuple[str, Any]:
    """(``value[x]`` key, value) for one field; dates are ``valueDateTime`` in an Observation."""
    t = spec.type
    if t is FieldType.TEXT:
        return "valueString", value
    if t is FieldType.DATE:
        return ("valueDateTime" if observation else "valueDate"), value.isoformat()
    if t is FieldType.DATETIME:
        return "valueDateTime", value.isoformat()
    if t is FieldType.BOOL:
        return "valueBoolean", bool(value)
    if t is FieldType.INT:
        return "valueInteger", int(value)
    if t is FieldType.REF:
        return "valueReference", {"reference": f"urn:uuid:{value}"}
    assert spec.valueset is not None
    chosen = [value.code] if t is FieldType.CODED else list(value.codes)
    concept: dict[str, Any] = {"coding": [_coding(spec.valueset, c) for c in chosen]}
    if value.text:
        concept["text"] = value.text
    return "valueCodeableConcept", concept


def _bad(what: str) -> BundleError:
    return BundleError(f"The record in this pack cannot be read: {what}. Nothing was imported; "
                       "ask the sender for a new pack.")


def value_from_fhir(spec: FieldSpec, holder: Mapping[str, Any], refs: Callable[[str], str]
                    ) -> Any:
    """The field value from an element holding ``value[x]`` (an Observation or extension)."""
    keys = [k for k in holder if k.startswith("value")]
    if len(keys) != 1:
        raise _bad(f"'{spec.label}' has no single value")
    key, raw = keys[0], holder[keys[0]]
    t = spec.type
    try:
        if t is FieldType.TEXT and key == "valueString":
            return str(raw)
        if t is FieldType.DATE and key in ("valueDate", "valueDateTime") and len(raw) == 10:
            return date.fromisoformat(raw)
        if t is FieldType.DATETIME and key == "valueDateTime":
            moment = datetime.fromisoformat(raw)
            if moment.tzinfo is None:
                raise ValueError("no time zone")
            return moment
        if t is FieldType.BOOL and key == "valueBoolean" and isinstance(raw, bool):
            return raw
        if t is FieldType.INT and key == "valueInteger" and isinstance(raw, int):
            return raw
        if t is FieldType.REF and key == "valueReference":
            return refs(raw["reference"])
        if t in (FieldType.CODED, FieldType.CODES) and key == "valueCodeableConcept":
            return concept_value(spec, raw)
    except (ValueError, TypeError, KeyError):
        pass
    raise _bad(f"'{spec.label}' holds a value of the wrong kind")


def concept_value(spec: FieldSpec, concept: Mapping[str, Any]) -> Coded | CodedList:
    assert spec.valueset is not None
    found = [c.get("code") for c in concept.get("coding", [])]
    if any(code not in spec.valueset for code in found):
        raise _bad(f"'{spec.label}' has a code eolcare does not know")
    text = concept.get("text", "")
    if spec.type is FieldType.CODED:
        if len(found) != 1:
            raise _bad(f"'{spec.label}' needs exactly one code")
        return Coded(found[0], text)
    return CodedList(tuple(found), text)


def _extensions(entity: Entity, names: Iterable[str]) -> list[dict[str, Any]]:
    out = []
    for name in names:
        spec = entity.FIELDS[name]
        value = getattr(entity, name)
        if value is None or (spec.type is FieldType.REF and spec.ref == "person"):
            continue
        key, raw = value_to_fhir(spec, value)
        out.append({"url": f"{EXT}/{entity.KIND}.{name}", key: raw})
    return out


# -- export ------------------------------------------------------------------------------


def _ref(entity_id: str) -> dict[str, str]:
    return {"reference": f"urn:uuid:{entity_id}"}


def _meta(entity: Entity, profile: str | None) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    if profile:
        meta["profile"] = [UKCORE + profile]
    if entity.provenance is not None:
        meta["lastUpdated"] = entity.provenance.updated_at.isoformat()
    return meta


def _resource(entity: Entity, rtype: str, profile: str | None, body: dict[str, Any],
              extra_fields: Iterable[str]) -> dict[str, Any]:
    res: dict[str, Any] = {"resourceType": rtype, "id": entity.id,
                           "meta": _meta(entity, profile)}
    if entity.provenance is not None:
        res["extension"] = [{"url": f"{EXT}/last-updated-by",
                             "valueString": entity.provenance.updated_by}]
    ext = _extensions(entity, extra_fields)
    if ext:
        res.setdefault("extension", []).extend(ext)
    res.update({k: v for k, v in body.items() if v not in (None, [], {})})
    return res


def _telecom(*numbers: tuple[str | None, str, str]) -> list[dict[str, Any]]:
    return [{"system": system, "value": value, "use": use}
            for value, system, use in numbers if value]


def _patient(p: Person) -> dict[str, Any]:
    names = [{"use": "official", "text": p.full_name}]
    if p.preferred_name:
        names.append({"use": "usual", "text": p.preferred_name})
    body: dict[str, Any] = {
        "identifier": [{"system": NHS_SYSTEM, "value": p.nhs_number}] if p.nhs_number else [],
        "name": names,
        "birthDate": p.date_of_birth.isoformat() if p.date_of_birth else None,
        "gender": _SEX_TO_GENDER.get(p.sex.code) if p.sex else None,
        "telecom": _telecom((p.phone, "phone", "home"), (p.mobile, "phone", "mobile")),
        "address": [{k: v for k, v in (("text", p.address), ("postalCode", p.postcode)) if v}]
        if p.address or p.postcode else [],
        "communication": [{"language": {"text": p.main_language}}] if p.main_language else [],
        "deceasedDateTime": p.date_of_death.isoformat() if p.date_of_death else None,
    }
    if p.gp_practice or p.gp_practice_code:
        gp: dict[str, Any] = {}
        if p.gp_practice:
            gp["display"] = p.gp_practice
        if p.gp_practice_code:
            gp["identifier"] = {"system": ODS_SYSTEM, "value": p.gp_practice_code}
        body["generalPractitioner"] = [gp]
    standard = {"full_name", "preferred_name", "nhs_number", "date_of_birth", "phone",
                "mobile", "address", "postcode", "main_language", "date_of_death",
                "gp_practice", "gp_practice_code"}
    # sex travels as gender (for receivers) and as its coded value (gender loses the text)
    return _resource(p, "Patient", "Patient", body,
                     [n for n in PATIENT_FIELDS if n not in standard])


def _observation(p: Person, name: str) -> dict[str, Any]:
    spec = Person.FIELDS[name]
    key, raw = value_to_fhir(spec, getattr(p, name), observation=True)
    coding = [{"system": FIELD_SYSTEM, "code": name, "display": spec.label}]
    if name in ("person_aware_of_prognosis", "carer_aware_of_prognosis"):
        coding.append({"system": codes.SNOMED, "code": codes.AWARE_OF_PROGNOSIS,
                       "display": "Aware of prognosis"})
    if name == "adrt":
        coding.append({"system": codes.SNOMED, "code": codes.ADRT,
                       "display": "Has advance decision to refuse treatment"})
    if name == "adrt_life_sustaining":
        coding.append({"system": codes.SNOMED, "code": codes.ADRT_LIFE_SUSTAINING,
                       "display": "Advance decision to refuse life-sustaining treatment"})
    if name == "cpr_family_told":
        coding.append({"system": codes.SNOMED, "code": codes.FAMILY_TOLD_OF_CPR,
                       "display": "Family informed of CPR decision"})
    return {"resourceType": "Observation", "id": _derived_id(p.id, name),
            "meta": {"profile": [UKCORE + "Observation"]}, "status": "final",
            "code": {"coding": coding, "text": spec.label}, "subject": _ref(p.id),
            key: raw}


def _derived_id(entity_id: str, what: str) -> str:
    return str(uuid.uuid5(_ID_NAMESPACE, f"{entity_id}/{what}"))


def _consent(p: Person) -> dict[str, Any] | None:
    if all(getattr(p, n) is None for n in CONSENT_FIELDS):
        return None
    c = p.consent_to_share
    status = "active" if c is None or c.code != "refused" else "rejected"
    body: dict[str, Any] = {
        "resourceType": "Consent", "id": _derived_id(p.id, "consent"), "status": status,
        "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope",
                              "code": "patient-privacy"}]},
        "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0",
                                  "display": "Patient Consent"}]}],
        "patient": _ref(p.id),
        "policyRule": {"text": "Sharing of the end-of-life care coordination record"},
    }
    if p.consent_date:
        body["dateTime"] = p.consent_date.isoformat()
    if c is not None:
        body["provision"] = {"type": "deny" if c.code == "refused" else "permit",
                             "code": [value_to_fhir(Person.FIELDS["consent_to_share"], c)[1]]}
    ext = _extensions(p, ("consent_recorded_by", "consent_share_with"))
    if ext:
        body["extension"] = ext
    return body


def _flags(p: Person) -> list[dict[str, Any]]:
    """Alerts for receivers (derived: not read back on import)."""
    found = []
    if p.cpr_decision is not None and p.cpr_decision.code == codes.NOT_FOR_CPR:
        found.append(("not-for-cpr", codes.NOT_FOR_CPR, "Not for cardiopulmonary resuscitation"))
    if p.adrt:
        found.append(("adrt", codes.ADRT, "Has advance decision to refuse treatment"))
    return [{"resourceType": "Flag", "id": _derived_id(p.id, f"flag-{key}"), "status": "active",
             "code": {"coding": [{"system": codes.SNOMED, "code": code, "display": display}]},
             "subject": _ref(p.id)} for key, code, display in found]


def _care_plan(p: Person, observation_ids: list[str]) -> dict[str, Any]:
    """The advance care plan pointing at its observations (derived: not read back)."""
    plan: dict[str, Any] = {
        "resourceType": "CarePlan", "id": _derived_id(p.id, "care-plan"), "status": "active",
        "intent": "plan", "title": "Advance care plan (end-of-life care coordination)",
        "subject": _ref(p.id),
        "supportingInfo": [_ref(i) for i in observation_ids],
    }
    if p.what_matters:
        plan["description"] = p.what_matters
    return plan


def _related_person(m: CircleMember) -> dict[str, Any]:
    body: dict[str, Any] = {"patient": _ref(m.person_id or ""), "active": True,
                            "name": [{"text": m.name}],
                            "telecom": _telecom((m.phone, "phone", "home"),
                                                (m.email, "email", "home"))}
    if m.relationship is not None:
        body["relationship"] = [value_to_fhir(CircleMember.FIELDS["relationship"],
                                              m.relationship)[1]]
    standard = {"person_id", "name", "phone", "email", "relationship"}
    return _resource(m, "RelatedPerson", "RelatedPerson", body,
                     [n for n in m.FIELDS if n not in standard])


def _organization(s: Service) -> dict[str, Any]:
    body = {"identifier": [{"system": ODS_SYSTEM, "value": s.ods_code}] if s.ods_code else [],
            "active": True, "name": s.name,
            "type": [value_to_fhir(Service.FIELDS["service_type"], s.service_type)[1]]
            if s.service_type else [],
            "telecom": _telecom((s.phone, "phone", "work"), (s.email, "email", "work")),
            "address": [{"text": s.address}] if s.address else []}
    standard = {"ods_code", "name", "service_type", "phone", "email", "address"}
    # the 24/7 number and opening hours have no element of their own: extensions
    return _resource(s, "Organization", "Organization", body,
                     [n for n in s.FIELDS if n not in standard])


def _practitioner_role(i: Involvement) -> dict[str, Any]:
    body: dict[str, Any] = {
        "active": i.until is None,
        "organization": _ref(i.service_id or ""),
        "practitioner": {"display": i.professional} if i.professional else None,
        "code": [{"text": i.role}] if i.role else [],
        "telecom": _telecom((i.direct_phone, "phone", "work")),
    }
    if i.since or i.until:
        body["period"] = {k: v.isoformat() for k, v in (("start", i.since), ("end", i.until))
                          if v}
    standard = {"service_id", "professional", "role", "direct_phone", "since", "until"}
    return _resource(i, "PractitionerRole", "PractitionerRole", body,
                     [n for n in i.FIELDS if n not in standard and n != "person_id"])


def _document_reference(d: Document) -> dict[str, Any]:
    body = {"status": "current", "subject": _ref(d.person_id or ""), "description": d.name,
            "date": None,
            "content": [{"attachment": {"title": d.location or d.name}}]}
    return _resource(d, "DocumentReference", "DocumentReference", body,
                     [n for n in ("location", "dated") if getattr(d, n) is not None])


def _communication(c: ContactNote) -> dict[str, Any]:
    body = {"status": "completed", "subject": _ref(c.person_id or ""),
            "sent": c.occurred_at.isoformat() if c.occurred_at else None,
            "payload": [{"contentString": c.discussed}] if c.discussed else []}
    standard = {"person_id", "occurred_at", "discussed"}
    return _resource(c, "Communication", None, body,
                     [n for n in c.FIELDS if n not in standard])


def _task(t: Task) -> dict[str, Any]:
    body = {"status": "completed" if t.done_on else "requested", "intent": "plan",
            "description": t.title, "for": _ref(t.person_id) if t.person_id else None,
            "restriction": {"period": {"end": t.due.isoformat()}} if t.due else None}
    standard = {"person_id", "title", "due"}
    return _resource(t, "Task", None, body, [n for n in t.FIELDS if n not in standard])


def _basic(e: Entity, kind_display: str, subject: str | None) -> dict[str, Any]:
    body = {"code": {"coding": [{"system": BASIC_SYSTEM, "code": e.KIND,
                                 "display": kind_display}]},
            "subject": _ref(subject) if subject else None}
    return _resource(e, "Basic", None, body, list(e.FIELDS))


def bundle(rec: PersonRecord, volunteers: Iterable[Volunteer] = ()) -> dict[str, Any]:
    """The FHIR R4 Bundle (type ``collection``) of one person's record, as JSON data."""
    p = rec.person
    resources: list[dict[str, Any]] = [_patient(p)]
    observations = [_observation(p, n) for n in OBSERVATION_FIELDS if getattr(p, n) is not None]
    resources += observations
    consent = _consent(p)
    if consent:
        resources.append(consent)
    resources += _flags(p)
    resources.append(_care_plan(p, [o["id"] for o in observations]))
    resources += [_basic(v, "Compassionate-community volunteer", None) for v in volunteers]
    resources += [_related_person(m) for m in rec.circle]
    seen: set[str] = set()
    for s in rec.services:
        if s.service.id not in seen:
            seen.add(s.service.id)
            resources.append(_organization(s.service))
        resources.append(_practitioner_role(s.involvement))
    resources += [_document_reference(d) for d in rec.documents]
    resources += [_communication(c) for c in rec.contacts]
    resources += [_task(t) for t in rec.tasks]
    resources += [_basic(r, "Help rota slot", p.id) for r in rec.rota]
    return {"resourceType": "Bundle", "id": _derived_id(p.id, "bundle"), "type": "collection",
            "meta": {"lastUpdated": max((r["meta"]["lastUpdated"] for r in resources
                                         if r.get("meta", {}).get("lastUpdated")),
                                        default=None)} if p.provenance else {},
            "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources]}


def validate(data: Mapping[str, Any]) -> None:
    """Check the Bundle's structure and types with the fhir.resources R4B models."""
    try:
        Bundle.model_validate(data)
    except pydantic.ValidationError as e:
        raise _bad(f"it is not a valid FHIR R4 Bundle ({e.error_count()} problem(s))") from None


# -- import ------------------------------------------------------------------------------


@dataclass
class Imported:
    """The entities one Bundle holds: the person, their record, and shared directory entries."""

    person: Person
    children: list[Entity] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    volunteers: list[Volunteer] = field(default_factory=list)

    def entities(self) -> list[Entity]:
        return [*self.services, *self.volunteers, self.person, *self.children]


_KNOWN = {"Patient", "Observation", "Consent", "Flag", "CarePlan", "RelatedPerson",
          "Organization", "PractitionerRole", "DocumentReference", "Communication", "Task",
          "Basic"}
_DERIVED = {"Flag", "CarePlan"}


def _local_id(raw: str) -> str:
    """A store id for a resource id (UUIDs kept; other ids of hand-written Bundles mapped)."""
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return str(uuid.uuid5(_ID_NAMESPACE, raw))


def _target(reference: str) -> str:
    for prefix in ("urn:uuid:",):
        if reference.startswith(prefix):
            return _local_id(reference[len(prefix):])
    if "/" in reference:
        return _local_id(reference.rsplit("/", 1)[1])
    return _local_id(reference)


def _read_extensions(res: Mapping[str, Any], cls: type[Entity], values: dict[str, Any]) -> None:
    if res.get("modifierExtension"):
        raise _bad("it has a modifier extension eolcare does not understand")
    for ext in res.get("extension", []):
        url = ext.get("url", "")
        if not url.startswith(EXT + "/"):
            continue  # someone else's extension: FHIR lets a receiver ignore it
        tail = url[len(EXT) + 1:]
        if tail == "last-updated-by":
            continue
        kind, _, name = tail.partition(".")
        spec = cls.FIELDS.get(name)
        if kind != cls.KIND or spec is None:
            raise _bad("it has a field eolcare does not know")
        values[name] = value_from_fhir(spec, ext, _target)


def _telecom_value(res: Mapping[str, Any], system: str, use: str) -> str | None:
    return next((t["value"] for t in res.get("telecom", [])
                 if t.get("system") == system and t.get("use") == use), None)


def _read_patient(res: Mapping[str, Any]) -> dict[str, Any]:
    v: dict[str, Any] = {}
    for name in res.get("name", []):
        text = name.get("text") or " ".join([*name.get("given", []), name.get("family", "")])
        if name.get("use") == "usual":
            v["preferred_name"] = text.strip()
        elif "full_name" not in v:
            v["full_name"] = text.strip()
    nhs = [i["value"] for i in res.get("identifier", []) if i.get("system") == NHS_SYSTEM]
    if nhs:
        v["nhs_number"] = nhs[0]
    if res.get("birthDate"):
        v["date_of_birth"] = date.fromisoformat(res["birthDate"])
    if res.get("gender") in _GENDER_TO_SEX:
        v["sex"] = Coded(_GENDER_TO_SEX[res["gender"]], "")
    v["phone"] = _telecom_value(res, "phone", "home")
    v["mobile"] = _telecom_value(res, "phone", "mobile")
    if res.get("address"):
        v["address"] = res["address"][0].get("text")
        v["postcode"] = res["address"][0].get("postalCode")
    if res.get("communication"):
        v["main_language"] = res["communication"][0]["language"].get("text")
    if res.get("deceasedDateTime"):
        v["date_of_death"] = date.fromisoformat(res["deceasedDateTime"][:10])
    for gp in res.get("generalPractitioner", [])[:1]:
        v["gp_practice"] = gp.get("display")
        v["gp_practice_code"] = (gp.get("identifier") or {}).get("value")
    return v


def _read_observation(res: Mapping[str, Any], v: dict[str, Any]) -> None:
    name = next((c["code"] for c in res.get("code", {}).get("coding", [])
                 if c.get("system") == FIELD_SYSTEM), None)
    if name not in OBSERVATION_FIELDS:
        raise _bad("it has an observation eolcare does not know")
    v[name] = value_from_fhir(Person.FIELDS[name], res, _target)


def _read_consent(res: Mapping[str, Any], v: dict[str, Any]) -> None:
    if res.get("dateTime"):
        v["consent_date"] = date.fromisoformat(res["dateTime"][:10])
    for concept in res.get("provision", {}).get("code", [])[:1]:
        v["consent_to_share"] = concept_value(Person.FIELDS["consent_to_share"], concept)
    _read_extensions(res, Person, v)


def _read_related(res: Mapping[str, Any], person_id: str) -> CircleMember:
    v: dict[str, Any] = {"person_id": person_id,
                         "name": (res.get("name") or [{}])[0].get("text"),
                         "phone": _telecom_value(res, "phone", "home"),
                         "email": _telecom_value(res, "email", "home")}
    for concept in res.get("relationship", [])[:1]:
        v["relationship"] = concept_value(CircleMember.FIELDS["relationship"], concept)
    _read_extensions(res, CircleMember, v)
    return CircleMember(id=_local_id(res["id"]), **v)


def _read_organization(res: Mapping[str, Any]) -> Service:
    v: dict[str, Any] = {"name": res.get("name"),
                         "phone": _telecom_value(res, "phone", "work"),
                         "email": _telecom_value(res, "email", "work")}
    ods = [i["value"] for i in res.get("identifier", []) if i.get("system") == ODS_SYSTEM]
    v["ods_code"] = ods[0] if ods else None
    for concept in res.get("type", [])[:1]:
        v["service_type"] = concept_value(Service.FIELDS["service_type"], concept)
    if res.get("address"):
        v["address"] = res["address"][0].get("text")
    _read_extensions(res, Service, v)
    return Service(id=_local_id(res["id"]), **v)


def _read_role(res: Mapping[str, Any], person_id: str) -> Involvement:
    period = res.get("period", {})
    v: dict[str, Any] = {
        "person_id": person_id,
        "service_id": _target(res.get("organization", {}).get("reference", "")),
        "professional": res.get("practitioner", {}).get("display"),
        "role": (res.get("code") or [{}])[0].get("text"),
        "direct_phone": _telecom_value(res, "phone", "work"),
        "since": date.fromisoformat(period["start"]) if period.get("start") else None,
        "until": date.fromisoformat(period["end"]) if period.get("end") else None,
    }
    _read_extensions(res, Involvement, v)
    return Involvement(id=_local_id(res["id"]), **v)


def _read_document(res: Mapping[str, Any], person_id: str) -> Document:
    v: dict[str, Any] = {"person_id": person_id, "name": res.get("description")}
    _read_extensions(res, Document, v)
    if "location" not in v:  # a hand-written Bundle: the attachment's title says where
        titles = [c.get("attachment", {}).get("title") for c in res.get("content", [])]
        v["location"] = titles[0] if titles and titles[0] != v["name"] else None
    return Document(id=_local_id(res["id"]), **v)


def _read_communication(res: Mapping[str, Any], person_id: str) -> ContactNote:
    payload = res.get("payload") or [{}]
    v: dict[str, Any] = {"person_id": person_id, "discussed": payload[0].get("contentString"),
                         "occurred_at": datetime.fromisoformat(res["sent"])
                         if res.get("sent") else None}
    _read_extensions(res, ContactNote, v)
    return ContactNote(id=_local_id(res["id"]), **v)


def _read_task(res: Mapping[str, Any], person_id: str) -> Task:
    end = res.get("restriction", {}).get("period", {}).get("end")
    v: dict[str, Any] = {"person_id": person_id, "title": res.get("description"),
                         "due": date.fromisoformat(end[:10]) if end else None}
    _read_extensions(res, Task, v)
    return Task(id=_local_id(res["id"]), **v)


def _read_basic(res: Mapping[str, Any], person_id: str) -> Entity:
    kind = next((c["code"] for c in res.get("code", {}).get("coding", [])
                 if c.get("system") == BASIC_SYSTEM), None)
    cls: type[Entity]
    if kind == "volunteer":
        cls = Volunteer
    elif kind == "rota_slot":
        cls = RotaSlot
    else:
        raise _bad("it has a kind of entry eolcare does not know")
    v: dict[str, Any] = {"person_id": person_id} if cls is RotaSlot else {}
    _read_extensions(res, cls, v)
    return cls(id=_local_id(res["id"]), **v)


def read_bundle(data: Mapping[str, Any]) -> Imported:
    """The entities of one person's Bundle (validated first); BundleError when it is not ours."""
    if not isinstance(data, Mapping) or data.get("resourceType") != "Bundle":
        raise _bad("a file that should be a FHIR Bundle is not one")
    validate(data)
    resources = [e.get("resource", {}) for e in data.get("entry", [])]
    unknown = {r.get("resourceType") for r in resources} - _KNOWN
    if unknown:
        raise _bad(f"it holds {len(unknown)} kind(s) of resource eolcare does not know")
    patients = [r for r in resources if r["resourceType"] == "Patient"]
    if len(patients) != 1:
        raise _bad("each person's Bundle must hold exactly one Patient")
    patient = patients[0]
    person_id = _local_id(str(patient.get("id", "")))
    out = Imported(person=Person(id=person_id))  # replaced below
    try:
        values = {k: v for k, v in _read_patient(patient).items() if v is not None}
        _read_extensions(patient, Person, values)
        for res in resources:
            rtype = res["resourceType"]
            if rtype in _DERIVED or rtype == "Patient":
                continue
            if rtype == "Observation":
                _read_observation(res, values)
            elif rtype == "Consent":
                _read_consent(res, values)
            elif rtype == "RelatedPerson":
                out.children.append(_read_related(res, person_id))
            elif rtype == "Organization":
                out.services.append(_read_organization(res))
            elif rtype == "PractitionerRole":
                out.children.append(_read_role(res, person_id))
            elif rtype == "DocumentReference":
                out.children.append(_read_document(res, person_id))
            elif rtype == "Communication":
                out.children.append(_read_communication(res, person_id))
            elif rtype == "Task":
                out.children.append(_read_task(res, person_id))
            elif rtype == "Basic":
                entity = _read_basic(res, person_id)
                if isinstance(entity, Volunteer):
                    out.volunteers.append(entity)
                else:
                    out.children.append(entity)
        out.person = Person(id=person_id, **values)
    except (KeyError, TypeError, ValueError, AttributeError):
        raise _bad("an entry is missing something it needs") from None
    return out
