"""One operation <-> one encrypted change: what the server stores and cannot read.

The plaintext is the operation's JSON (compressed); the ciphertext is
XChaCha20-Poly1305 under the team key of one epoch, with authenticated data
binding team, record, operation id and epoch (:func:`crypto.op_aad`). The
operation keeps its own ``op_id`` (a retried push must carry the same one).

Every operation belongs to a record: a person's part of the record carries
the person's id; a directory entry (a service, a volunteer) has no person, so
its record id is its own entity id. Both are random UUIDs, as the server asks.
"""

from __future__ import annotations

import json
import zlib

import pydantic_core

from eolcare.domain.errors import EolcareError
from eolcare.domain.operations import Operation
from eolcare.sync import crypto, protocol

FORMAT = b"\x01"  # zlib-compressed UTF-8 JSON of Operation.to_json()


class PayloadError(Exception):
    """A change opened but is not a well-formed operation for where it was stored."""


def record_id(op: Operation) -> str:
    """The record an operation belongs to, as bound into its authenticated data."""
    return op.record_id or op.entity_id


def seal(team_id: str, team_key: bytes, epoch: int, op: Operation) -> protocol.Op:
    record = record_id(op)
    plain = FORMAT + zlib.compress(json.dumps(op.to_json(), separators=(",", ":"),
                                              ensure_ascii=False).encode(), 1)
    blob = crypto.encrypt_op(team_key, plain, crypto.op_aad(team_id, record, op.op_id, epoch))
    return protocol.Op(op_id=op.op_id, record_id=record, epoch=epoch, blob=blob)


def open_change(team_id: str, team_key: bytes, change: protocol.Change) -> Operation:
    """The operation inside a pulled change.

    Raises ``crypto.CryptoError`` when the ciphertext does not open under this
    key with this change's team, record, op id and epoch (tampered, moved or
    the wrong key), and :class:`PayloadError` when what opened does not say the
    same op id and record as the server's row.
    """
    return read(decrypt(team_id, team_key, change), change.op_id, change.record_id)


def decrypt(team_id: str, team_key: bytes, change: protocol.Change) -> bytes:
    """The operation's JSON in a change (the first half of :func:`open_change`): bytes,
    which the sync keeps while pages wait to be applied (cheaper to hold than operations).

    Raises ``crypto.CryptoError`` or :class:`PayloadError` as :func:`open_change` does.
    """
    aad = crypto.op_aad(team_id, change.record_id, change.op_id, change.epoch)
    plain = crypto.decrypt_op(team_key, change.blob, aad)
    if not plain.startswith(FORMAT):
        raise PayloadError("unknown payload format")
    try:
        return zlib.decompress(plain[1:])
    except zlib.error as exc:
        raise PayloadError("the payload is not an operation") from exc


def read(text: bytes, op_id: str, record: str) -> Operation:
    """The operation in a decrypted change's JSON, stored as ``op_id`` in ``record``
    (the second half of :func:`open_change`). Parsed by pydantic-core's JSON
    parser: 2.7 times as fast as the standard library's on an operation."""
    try:
        op = Operation.from_json(pydantic_core.from_json(text))
    except (ValueError, KeyError, TypeError, EolcareError) as exc:
        raise PayloadError("the payload is not an operation") from exc
    if op.op_id != op_id or record_id(op) != record:
        raise PayloadError("the payload belongs to another operation or record")
    return op
