"""Handover packs: AES-256 ZIP read by 7-Zip, manifest, no names in file names, imports
that restore every field, and every kind of bad pack refused with nothing imported."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
from pathlib import Path

import pytest
import pyzipper

from eolcare.domain.entities import Person, Volunteer
from eolcare.domain.jobs import CancelledError, run
from eolcare.reports import fhir, importer, pack
from eolcare.store import caseload
from eolcare.store.database import Store
from eolcare.store.writes import load
from tests.reports.conftest import PACK_PASSPHRASE, text_of
from tests.reports.records import HOSPICE_24_7, NHS, URDU_NAME, add_person

NAME_PATTERN = re.compile(
    r"^(README\.txt|manifest\.json|contacts\.csv|"
    r"people/\d{4}/(professional-summary\.pdf|family-summary\.pdf|record\.fhir\.json))$")


@pytest.fixture
def two(store: Store) -> list[str]:
    first = add_person(store, 0)
    second = add_person(store, 1, full_name="Łukasz Kowalski", services=first.service_ids,
                        volunteer=False, consent="refused")
    return [first.person_id, second.person_id]


@pytest.fixture
def pack_path(store: Store, two: list[str], tmp_path: Path) -> Path:
    out = tmp_path / "handover.zip"
    summary = run(pack.write_pack(store, two, out, PACK_PASSPHRASE))
    assert summary.people == 2
    return out


def _members(path: Path) -> dict[str, bytes]:
    with pyzipper.AESZipFile(path) as zf:
        zf.setpassword(PACK_PASSPHRASE.encode())
        return {name: zf.read(name) for name in zf.namelist()}


def test_the_pack_holds_summaries_bundles_contacts_manifest_and_readme(pack_path: Path) -> None:
    files = _members(pack_path)
    assert all(NAME_PATTERN.match(name) for name in files), sorted(files)
    assert len(files) == 9
    manifest = json.loads(files["manifest.json"])
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert set(listed) == set(files) - {"manifest.json"}
    for name, digest in listed.items():
        assert hashlib.sha256(files[name]).hexdigest() == digest
    for folder in ("people/0001", "people/0002"):
        fhir.validate(json.loads(files[f"{folder}/record.fhir.json"]))
        assert files[f"{folder}/family-summary.pdf"].startswith(b"%PDF")
    assert "Siân Llewellyn" in text_of(files["people/0001/family-summary.pdf"])
    assert "SNOMED CT 450476008" in text_of(files["people/0002/professional-summary.pdf"])
    rows = list(csv.DictReader(io.StringIO(files["contacts.csv"].decode())))
    assert {r["name"] for r in rows if r["contact_kind"] == "circle"} >= {URDU_NAME}
    assert HOSPICE_24_7 in {r["phone_24_7"] for r in rows}
    readme = files["README.txt"].decode()
    assert "people/0001/  Siân Llewellyn" in readme
    assert "people/0002/  Łukasz Kowalski" in readme


def test_file_names_carry_no_personal_data(pack_path: Path) -> None:
    with pyzipper.AESZipFile(pack_path) as zf:  # names are readable without the passphrase
        names = " ".join(zf.namelist())
    for personal in ("Siân", "Llewellyn", "Łukasz", "Kowalski", NHS[0], NHS[1], "1941"):
        assert personal not in names


def test_seven_zip_opens_it_with_the_passphrase_and_refuses_a_wrong_one(
        pack_path: Path, tmp_path: Path) -> None:
    good = subprocess.run(["7z", "t", f"-p{PACK_PASSPHRASE}", str(pack_path)],
                          capture_output=True, text=True, check=False)
    assert good.returncode == 0, good.stdout
    assert "Everything is Ok" in good.stdout
    listing = subprocess.run(["7z", "l", "-slt", f"-p{PACK_PASSPHRASE}", str(pack_path)],
                             capture_output=True, text=True, check=True).stdout
    assert "Method = AES-256" in listing
    bad = subprocess.run(["7z", "x", "-pnot the passphrase", f"-o{tmp_path / 'out'}",
                          str(pack_path)], capture_output=True, text=True, check=False)
    assert bad.returncode != 0
    assert "Wrong password" in bad.stdout + bad.stderr


def test_import_restores_every_field_of_every_person(store: Store, receiver: Store,
                                                     two: list[str], pack_path: Path) -> None:
    result = run(importer.import_pack(receiver, pack_path, PACK_PASSPHRASE))
    assert (result.added_people, result.updated_people) == (2, 0)
    for pid in two:
        with store.reading() as s, receiver.reading() as r:
            sent, got = caseload.load_record(s, pid), caseload.load_record(r, pid)
            sent_volunteers = [load(s, Volunteer, m.volunteer_id) for m in sent.circle
                               if m.volunteer_id]
            got_volunteers = [load(r, Volunteer, m.volunteer_id) for m in got.circle
                              if m.volunteer_id]
        assert got == sent  # every entity, field by field (provenance is not compared)
        assert got_volunteers == sent_volunteers
        assert got.person.provenance is not None
        assert got.person.provenance.created_by.startswith(
            "Sam Receiver (imported from Test Coordinator on ")


def test_import_shows_progress_as_a_job(receiver: Store, pack_path: Path) -> None:
    steps: list[str] = []
    run(importer.import_pack(receiver, pack_path, PACK_PASSPHRASE),
        on_progress=lambda p: steps.append(p.what))
    assert {"checking files", "reading records", "importing people"} <= set(steps)


def _count(store: Store) -> int:
    with store.reading() as s:
        return caseload.count_people(s)


def test_a_wrong_passphrase_imports_nothing(receiver: Store, pack_path: Path) -> None:
    with pytest.raises(pack.PackPassphraseError, match="does not open this handover pack"):
        run(importer.import_pack(receiver, pack_path, "not the right one at all"))
    assert _count(receiver) == 0


def test_a_truncated_pack_imports_nothing(receiver: Store, pack_path: Path) -> None:
    data = pack_path.read_bytes()
    pack_path.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(pack.PackError, match="damaged or cut short"):
        run(importer.import_pack(receiver, pack_path, PACK_PASSPHRASE))
    assert _count(receiver) == 0


def test_a_tampered_pack_imports_nothing(receiver: Store, pack_path: Path) -> None:
    data = bytearray(pack_path.read_bytes())
    with pyzipper.AESZipFile(pack_path) as zf:
        info = zf.getinfo("people/0002/record.fhir.json")
    data[info.header_offset + 200] ^= 0xFF  # one byte inside the encrypted record
    pack_path.write_bytes(bytes(data))
    with pytest.raises(pack.PackError, match="damaged or has been changed"):
        run(importer.import_pack(receiver, pack_path, PACK_PASSPHRASE))
    assert _count(receiver) == 0


def _repack(source: Path, target: Path, *, edit: dict[str, bytes | None],
            fix_manifest: bool) -> None:
    """A pack re-made with some files changed (None: removed), its manifest kept or fixed."""
    files = _members(source)
    for name, data in edit.items():
        if data is None:
            files.pop(name)
        else:
            files[name] = data
    if fix_manifest:
        manifest = json.loads(files["manifest.json"])
        manifest["files"] = [{"path": n, "sha256": hashlib.sha256(d).hexdigest(),
                              "bytes": len(d)} for n, d in files.items() if n != "manifest.json"]
        files["manifest.json"] = json.dumps(manifest).encode()
    with pyzipper.AESZipFile(target, "w", encryption=pyzipper.WZ_AES) as zf:
        zf.setpassword(PACK_PASSPHRASE.encode())
        for name, data in files.items():
            zf.writestr(name, data)


@pytest.mark.parametrize(("edit", "message"), [
    ({"people/0001/family-summary.pdf": b"%PDF-1.4 changed"}, "does not match its manifest"),
    ({"people/0001/family-summary.pdf": None}, "do not match its manifest"),
    ({"extra.txt": b"hello"}, "do not match its manifest"),
    ({"manifest.json": None}, "not an eolcare handover pack"),
])
def test_a_pack_that_does_not_match_its_manifest_imports_nothing(
        receiver: Store, pack_path: Path, tmp_path: Path, edit: dict[str, bytes | None],
        message: str) -> None:
    bad = tmp_path / "bad.zip"
    _repack(pack_path, bad, edit=edit, fix_manifest=False)
    with pytest.raises(pack.PackError, match=message):
        run(importer.import_pack(receiver, bad, PACK_PASSPHRASE))
    assert _count(receiver) == 0


def test_a_pack_with_a_malformed_bundle_imports_nobody(receiver: Store, pack_path: Path,
                                                       tmp_path: Path) -> None:
    files = _members(pack_path)
    second = json.loads(files["people/0002/record.fhir.json"])
    second["entry"][0]["resource"]["birthDate"] = "1941-02-30"
    bad = tmp_path / "bad.zip"
    _repack(pack_path, bad, fix_manifest=True,  # checksums fine: the content is wrong
            edit={"people/0002/record.fhir.json": json.dumps(second).encode()})
    with pytest.raises(fhir.BundleError, match="not a valid FHIR R4 Bundle"):
        run(importer.import_pack(receiver, bad, PACK_PASSPHRASE))
    assert _count(receiver) == 0  # not even the first, good, person


def test_someone_already_on_the_caseload_is_offered_as_an_update(
        store: Store, receiver: Store, two: list[str], pack_path: Path, tmp_path: Path) -> None:
    run(importer.import_pack(receiver, pack_path, PACK_PASSPHRASE))
    with store.writing() as w:
        w.update(Person, two[0], most_fear="Being alone at night")
    newer = tmp_path / "newer.zip"
    run(pack.write_pack(store, two, newer, PACK_PASSPHRASE))
    with pytest.raises(importer.AlreadyOnCaseloadError, match="2 people in this pack are") as e:
        run(importer.import_pack(receiver, newer, PACK_PASSPHRASE))
    changed = {u.person_id: [c.name for c in u.changes] for u in e.value.updates}
    assert changed == {two[0]: ["most_fear"], two[1]: []}
    assert _count(receiver) == 2  # no duplicate
    with receiver.reading() as r:
        assert caseload.load_record(r, two[0]).person.most_fear != "Being alone at night"
    result = run(importer.import_pack(receiver, newer, PACK_PASSPHRASE, accept_updates=True))
    assert (result.added_people, result.updated_people) == (0, 2)
    assert _count(receiver) == 2
    with receiver.reading() as r:
        assert caseload.load_record(r, two[0]).person.most_fear == "Being alone at night"
        [change] = caseload.history(r, two[0], "most_fear")[-1:]
    assert "imported from Test Coordinator" in change.author


def test_a_cancelled_pack_leaves_no_file(store: Store, two: list[str], tmp_path: Path) -> None:
    out = tmp_path / "pack.zip"
    with pytest.raises(CancelledError):
        run(pack.write_pack(store, two, out, PACK_PASSPHRASE), should_stop=lambda: True)
    assert list(tmp_path.iterdir()) == [tmp_path / "eolcare-home"]


def test_a_cancelled_import_imports_nothing(receiver: Store, pack_path: Path) -> None:
    def stop_while_writing(step: object) -> None:
        if getattr(step, "what", "") == "importing people":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(importer.import_pack(receiver, pack_path, PACK_PASSPHRASE),
            on_progress=stop_while_writing)
    assert _count(receiver) == 0


def test_a_short_passphrase_is_refused_before_anything_is_written(
        store: Store, two: list[str], tmp_path: Path) -> None:
    with pytest.raises(pack.PackError, match="at least 10 characters"):
        run(pack.write_pack(store, two, tmp_path / "p.zip", "short"))
    assert not (tmp_path / "p.zip").exists()


def test_a_folder_that_does_not_exist_is_a_plain_message(store: Store, two: list[str],
                                                         tmp_path: Path) -> None:
    with pytest.raises(pack.PackError, match="could not be written there"):
        run(pack.write_pack(store, two, tmp_path / "no" / "such" / "p.zip", PACK_PASSPHRASE))
