"""Registration, login, token refresh, the caller's account and devices."""

from __future__ import annotations

import hashlib
import hmac
import uuid

from fastapi import APIRouter, HTTPException, status
from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from eolcare.server import audit, auth, names, ratelimit
from eolcare.server.db import Database
from eolcare.server.deps import (
    AddressDep,
    DbDep,
    HostDep,
    IdPath,
    PrincipalDep,
    SettingsDep,
    UsernameQuery,
)
from eolcare.server.models import Account, Device, ServerSecret, utcnow
from eolcare.sync import crypto, protocol

router = APIRouter(prefix=protocol.API_PREFIX, tags=["accounts"])

LOGIN_FAILED = "sign-in failed: check the user name and passphrase"
#: Stands in for an unknown user's key so both failures take the same work.
_DECOY_KEY = crypto.derive_keys("decoy", crypto.KdfParams(bytes(16), 1, 8192)).login_key


def too_many(wait: int) -> HTTPException:
    return HTTPException(
        status.HTTP_429_TOO_MANY_REQUESTS,
        f"too many attempts; try again in {wait} seconds",
        headers={"Retry-After": str(wait)},
    )


def _limit_login(session: Session, settings: SettingsDep, username: str,
                 address: str, prefix: str = "login") -> int | None:
    """Count one attempt to prove a passphrase (a login or a passphrase change; with
    `prefix` "kdf", a fetch of the KDF parameters) against the account (by hashed
    canonical user name) and the address; seconds to wait when over."""
    user_key = hashlib.sha256(names.canonical(username).encode()).hexdigest()[:32]
    return ratelimit.hit(
        session,
        {f"{prefix}:acct:{user_key}": settings.login_per_account,
         f"{prefix}:addr:{address}": settings.login_per_address},
        settings.rate_window,
    )


def _by_name(username: str) -> Select[bytes, Account]:
    """The decoy secret and the account a typed user name names, in one query whether or
    not there is one (so a known and an unknown name cost the same).

    Names are stored canonical (`names.canonical`); an account from before that rule
    whose folded name collided keeps its name as registered, so the name as typed is
    looked for too, after the canonical one.
    """
    name = names.canonical(username)
    return (select(ServerSecret.value, Account).select_from(ServerSecret)
            .outerjoin(Account, Account.username.in_({name, username}))
            .where(ServerSecret.name == "decoy_salt")
            .order_by(Account.username != name).limit(1))


def _account_named(session: Session, username: str) -> tuple[bytes, Account | None]:
    row = session.execute(_by_name(username)).one()
    return row[0], row[1]


def _limit_anonymous(session: Session, settings: SettingsDep, address: str) -> int | None:
    return ratelimit.hit(
        session, {f"anon:{address}": settings.anonymous_per_address}, settings.rate_window
    )


@router.post("/auth/challenge")
def challenge(
    body: protocol.ChallengeRequest, db: DbDep, settings: SettingsDep, host: HostDep,
    address: AddressDep,
) -> protocol.ChallengeResponse:
    """A single-use challenge to sign, bound to this host and the action."""
    with db.writing.begin() as session:
        wait = _limit_anonymous(session, settings, address)
        if wait is None:
            text, expires = auth.issue_challenge(
                session, host, body.action, settings.challenge_ttl
            )
    if wait is not None:
        raise too_many(wait)
    return protocol.ChallengeResponse(challenge=text, expires_at=expires)


@router.get("/auth/kdf")
def kdf_params(username: UsernameQuery, db: DbDep, settings: SettingsDep,
               address: AddressDep) -> protocol.KdfParamsMsg:
    """The Argon2id salt and costs for a user; an unknown user gets stable decoy ones.

    Rate-limited as a login is (per name and per address), and both paths do the
    same work: one query, the decoy's HMAC, one reply.
    """
    with db.writing.begin() as session:
        wait = _limit_login(session, settings, username, address, prefix="kdf")
        secret, account = _account_named(session, username)
    if wait is not None:
        raise too_many(wait)
    decoy = hmac.new(secret, names.canonical(username).encode(), hashlib.sha256).digest()[:16]
    if account is None:
        return protocol.KdfParamsMsg(
            salt=decoy, opslimit=crypto.DEFAULT_OPSLIMIT, memlimit=crypto.DEFAULT_MEMLIMIT)
    return protocol.KdfParamsMsg(salt=account.kdf_salt, opslimit=account.kdf_opslimit,
                                 memlimit=account.kdf_memlimit)


@router.post("/auth/register", status_code=status.HTTP_201_CREATED)
def register(
    body: protocol.RegisterRequest, db: DbDep, settings: SettingsDep, host: HostDep,
    address: AddressDep,
) -> protocol.RegisterResponse:
    """Store the login public key and the wrapped keys; nothing secret arrives in clear."""
    account_id = str(uuid.uuid4())
    with db.writing.begin() as session:
        wait = _limit_anonymous(session, settings, address)
        ok = wait is None and (
            auth.consume_challenge(session, body.challenge, host, "register")
            and crypto.verify(body.login_public_key, body.challenge, body.signature)
        )
    if wait is not None:
        raise too_many(wait)
    if not ok:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "the signed challenge is not valid")
    username, skeleton = names.canonical(body.username), names.skeleton(body.username)
    try:
        with db.writing.begin() as session:
            _refuse_taken(session, username, skeleton)
            session.add(
                Account(
                    id=account_id,
                    username=username,
                    name_skeleton=skeleton,
                    login_public_key=body.login_public_key,
                    kdf_salt=body.kdf.salt,
                    kdf_opslimit=body.kdf.opslimit,
                    kdf_memlimit=body.kdf.memlimit,
                    wrapped_account_key=body.wrapped_account_key,
                    identity_public_key=body.identity_public_key,
                    wrapped_identity_key=body.wrapped_identity_key,
                    created_at=utcnow(),
                )
            )
            session.flush()
            audit.record(session, "register", account_id=account_id, address=address)
    except IntegrityError as exc:  # registered at the same moment
        raise HTTPException(status.HTTP_409_CONFLICT, TAKEN) from exc
    return protocol.RegisterResponse(account_id=account_id)


TAKEN = "this user name is taken; choose another"
LOOKALIKE = ("this user name looks like one that is taken (letters such as l and 1, "
             "or O and 0, read alike); choose another")


def _refuse_taken(session: Session, username: str, skeleton: str) -> None:
    """409 if the canonical name is taken or another name has its skeleton (it looks
    the same); the name it collides with is not said."""
    found = session.scalars(select(Account.username).where(
        or_(func.lower(Account.username) == username, Account.name_skeleton == skeleton)
    ).limit(2)).all()
    if found:
        raise HTTPException(status.HTTP_409_CONFLICT,
                            TAKEN if username in {n.casefold() for n in found} else LOOKALIKE)


@router.post("/auth/login")
def login(
    body: protocol.LoginRequest, db: DbDep, settings: SettingsDep, host: HostDep,
    address: AddressDep,
) -> protocol.TokenPair:
    """Exchange a signed login challenge for tokens of a new device.

    An unknown user and a wrong key fail the same way, after the same work.
    """
    tokens = None
    _check_label("device_label", body.device_label)
    with db.writing.begin() as session:
        wait = _limit_login(session, settings, body.username, address)
        if wait is None:
            fresh = auth.consume_challenge(session, body.challenge, host, "login")
            account = _account_named(session, body.username)[1]
            public_key = account.login_public_key if account else bytes(_DECOY_KEY.verify_key)
            signed = crypto.verify(public_key, body.challenge, body.signature)
            if fresh and signed and account is not None:
                device = auth.new_device(session, account.id, body.device_label)
                session.flush()
                tokens = auth.issue_tokens(session, device, settings)
                audit.record(session, "login", account_id=account.id, device_id=device.id,
                             address=address)
            else:
                audit.record(session, "login_failed", account_id=account.id if account else None,
                             address=address)
    if wait is not None:
        raise too_many(wait)
    if tokens is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, LOGIN_FAILED)
    return tokens


def _check_label(field: str, text: str) -> None:
    try:
        names.check_label(field, text)
    except names.UnsafeNameError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc


@router.post("/auth/refresh")
def refresh(
    body: protocol.RefreshRequest, db: DbDep, settings: SettingsDep, address: AddressDep
) -> protocol.TokenPair:
    """Rotate: the refresh token presented is spent, a new pair comes back."""
    tokens = None
    with db.writing.begin() as session:
        outcome = auth.spend_refresh_token(session, body.refresh_token)
        if outcome.device is not None:
            tokens = auth.issue_tokens(session, outcome.device, settings)
        elif outcome.reused:
            audit.record(session, "refresh_reused", address=address)
    if tokens is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "the session ended; sign in again")
    return tokens


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(who: PrincipalDep, db: DbDep, address: AddressDep) -> None:
    """Revoke the calling device."""
    _revoke(db, who, who.device_id, address)


@router.get("/account")
def account_info(who: PrincipalDep, db: DbDep) -> protocol.AccountInfo:
    """The wrapped keys a newly signed-in device unwraps with the passphrase."""
    with db.reading.begin() as session:
        account = session.get_one(Account, who.account_id)
        return protocol.AccountInfo(
            account_id=account.id,
            kdf=protocol.KdfParamsMsg(
                salt=account.kdf_salt, opslimit=account.kdf_opslimit,
                memlimit=account.kdf_memlimit,
            ),
            wrapped_account_key=account.wrapped_account_key,
            identity_public_key=account.identity_public_key,
            wrapped_identity_key=account.wrapped_identity_key,
        )


@router.post("/account/passphrase", status_code=status.HTTP_204_NO_CONTENT)
def change_passphrase(
    body: protocol.PassphraseChange, *, who: PrincipalDep, db: DbDep, settings: SettingsDep,
    host: HostDep, address: AddressDep,
) -> None:
    """Replace the login public key, KDF parameters and wrapped account key.

    Needs, besides the device's access token, the current login key's signature
    over a fresh `rekey` challenge (checked as at login, so a stolen token alone
    is not enough) and the new key's over the same challenge (proof of
    possession). A failure looks like a failed sign-in and counts against the
    same per-account and per-address limits. The device's sessions go on: the
    passphrase protects the keys; devices are revoked separately.
    """
    changed = False
    with db.writing.begin() as session:
        account = session.get_one(Account, who.account_id)
        wait = _limit_login(session, settings, account.username, address)
        if wait is None:
            current_key = account.login_public_key
            statement = body.statement()  # the challenge bound to the new credentials
            proven = (
                auth.consume_challenge(session, body.challenge, host, "rekey")
                and crypto.verify(current_key, statement, body.signature)
                and crypto.verify(body.login_public_key, statement, body.new_key_signature)
            )
            if proven:
                # Only if the key is still the one verified: of two changes racing with
                # the same current passphrase, one wins and the other fails.
                changed = session.connection().execute(
                    update(Account)
                    .where(Account.id == account.id, Account.login_public_key == current_key)
                    .values(
                        login_public_key=body.login_public_key,
                        kdf_salt=body.kdf.salt,
                        kdf_opslimit=body.kdf.opslimit,
                        kdf_memlimit=body.kdf.memlimit,
                        wrapped_account_key=body.wrapped_account_key,
                    )
                ).rowcount == 1
            audit.record(session, "passphrase_changed" if changed else "passphrase_change_failed",
                         account_id=who.account_id, device_id=who.device_id, address=address)
    if wait is not None:
        raise too_many(wait)
    if not changed:
        raise HTTPException(status.HTTP_403_FORBIDDEN, LOGIN_FAILED)


@router.get("/accounts/lookup")
def lookup(username: UsernameQuery, who: PrincipalDep, db: DbDep, settings: SettingsDep,
           address: AddressDep) -> protocol.AccountPublic:
    """An account's identity public key, to seal a team key to it when inviting.

    Rate-limited per signed-in account and per address, so a member cannot walk a
    list of names to learn which exist.
    """
    with db.writing.begin() as session:
        wait = ratelimit.hit(session, {
            f"lookup:acct:{who.account_id}": settings.lookups_per_account,
            f"lookup:addr:{address}": settings.lookups_per_address,
        }, settings.rate_window)
        account = _account_named(session, username)[1]
    if wait is not None:
        raise too_many(wait)
    if account is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such user")
    return protocol.AccountPublic(
        account_id=account.id, identity_public_key=account.identity_public_key
    )


@router.get("/devices")
def devices(who: PrincipalDep, db: DbDep) -> list[protocol.Device]:
    with db.reading.begin() as session:
        rows = session.scalars(
            select(Device).where(Device.account_id == who.account_id).order_by(Device.created_at)
        ).all()
    return [
        protocol.Device(device_id=d.id, label=d.label, created_at=d.created_at,
                        revoked_at=d.revoked_at)
        for d in rows
    ]


@router.delete("/devices/{device_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke(device_id: IdPath, who: PrincipalDep, db: DbDep, address: AddressDep) -> None:
    """Revoke one of the caller's devices (a lost laptop) at once."""
    _revoke(db, who, device_id, address)


def _revoke(db: Database, who: auth.Principal, device_id: str, address: str) -> None:
    with db.writing.begin() as session:
        device = session.get(Device, device_id)
        if device is None or device.account_id != who.account_id:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such device")
        auth.revoke_device(session, device)
        audit.record(session, "device_revoked", account_id=who.account_id,
                     device_id=device_id, address=address)
