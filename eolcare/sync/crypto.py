"""Every key and cipher of sync, in one place, all through libsodium (PyNaCl).

Key tree: passphrase -> Argon2id -> master key + Ed25519 login seed. A random
account key (wrapped by the master key) wraps the X25519 identity key. Team
epoch keys are sealed to identity public keys. Operation payloads are
XChaCha20-Poly1305 with authenticated data binding team, record, op and
epoch, so a ciphertext moved elsewhere fails to open.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass

import nacl.bindings
import nacl.exceptions
import nacl.pwhash
import nacl.secret
import nacl.utils
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.signing import SigningKey, VerifyKey

KEY_BYTES = 32
SALT_BYTES = nacl.pwhash.argon2id.SALTBYTES
#: Interactive Argon2id costs: ~0.1 s and 64 MiB on a laptop.
DEFAULT_OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE
DEFAULT_MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE


class CryptoError(Exception):
    """A ciphertext, wrapped key or signature did not verify."""


@dataclass(frozen=True)
class KdfParams:
    """What the server stores so a new device can derive the same keys."""

    salt: bytes
    opslimit: int = DEFAULT_OPSLIMIT
    memlimit: int = DEFAULT_MEMLIMIT

    @classmethod
    def new(cls, opslimit: int = DEFAULT_OPSLIMIT, memlimit: int = DEFAULT_MEMLIMIT) -> KdfParams:
        return cls(nacl.utils.random(SALT_BYTES), opslimit, memlimit)


@dataclass(frozen=True)
class PassphraseKeys:
    """The two secrets a passphrase yields; neither ever leaves the device."""

    master_key: bytes
    login_key: SigningKey


def derive_keys(passphrase: str, params: KdfParams) -> PassphraseKeys:
    """Argon2id once, split in two: the login key cannot unwrap anything.

    The passphrase is normalised to NFC first, as the profile's vault does, so
    the same accented passphrase typed on another system gives the same keys.
    """
    raw = nacl.pwhash.argon2id.kdf(
        2 * KEY_BYTES, unicodedata.normalize("NFC", passphrase).encode("utf-8"), params.salt,
        opslimit=params.opslimit, memlimit=params.memlimit,
    )
    return PassphraseKeys(raw[:KEY_BYTES], SigningKey(raw[KEY_BYTES:]))


def new_key() -> bytes:
    """A random 256-bit symmetric key (account key, team epoch key)."""
    return nacl.utils.random(KEY_BYTES)


def new_identity() -> PrivateKey:
    """A random X25519 key pair; team keys are sealed to its public half."""
    return PrivateKey.generate()


def wrap(key: bytes, secret: bytes, context: bytes) -> bytes:
    """Encrypt `secret` under `key`; `context` says what it is, so wraps cannot be swapped."""
    return bytes(nacl.secret.Aead(key).encrypt(secret, context))


def unwrap(key: bytes, wrapped: bytes, context: bytes) -> bytes:
    try:
        return nacl.secret.Aead(key).decrypt(wrapped, context)
    except nacl.exceptions.CryptoError as exc:
        raise CryptoError("wrong key or damaged data") from exc


def seal_team_key(team_key: bytes, recipient: bytes) -> bytes:
    """Seal a team epoch key to a member's identity public key (anonymous sender)."""
    return bytes(SealedBox(PublicKey(recipient)).encrypt(team_key))


def open_team_key(sealed: bytes, identity: PrivateKey) -> bytes:
    try:
        return SealedBox(identity).decrypt(sealed)
    except nacl.exceptions.CryptoError as exc:
        raise CryptoError("this team key was not sealed to this identity") from exc


def op_aad(team_id: str, record_id: str, op_id: str, epoch: int) -> bytes:
    """The authenticated data of an operation: where it belongs, under which key."""
    return f"eolcare-op-v1|{team_id}|{record_id}|{op_id}|{epoch}".encode()


def encrypt_op(team_key: bytes, payload: bytes, aad: bytes) -> bytes:
    return bytes(nacl.secret.Aead(team_key).encrypt(payload, aad))


def decrypt_op(team_key: bytes, blob: bytes, aad: bytes) -> bytes:
    """What :func:`unwrap` does, straight through libsodium's binding: for a small
    operation the ``Aead`` object and message wrapper cost more than the decryption
    (a first sync opens 300,000 of them)."""
    nonce, ciphertext = blob[:_AEAD_NONCE], blob[_AEAD_NONCE:]
    try:
        return nacl.bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(
            ciphertext, aad, nonce, team_key)
    except nacl.exceptions.CryptoError as exc:  # tampered, moved, wrong key, too short
        raise CryptoError("wrong key or damaged data") from exc


_AEAD_NONCE = nacl.secret.Aead.NONCE_SIZE


def sign(login_key: SigningKey, message: str) -> bytes:
    return bytes(login_key.sign(message.encode()).signature)


def verify(public_key: bytes, message: str, signature: bytes) -> bool:
    """True when `signature` is `public_key`'s over `message`; never raises on bad input."""
    try:
        VerifyKey(public_key).verify(message.encode(), signature)
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError, TypeError):
        return False
    return True


def fingerprint(*public_keys: bytes) -> str:
    """Twelve groups of five digits over both identity keys, for people to compare aloud.

    Order-independent, so inviter and invitee compute the same string; a
    server that swapped a key in between shows a different one.
    """
    digest = hashlib.sha512(b"eolcare-fp-v1" + b"".join(sorted(public_keys))).digest()
    groups = [int.from_bytes(digest[i : i + 5], "big") % 100_000 for i in range(0, 60, 5)]
    return " ".join(f"{g:05d}" for g in groups)


def random_token() -> str:
    """A bearer token: 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> bytes:
    """What the server stores instead of a token: a leak of the table logs nobody in."""
    return hashlib.sha256(token.encode()).digest()
