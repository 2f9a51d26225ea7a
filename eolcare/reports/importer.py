"""Importing a handover pack into this profile: all of it, or nothing.

The job checks the passphrase and the manifest (every file's SHA-256),
reads every Bundle, then looks for people already on the caseload (same NHS
number, or the same record id). Those are never added twice: without
``accept_updates`` the import stops with :class:`AlreadyOnCaseloadError`
listing what would change, so the coordinator can review it; with it, their
changed fields are applied as ordinary edits (history shows them) and new
entries of their record are added. Only then is anything written, in one
transaction with bulk inserts: a bad pack, a cancel or a failure leaves the
profile as it was.

Provenance: every imported entry is recorded as made by
"<coordinator> (imported from <sender> on <day>)".
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from eolcare.domain.display import format_day, show_value
from eolcare.domain.entities import Person, Service, Volunteer
from eolcare.domain.errors import AmbiguousReferenceError, EolcareError, NotFoundError
from eolcare.domain.jobs import Job, Progress
from eolcare.domain.schema import Entity
from eolcare.reports import fhir
from eolcare.reports.pack import _open_zip, read_member, verify
from eolcare.store import bulk, caseload
from eolcare.store.database import Store
from eolcare.store.writes import load

_BATCH = 25


@dataclass(frozen=True)
class FieldUpdate:
    name: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class PersonUpdate:
    """Someone in the pack who is already on the caseload, and what would change."""

    folder: str
    person_id: str
    changes: list[FieldUpdate]
    new_entries: int


class AlreadyOnCaseloadError(EolcareError):
    """People in the pack are on the caseload already: offered as updates, never duplicated."""

    exit_code = 5

    def __init__(self, updates: list[PersonUpdate]) -> None:
        self.updates = updates
        n = len(updates)
        super().__init__(
            f"{n} {'person' if n == 1 else 'people'} in this pack "
            f"{'is' if n == 1 else 'are'} already on your caseload (same NHS number). "
            "Nothing was imported. Review the changes, then import again and accept them as "
            "updates (eolcare import-pack --accept-updates)."
        )


@dataclass
class ImportSummary:
    added_people: int = 0
    updated_people: int = 0
    entries: int = 0
    updates: list[PersonUpdate] = field(default_factory=list)


def import_pack(store: Store, path: Path, passphrase: str, *, accept_updates: bool = False,
                today: date | None = None) -> Job[ImportSummary]:
    """Import the pack at ``path`` (a job). Raises before writing anything if it is bad."""
    today = today or date.today()
    with _open_zip(Path(path), passphrase) as zf:
        opened = yield from verify(zf)
        bundles: list[tuple[str, fhir.Imported]] = []
        for number, folder in enumerate(opened.folders, start=1):
            raw = read_member(zf, f"{folder}/record.fhir.json")
            try:
                data = json.loads(raw)
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise fhir.BundleError("A record in this pack is not readable JSON. Nothing "
                                       "was imported; ask the sender for a new pack.") from None
            bundles.append((folder, fhir.read_bundle(data)))
            yield Progress(number, len(opened.folders), "reading records")
    sender = str(opened.manifest.get("created_by") or "another eolcare profile")
    made = str(opened.manifest.get("created") or "")[:10]
    result = yield from import_records(store, bundles, sender=sender, made=made,
                                       accept_updates=accept_updates, today=today)
    return result


def import_bundle_file(store: Store, path: Path, *, accept_updates: bool = False
                       ) -> Job[ImportSummary]:
    """Import one FHIR Bundle file (e.g. hand-written following docs/fhir-mapping.md)."""
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise fhir.BundleError("That file is not a readable FHIR Bundle (JSON). Nothing was "
                               "imported.") from None
    imported = fhir.read_bundle(data)
    return (yield from import_records(store, [("bundle", imported)], sender=Path(path).name,
                                      made="", accept_updates=accept_updates,
                                      today=date.today()))


def _existing_person(store: Store, person: Person) -> str | None:
    with store.reading() as s:
        if person.nhs_number:
            try:
                found = caseload.resolve_person(s, person.nhs_number)
            except NotFoundError:
                found = None
            except AmbiguousReferenceError:
                raise EolcareError("More than one person on your caseload has an NHS number "
                                   "in this pack; sort that out first. Nothing was "
                                   "imported.") from None
            if found is not None:
                existing = load(s, Person, found)
                if existing.nhs_number == person.nhs_number:
                    return found
        try:
            load(s, Person, person.id)
        except NotFoundError:
            return None
        return person.id


def _known(store: Store, entity: Entity) -> bool:
    with store.reading() as s:
        try:
            load(s, type(entity), entity.id)
        except NotFoundError:
            return False
        return True


def _person_update(store: Store, folder: str, existing_id: str, imported: fhir.Imported
                   ) -> tuple[PersonUpdate, dict[str, Any], list[Entity]]:
    with store.reading() as s:
        current = caseload.load_record(s, existing_id)
    changes: dict[str, Any] = {}
    shown = []
    for name, spec in Person.FIELDS.items():
        new = getattr(imported.person, name)
        if new is not None and new != getattr(current.person, name):
            changes[name] = new
            shown.append(FieldUpdate(name, spec.label,
                                     show_value(spec, getattr(current.person, name)),
                                     show_value(spec, new)))
    new_children = [dataclasses.replace(c, person_id=existing_id)  # type: ignore[call-arg]
                    for c in imported.children if not _known(store, c)]
    return PersonUpdate(folder, existing_id, shown, len(new_children)), changes, new_children


def import_records(store: Store, bundles: Sequence[tuple[str, fhir.Imported]], *, sender: str,
                   made: str, accept_updates: bool, today: date) -> Job[ImportSummary]:
    """Write the imported records: new people in bulk, people already here as updates."""
    summary = ImportSummary()
    new: list[fhir.Imported] = []
    planned: list[tuple[PersonUpdate, dict[str, Any], list[Entity]]] = []
    nhs_seen: set[str] = set()
    for folder, imported in bundles:
        nhs = imported.person.nhs_number
        if nhs and nhs in nhs_seen:
            raise fhir.BundleError("Two records in this pack have the same NHS number. "
                                   "Nothing was imported; ask the sender for a new pack.")
        if nhs:
            nhs_seen.add(nhs)
        existing = _existing_person(store, imported.person)
        if existing is None:
            new.append(imported)
        else:
            planned.append(_person_update(store, folder, existing, imported))
    summary.updates = [u for u, _, _ in planned]
    if planned and not accept_updates:
        raise AlreadyOnCaseloadError(summary.updates)
    # shared directory entries: add those this profile does not have yet (once each)
    directory: dict[str, Entity] = {}
    for _, imported in bundles:
        for entry in (*imported.services, *imported.volunteers):
            if entry.id not in directory and not _known(store, entry):
                directory[entry.id] = entry
    day = format_day(date.fromisoformat(made)) if made else format_day(today)
    total = len(new) + len(planned)
    with store.writing(today) as w:
        w.author = f"{w.author} (imported from {sender} on {day})"
        bulk.add_many(w, [e for e in directory.values() if isinstance(e, Service | Volunteer)])
        done = 0
        for start in range(0, len(new), _BATCH):
            batch = new[start:start + _BATCH]
            summary.entries += bulk.add_many(w, [e for b in batch
                                                 for e in (b.person, *b.children)])
            done += len(batch)
            summary.added_people += len(batch)
            yield Progress(done, total, "importing people")
        for update, changes, children in planned:
            if changes:
                w.update(Person, update.person_id, **changes)
            summary.entries += bulk.add_many(w, children) + (1 if changes else 0)
            summary.updated_people += 1
            done += 1
            yield Progress(done, total, "updating people")
    return summary
