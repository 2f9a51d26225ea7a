"""The laptop's side of team sync, kept in the encrypted profile.

What a signed-in device needs between syncs lives here, inside the SQLCipher
database and never in a plain file: the account (server address, user name,
login seed, account key, identity key, tokens), the team this profile syncs
with (role, key epoch, when it last synced), the team's epoch keys,
operations already sealed for the server (a retried push must send the very
same bytes), ciphertexts that did not open (reported by id, retried later)
and people who look like duplicates after a sync.

A profile syncs with at most one team. Every record on the laptop belongs to
it once joined (see docs/sync.md), so leaving the team removes the records.

The pull cursor and the digest of the pulled log are the core's
(``eolcare.store.inbox``), written with each page in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    delete,
    func,
    select,
    text,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from eolcare.domain.errors import EolcareError
from eolcare.store.tables import ENTITY_TABLES, ID, Base, UTCDateTime, metadata

ACCOUNT_ROW = 1


class ViewerCannotEditError(EolcareError):
    """The coordinator is a viewer of the team this profile syncs with."""

    exit_code = 5


class SyncAccountRow(Base):
    """The one account this profile is signed in to (row id 1)."""

    __tablename__ = "sync_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    server_url: Mapped[str] = mapped_column(Text)
    ca_bundle: Mapped[str | None] = mapped_column(Text)
    username: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[str] = mapped_column(ID)
    device_id: Mapped[str] = mapped_column(ID)
    kdf_salt: Mapped[bytes] = mapped_column(LargeBinary)
    kdf_opslimit: Mapped[int] = mapped_column(Integer)
    kdf_memlimit: Mapped[int] = mapped_column(Integer)
    login_seed: Mapped[bytes] = mapped_column(LargeBinary)
    account_key: Mapped[bytes] = mapped_column(LargeBinary)
    identity_key: Mapped[bytes] = mapped_column(LargeBinary)
    access_token: Mapped[str] = mapped_column(Text)
    refresh_token: Mapped[str] = mapped_column(Text)
    signed_in_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SyncTeamRow(Base):
    """The team this profile syncs with, and how far its log has been read."""

    __tablename__ = "sync_team"

    team_id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    epoch: Mapped[int] = mapped_column(Integer)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SyncTeamKeyRow(Base):
    """One epoch's team key, opened with this account's identity key."""

    __tablename__ = "sync_team_key"

    team_id: Mapped[str] = mapped_column(ID, primary_key=True)
    epoch: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[bytes] = mapped_column(LargeBinary)


class SyncSealedRow(Base):
    """A local operation as sealed for the server: a retry sends these same bytes."""

    __tablename__ = "sync_sealed"

    op_seq: Mapped[int] = mapped_column(ForeignKey("operation.seq"), primary_key=True)
    epoch: Mapped[int] = mapped_column(Integer)
    record_id: Mapped[str] = mapped_column(ID)
    blob: Mapped[bytes] = mapped_column(LargeBinary)


class SyncFailureRow(Base):
    """A pulled change that did not open or apply; kept (ciphertext only) to retry."""

    __tablename__ = "sync_failure"

    team_id: Mapped[str] = mapped_column(ID, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    op_id: Mapped[str] = mapped_column(ID)
    record_id: Mapped[str] = mapped_column(ID)
    epoch: Mapped[int] = mapped_column(Integer)
    blob: Mapped[bytes] = mapped_column(LargeBinary)
    reason: Mapped[str] = mapped_column(Text)
    found_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PossibleDuplicateRow(Base):
    """Two people with the same NHS number after a sync, until a coordinator looks."""

    __tablename__ = "possible_duplicate"

    person_id: Mapped[str] = mapped_column(ID, primary_key=True)
    other_id: Mapped[str] = mapped_column(ID, primary_key=True)
    found_at: Mapped[datetime] = mapped_column(UTCDateTime)


# --- plain objects -------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    server_url: str
    ca_bundle: str | None
    username: str
    account_id: str
    device_id: str
    kdf_salt: bytes
    kdf_opslimit: int
    kdf_memlimit: int
    login_seed: bytes
    account_key: bytes
    identity_key: bytes
    access_token: str
    refresh_token: str

    def __repr__(self) -> str:  # never print a secret by accident
        return f"Account({self.username!r} at {self.server_url!r})"


@dataclass(frozen=True)
class Team:
    team_id: str
    name: str
    role: str
    epoch: int
    joined_at: datetime
    removed_at: datetime | None
    last_synced_at: datetime | None


@dataclass(frozen=True)
class Failure:
    seq: int
    op_id: str
    record_id: str
    epoch: int
    blob: bytes
    reason: str


def _now() -> datetime:
    return datetime.now(UTC)


# --- the account ---------------------------------------------------------------------


def account(session: Session) -> Account | None:
    row = session.get(SyncAccountRow, ACCOUNT_ROW)
    if row is None:
        return None
    return Account(row.server_url, row.ca_bundle, row.username, row.account_id, row.device_id,
                   row.kdf_salt, row.kdf_opslimit, row.kdf_memlimit, row.login_seed,
                   row.account_key, row.identity_key, row.access_token, row.refresh_token)


def save_account(session: Session, acc: Account) -> None:
    session.merge(SyncAccountRow(id=ACCOUNT_ROW, signed_in_at=_now(), **acc.__dict__))


def save_tokens(session: Session, access: str, refresh: str, device_id: str | None = None
                ) -> None:
    values: dict[str, str] = {"access_token": access, "refresh_token": refresh}
    if device_id is not None:
        values["device_id"] = device_id
    session.execute(update(SyncAccountRow).where(SyncAccountRow.id == ACCOUNT_ROW)
                    .values(**values))


def save_passphrase_keys(session: Session, salt: bytes, opslimit: int, memlimit: int,
                         login_seed: bytes) -> None:
    """After a passphrase change: the new KDF parameters and login seed."""
    session.execute(update(SyncAccountRow).where(SyncAccountRow.id == ACCOUNT_ROW).values(
        kdf_salt=salt, kdf_opslimit=opslimit, kdf_memlimit=memlimit, login_seed=login_seed))


def forget_account(session: Session) -> None:
    session.execute(delete(SyncAccountRow))


# --- the team ------------------------------------------------------------------------


def team(session: Session) -> Team | None:
    row = session.scalars(select(SyncTeamRow).limit(1)).first()
    if row is None:
        return None
    return Team(row.team_id, row.name, row.role, row.epoch, row.joined_at, row.removed_at,
                row.last_synced_at)


def join_team(session: Session, team_id: str, name: str, role: str, epoch: int) -> None:
    """Bind this profile to a team (one team per profile)."""
    existing = team(session)
    if existing is not None and existing.team_id != team_id:
        raise EolcareError(
            f"This profile already syncs with the team {existing.name!r}. A profile syncs "
            "with one team: create another profile for this one."
        )
    if existing is None:
        session.add(SyncTeamRow(team_id=team_id, name=name, role=role, epoch=epoch,
                                joined_at=_now()))
    else:
        update_team(session, team_id, name=name, role=role, epoch=epoch)


def update_team(session: Session, team_id: str, *, name: str | None = None,
                role: str | None = None, epoch: int | None = None,
                synced: bool = False) -> None:
    values: dict[str, object] = {}
    if name is not None:
        values["name"] = name
    if role is not None:
        values["role"] = role
    if epoch is not None:
        values["epoch"] = epoch
    if synced:
        values["last_synced_at"] = _now()
    if values:
        session.execute(update(SyncTeamRow).where(SyncTeamRow.team_id == team_id)
                        .values(**values))


def mark_removed(session: Session, team_id: str, when: datetime | None = None) -> datetime:
    """Remember when this coordinator was found removed from the team; returns that date."""
    row = session.get(SyncTeamRow, team_id)
    if row is None:
        return when or _now()
    if row.removed_at is None:
        row.removed_at = when or _now()
    return row.removed_at


def check_may_edit(session: Session) -> None:
    """Raise if this profile's coordinator may not change records (a team viewer).

    The store's write path calls this before every local change; the receive
    path does not, so a viewer still gets the team's changes.
    """
    role = session.scalar(select(SyncTeamRow.role).where(SyncTeamRow.removed_at.is_(None)))
    if role == "viewer":
        raise ViewerCannotEditError(
            "You are a viewer in this team: you can read its records but not change them. "
            "Nothing was changed. Ask a team admin to make you a member."
        )


# --- keys ----------------------------------------------------------------------------


def team_keys(session: Session, team_id: str) -> dict[int, bytes]:
    rows = session.execute(select(SyncTeamKeyRow.epoch, SyncTeamKeyRow.key)
                           .where(SyncTeamKeyRow.team_id == team_id))
    return {epoch: key for epoch, key in rows}  # noqa: C416 (rows are Row objects)


def save_team_keys(session: Session, team_id: str, keys: dict[int, bytes]) -> None:
    known = team_keys(session, team_id)
    session.add_all(SyncTeamKeyRow(team_id=team_id, epoch=e, key=k)
                    for e, k in keys.items() if e not in known)


# --- sealed operations ---------------------------------------------------------------


def sealed(session: Session, op_seqs: list[int]) -> dict[int, tuple[int, str, bytes]]:
    """Already-sealed operations by outbox seq: (epoch, record id, blob)."""
    if not op_seqs:
        return {}
    rows = session.execute(select(SyncSealedRow.op_seq, SyncSealedRow.epoch,
                                  SyncSealedRow.record_id, SyncSealedRow.blob)
                           .where(SyncSealedRow.op_seq.in_(op_seqs)))
    return {seq: (epoch, record, blob) for seq, epoch, record, blob in rows}


def save_sealed(session: Session, op_seq: int, epoch: int, record_id: str, blob: bytes) -> None:
    session.merge(SyncSealedRow(op_seq=op_seq, epoch=epoch, record_id=record_id, blob=blob))


def drop_sealed(session: Session, op_seqs: list[int]) -> None:
    if op_seqs:
        session.execute(delete(SyncSealedRow).where(SyncSealedRow.op_seq.in_(op_seqs)))


# --- changes that did not open -------------------------------------------------------


def record_failure(session: Session, team_id: str, f: Failure) -> None:
    session.merge(SyncFailureRow(team_id=team_id, seq=f.seq, op_id=f.op_id,
                                 record_id=f.record_id, epoch=f.epoch, blob=f.blob,
                                 reason=f.reason, found_at=_now()))


def failures(session: Session, team_id: str) -> list[Failure]:
    rows = session.scalars(select(SyncFailureRow).where(SyncFailureRow.team_id == team_id)
                           .order_by(SyncFailureRow.seq))
    return [Failure(r.seq, r.op_id, r.record_id, r.epoch, r.blob, r.reason) for r in rows]


def clear_failures(session: Session, team_id: str, seqs: list[int]) -> None:
    if seqs:
        session.execute(delete(SyncFailureRow).where(SyncFailureRow.team_id == team_id,
                                                     SyncFailureRow.seq.in_(seqs)))


# --- people who may be the same person -----------------------------------------------


def flag_duplicates(session: Session, person_ids: set[str] | None = None) -> int:
    """Flag for review people sharing an NHS number with another; returns new pairs.

    With ``person_ids`` only those people are compared with everyone (after a
    sync: the people it created or whose NHS number it changed). Two
    coordinators may each add the same patient offline: neither record is
    merged or removed; both are flagged "needs review" and the pair is kept
    until a coordinator decides.
    """
    person = ENTITY_TABLES["person"]
    other = person.alias("other")
    query = (select(person.c.id, other.c.id)
             .join(other, (other.c.nhs_number == person.c.nhs_number) & (other.c.id != person.c.id))
             .where(person.c.nhs_number.is_not(None), person.c.deleted_stamp.is_(None),
                    other.c.deleted_stamp.is_(None)))
    if person_ids is not None:
        if not person_ids:
            return 0
        query = query.where(person.c.id.in_(sorted(person_ids)))
    pairs = {tuple(sorted((a, b))) for a, b in session.execute(query)}
    known = set(session.execute(select(PossibleDuplicateRow.person_id,
                                       PossibleDuplicateRow.other_id)).all())
    new = sorted(pairs - known)
    for a, b in new:
        session.add(PossibleDuplicateRow(person_id=a, other_id=b, found_at=_now()))
    flagged = {i for pair in new for i in pair}
    if flagged:
        session.execute(update(person).where(person.c.id.in_(flagged))
                        .values(needs_review=True))
    return len(new)


def flagged(session: Session, ids_by_kind: dict[str, set[str]]) -> set[str]:
    """Which of these entities are flagged "needs review" now."""
    found: set[str] = set()
    for kind, ids in ids_by_kind.items():
        table = ENTITY_TABLES.get(kind)
        listed = sorted(ids)
        for i in range(0, len(listed), 500):
            if table is not None:
                found.update(session.scalars(select(table.c.id).where(
                    table.c.id.in_(listed[i:i + 500]), table.c.needs_review.is_(True))))
    return found


def possible_duplicates(session: Session) -> list[tuple[str, str]]:
    return [(a, b) for a, b in session.execute(
        select(PossibleDuplicateRow.person_id, PossibleDuplicateRow.other_id))]


def count_needing_review(session: Session) -> int:
    """Records of any kind flagged "needs review" (live ones)."""
    total = 0
    for table in ENTITY_TABLES.values():
        total += session.scalar(select(func.count()).select_from(table).where(
            table.c.needs_review.is_(True), table.c.deleted_stamp.is_(None))) or 0
    return total


# --- leaving the team ----------------------------------------------------------------


def forget_team_data(session: Session) -> None:
    """Remove every record, the operation log and all sync state from this profile.

    Used when the coordinator signs out of the team (after being told what has
    not been synced): the records belong to the team.
    """
    session.execute(text("DELETE FROM search_index"))
    keep = {"meta", "alembic_version"}
    for table in reversed(metadata.sorted_tables):
        if table.name not in keep:
            session.execute(table.delete())
