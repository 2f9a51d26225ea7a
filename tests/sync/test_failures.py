"""Failures said plainly and nothing lost: lost responses, a server stopped mid-sync,
offline, TLS, expired sessions, removed members, damaged or misplaced ciphertexts."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import func, select, update

from eolcare.domain.entities import ContactNote
from eolcare.domain.errors import ClockError
from eolcare.domain.hlc import Stamp
from eolcare.domain.jobs import Progress, run
from eolcare.domain.operations import OpAction, Operation
from eolcare.store import accounts, inbox, vault
from eolcare.store.tables import OperationRow
from eolcare.sync import account, crypto, engine, errors, payload, protocol, teams
from eolcare.sync.connection import Connection, check_url
from tests.conftest import PASSPHRASE
from tests.domain.factories import TODAY, minimal
from tests.server.conftest import LiveServer, ServerFactory
from tests.sync.conftest import POLICY, Laptop, MakeLaptop, converge, op_ids, snapshot
from tests.sync.test_teams import add_person, person

Team = Callable[[int], list[Laptop]]


class LoseResponses(httpx.BaseTransport):
    """The network drops the server's answer to a push after the server saved it.

    (A stand-in for a broken connection: the request really reaches the server.)
    """

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.lost = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.method == "POST" and request.url.path.endswith("/changes"):
            response.read()
            response.close()
            self.lost += 1
            raise httpx.ReadError("connection reset by peer", request=request)
        return response

    def close(self) -> None:
        self.inner.close()


def server_op_ids(laptop: Laptop) -> list[str]:
    with account.connect(laptop.store) as conn:
        t = teams.my_team(laptop.store)
        return [c.op_id for c in conn.call(lambda: conn.api.pull_all(t.team_id))]


def outbox(laptop: Laptop) -> int:
    with laptop.store.reading() as s:
        return inbox.pending_count(s)


def test_a_push_whose_response_was_lost_is_sent_again_and_adds_nothing(team: Team) -> None:
    ann, ben = team(2)
    for i in range(3):
        add_person(ann, f"Lost Response{i}")
    with LoseResponses() as lossy, \
            pytest.raises(errors.OfflineError, match=r"cannot be reached.*kept on this laptop"):
        run(engine.sync(ann.store, transport=lossy))
    assert lossy.lost == 1
    assert outbox(ann) == 3
    assert ann.sync().pushed == 3
    ids = server_op_ids(ann)
    assert len(ids) == len(set(ids))  # nothing twice
    assert outbox(ann) == 0
    ben.sync()
    assert snapshot(ann.store) == snapshot(ben.store)


def test_a_server_stopped_mid_sync_and_restarted_loses_nothing(
        team: Team, live_servers: ServerFactory, live_server: LiveServer) -> None:
    ann, ben = team(2)
    for i in range(30):
        add_person(ann, f"Mid Sync{i}")
    ann.sync()

    def stop_after_first_page(step: Progress) -> None:
        if step.what == "receiving changes":
            live_server.process.terminate()
            live_server.process.wait(20)

    with pytest.raises(errors.OfflineError):
        run(engine.sync(ben.store, page=10), on_progress=stop_after_first_page)
    with ben.store.reading() as s:
        assert inbox.cursor(s, teams.my_team(ben.store).team_id) > 0  # a page was kept
    restarted = live_servers()  # the same database, a new process (and port)
    for laptop in (ann, ben):
        with laptop.store.writing() as w:
            w.session.execute(update(accounts.SyncAccountRow).values(server_url=restarted.url))
    ben.sync()
    assert snapshot(ann.store) == snapshot(ben.store)


def test_offline_tls_and_plain_http_are_said_plainly(team: Team) -> None:
    (ann,) = team(1)
    add_person(ann, "Kept Offline")
    with ann.store.writing() as w:  # a port nobody listens on
        w.session.execute(update(accounts.SyncAccountRow).values(
            server_url="http://127.0.0.1:9"))
    with pytest.raises(errors.OfflineError, match="cannot be reached"):
        ann.sync()
    assert outbox(ann) == 1
    with pytest.raises(errors.PlainHttpError, match="https://"):
        check_url("http://sync.example.org")
    assert check_url("http://[::1]:8443/") == "http://[::1]:8443"


def test_tls_failure_is_said_plainly(live_server: LiveServer) -> None:
    port = live_server.url.rsplit(":", 1)[1]
    with Connection(f"https://127.0.0.1:{port}") as conn, \
            pytest.raises(errors.TlsError, match="certificate"):
        conn.call(lambda: conn.api.challenge("login"))


def test_an_expired_session_is_refreshed_and_a_spent_one_signs_in_again(team: Team) -> None:
    (ann,) = team(1)
    with ann.store.writing() as w:
        w.session.execute(update(accounts.SyncAccountRow).values(access_token="expired"))
    ann.sync()
    with ann.store.reading() as s:
        acc = accounts.account(s)
    assert acc is not None
    assert acc.access_token != "expired"
    with ann.store.writing() as w:
        w.session.execute(update(accounts.SyncAccountRow).values(
            access_token="expired", refresh_token="spent"))
    ann.sync()  # signs in again with the login key kept in the encrypted profile
    with ann.store.reading() as s:
        again = accounts.account(s)
    assert again is not None
    assert again.refresh_token not in ("spent", acc.refresh_token)


def _raw_push(laptop: Laptop, ops: list[protocol.Op]) -> None:
    t = teams.my_team(laptop.store)
    with account.connect(laptop.store) as conn:
        conn.call(lambda: conn.api.push(t.team_id, ops))


def _keys(laptop: Laptop) -> tuple[str, int, bytes]:
    t = teams.my_team(laptop.store)
    with laptop.store.reading() as s:
        keys = accounts.team_keys(s, t.team_id)
    return t.team_id, t.epoch, keys[t.epoch]


def _op(laptop: Laptop, *, stamp: Stamp | None = None) -> Operation:
    pid = str(uuid.uuid4())
    device = laptop.store.profile.device_id
    return Operation(kind="person", entity_id=pid, action=OpAction.CREATE,
                     stamp=stamp or Stamp(int(time.time() * 1000), 0, device),
                     author="Ann Abbott", changes={"full_name": "Injected Person"},
                     record_id=pid)


def test_tampered_moved_and_wrongly_keyed_changes_are_reported_and_the_rest_applies(
        team: Team) -> None:
    ann, ben = team(2)
    team_id, epoch, key = _keys(ann)
    tampered = payload.seal(team_id, key, epoch, _op(ann))
    flipped = bytearray(tampered.blob)
    flipped[-1] ^= 1
    tampered = tampered.model_copy(update={"blob": bytes(flipped)})
    moved = payload.seal(team_id, key, epoch, _op(ann))
    moved = moved.model_copy(update={"record_id": str(uuid.uuid4())})
    wrong_key = payload.seal(team_id, crypto.new_key(), epoch, _op(ann))
    good = _op(ann)
    _raw_push(ann, [tampered, moved, wrong_key, payload.seal(team_id, key, epoch, good)])
    summary = ben.sync()
    assert set(summary.unreadable) == {tampered.op_id, moved.op_id, wrong_key.op_id}
    assert person(ben, good.entity_id).full_name == "Injected Person"  # the rest applied
    assert ben.sync().unreadable == summary.unreadable  # still reported, sync goes on
    for bad in (tampered, moved, wrong_key):
        assert bad.op_id not in op_ids(ben.store)


def test_a_change_stamped_far_ahead_is_refused_plainly(team: Team) -> None:
    ann, ben = team(2)
    team_id, epoch, key = _keys(ann)
    ahead = _op(ann, stamp=Stamp(int(time.time() * 1000) + 3_600_000, 0,
                                 ann.store.profile.device_id))
    _raw_push(ann, [payload.seal(team_id, key, epoch, ahead)])
    with pytest.raises(ClockError, match="ahead of this computer's clock"):
        ben.sync()
    assert ahead.op_id not in op_ids(ben.store)


def test_a_removed_member_is_refused_and_cannot_read_the_new_epoch(team: Team) -> None:
    ann, ben, cat = team(3)
    p = add_person(ben, "Written Byben")
    with ben.store.reading() as s:
        ben_account = accounts.account(s)
    assert ben_account is not None
    assert teams.remove(ann.store, ben.username) == 2
    with pytest.raises(errors.RemovedError, match=r"removed from the team 'District team' on "
                                                  r"\d+ \w+ \d{4}.*unsynced edits are kept"):
        ben.sync()
    assert outbox(ben) == 1
    assert person(ben, p.id).full_name == "Written Byben"
    secret = add_person(ann, "After Removal")
    ann.sync()
    cat.sync()
    assert person(cat, secret.id).full_name == "After Removal"
    team_id, _, _ = _keys(ann)
    with account.connect(ann.store) as conn:
        changes = [c for c in conn.call(lambda: conn.api.pull_all(team_id)) if c.epoch == 2]
    assert changes
    with ben.store.reading() as s:
        ben_keys = accounts.team_keys(s, team_id)
    assert 2 not in ben_keys
    for change in changes:
        for old_key in ben_keys.values():
            with pytest.raises(crypto.CryptoError):
                payload.open_change(team_id, old_key, change)


def test_people_with_the_same_nhs_number_are_flagged_as_possible_duplicates(team: Team
                                                                              ) -> None:
    ann, ben = team(2)
    a = add_person(ann, "Same Number", nhs_number="9434765919")
    b = add_person(ben, "Same Numbertoo", nhs_number="9434765919")
    converge([ann, ben])
    for laptop in (ann, ben):
        with laptop.store.reading() as s:
            assert accounts.possible_duplicates(s) == [tuple(sorted((a.id, b.id)))]
        assert person(laptop, a.id).provenance.needs_review  # type: ignore[union-attr]
        assert person(laptop, b.id).provenance.needs_review  # type: ignore[union-attr]


def test_signing_out_warns_what_is_unsynced_then_removes_the_teams_data(team: Team) -> None:
    ann, ben = team(2)
    add_person(ann, "Synced Person")
    ann.sync()
    ben.sync()
    add_person(ben, "Not Sent")
    warning = account.unsynced(ben.store).warning()
    assert warning
    assert "1 change(s) made on this laptop have not been sent" in warning
    account.sign_out(ben.store)
    with ben.store.reading() as s:
        assert accounts.account(s) is None
        assert accounts.team(s) is None
        assert s.scalar(select(func.count()).select_from(OperationRow)) == 0
    assert snapshot(ben.store) == {k: [] for k in snapshot(ben.store)}


def test_changing_the_passphrase_changes_the_profile_and_the_account(
        team: Team, laptops: MakeLaptop, live_server: LiveServer) -> None:
    (ann,) = team(1)
    new = "a brand new passphrase"
    assert account.change_passphrase(ann.store, PASSPHRASE, new, policy=POLICY)
    vault.unlock(ann.store.profile.vault_path, new)
    second = laptops("Ann Abbott", register=False)
    found = account.login(second.store, live_server.url, ann.username, new, policy=POLICY)
    assert found
    with pytest.raises(errors.SignInError):
        account.login(laptops("x", register=False).store, live_server.url, ann.username,
                      PASSPHRASE, policy=POLICY)
    ann.sync()  # this laptop stays signed in


def test_notes_from_two_laptops_both_survive(team: Team) -> None:
    ann, ben = team(2)
    p = add_person(ann, "Noted Person")
    converge([ann, ben])
    for laptop, text in ((ann, "Visited, settled"), (ben, "Phoned daughter")):
        with laptop.store.writing(TODAY) as w:
            w.add(minimal(ContactNote, id=str(uuid.uuid4()), person_id=p.id, discussed=text))
    converge([ann, ben])
    assert snapshot(ann.store) == snapshot(ben.store)
    assert len(snapshot(ann.store)["contact"]) == 2

