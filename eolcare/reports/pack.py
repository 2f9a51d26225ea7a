"""Handover packs: one AES-256 ZIP for one person or a selection, and reading one back.

Layout inside the ZIP (file names carry no personal data: AES ZIP encrypts
contents, not names)::

    README.txt                       for the receiver: what is here, who is in it
    manifest.json                    SHA-256 and size of every other file
    contacts.csv                     every person's circle and services with numbers
    people/0001/professional-summary.pdf
    people/0001/family-summary.pdf
    people/0001/record.fhir.json     FHIR R4 Bundle (docs/fhir-mapping.md)
    ...

Writing streams: each person's PDFs and Bundle are made, hashed, written
into the ZIP and dropped before the next person, so memory does not grow
with the number of people. Both directions are jobs (:mod:`eolcare.domain.jobs`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyzipper

from eolcare.domain.display import format_day, format_moment
from eolcare.domain.entities import Volunteer
from eolcare.domain.errors import EolcareError
from eolcare.domain.jobs import Job, Progress
from eolcare.domain.record import PersonRecord
from eolcare.domain.values import format_nhs_number
from eolcare.reports import facts, family, fhir, professional
from eolcare.store import caseload
from eolcare.store.database import Store
from eolcare.store.writes import load

FORMAT = "eolcare-handover-pack"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
README = "README.txt"
CONTACTS = "contacts.csv"
MIN_PASSPHRASE = 10


class PackError(EolcareError):
    """A handover pack could not be made or read; nothing was written or imported."""

    exit_code = 2


class PackPassphraseError(PackError):
    def __init__(self) -> None:
        super().__init__("That passphrase does not open this handover pack. Nothing was "
                         "imported; check the passphrase with the sender and try again.")


def person_folder(index: int) -> str:
    return f"people/{index:04d}"


@dataclass(frozen=True)
class PackSummary:
    people: int
    files: int
    bytes: int


@dataclass(frozen=True)
class Selected:
    """One person as the pack wizard lists them before export."""

    id: str
    name: str
    born: str
    nhs_number: str


def selection(store: Store, person_ids: Sequence[str]) -> list[Selected]:
    """Who is in a selection, in its order: name, date of birth, NHS number."""
    with store.reading() as s:
        found = caseload.summaries(s, list(person_ids))
    return [Selected(p.id, p.full_name, format_day(p.date_of_birth),
                     format_nhs_number(p.nhs_number) if p.nhs_number else "") for p in found]


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise PackError(f"A handover pack passphrase needs at least {MIN_PASSPHRASE} "
                        "characters (a few words work well). Nothing was written.")


def write_pack(store: Store, person_ids: Sequence[str], out: Path, passphrase: str, *,
               today: date | None = None, printed: datetime | None = None
               ) -> Job[PackSummary]:
    """Write the pack for ``person_ids`` to ``out`` (a job: one step per person).

    The ZIP is written to a temporary file beside ``out`` and moved into
    place only when complete, so a cancelled or failed pack leaves nothing.
    """
    check_passphrase(passphrase)
    if not person_ids:
        raise PackError("Choose at least one person for the handover pack.")
    today = today or date.today()
    printed = printed or datetime.now().astimezone()
    out = Path(out)
    try:
        handle, name = tempfile.mkstemp(dir=out.parent, prefix=".pack-", suffix=".tmp")
    except OSError as e:
        raise _not_written(e) from None
    os.close(handle)
    tmp_path = Path(name)
    files: list[dict[str, Any]] = []
    index_lines: list[str] = []
    done = False
    try:
        with pyzipper.AESZipFile(tmp_path, "w", compression=pyzipper.ZIP_DEFLATED,
                                 encryption=pyzipper.WZ_AES) as zf, \
                tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+", newline="",
                                              encoding="utf-8") as contacts:
            zf.setpassword(passphrase.encode("utf-8"))
            zf.setencryption(pyzipper.WZ_AES, nbits=256)
            writer = csv.writer(contacts)
            writer.writerow(CONTACT_COLUMNS)

            def put(name: str, data: bytes) -> None:
                # PDFs are compressed already: store them, deflate the text files
                method = pyzipper.ZIP_STORED if name.endswith(".pdf") else pyzipper.ZIP_DEFLATED
                zf.writestr(name, data, compress_type=method)
                files.append({"path": name, "sha256": hashlib.sha256(data).hexdigest(),
                              "bytes": len(data)})

            total = len(person_ids)
            for number, pid in enumerate(person_ids, start=1):
                with store.reading() as s:
                    rec = caseload.load_record(s, pid)
                    changes = caseload.history(s, pid)
                    volunteers = [load(s, Volunteer, m.volunteer_id) for m in rec.circle
                                  if m.volunteer_id]
                folder = person_folder(number)
                buf = io.BytesIO()
                professional.write(rec, changes, buf, today=today, printed=printed)
                put(f"{folder}/professional-summary.pdf", buf.getvalue())
                buf = io.BytesIO()
                family.write(rec, changes, buf, today=today, printed=printed)
                put(f"{folder}/family-summary.pdf", buf.getvalue())
                del buf
                data = fhir.bundle(rec, volunteers)
                put(f"{folder}/record.fhir.json",
                    json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
                del data
                writer.writerows(contact_rows(folder, rec))
                index_lines.append(_index_line(folder, rec))
                yield Progress(number, total, "people")
            contacts.seek(0)
            put(CONTACTS, contacts.read().encode("utf-8"))
            put(README, readme(store.profile.author, printed, index_lines).encode("utf-8"))
            manifest = {"format": FORMAT, "version": FORMAT_VERSION,
                        "created": printed.isoformat(), "created_by": store.profile.author,
                        "people": len(person_ids), "files": files}
            zf.writestr(MANIFEST, json.dumps(manifest, indent=1).encode("utf-8"))
        tmp_path.replace(out)
        done = True
    except OSError as e:  # a full disk, a folder that went away: a plain sentence
        raise _not_written(e) from None
    finally:
        if not done:
            tmp_path.unlink(missing_ok=True)
    return PackSummary(len(person_ids), len(files) + 1, out.stat().st_size)


def _not_written(e: OSError) -> PackError:
    return PackError(f"The handover pack could not be written there ({e.strerror or 'error'}). "
                     "Nothing was saved; choose another folder.")


CONTACT_COLUMNS = ("folder", "person", "person_nhs_number", "contact_kind", "name",
                   "relationship_or_role", "roles", "phone", "phone_24_7", "email",
                   "best_times_or_hours", "consent_to_share")


def contact_rows(folder: str, rec: PersonRecord) -> Iterator[list[str]]:
    person = rec.person
    nhs = format_nhs_number(person.nhs_number) if person.nhs_number else ""
    for m in rec.circle:
        yield [folder, person.full_name or "", nhs, "circle", m.name or "",
               facts.coded_text(m, "relationship"), "; ".join(facts.roles(m)), m.phone or "",
               "", m.email or "", m.best_times or "",
               "" if m.consent_to_share is None else ("yes" if m.consent_to_share else "no")]
    for s in facts.day_and_night(rec):
        svc, inv = s.service, s.involvement
        role = ", ".join(x for x in (inv.professional, inv.role) if x)
        yield [folder, person.full_name or "", nhs, "service", svc.name or "", role, "",
               inv.direct_phone or svc.phone or "", svc.phone_24_7 or "", svc.email or "",
               svc.opening_hours or "", ""]


def _index_line(folder: str, rec: PersonRecord) -> str:
    p = rec.person
    nhs = format_nhs_number(p.nhs_number) if p.nhs_number else "no NHS number"
    return f"  {folder}/  {p.full_name}, born {format_day(p.date_of_birth)}, NHS number {nhs}"


def readme(author: str, printed: datetime, index_lines: list[str]) -> str:
    return "\n".join([
        "Handover pack from eolcare (end-of-life care coordination)",
        "",
        f"Made by {author} on {format_moment(printed)}. It holds {len(index_lines)} "
        "person(s):",
        "",
        *index_lines,
        "",
        "Each person's folder holds:",
        "  professional-summary.pdf  the whole record with codes and who recorded what",
        "  family-summary.pdf        the plain-English summary for the family (only what",
        "                            the person agreed to share)",
        "  record.fhir.json          the record as a FHIR R4 Bundle (UK Core profiles,",
        "                            SNOMED CT codes); eolcare imports it with",
        "                            'eolcare import-pack'",
        "",
        "contacts.csv lists every person's circle of support and services with numbers.",
        "manifest.json gives the SHA-256 of every file: check them before relying on them.",
        "",
        "This pack holds personal and health information. Keep it encrypted, share the",
        "passphrase by another route (phone, not the same email), and delete the pack once",
        "its contents are in your own records. Check with the sender that no newer version",
        "exists before acting on a decision in it.",
        "",
    ])


# -- reading a pack ----------------------------------------------------------------------


@dataclass(frozen=True)
class OpenedPack:
    """A pack whose passphrase and manifest were checked."""

    manifest: dict[str, Any]
    folders: list[str]


def _open_zip(path: Path, passphrase: str) -> pyzipper.AESZipFile:
    try:
        zf = pyzipper.AESZipFile(path)
    except FileNotFoundError:
        raise PackError("There is no handover pack at that path.") from None
    except (pyzipper.BadZipFile, OSError, EOFError, ValueError):
        raise PackError("This file is not a complete handover pack (it may be damaged or "
                        "cut short). Nothing was imported; ask the sender for it again.") from None
    zf.setpassword(passphrase.encode("utf-8"))
    return zf


def read_member(zf: pyzipper.AESZipFile, name: str) -> bytes:
    """One file of the pack, its encryption and checksum checked."""
    try:
        return bytes(zf.read(name))
    except RuntimeError as e:
        if "password" in str(e).lower():
            raise PackPassphraseError() from None
        raise _damaged() from None
    except KeyError:
        raise _damaged() from None
    except (pyzipper.BadZipFile, zlib.error, OSError, EOFError, ValueError):
        raise _damaged() from None


def _damaged() -> PackError:
    return PackError("This handover pack is damaged or has been changed since it was made "
                     "(a file does not match its check). Nothing was imported; ask the sender "
                     "for it again.")


def verify(zf: pyzipper.AESZipFile) -> Job[OpenedPack]:
    """Check the manifest: every file listed, present, of the right SHA-256; nothing extra."""
    try:
        names = set(zf.namelist())
    except (pyzipper.BadZipFile, OSError, ValueError):
        raise _damaged() from None
    if MANIFEST not in names:
        raise PackError("This is not an eolcare handover pack (it has no manifest). "
                        "Nothing was imported.")
    try:
        manifest = json.loads(read_member(zf, MANIFEST))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _damaged() from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise PackError("This is not an eolcare handover pack. Nothing was imported.")
    if manifest.get("version") != FORMAT_VERSION:
        raise PackError("This handover pack was made by a newer version of eolcare. "
                        "Update eolcare, then import it again. Nothing was imported.")
    listed = manifest.get("files")
    if not isinstance(listed, list) or {f.get("path") for f in listed} != names - {MANIFEST}:
        raise PackError("This handover pack's contents do not match its manifest (a file is "
                        "missing or was added). Nothing was imported; ask the sender for it "
                        "again.")
    for number, entry in enumerate(listed, start=1):
        data = read_member(zf, entry["path"])
        if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
            raise PackError("A file in this handover pack does not match its manifest "
                            "checksum (it was changed or damaged). Nothing was imported; ask "
                            "the sender for it again.")
        yield Progress(number, len(listed), "checking files")
    folders = sorted({f["path"].rsplit("/", 1)[0] for f in listed
                      if f["path"].endswith("/record.fhir.json")})
    return OpenedPack(manifest, folders)
