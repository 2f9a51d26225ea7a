"""The key file beside the database: the random database key, wrapped twice.

The SQLCipher key is 32 random bytes, never derived from anything a person
types, so changing the passphrase never re-encrypts the database. It is kept
in a small JSON file (``vault.json``) wrapped (XChaCha20-Poly1305) once by a
key derived from the coordinator's passphrase with Argon2id, and once by a key
derived from the recovery key shown at profile creation, so a forgotten
passphrase does not lose records that were never synced. See docs/vault.md.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hmac
import json
import os
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nacl.exceptions
import nacl.utils
from nacl import bindings
from nacl.encoding import RawEncoder
from nacl.hash import blake2b
from nacl.pwhash import argon2id

from eolcare.domain.errors import (
    DiskError,
    Problem,
    ProfileExistsError,
    StoreError,
    ValidationError,
    VaultCorruptError,
    VaultMissingError,
    WrongPassphraseError,
)

FORMAT = "eolcare-vault"
VERSION = 1
KEY_BYTES = 32
MIN_PASSPHRASE_CHARS = 8

_SALT_BYTES = 16
_CHECK_BYTES = 16
_NONCE_BYTES = bindings.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
_WRAPPED_BYTES = KEY_BYTES + bindings.crypto_aead_xchacha20poly1305_ietf_ABYTES
_RECOVERY_BYTES = 20  # 160 bits: far beyond guessing, so no slow KDF is needed
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CROCKFORD_ALIASES = str.maketrans("OIL", "011", " -\t\r\n")
_RECOVERY_CHARS = _RECOVERY_BYTES * 8 // 5
# A damaged file must not make us allocate gigabytes or spin for minutes.
_OPSLIMIT_CAP = 32
_MEMLIMIT_CAP = 2 * 1024**3
_CREATE_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


@dataclass(frozen=True)
class VaultKdf:
    """Argon2id cost: passes over memory (opslimit) and memory in bytes (memlimit)."""

    opslimit: int
    memlimit: int

    def __post_init__(self) -> None:
        # Checked here so that parameters read from a damaged file are refused too.
        if not argon2id.OPSLIMIT_MIN <= self.opslimit <= _OPSLIMIT_CAP:
            raise ValueError(f"Argon2id opslimit out of range: {self.opslimit}")
        if not argon2id.MEMLIMIT_MIN <= self.memlimit <= _MEMLIMIT_CAP:
            raise ValueError(f"Argon2id memlimit out of range: {self.memlimit}")


#: The old name, kept while branches written against it merge; use :class:`VaultKdf`
#: (sync's ``crypto.KdfParams`` is another thing: the account key's derivation).
KdfParams = VaultKdf

KDF_DEFAULT = VaultKdf(opslimit=argon2id.OPSLIMIT_MODERATE, memlimit=argon2id.MEMLIMIT_MODERATE)
"""libsodium's "moderate" Argon2id: 3 passes over 256 MiB, ~0.45 s per unlock here.

The passphrase is typed once per session, so a fraction of a second is not
felt, while every guess by someone holding a stolen laptop costs the same
256 MiB and time, which rules out cheap GPU guessing. 256 MiB is affordable
on any machine that runs a desktop app; an older laptop takes 1-2 s.
"""

KDF_FAST_FOR_TESTS = VaultKdf(opslimit=argon2id.OPSLIMIT_MIN, memlimit=argon2id.MEMLIMIT_MIN)
"""libsodium's minimums. Only for the test suite: it protects nothing."""

_AAD_PASSPHRASE = b"eolcare-vault/1/passphrase"
_AAD_RECOVERY = b"eolcare-vault/1/recovery"


@dataclass(frozen=True)
class NewVault:
    """What a new profile needs: the database key, and the recovery key to show once."""

    key: bytes
    recovery_key: str


@dataclass(frozen=True)
class _Wrapped:
    """The database key sealed under one wrapping key, with a check of that wrapping key.

    The check tells a wrong passphrase (check differs) from a damaged file
    (check matches but the ciphertext does not open).
    """

    salt: bytes
    check: bytes
    nonce: bytes
    wrapped_key: bytes

    def to_json(self) -> dict[str, str]:
        return {name: _b64(value) for name, value in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> _Wrapped:
        return cls(
            salt=_unb64(data["salt"], _SALT_BYTES),
            check=_unb64(data["check"], _CHECK_BYTES),
            nonce=_unb64(data["nonce"], _NONCE_BYTES),
            wrapped_key=_unb64(data["wrapped_key"], _WRAPPED_BYTES),
        )


@dataclass(frozen=True)
class _Vault:
    created: str
    changed: str
    kdf: VaultKdf
    passphrase: _Wrapped
    recovery: _Wrapped
    # Both absent from key files written before they were added (read as None).
    profile: str | None = None  # the id of the profile this key file belongs to
    key_check: bytes | None = None  # a keyed hash of the database key, to test a cached key


class VaultMismatchError(StoreError):
    """The key file in a profile's folder belongs to another profile."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or (
            "The key file in this profile's folder belongs to another profile, so it cannot "
            "unlock this one. Nothing was changed. Put this profile's own key file (vault.json)"
            " back: the profile's backups folder keeps a copy."
        ))


# --- public API ----------------------------------------------------------------------


def create_vault(path: Path, passphrase: str, kdf: VaultKdf = KDF_DEFAULT, *,
                 profile_id: str | None = None) -> NewVault:
    """Make a new database key and its key file; refuse to replace an existing one.

    Replacing a key file would make the database it unlocks unreadable.
    ``profile_id`` is written into the file so that another profile's key file
    put in its place is recognised as such.
    """
    _require_acceptable(passphrase)
    if path.exists():
        raise ProfileExistsError(
            "This profile already has a key file. It was left as it is, so that its records"
            " stay readable."
        )
    key = nacl.utils.random(KEY_BYTES)
    recovery = nacl.utils.random(_RECOVERY_BYTES)
    now = _now()
    vault = _Vault(
        created=now,
        changed=now,
        kdf=kdf,
        passphrase=_seal_passphrase(key, passphrase, kdf),
        recovery=_seal_recovery(key, recovery),
        profile=profile_id,
        key_check=_key_check(key),
    )
    _write_atomic(path, _dump(vault))
    return NewVault(key=key, recovery_key=_format_recovery_key(recovery))


def unlock(path: Path, passphrase: str, *, profile_id: str | None = None) -> bytes:
    """Return the database key, given the coordinator's passphrase.

    With ``profile_id``, a key file that names another profile is refused
    before any Argon2 work.
    """
    return _open_with_passphrase(_read(path, profile_id), passphrase)


def unlock_with_recovery_key(path: Path, recovery_key: str, *,
                             profile_id: str | None = None) -> bytes:
    """Return the database key, given the recovery key (any case, spaces and dashes)."""
    return _open_with_recovery_key(_read(path, profile_id), recovery_key)


def key_matches(path: Path, key: bytes) -> bool | None:
    """Whether ``key`` is the database key of this key file; None if the file cannot tell.

    Key files written before the key check was added cannot tell.
    """
    check = _read(path).key_check
    if check is None:
        return None
    return hmac.compare_digest(check, _key_check(key))


def change_passphrase(path: Path, old: str, new: str, kdf: VaultKdf | None = None, *,
                      profile_id: str | None = None,
                      check_key: Callable[[bytes], None] | None = None) -> bytes:
    """Re-wrap the same database key under a new passphrase; return that key.

    ``kdf=None`` keeps the file's current Argon2id cost. ``check_key`` may
    refuse the unwrapped key (raise) before anything is written, e.g. when it
    does not open the profile's database. The recovery key and the database
    are untouched; on any error the file is unchanged.
    """
    _require_acceptable(new)
    vault = _read(path, profile_id)
    key = _open_with_passphrase(vault, old)
    if check_key is not None:
        check_key(key)
    _rewrap(path, vault, key, new, kdf)
    return key


def reset_passphrase(path: Path, recovery_key: str, new: str, kdf: VaultKdf | None = None, *,
                     profile_id: str | None = None,
                     check_key: Callable[[bytes], None] | None = None) -> bytes:
    """Set a new passphrase with the recovery key, for a forgotten passphrase; return the key.

    The recovery key stays valid: it is on paper, and a reset must not make
    that paper useless.
    """
    _require_acceptable(new)
    vault = _read(path, profile_id)
    key = _open_with_recovery_key(vault, recovery_key)
    if check_key is not None:
        check_key(key)
    _rewrap(path, vault, key, new, kdf)
    return key


def new_recovery_key(path: Path, passphrase: str, *, profile_id: str | None = None) -> NewVault:
    """Replace the recovery key (the old one stops working); return the key and the new one.

    For a profile whose creation was interrupted before its recovery key was
    shown: nobody has that key, so a new one is made rather than the profile lost.
    """
    vault = _read(path, profile_id)
    key = _open_with_passphrase(vault, passphrase)
    recovery = nacl.utils.random(_RECOVERY_BYTES)
    _write_atomic(path, _dump(replace(vault, changed=_now(), recovery=_seal_recovery(key, recovery),
                                      key_check=_key_check(key))))
    return NewVault(key=key, recovery_key=_format_recovery_key(recovery))


def remove_stray_temps(folder: Path) -> int:
    """Delete temporary key files left by an interrupted write; how many there were.

    Call only while holding the profile's lock, so no write is in progress.
    """
    removed = 0
    for temp in folder.glob(".vault.json.*.tmp"):
        with contextlib.suppress(OSError):
            temp.unlink()
            removed += 1
    return removed


# --- wrapping ------------------------------------------------------------------------


def _normalise(passphrase: str) -> bytes:
    """NFC, so a passphrase typed on another OS (which may compose accents differently) matches."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def require_acceptable(passphrase: str) -> None:
    """Refuse a passphrase too short to protect anything (before any file is made)."""
    _require_acceptable(passphrase)


def _require_acceptable(passphrase: str) -> None:
    if len(unicodedata.normalize("NFC", passphrase)) < MIN_PASSPHRASE_CHARS:
        raise ValidationError(
            Problem("passphrase", f"must be at least {MIN_PASSPHRASE_CHARS} characters long")
        )


def _passphrase_kek(passphrase: str, salt: bytes, kdf: VaultKdf) -> bytes:
    return argon2id.kdf(
        KEY_BYTES, _normalise(passphrase), salt, opslimit=kdf.opslimit, memlimit=kdf.memlimit
    )


def _recovery_kek(recovery: bytes, salt: bytes) -> bytes:
    return blake2b(
        recovery, digest_size=KEY_BYTES, salt=salt, person=b"eolcare-recovery", encoder=RawEncoder
    )


def _key_check(key: bytes) -> bytes:
    """A keyed hash of the database key: safe to store, as the key is 256 random bits."""
    return blake2b(
        b"", digest_size=_CHECK_BYTES, key=key, person=b"eolcare-dbkeychk", encoder=RawEncoder
    )


def _check(kek: bytes) -> bytes:
    return blake2b(
        b"", digest_size=_CHECK_BYTES, key=kek, person=b"eolcare-keycheck", encoder=RawEncoder
    )


def _seal_with(key: bytes, kek: bytes, salt: bytes, aad: bytes) -> _Wrapped:
    nonce = nacl.utils.random(_NONCE_BYTES)
    wrapped = bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(key, aad, nonce, kek)
    return _Wrapped(salt=salt, check=_check(kek), nonce=nonce, wrapped_key=wrapped)


def _seal_passphrase(key: bytes, passphrase: str, kdf: VaultKdf) -> _Wrapped:
    salt = nacl.utils.random(_SALT_BYTES)
    return _seal_with(key, _passphrase_kek(passphrase, salt, kdf), salt, _AAD_PASSPHRASE)


def _seal_recovery(key: bytes, recovery: bytes) -> _Wrapped:
    salt = nacl.utils.random(_SALT_BYTES)
    return _seal_with(key, _recovery_kek(recovery, salt), salt, _AAD_RECOVERY)


def _unseal(wrapped: _Wrapped, kek: bytes, aad: bytes, what: str) -> bytes:
    if not hmac.compare_digest(_check(kek), wrapped.check):
        raise WrongPassphraseError(what)
    try:
        return bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(
            wrapped.wrapped_key, aad, wrapped.nonce, kek
        )
    except nacl.exceptions.CryptoError:
        raise VaultCorruptError(
            f"The {what} is right, but the key file is damaged. Put back the copy kept with "
            "this profile's backups."
        ) from None


def _open_with_passphrase(vault: _Vault, passphrase: str) -> bytes:
    kek = _passphrase_kek(passphrase, vault.passphrase.salt, vault.kdf)
    return _unseal(vault.passphrase, kek, _AAD_PASSPHRASE, "passphrase")


def _open_with_recovery_key(vault: _Vault, recovery_key: str) -> bytes:
    recovery = _parse_recovery_key(recovery_key)
    if recovery is None:
        raise WrongPassphraseError("recovery key")
    kek = _recovery_kek(recovery, vault.recovery.salt)
    return _unseal(vault.recovery, kek, _AAD_RECOVERY, "recovery key")


def _rewrap(path: Path, vault: _Vault, key: bytes, new: str, kdf: VaultKdf | None) -> None:
    kdf = kdf or vault.kdf
    sealed = _seal_passphrase(key, new, kdf)
    _write_atomic(path, _dump(replace(vault, changed=_now(), kdf=kdf, passphrase=sealed,
                                      key_check=_key_check(key))))


# --- the recovery key as people read and type it ---------------------------------------


def _format_recovery_key(recovery: bytes) -> str:
    """Crockford base32 in groups of four: no I, L, O or U to misread."""
    number = int.from_bytes(recovery, "big")
    chars = [_CROCKFORD[(number >> (5 * i)) & 31] for i in reversed(range(_RECOVERY_CHARS))]
    return "-".join("".join(chars[i : i + 4]) for i in range(0, _RECOVERY_CHARS, 4))


def _parse_recovery_key(typed: str) -> bytes | None:
    """Read a typed recovery key, forgiving case, spaces, dashes and O/I/L for 0/1/1."""
    compact = typed.upper().translate(_CROCKFORD_ALIASES)
    if len(compact) != _RECOVERY_CHARS or any(c not in _CROCKFORD for c in compact):
        return None
    number = 0
    for char in compact:
        number = number << 5 | _CROCKFORD.index(char)
    return number.to_bytes(_RECOVERY_BYTES, "big")


# --- the file --------------------------------------------------------------------------


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, length: int) -> bytes:
    if not isinstance(text, str):
        raise TypeError("expected base64 text")
    data = base64.b64decode(text, validate=True)
    if len(data) != length:
        raise ValueError(f"expected {length} bytes, found {len(data)}")
    return data


def _dump(vault: _Vault) -> bytes:
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "created": vault.created,
        "changed": vault.changed,
        "passphrase": {"kdf": "argon2id", **asdict(vault.kdf), **vault.passphrase.to_json()},
        "recovery": {"kdf": "blake2b", **vault.recovery.to_json()},
    }
    if vault.profile is not None:
        document["profile"] = vault.profile
    if vault.key_check is not None:
        document["key_check"] = _b64(vault.key_check)
    return (json.dumps(document, indent=2) + "\n").encode("utf-8")


def _parse(raw: bytes) -> _Vault:
    damaged = ("The key file is damaged or is not an eolcare key file. Put back the copy kept "
               "with this profile's backups.")
    try:
        document = json.loads(raw.decode("utf-8"))
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise VaultCorruptError(damaged)
        if document.get("version") != VERSION:
            raise VaultCorruptError(
                "The key file was written by another version of eolcare and cannot be read by this"
                " one. Install the newest eolcare and try again."
            )
        wraps = document["passphrase"], document["recovery"]
        if (wraps[0]["kdf"], wraps[1]["kdf"]) != ("argon2id", "blake2b"):
            raise VaultCorruptError(damaged)
        return _Vault(
            created=_text(document["created"]),
            changed=_text(document["changed"]),
            kdf=VaultKdf(opslimit=_int(wraps[0]["opslimit"]), memlimit=_int(wraps[0]["memlimit"])),
            passphrase=_Wrapped.from_json(wraps[0]),
            recovery=_Wrapped.from_json(wraps[1]),
            profile=_text(document["profile"]) if "profile" in document else None,
            key_check=(_unb64(document["key_check"], _CHECK_BYTES)
                       if "key_check" in document else None),
        )
    except (ValueError, TypeError, KeyError) as exc:  # incl. JSON, UTF-8 and base64 errors
        raise VaultCorruptError(damaged) from exc


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("expected a whole number")
    return value


def _read(path: Path, profile_id: str | None = None) -> _Vault:
    """The key file; with ``profile_id``, refused if it names another profile."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise VaultMissingError(
            "The key file for this profile is missing, so its records cannot be unlocked."
            " Put back the copy of the key file (vault.json) kept with this profile's backups."
        ) from None
    except OSError as exc:
        raise StoreError(f"The key file could not be read: {exc.strerror}.") from exc
    vault = _parse(raw)
    if profile_id is not None and vault.profile is not None and vault.profile != profile_id:
        raise VaultMismatchError
    return vault


def _write_atomic(path: Path, data: bytes) -> None:
    """Write the whole file or nothing: a half-written key file would lose the records.

    Temp file in the same folder, fsync, rename over the old file, fsync the folder.
    """
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(temp, _CREATE_NEW, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        temp.replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        raise _disk_error(exc) from exc
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows cannot open a folder for this)."""
    if os.name != "posix":
        return
    # Some filesystems refuse to fsync a folder; the rename has happened regardless.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _disk_error(exc: OSError) -> StoreError:
    unchanged = "the key file was not saved and any earlier one is unchanged."
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskError(f"The disk is full, so {unchanged} Free some space and try again.")
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return DiskError(f"The folder is read-only or not writable, so {unchanged}")
    return StoreError(f"Could not write the key file ({exc.strerror}), so {unchanged}")
