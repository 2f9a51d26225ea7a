"""`eolcare-server`: set up a data folder, serve, and administer teams and devices."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from fastapi import HTTPException
from sqlalchemy.engine import make_url

from eolcare.server import admin, http, logs
from eolcare.server.config import (
    SETTINGS_ENV,
    ConfigError,
    Settings,
    load_settings,
    trusted_proxy,
    write_config,
)
from eolcare.server.db import Database
from eolcare.server.names import printable


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(Path(args.data), database_url=args.database_url)


@contextmanager
def _database(settings: Settings) -> Iterator[Database]:
    db = Database(settings.database_url, pool_size=1)
    try:
        yield db
    finally:
        db.dispose()


DATABASE_URL_ENV = "EOLCARE_DATABASE_URL"


def cmd_init(args: argparse.Namespace) -> int:
    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True, mode=0o700)
    data.chmod(0o700)  # tokens' hashes, the audit log and addresses live here
    settings = load_settings(data, database_url=args.database_url,
                             public_host=args.public_host, trusted_proxies=args.trusted_proxy)
    path = write_config(data, settings)
    with _database(settings) as db:
        db.migrate()
    database = make_url(settings.database_url).database
    if settings.database_url.startswith("sqlite") and database:
        Path(database).chmod(0o600)
    print(f"data folder ready: {path}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    if bool(args.tls_cert) != bool(args.tls_key):
        print("give both --tls-cert and --tls-key", file=sys.stderr)
        return 2
    if not args.tls_cert and not _is_loopback(args.host):
        print(f"refusing plain HTTP on {args.host}: give --tls-cert and --tls-key, "
              "or listen on 127.0.0.1", file=sys.stderr)
        return 2
    Path(args.data).mkdir(parents=True, exist_ok=True)
    settings = load_settings(Path(args.data), database_url=args.database_url,
                             trusted_proxies=args.trusted_proxy)
    with _database(settings) as db:
        db.migrate()
    os.environ[SETTINGS_ENV] = settings.to_json()
    logs.configure()
    proxies = list(settings.trusted_proxies)
    logs.log.info("serving", extra={"fields": {
        "host": args.host, "port": args.port, "workers": args.workers,
        "tls": bool(args.tls_cert), "trusted_proxies": proxies,
        "client_address": "X-Forwarded-For from a trusted proxy, else the TCP peer"
                          if proxies else "the TCP peer (X-Forwarded-For ignored)",
    }})
    if not proxies and not args.tls_cert:
        logs.log.warning("no trusted proxy", extra={"fields": {
            "hint": "plain HTTP on loopback usually has a reverse proxy in front; if so, "
                    "every client counts as the proxy's address until it is given with "
                    "--trusted-proxy",
        }})
    uvicorn.run(
        "eolcare.server.app:app_from_env", factory=True, host=args.host, port=args.port,
        workers=args.workers, ssl_certfile=args.tls_cert, ssl_keyfile=args.tls_key,
        log_config=None, access_log=False, timeout_keep_alive=75,
        http=http.IMPORT_STRING,  # headers capped while they are parsed
        # Always explicit: uvicorn's own default trusts loopback, or whatever
        # $FORWARDED_ALLOW_IPS says, and would believe X-Forwarded-For from it.
        proxy_headers=bool(proxies), forwarded_allow_ips=proxies,
    )
    return 0


def cmd_create_team(db: Database, args: argparse.Namespace) -> None:
    print(admin.create_team(db, args.name, args.admin))


def cmd_invite(db: Database, args: argparse.Namespace) -> None:
    print(admin.invite(db, args.team, args.username, args.role,
                       ttl=_settings(args).invitation_ttl))


# Stored names and labels are printed through `names.printable`: one written before the
# rules on them (or straight into the database) must not reorder or hide terminal text.


def cmd_members(db: Database, args: argparse.Namespace) -> None:
    for account_id, username, role in admin.members(db, args.team):
        print(f"{account_id}\t{role}\t{printable(username)}")


def cmd_devices(db: Database, args: argparse.Namespace) -> None:
    for d in admin.devices(db, args.username):
        state = f"revoked {d.revoked_at:%Y-%m-%d %H:%M}" if d.revoked_at else "active"
        print(f"{d.id}\t{d.created_at:%Y-%m-%d %H:%M}\t{state}\t{printable(d.label)}")


def cmd_revoke_device(db: Database, args: argparse.Namespace) -> None:
    admin.revoke_device(db, args.device)
    print(f"revoked {args.device}")


def cmd_audit(db: Database, args: argparse.Namespace) -> None:
    for a in admin.audit_log(db, args.team, args.limit):
        print("\t".join(printable(v) for v in [
            f"{a.at:%Y-%m-%d %H:%M:%S}", a.action, a.account_id or "-", a.device_id or "-",
            a.team_id or "-", a.address or "-", a.detail]))


def _with_database(
    func: Callable[[Database, argparse.Namespace], None],
) -> Callable[[argparse.Namespace], int]:
    """An admin command run against the configured database, closed afterwards."""

    def run(args: argparse.Namespace) -> int:
        with _database(_settings(args)) as db:
            func(db, args)
        return 0

    return run


def _proxy_argument(value: str) -> str:
    try:
        return trusted_proxy(value)
    except ConfigError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _trusted_proxy_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--trusted-proxy", action="append", type=_proxy_argument, metavar="ADDR",
        help="a reverse proxy or load balancer (IP address or CIDR network) whose "
        "X-Forwarded-For gives the client address for rate limits and the audit log; "
        f"repeat for several ({what}). Default: none, the client is the TCP peer",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="eolcare-server", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, func: Callable[[argparse.Namespace], int],
                help_: str) -> argparse.ArgumentParser:
        """A sub-command; every one names the data folder and may name the database."""
        p = sub.add_parser(name, help=help_, description=help_)
        p.add_argument("--data", required=True, help="the server's data folder")
        p.add_argument("--database-url", default=os.environ.get(DATABASE_URL_ENV),
                       help="e.g. postgresql+psycopg://user@host/db (default: "
                       f"${DATABASE_URL_ENV}, else SQLite in the data folder); give a "
                       "password through that variable, PGPASSWORD or ~/.pgpass, not here: "
                       "arguments are visible to every user of the machine")
        p.set_defaults(func=func)
        return p

    p = command("init", cmd_init, "create the data folder, its config and the schema")
    p.add_argument("--public-host", help="host name clients use (bound into login challenges)")
    _trusted_proxy_option(p, "store in the config")
    p = command("serve", cmd_serve, "serve the sync API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8443)
    p.add_argument("--tls-cert", help="PEM certificate (required unless on loopback)")
    p.add_argument("--tls-key", help="PEM private key")
    p.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    _trusted_proxy_option(p, "replaces the config's list for this run")
    p = command("create-team", _with_database(cmd_create_team),
                "create a team with its first admin")
    p.add_argument("name")
    p.add_argument("--admin", required=True, help="user name of the team's first admin")
    p = command("invite", _with_database(cmd_invite),
                "invite an account to a team (keys follow from an admin)")
    p.add_argument("team")
    p.add_argument("username")
    p.add_argument("--role", choices=["admin", "member", "viewer"], default="member")
    p = command("members", _with_database(cmd_members),
                "list a team's members")
    p.add_argument("team")
    p = command("devices", _with_database(cmd_devices),
                "list an account's devices")
    p.add_argument("username")
    p = command("revoke-device", _with_database(cmd_revoke_device),
                "revoke a device's tokens at once")
    p.add_argument("device")
    p = command("audit", _with_database(cmd_audit),
                "show the audit log, newest last")
    p.add_argument("--team")
    p.add_argument("--limit", type=int, default=100)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result: int = args.func(args)
    except (admin.AdminError, ConfigError, HTTPException) as exc:
        detail = exc.detail if isinstance(exc, HTTPException) else str(exc)
        print(f"eolcare-server: {detail}", file=sys.stderr)
        return 1
    return result


if __name__ == "__main__":
    sys.exit(main())
