"""The sync wire format, shared by server and client.

Binary values travel as standard base64 strings in JSON. The login challenge
is a plain string whose every part the server checks again when it comes back
signed: host, action, nonce and expiry.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
)

API_PREFIX = "/v1"
#: A request body larger than this is refused with 413 before it is read.
MAX_REQUEST_BYTES = 1024 * 1024
#: One operation's ciphertext; larger is refused with 413.
MAX_OP_BYTES = 64 * 1024
MAX_OPS_PER_PUSH = 500
MAX_PULL_LIMIT = 1000
CHALLENGE_PREFIX = "eolcare-auth-v1"
DIGEST_ZERO = bytes(32)

Role = Literal["admin", "member", "viewer"]
#: What a challenge is for; a signature over one action's challenge is refused for another.
Action = Literal["login", "register", "rekey"]


def _b64decode(value: object) -> bytes:
    if isinstance(value, bytes):
        return value
    if not isinstance(value, str):
        raise ValueError("expected a base64 string")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not valid base64") from exc


def _b64encode(value: bytes) -> str:
    return base64.b64encode(value).decode()


B64 = Annotated[
    bytes,
    BeforeValidator(_b64decode),
    PlainSerializer(_b64encode, return_type=str),
    WithJsonSchema({"type": "string", "format": "byte"}),
]
Key32 = Annotated[B64, Field(min_length=32, max_length=32)]
Signature = Annotated[B64, Field(min_length=64, max_length=64)]
Sealed = Annotated[B64, Field(min_length=48, max_length=256)]
Wrapped = Annotated[B64, Field(min_length=16, max_length=1024)]
UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
USERNAME_PATTERN = r"^[A-Za-z0-9._@+-]+$"
#: No control characters (PostgreSQL refuses NUL in text; logs should not carry them).
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
Uuid = Annotated[str, Field(pattern=UUID_PATTERN)]
Username = Annotated[str, Field(min_length=3, max_length=64, pattern=USERNAME_PATTERN)]
Seq = Annotated[int, Field(ge=0, le=2**62)]


class Message(BaseModel):
    """Strict about unknown fields: a typo in a client is an error, not a silent drop."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- login ---------------------------------------------------------------


def challenge_text(host: str, action: str, nonce: str, expires: int) -> str:
    """The exact string a client signs. Binding the host stops a relay to another server."""
    return f"{CHALLENGE_PREFIX}|{host}|{action}|{nonce}|{expires}"


class ChallengeRequest(Message):
    action: Action


class ChallengeResponse(Message):
    challenge: str
    expires_at: datetime


class KdfParamsMsg(Message):
    salt: Annotated[B64, Field(min_length=16, max_length=16)]
    opslimit: Annotated[int, Field(ge=1, le=2**32 - 1)]
    memlimit: Annotated[int, Field(ge=8192, le=2**32 - 1)]


class SignedChallenge(Message):
    challenge: Annotated[str, Field(max_length=512, pattern=r"^[\x20-\x7e]+$")]
    signature: Signature


class RegisterRequest(SignedChallenge):
    """A new account. The signature over a `register` challenge proves the key is held."""

    username: Username
    login_public_key: Key32
    kdf: KdfParamsMsg
    wrapped_account_key: Wrapped
    identity_public_key: Key32
    wrapped_identity_key: Wrapped


class RegisterResponse(Message):
    account_id: str


class LoginRequest(SignedChallenge):
    username: Username
    device_label: Annotated[str, Field(max_length=64, pattern=PRINTABLE)] = ""


class PassphraseChange(SignedChallenge):
    """A new passphrase for the account (POST /account/passphrase, by a signed-in device).

    Both signatures are over `statement()`: a `rekey` challenge bound to the new
    credentials, so nobody who sees the request can swap in other ones.
    `signature` is the CURRENT login key's, as at login, so an access token alone
    cannot change the passphrase; `new_key_signature` is the new key's, proving it
    is held, as at registration. The account key stays the same (only its
    wrapping changes), so the wrapped identity key does not travel.
    """

    login_public_key: Key32
    new_key_signature: Signature
    kdf: KdfParamsMsg
    wrapped_account_key: Wrapped

    def statement(self) -> str:
        return rekey_statement(self.challenge, self.login_public_key, self.kdf,
                               self.wrapped_account_key)


def rekey_statement(challenge: str, login_public_key: bytes, kdf: KdfParamsMsg,
                    wrapped_account_key: bytes) -> str:
    """What both keys sign for a passphrase change: the challenge and a SHA-256 of
    the new login key, KDF salt and costs and wrapped account key."""
    h = hashlib.sha256(b"eolcare-rekey-v1")
    for part in (login_public_key, kdf.salt, kdf.opslimit.to_bytes(8, "big"),
                 kdf.memlimit.to_bytes(8, "big"), wrapped_account_key):
        h.update(len(part).to_bytes(4, "big") + part)
    return f"{challenge}|{h.hexdigest()}"


class RefreshRequest(Message):
    refresh_token: Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[\x20-\x7e]+$")]


class TokenPair(Message):
    access_token: str
    refresh_token: str
    access_expires_in: int
    refresh_expires_in: int
    account_id: str
    device_id: str


class AccountInfo(Message):
    """What a new device needs after login to unwrap its keys."""

    account_id: str
    kdf: KdfParamsMsg
    wrapped_account_key: B64
    identity_public_key: B64
    wrapped_identity_key: B64


class AccountPublic(Message):
    account_id: str
    identity_public_key: B64


class Device(Message):
    device_id: str
    label: str
    created_at: datetime
    revoked_at: datetime | None


# --- teams ---------------------------------------------------------------


class TeamCreate(Message):
    """A new team; the creator becomes its admin and seals epoch 1's key to themself."""

    name: Annotated[str, Field(min_length=1, max_length=100, pattern=PRINTABLE)]
    sealed_key: Sealed


class Team(Message):
    team_id: str
    name: str
    role: Role
    epoch: int
    head: int


class Member(Message):
    account_id: str
    role: Role
    identity_public_key: B64
    has_current_key: bool


class EpochKey(Message):
    epoch: Annotated[int, Field(ge=1, le=2**31 - 1)]
    sealed_key: Sealed


class MemberKey(EpochKey):
    account_id: Uuid


class KeysUpload(Message):
    keys: Annotated[list[MemberKey], Field(min_length=1, max_length=1000)]


class InvitationCreate(Message):
    account_id: Uuid
    role: Role
    keys: Annotated[list[EpochKey], Field(max_length=1000)] = []


class Invitation(Message):
    """An invitation as its invitee sees it. `epoch`: the team key epoch it was made in;
    it can be accepted only while that is still the team's epoch, and until `expires_at`."""

    invitation_id: str
    team_id: str
    team_name: str
    role: Role
    inviter_id: str | None
    inviter_identity_public_key: B64 | None
    keys: list[EpochKey]
    epoch: int | None = None
    expires_at: datetime | None = None


class TeamInvitation(Message):
    """A pending invitation as the team's admins list it (GET /teams/{id}/invitations).

    `current` is False once the team's key epoch moved past `epoch`: it can no
    longer be accepted, and an admin invites the person again with the new key.
    `inviter_id` None: made by the server's operator.
    """

    invitation_id: str
    account_id: str
    role: Role
    inviter_id: str | None
    created_at: datetime
    expires_at: datetime
    epoch: int
    current: bool


class RoleChange(Message):
    """A member's new role (PATCH /teams/{id}/members/{account_id})."""

    role: Role


class Epoch(Message):
    epoch: int


# --- change log ----------------------------------------------------------


class Op(Message):
    """One encrypted operation as pushed; `blob` is opaque to the server."""

    op_id: Uuid
    record_id: Uuid
    epoch: Annotated[int, Field(ge=1, le=2**31 - 1)]
    blob: B64


class PushRequest(Message):
    ops: Annotated[list[Op], Field(min_length=1)]


class PushResult(Message):
    op_id: str
    seq: int
    stored: bool  # False: already there (a retried push)


class PushResponse(Message):
    results: list[PushResult]
    head: int


class Change(Message):
    seq: int
    op_id: str
    record_id: str
    device_id: str
    author_id: str
    epoch: int
    blob: B64


class PullResponse(Message):
    changes: list[Change]
    head: int
    more: bool


class Digest(Message):
    seq: int
    digest: B64


class ErrorBody(Message):
    detail: str


def chain_digest(previous: bytes, seq: int, op_id: str, blob: bytes) -> bytes:
    """The team log's rolling digest after one change.

    Client and server fold every change in seq order; equal digests at a seq
    mean equal logs up to it, so a mismatch after sync tells the client to re-pull.
    """
    h = hashlib.sha256(previous)
    h.update(seq.to_bytes(8, "big"))
    h.update(op_id.encode())
    h.update(hashlib.sha256(blob).digest())
    return h.digest()
