"""Printouts of one person's record, read through the store's front door.

``write_family`` / ``write_professional`` read the record and its history
with :mod:`eolcare.store.caseload` and write a PDF to a binary file object;
``*_pdf`` return the bytes. The layout lives in :mod:`eolcare.reports.family`
and :mod:`eolcare.reports.professional`.
"""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO
from typing import IO

from eolcare.domain.record import HistoryEntry, PersonRecord
from eolcare.reports import family, professional
from eolcare.store import caseload
from eolcare.store.database import Store


def read(store: Store, person_id: str) -> tuple[PersonRecord, list[HistoryEntry]]:
    """A person's record and its history, in one read."""
    with store.reading() as s:
        return caseload.load_record(s, person_id), caseload.history(s, person_id)


def write_family(store: Store, person_id: str, out: IO[bytes], *, large_print: bool = False,
                 today: date | None = None, printed: datetime | None = None) -> None:
    rec, changes = read(store, person_id)
    family.write(rec, changes, out, today=today or date.today(),
                 printed=printed or datetime.now().astimezone(), large_print=large_print)


def write_professional(store: Store, person_id: str, out: IO[bytes], *,
                       today: date | None = None, printed: datetime | None = None) -> None:
    rec, changes = read(store, person_id)
    professional.write(rec, changes, out, today=today or date.today(),
                       printed=printed or datetime.now().astimezone())


def family_pdf(store: Store, person_id: str, *, large_print: bool = False,
               today: date | None = None) -> bytes:
    buf = BytesIO()
    write_family(store, person_id, buf, large_print=large_print, today=today)
    return buf.getvalue()


def professional_pdf(store: Store, person_id: str, *, today: date | None = None) -> bytes:
    buf = BytesIO()
    write_professional(store, person_id, buf, today=today)
    return buf.getvalue()
