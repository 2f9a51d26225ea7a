"""The shared crypto: what the server relies on and what keeps it from reading anything."""

from __future__ import annotations

import pytest

from eolcare.sync import crypto, protocol

FAST = crypto.KdfParams(bytes(range(16)), 1, 8192)


def test_passphrase_gives_the_same_keys_and_a_different_passphrase_does_not() -> None:
    a, b = crypto.derive_keys("pass", FAST), crypto.derive_keys("pass", FAST)
    assert a.master_key == b.master_key
    assert bytes(a.login_key) == bytes(b.login_key)
    other = crypto.derive_keys("Pass", FAST)
    assert other.master_key != a.master_key
    assert a.master_key != bytes(a.login_key)


def test_wrapped_key_opens_only_with_its_key_and_context() -> None:
    key, secret = crypto.new_key(), crypto.new_key()
    wrapped = crypto.wrap(key, secret, b"account")
    assert crypto.unwrap(key, wrapped, b"account") == secret
    with pytest.raises(crypto.CryptoError):
        crypto.unwrap(crypto.new_key(), wrapped, b"account")
    with pytest.raises(crypto.CryptoError):
        crypto.unwrap(key, wrapped, b"identity")


def test_sealed_team_key_opens_only_for_its_recipient() -> None:
    alice, mallory = crypto.new_identity(), crypto.new_identity()
    team_key = crypto.new_key()
    sealed = crypto.seal_team_key(team_key, bytes(alice.public_key))
    assert crypto.open_team_key(sealed, alice) == team_key
    with pytest.raises(crypto.CryptoError):
        crypto.open_team_key(sealed, mallory)


@pytest.mark.parametrize(
    "moved", [("t2", "r", "o", 1), ("t", "r2", "o", 1), ("t", "r", "o2", 1), ("t", "r", "o", 2)]
)
def test_an_op_moved_elsewhere_fails_to_decrypt(moved: tuple[str, str, str, int]) -> None:
    key = crypto.new_key()
    blob = crypto.encrypt_op(key, b"DNACPR in place", crypto.op_aad("t", "r", "o", 1))
    assert crypto.decrypt_op(key, blob, crypto.op_aad("t", "r", "o", 1)) == b"DNACPR in place"
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt_op(key, blob, crypto.op_aad(*moved))


def test_signature_verifies_only_the_signed_text_and_key() -> None:
    key = crypto.derive_keys("p", FAST).login_key
    sig = crypto.sign(key, "challenge")
    assert crypto.verify(bytes(key.verify_key), "challenge", sig)
    assert not crypto.verify(bytes(key.verify_key), "challengE", sig)
    assert not crypto.verify(bytes(crypto.new_identity().public_key), "challenge", sig)
    assert not crypto.verify(b"short", "challenge", sig)


def test_fingerprint_is_the_same_on_both_sides_and_changes_with_either_key() -> None:
    a, b, c = (bytes(crypto.new_identity().public_key) for _ in range(3))
    fp = crypto.fingerprint(a, b)
    assert fp == crypto.fingerprint(b, a)
    assert fp != crypto.fingerprint(a, c)
    groups = fp.split()
    assert len(groups) == 12
    assert all(len(g) == 5 and g.isdigit() for g in groups)


def test_digest_chain_depends_on_order_and_content() -> None:
    one = protocol.chain_digest(protocol.DIGEST_ZERO, 1, "a", b"x")
    assert protocol.chain_digest(one, 2, "b", b"y") != protocol.chain_digest(
        protocol.chain_digest(protocol.DIGEST_ZERO, 1, "b", b"y"), 2, "a", b"x")
    assert one != protocol.chain_digest(protocol.DIGEST_ZERO, 1, "a", b"z")


def test_base64_fields_reject_invalid_input() -> None:
    with pytest.raises(ValueError, match="base64"):
        protocol.Digest.model_validate({"seq": 1, "digest": "not base64!"})
    assert protocol.Digest(seq=1, digest=b"\x00\xff").model_dump(mode="json")["digest"] == "AP8="
