"""The server schema. Every secret column holds ciphertext, a public key or a hash."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ID = String(36)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both databases (SQLite has no time zones)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_name)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


class Account(Base):
    __tablename__ = "account"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    #: `names.canonical` of the name registered (accounts from before 0002 whose
    #: case-folded name collided keep theirs as registered).
    username: Mapped[str] = mapped_column(String(64), unique=True)
    #: `names.skeleton` of the user name: two names that look alike have the same one.
    #: NULL only for an account from before 0002 whose skeleton an older one had.
    name_skeleton: Mapped[str | None] = mapped_column(String(255), unique=True)
    login_public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    kdf_salt: Mapped[bytes] = mapped_column(LargeBinary(16))
    kdf_opslimit: Mapped[int] = mapped_column(BigInteger)
    kdf_memlimit: Mapped[int] = mapped_column(BigInteger)
    wrapped_account_key: Mapped[bytes] = mapped_column(LargeBinary)
    identity_public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    wrapped_identity_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


class Device(Base):
    """One signed-in installation; revoking it ends all of its tokens at once."""

    __tablename__ = "device"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("account.id"), index=True)
    label: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class Token(Base):
    """Access and refresh tokens, by SHA-256; a spent refresh token is kept to detect reuse."""

    __tablename__ = "token"
    hash: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("device.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    expires_at: Mapped[datetime]
    spent: Mapped[bool] = mapped_column(default=False)


class Challenge(Base):
    """A login challenge; deleted when used, so it works once."""

    __tablename__ = "challenge"
    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    action: Mapped[str] = mapped_column(String(16))
    host: Mapped[str] = mapped_column(String(255))
    expires_at: Mapped[datetime] = mapped_column(index=True)


class RateLimit(Base):
    """Fixed-window counters in the database, so every server process shares them."""

    __tablename__ = "rate_limit"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    window_start: Mapped[datetime]
    count: Mapped[int] = mapped_column(Integer)


class ServerSecret(Base):
    """Random server-side secrets, created by the first migration."""

    __tablename__ = "server_secret"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[bytes] = mapped_column(LargeBinary)


class Team(Base):
    """`head` is the last allocated seq; its row is the per-team lock of the log."""

    __tablename__ = "team"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    epoch: Mapped[int] = mapped_column(Integer)
    head: Mapped[int] = mapped_column(BigInteger)
    digest: Mapped[bytes] = mapped_column(LargeBinary(32))
    created_at: Mapped[datetime]


class Membership(Base):
    __tablename__ = "membership"
    team_id: Mapped[str] = mapped_column(ForeignKey("team.id"), primary_key=True)
    account_id: Mapped[str] = mapped_column(
        ForeignKey("account.id"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime]


class TeamKey(Base):
    """A team epoch key sealed to one member's identity key."""

    __tablename__ = "team_key"
    team_id: Mapped[str] = mapped_column(ForeignKey("team.id"), primary_key=True)
    epoch: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("account.id"), primary_key=True)
    sealed_key: Mapped[bytes] = mapped_column(LargeBinary)


class Invitation(Base):
    """A pending invitation. `inviter_id` None: made by the operator (CLI).

    It is bound to the team's key `epoch` when it was made and ends at
    `expires_at`; removing or demoting its inviter deletes it.
    """

    __tablename__ = "invitation"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("team.id"), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("account.id"), index=True)
    inviter_id: Mapped[str | None] = mapped_column(ForeignKey("account.id"), index=True)
    role: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime]
    epoch: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime]


class InvitationKey(Base):
    __tablename__ = "invitation_key"
    invitation_id: Mapped[str] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), primary_key=True
    )
    epoch: Mapped[int] = mapped_column(Integer, primary_key=True)
    sealed_key: Mapped[bytes] = mapped_column(LargeBinary)


class Change(Base):
    """The append-only log: one encrypted operation per row, ordered by `seq` per team."""

    __tablename__ = "change"
    __table_args__ = (UniqueConstraint("team_id", "op_id"),)
    team_id: Mapped[str] = mapped_column(ForeignKey("team.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    op_id: Mapped[str] = mapped_column(ID)
    record_id: Mapped[str] = mapped_column(ID)
    device_id: Mapped[str] = mapped_column(ID)
    author_id: Mapped[str] = mapped_column(ID)
    epoch: Mapped[int] = mapped_column(Integer)
    blob: Mapped[bytes] = mapped_column(LargeBinary)
    digest: Mapped[bytes] = mapped_column(LargeBinary(32))
    created_at: Mapped[datetime]


class Audit(Base):
    """Append-only (database triggers refuse UPDATE and DELETE). Never a payload or a name."""

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    at: Mapped[datetime] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(32))
    account_id: Mapped[str | None] = mapped_column(ID)
    device_id: Mapped[str | None] = mapped_column(ID)
    team_id: Mapped[str | None] = mapped_column(ID, index=True)
    address: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(String(200), default="")
