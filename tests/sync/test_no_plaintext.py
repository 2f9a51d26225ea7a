"""The server's database and every laptop's database files (WAL included) hold none of
the synthetic names, NHS numbers or note texts in their raw bytes."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text

from eolcare.domain.entities import ContactNote
from eolcare.server.config import Settings
from eolcare.server.models import Base
from tests.domain.factories import TODAY, minimal
from tests.sync.conftest import Laptop, converge, snapshot
from tests.sync.test_teams import add_person

Team = Callable[[int], list[Laptop]]
NAMES = ["Zebulon Quixtable", "Oriane Vasquelle"]
NHS = ["9434765919", "4010232137"]
NOTE = "Discussed the unmistakable blueberry arrangement"


def _files(db: Path) -> list[Path]:
    return [p for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"))
            if p.exists()]


def _secrets() -> list[bytes]:
    words = [*NAMES, *NHS, NOTE, "Zebulon", "Quixtable", "blueberry"]
    return [w.encode() for w in words] + [w.encode("utf-16-le") for w in words]


def test_no_name_nhs_number_or_note_is_in_any_database_file(team: Team,
                                                           settings: Settings) -> None:
    ann, ben = team(2)
    people = [add_person(ann, n, nhs_number=nhs) for n, nhs in zip(NAMES, NHS, strict=True)]
    converge([ann, ben])
    with ben.store.writing(TODAY) as w:
        w.add(minimal(ContactNote, id=str(uuid.uuid4()), person_id=people[0].id,
                      discussed=NOTE))
    converge([ann, ben])
    assert NOTE in str(snapshot(ann.store)["contact"])  # it did travel, encrypted
    scanned = 0
    for laptop in (ann, ben):
        for path in _files(laptop.store.profile.db_path):
            raw = path.read_bytes()
            scanned += len(raw)
            for secret in _secrets():
                assert secret not in raw, f"{secret!r} in {path.name}"
    url = settings.database_url
    if url.startswith("sqlite"):
        server_db = Path(url.removeprefix("sqlite:///"))
        files = _files(server_db)
        assert files
        for path in files:
            raw = path.read_bytes()
            scanned += len(raw)
            for secret in _secrets():
                assert secret not in raw, f"{secret!r} in the server's {path.name}"
    else:  # PostgreSQL's files are the server's own: read every row of every table instead
        engine = create_engine(url)
        with engine.connect() as conn:
            for table in Base.metadata.sorted_tables:
                for (row,) in conn.execute(text(f'SELECT t::text FROM "{table.name}" t')):
                    raw = row.encode()
                    scanned += len(raw)
                    for secret in _secrets()[:len(_secrets()) // 2]:
                        assert secret not in raw, f"{secret!r} in the server's {table.name}"
                        assert secret.hex().encode() not in raw
        engine.dispose()
    assert scanned > 100_000
