"""Challenges, tokens and devices: login without a password ever reaching the server.

A challenge is single-use (deleted when presented, whatever the outcome) and
bound to host, action and expiry. Tokens are random; only their SHA-256 is
stored. A refresh token works once: presenting a spent one means it was
copied, so the whole device is revoked.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from eolcare.server.config import Settings
from eolcare.server.models import Challenge, Device, Token, utcnow
from eolcare.sync import crypto, protocol

ACCESS = "access"
REFRESH = "refresh"
NOT_SIGNED_IN = "not signed in, or the session ended; sign in again"


@dataclass(frozen=True)
class Principal:
    """Who is calling: an account through one of its devices."""

    account_id: str
    device_id: str


def issue_challenge(session: Session, host: str, action: str, ttl: int) -> tuple[str, datetime]:
    nonce = secrets.token_urlsafe(24)
    expires = utcnow().replace(microsecond=0) + timedelta(seconds=ttl)
    session.add(Challenge(nonce=nonce, action=action, host=host, expires_at=expires))
    _purge_expired_challenges(session)
    text = protocol.challenge_text(host, action, nonce, int(expires.timestamp()))
    return text, expires


def consume_challenge(session: Session, text: str, host: str, action: str) -> bool:
    """True only for a challenge this server issued for `host` and `action`, unexpired, unused."""
    parts = text.split("|")
    if len(parts) != 5 or parts[0] != protocol.CHALLENGE_PREFIX:
        return False
    _, c_host, c_action, nonce, expires = parts
    row = session.get(Challenge, nonce)
    if row is None:
        return False
    session.execute(delete(Challenge).where(Challenge.nonce == nonce))
    return (
        c_host == row.host == host
        and c_action == row.action == action
        and expires == str(int(row.expires_at.timestamp()))
        and row.expires_at > utcnow()
    )


def _purge_expired_challenges(session: Session) -> None:
    # Bounded work per call keeps the table small without a background job.
    stale = select(Challenge.nonce).where(Challenge.expires_at < utcnow()).limit(50)
    session.execute(delete(Challenge).where(Challenge.nonce.in_(stale)))


def new_device(session: Session, account_id: str, label: str) -> Device:
    device = Device(id=str(uuid.uuid4()), account_id=account_id, label=label, created_at=utcnow())
    session.add(device)
    return device


def issue_tokens(session: Session, device: Device, settings: Settings) -> protocol.TokenPair:
    """A fresh access and refresh token for `device`; its older access tokens stop working."""
    now = utcnow()
    session.execute(delete(Token).where(Token.device_id == device.id, Token.kind == ACCESS))
    access, refresh = crypto.random_token(), crypto.random_token()
    lifetimes = ((access, ACCESS, settings.access_ttl), (refresh, REFRESH, settings.refresh_ttl))
    for token, kind, ttl in lifetimes:
        session.add(
            Token(
                hash=crypto.token_hash(token),
                device_id=device.id,
                kind=kind,
                expires_at=now + timedelta(seconds=ttl),
                spent=False,
            )
        )
    return protocol.TokenPair(
        access_token=access,
        refresh_token=refresh,
        access_expires_in=settings.access_ttl,
        refresh_expires_in=settings.refresh_ttl,
        account_id=device.account_id,
        device_id=device.id,
    )


def authenticate(session: Session, token: str) -> Principal | None:
    """The caller behind an access token, or None (unknown, expired or revoked alike)."""
    row = session.execute(
        select(Device.account_id, Device.id)
        .join(Token, Token.device_id == Device.id)
        .where(
            Token.hash == crypto.token_hash(token),
            Token.kind == ACCESS,
            Token.expires_at > utcnow(),
            Device.revoked_at.is_(None),
        )
    ).one_or_none()
    return None if row is None else Principal(row.account_id, row.id)


@dataclass(frozen=True)
class RefreshOutcome:
    device: Device | None
    reused: bool


def spend_refresh_token(session: Session, token: str) -> RefreshOutcome:
    """Mark a refresh token spent; a second use revokes its device (the token leaked)."""
    found = session.execute(
        select(Token, Device)
        .join(Device, Token.device_id == Device.id)
        .where(Token.hash == crypto.token_hash(token), Token.kind == REFRESH)
    ).one_or_none()
    if found is None:
        return RefreshOutcome(None, reused=False)
    row, device = found
    if device.revoked_at is not None or row.expires_at <= utcnow():
        return RefreshOutcome(None, reused=False)
    # Conditional update: of two racing refreshes with one token, one wins.
    won = session.connection().execute(
        update(Token).where(Token.hash == row.hash, Token.spent.is_(False)).values(spent=True)
    ).rowcount
    if not won:
        revoke_device(session, device)
        return RefreshOutcome(None, reused=True)
    return RefreshOutcome(device, reused=False)


def revoke_device(session: Session, device: Device) -> None:
    """End every token of the device now; the row stays for the audit trail."""
    if device.revoked_at is None:
        device.revoked_at = utcnow()
    session.execute(delete(Token).where(Token.device_id == device.id, Token.kind == ACCESS))


def revoke_account_devices(session: Session, account_id: str) -> None:
    for device in session.scalars(
        select(Device).where(Device.account_id == account_id, Device.revoked_at.is_(None))
    ):
        revoke_device(session, device)
