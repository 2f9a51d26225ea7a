"""Keys and payloads without a server: NFC passphrases, op ids kept, record ids of
directory entries, and ciphertexts refused when tampered, moved or keyed wrongly."""

from __future__ import annotations

import time
import unicodedata
import uuid

import pytest

from eolcare.domain.hlc import Stamp
from eolcare.domain.operations import OpAction, Operation
from eolcare.sync import crypto, payload, protocol
from eolcare.sync.account import DEFAULT_KDF, FAST_KDF_FOR_TESTS
from eolcare.sync.client_api import seal_op
from eolcare.sync.errors import WeakKdfError

TEAM = str(uuid.uuid4())


def test_a_composed_and_a_decomposed_passphrase_give_the_same_keys() -> None:
    composed = "Siân's café crème brûlée"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    params = crypto.KdfParams.new(1, 8192)
    a, b = crypto.derive_keys(composed, params), crypto.derive_keys(decomposed, params)
    assert a.master_key == b.master_key
    assert bytes(a.login_key) == bytes(b.login_key)
    assert crypto.derive_keys("Sian's cafe", params).master_key != a.master_key


def test_key_parameters_below_the_minimum_are_refused() -> None:
    with pytest.raises(WeakKdfError, match="weaker"):
        DEFAULT_KDF.check(crypto.KdfParams.new(1, 8192))
    DEFAULT_KDF.check(crypto.KdfParams.new(DEFAULT_KDF.opslimit, DEFAULT_KDF.memlimit))
    FAST_KDF_FOR_TESTS.check(crypto.KdfParams.new(1, 8192))


def _op(kind: str = "person", record: str | None = "same") -> Operation:
    entity = str(uuid.uuid4())
    return Operation(kind=kind, entity_id=entity, action=OpAction.CREATE,
                     stamp=Stamp(int(time.time() * 1000), 0, "dev1"), author="A",
                     changes={"full_name": "X"}, base={"full_name": ""},
                     record_id=entity if record == "same" else record)


def _change(op: protocol.Op) -> protocol.Change:
    return protocol.Change(seq=1, op_id=op.op_id, record_id=op.record_id, device_id="d",
                           author_id="a", epoch=op.epoch, blob=op.blob)


def test_sealing_keeps_the_operations_own_id_and_opens_exactly() -> None:
    key, op = crypto.new_key(), _op()
    sealed = payload.seal(TEAM, key, 3, op)
    assert sealed.op_id == op.op_id
    assert sealed.record_id == op.record_id
    assert payload.open_change(TEAM, key, _change(sealed)) == op
    assert seal_op(TEAM, key, 1, b"x", op_id=op.op_id).op_id == op.op_id


def test_a_directory_entry_is_bound_to_its_own_id() -> None:
    key, service = crypto.new_key(), _op("service", record=None)
    sealed = payload.seal(TEAM, key, 1, service)
    assert sealed.record_id == service.entity_id
    assert payload.open_change(TEAM, key, _change(sealed)) == service


@pytest.mark.parametrize("what", ["tampered", "moved", "other team", "other epoch",
                                  "wrong key"])
def test_a_ciphertext_changed_or_moved_does_not_open(what: str) -> None:
    key, op = crypto.new_key(), _op()
    change = _change(payload.seal(TEAM, key, 1, op))
    team = TEAM
    if what == "tampered":
        change = change.model_copy(update={"blob": change.blob[:-1] + bytes([change.blob[-1] ^ 1])})
    elif what == "moved":
        change = change.model_copy(update={"record_id": str(uuid.uuid4())})
    elif what == "other team":
        team = str(uuid.uuid4())
    elif what == "other epoch":
        change = change.model_copy(update={"epoch": 2})
    else:
        key = crypto.new_key()
    with pytest.raises(crypto.CryptoError):
        payload.open_change(team, key, change)


def test_a_payload_naming_another_operation_is_refused() -> None:
    """A member could seal one operation under another's op id; the row and the
    payload must agree."""
    key, op = crypto.new_key(), _op()
    other_id = str(uuid.uuid4())
    sealed = payload.seal(TEAM, key, 1, op)
    plain = crypto.decrypt_op(key, sealed.blob, crypto.op_aad(TEAM, op.record_id or "",
                                                               op.op_id, 1))
    forged = crypto.encrypt_op(key, plain, crypto.op_aad(TEAM, op.record_id or "",
                                                         other_id, 1))
    change = _change(sealed).model_copy(update={"op_id": other_id, "blob": forged})
    with pytest.raises(payload.PayloadError, match="another operation"):
        payload.open_change(TEAM, key, change)
