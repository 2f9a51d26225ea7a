"""`eolcare-server` commands: set-up, the operator's team commands, and the audit log."""

from __future__ import annotations

import logging
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from eolcare.server import logs
from eolcare.server.cli import main
from eolcare.server.config import CONFIG_NAME, SETTINGS_ENV, Settings, load_settings, write_config
from eolcare.server.db import Database
from eolcare.sync import crypto
from eolcare.sync.client_api import ApiError, seal_op
from tests.server.conftest import UserFactory


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_init_creates_the_config_and_schema_with_sqlite_by_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert "data folder ready" in run(capsys, "init", "--data", str(data))
    assert (data / "eolcare-server.toml").exists()
    assert (data / "server.db").read_bytes().startswith(b"SQLite format 3\0")
    for path, mode in ((data, 0o700), (data / "eolcare-server.toml", 0o600),
                       (data / "server.db", 0o600)):
        assert stat.S_IMODE(path.stat().st_mode) == mode, path.name


def test_the_config_never_holds_a_database_password(tmp_path: Path) -> None:
    url = "postgresql+psycopg://eolcare:s3cret-pw@db.example:5432/eolcare"
    written = write_config(tmp_path, Settings(database_url=url))
    text = written.read_text("utf-8")
    assert "s3cret-pw" not in text
    assert "postgresql+psycopg://eolcare@db.example:5432/eolcare" in text
    assert stat.S_IMODE(written.stat().st_mode) == 0o600


def test_serve_refuses_plain_http_off_loopback(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--data", str(tmp_path), "--host", "0.0.0.0"]) == 2  # noqa: S104
    assert "refusing plain HTTP" in capsys.readouterr().err


def test_operator_commands_make_a_team_that_an_admins_app_then_keys(
    tmp_path: Path, database_url: str, db: Database, user: UserFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    common = ["--data", str(tmp_path), "--database-url", database_url]
    alice, bob = user("alice"), user("bob")
    team_id = run(capsys, "create-team", "East", "--admin", "alice", *common).strip()
    run(capsys, "invite", team_id, "bob", "--role", "viewer", *common)
    (invitation,) = bob.api.invitations()
    assert invitation.keys == []
    bob.api.accept(invitation.invitation_id)
    members = run(capsys, "members", team_id, *common)
    assert "admin\talice" in members
    assert "viewer\tbob" in members
    key = crypto.new_key()
    with pytest.raises(ApiError):  # nobody holds epoch 1's key yet
        alice.api.push(team_id, [seal_op(team_id, key, 1, b"x")])
    alice.api.share_keys(team_id, 1, key, alice.api.members(team_id))
    alice.api.push(team_id, [seal_op(team_id, key, 1, b"x")])
    assert bob.api.team_keys(team_id, bob.keys.identity) == {1: key}

    assert bob.api.tokens is not None
    device = bob.api.tokens.device_id
    assert device in run(capsys, "devices", "bob", *common)
    run(capsys, "revoke-device", device, *common)
    with pytest.raises(ApiError) as err:
        bob.api.pull(team_id)
    assert err.value.status == 401

    log = run(capsys, "audit", "--team", team_id, *common)
    actions = [line.split("\t")[1] for line in log.splitlines()]
    assert actions == ["team_created", "invited", "joined", "keys_shared", "push"]
    everything = run(capsys, "audit", *common)
    assert "device_revoked" in everything
    assert "login_failed" not in everything
    assert "alice" not in everything
    assert "bob" not in everything


def test_unknown_names_give_a_plain_error(tmp_path: Path, database_url: str, db: Database,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    common = ["--data", str(tmp_path), "--database-url", database_url]
    assert main(["create-team", "X", "--admin", "nobody", *common]) == 1
    err = capsys.readouterr().err
    assert "no account has that user name" in err
    assert "nobody" not in err  # the name typed is not echoed (it may reach a log)


def test_the_audit_log_cannot_be_changed_or_deleted(user: UserFactory, db: Database) -> None:
    user()
    for statement in ("UPDATE audit SET action = 'x'", "DELETE FROM audit"):
        with pytest.raises(DBAPIError, match="append-only"), db.writing.begin() as session:
            session.execute(text(statement))


def _serve(monkeypatch: pytest.MonkeyPatch, *argv: str) -> dict[str, Any]:
    """The keyword arguments `serve` hands uvicorn.run (replaced: nothing listens)."""
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *_a, **kw: calls.append(kw))
    monkeypatch.setattr(logs, "configure", lambda level=logging.INFO: None)
    monkeypatch.setenv(SETTINGS_ENV, "")  # serve sets it for its workers; restored after
    assert main(["serve", *argv]) == 0
    (kwargs,) = calls
    return kwargs


@pytest.fixture
def hostile_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """What uvicorn would read if serve did not say: trust every peer."""
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "*")
    monkeypatch.delenv("EOLCARE_DATABASE_URL", raising=False)


@pytest.mark.usefixtures("hostile_environment")
def test_init_stores_trusted_proxies_and_serve_gives_them_to_uvicorn(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    data = str(tmp_path / "data")
    run(capsys, "init", "--data", data, "--trusted-proxy", "10.0.0.5", "--trusted-proxy",
        "192.168.0.0/24", "--trusted-proxy", " 10.0.0.5", "--trusted-proxy", "2001:DB8::1")
    config = (tmp_path / "data" / CONFIG_NAME).read_text("utf-8")
    assert 'trusted_proxies = ["10.0.0.5", "192.168.0.0/24", "2001:db8::1"]' in config
    caplog.set_level(logging.INFO, logger="eolcare.server")
    kwargs = _serve(monkeypatch, "--data", data)
    assert kwargs["proxy_headers"] is True
    assert kwargs["forwarded_allow_ips"] == ["10.0.0.5", "192.168.0.0/24", "2001:db8::1"]
    (started,) = [r for r in caplog.records if r.getMessage() == "serving"]
    assert vars(started)["fields"]["trusted_proxies"] == kwargs["forwarded_allow_ips"]
    # on the command line, the list replaces the config's for this run
    kwargs = _serve(monkeypatch, "--data", data, "--trusted-proxy", "127.0.0.1")
    assert kwargs["forwarded_allow_ips"] == ["127.0.0.1"]


@pytest.mark.usefixtures("hostile_environment")
def test_by_default_no_proxy_is_trusted_whatever_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = tmp_path / "data"
    run(capsys, "init", "--data", str(data))
    config = data / CONFIG_NAME
    assert "trusted_proxies = []" in config.read_text("utf-8")
    kwargs = _serve(monkeypatch, "--data", str(data))
    assert kwargs["proxy_headers"] is False
    assert kwargs["forwarded_allow_ips"] == []
    # a config written before the setting existed
    lines = config.read_text("utf-8").splitlines()
    config.write_text("\n".join(x for x in lines if "trusted_proxies" not in x) + "\n")
    assert load_settings(data).trusted_proxies == ()
    assert _serve(monkeypatch, "--data", str(data))["forwarded_allow_ips"] == []


@pytest.mark.usefixtures("hostile_environment")
def test_a_trusted_proxy_is_an_address_or_a_network(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    for bad in ("proxy.example", "*", "10.0.0.5/8"):
        with pytest.raises(SystemExit) as exit_:
            main(["init", "--data", str(tmp_path), "--trusted-proxy", bad])
        assert exit_.value.code == 2
        assert "is not an IP address or a network" in capsys.readouterr().err
    config = tmp_path / CONFIG_NAME
    for bad in ('["*"]', '"10.0.0.5"'):
        config.write_text(f"trusted_proxies = {bad}\n")
        assert main(["serve", "--data", str(tmp_path)]) == 1
        assert "trusted" in capsys.readouterr().err
