"""Issue 12, finding 6: names people can be fooled by. User names are case-folded and
NFKC-normalised and a look-alike of an existing one is refused (Unicode confusables);
team names and device labels refuse control and bidi-override characters; operator
commands print anything unprintable escaped. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from eolcare.server import names
from eolcare.server.cli import main
from eolcare.server.db import Database
from eolcare.sync import crypto
from eolcare.sync.client_api import AccountKeys, ApiError, SyncApi
from tests.server.conftest import FAST_KDF, PASSPHRASE, UserFactory


def _register(api: SyncApi, name: str) -> str:
    return api.register(AccountKeys.create(name, PASSPHRASE, crypto.KdfParams.new(*FAST_KDF)))


@pytest.mark.parametrize(("taken", "attempt", "why"), [
    ("rtalice", "RTALICE", "taken"),
    ("rtalice", "RtAlIcE", "taken"),
    ("rtalice", "rta1ice", "looks like"),
    ("rta1ice", "rtalice", "looks like"),
    ("bob0", "bobo", "looks like"),
    ("mary", "rnary", "looks like"),
])
def test_a_name_like_one_taken_is_refused(user: UserFactory, taken: str, attempt: str,
                                          why: str, db: Database) -> None:
    first = user(taken)
    with pytest.raises(ApiError) as caught:
        _register(first.api, attempt)
    assert caught.value.status == 409
    assert why in caught.value.detail
    assert taken not in caught.value.detail.replace(attempt, "")
    with db.reading.begin() as session:
        assert session.execute(text("SELECT count(*) FROM account")).scalar_one() == 1


def test_names_are_stored_canonical_and_found_however_typed(user: UserFactory) -> None:
    alice = user("RTAlice")
    other = user()
    assert other.api.lookup("rtalice").account_id == alice.account_id
    assert other.api.lookup("RTALICE").account_id == alice.account_id
    fresh = SyncApi(alice.api.http)
    fresh.login("rtALICE", alice.keys.login_key)  # signs in whatever the case
    assert fresh.tokens is not None
    assert fresh.tokens.account_id == alice.account_id


def test_distinct_names_still_register(user: UserFactory) -> None:
    for name in ("rtalice", "rtalicia", "alice.smith", "alice-smith2"):
        user(name)


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200f", "\u0085", "\u009b",
                                  "\u200b", "\ufeff"])
def test_team_names_and_device_labels_refuse_controls_and_bidi(
    user: UserFactory, char: str, db: Database,
) -> None:
    alice = user()
    with pytest.raises(ApiError) as caught:
        alice.api.create_team(f"North{char}eno", alice.keys.identity_public_key)
    assert caught.value.status == 422
    assert f"name: the character U+{ord(char):04X}" in caught.value.detail
    with pytest.raises(ApiError) as caught:
        SyncApi(alice.api.http).login(alice.keys.username, alice.keys.login_key,
                                      label=f"laptop{char}")
    assert caught.value.status == 422
    assert "device_label: the character" in caught.value.detail
    with db.reading.begin() as session:
        assert session.execute(text("SELECT count(*) FROM team")).scalar_one() == 0
        assert session.execute(text("SELECT count(*) FROM device")).scalar_one() == 1


def test_names_in_other_scripts_are_fine(user: UserFactory) -> None:
    alice = user()
    alice.api.create_team("Siân's team, Łódź, نوبت", alice.keys.identity_public_key)
    SyncApi(alice.api.http).login(alice.keys.username, alice.keys.login_key, label="Zoë's PC")


def test_operator_commands_print_stored_names_escaped(
    tmp_path: object, database_url: str, db: Database, user: UserFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    alice = user("alice")
    with db.writing.begin() as session:  # as a row from before the rules could hold
        session.execute(text("UPDATE device SET label = :l"),
                        {"l": "evil\u202eexe.txt\u0085\x1b[2J"})
    common = ["--data", str(tmp_path), "--database-url", database_url]
    assert main(["devices", "alice", *common]) == 0
    out = capsys.readouterr().out
    assert "evil\\u202eexe.txt\\x85\\x1b[2J" in out
    assert all(ch not in out for ch in "\u202e\u0085\x1b")
    assert alice.account_id not in out  # devices lists device ids, not the account


def test_the_skeleton_follows_unicode_confusables() -> None:
    assert names.skeleton("rta1ice") == names.skeleton("RTALICE") == names.skeleton("rtalice")
    assert names.skeleton("ｒｔａｌｉｃｅ") == names.skeleton("rtalice")  # fullwidth, by NFKC
    assert names.skeleton("раypal") == names.skeleton("paypal")  # Cyrillic р and а
    assert names.skeleton("alice") != names.skeleton("alicia")
