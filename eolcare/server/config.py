"""Server settings: a small TOML file in the data folder, overridable from the command line."""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url

CONFIG_NAME = "eolcare-server.toml"
SETTINGS_ENV = "EOLCARE_SERVER_SETTINGS"


class ConfigError(ValueError):
    """A setting that cannot be used as written; the message says which and why."""


def trusted_proxy(value: str) -> str:
    """One trusted proxy: an IP address or a network in CIDR form, written canonically.

    Host names and uvicorn's ``*`` are refused: a name would silently match nothing
    (uvicorn compares it as a literal), and ``*`` would let every client write its own
    address into the audit log and escape the per-address rate limits.
    """
    text = str(value).strip()
    try:
        if "/" in text:
            return str(ipaddress.ip_network(text))
        return str(ipaddress.ip_address(text))
    except ValueError as exc:
        reason = ("trusting every peer would let any client forge its address"
                  if text == "*" else str(exc))
    raise ConfigError(f"trusted proxy {value!r} is not an IP address or a network "
                      f"such as 10.0.0.0/8 ({reason})")


def trusted_proxies(values: Iterable[str]) -> tuple[str, ...]:
    """Each entry checked (`trusted_proxy`), duplicates dropped, order kept."""
    if isinstance(values, str):
        raise ConfigError("trusted_proxies must be a list of addresses, e.g. [\"10.0.0.5\"]")
    return tuple(dict.fromkeys(trusted_proxy(v) for v in values))


@dataclass(frozen=True)
class Settings:
    """Everything that shapes the server's behaviour; no secrets live here."""

    database_url: str
    #: The host name clients connect to, bound into login challenges.
    #: Empty: taken from each request's Host header.
    public_host: str = ""
    access_ttl: int = 10 * 60
    refresh_ttl: int = 30 * 24 * 3600
    challenge_ttl: int = 120
    rate_window: int = 60
    login_per_account: int = 10
    login_per_address: int = 30
    #: Challenges and registrations per address and window.
    anonymous_per_address: int = 120
    #: Look-ups of a user name (`GET /auth/kdf`, `GET /accounts/lookup`) per address,
    #: and per signed-in account, and window: enough for people, not for a word list.
    lookups_per_address: int = 60
    lookups_per_account: int = 30
    #: Seconds an invitation can be accepted for.
    invitation_ttl: int = 7 * 24 * 3600
    #: Database connections per engine and process, and so requests handled at once.
    #: Few: the requests share one GIL, and more threads only contend for it
    #: (measured in docs/benchmarks.md: 4 held more sync cycles a second than 8 or 20).
    pool_size: int = 4
    #: Reverse proxies / load balancers whose X-Forwarded-For is believed: IP addresses
    #: or CIDR networks. Empty (the default): no one's, the client is the TCP peer.
    trusted_proxies: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # TOML and JSON give a list; keep an immutable, checked, canonical tuple.
        object.__setattr__(self, "trusted_proxies", trusted_proxies(self.trusted_proxies))

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Settings:
        return cls(**json.loads(text))


def default_database_url(data: Path) -> str:
    return f"sqlite:///{data.resolve() / 'server.db'}"


def without_password(url: str) -> str:
    """The database URL with any password taken out: secrets are never written to disk.

    PostgreSQL then takes the password from ``EOLCARE_DATABASE_URL``, ``PGPASSWORD``
    or the operator's ``~/.pgpass``, as libpq does for every client.
    """
    parsed = make_url(url)
    if parsed.password is None:
        return url
    bare = URL.create(parsed.drivername, parsed.username, None, parsed.host, parsed.port,
                      parsed.database, parsed.query)
    return bare.render_as_string(hide_password=False)


def write_config(data: Path, settings: Settings) -> Path:
    """Write the settings as TOML (flat keys: strings, integers, lists of strings),
    owner-only."""
    lines = ["# eolcare sync server settings; see docs/server.md"]
    values = dataclasses.asdict(settings)
    values["database_url"] = without_password(settings.database_url)
    for key, value in values.items():
        lines.append(f"{key} = {json.dumps(value)}")
    path = data / CONFIG_NAME
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load_settings(data: Path, **overrides: Any) -> Settings:
    """Settings from `data`'s config file (when present), then non-None overrides."""
    path = data / CONFIG_NAME
    values: dict[str, Any] = {"database_url": default_database_url(data)}
    if path.exists():
        values |= tomllib.loads(path.read_text(encoding="utf-8"))
    values |= {k: v for k, v in overrides.items() if v is not None}
    return Settings(**values)
