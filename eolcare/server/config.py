"""Server settings: a small TOML file in the data folder, overridable from the command line."""

from __future__ import annotations

import dataclasses
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url

CONFIG_NAME = "eolcare-server.toml"
SETTINGS_ENV = "EOLCARE_SERVER_SETTINGS"


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
    #: Database connections per engine and process, and so requests handled at once.
    #: Few: the requests share one GIL, and more threads only contend for it
    #: (measured in docs/benchmarks.md: 4 held more sync cycles a second than 8 or 20).
    pool_size: int = 4

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
    """Write the settings as TOML (flat keys: strings and integers only), owner-only."""
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
