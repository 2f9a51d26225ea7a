"""Server settings: a small TOML file in the data folder, overridable from the command line."""

from __future__ import annotations

import dataclasses
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    #: Database connections per process, and so requests handled at once.
    pool_size: int = 20

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Settings:
        return cls(**json.loads(text))


def default_database_url(data: Path) -> str:
    return f"sqlite:///{data.resolve() / 'server.db'}"


def write_config(data: Path, settings: Settings) -> Path:
    """Write the settings as TOML (flat keys: strings and integers only)."""
    lines = ["# eolcare sync server settings; see docs/server.md"]
    for key, value in dataclasses.asdict(settings).items():
        lines.append(f"{key} = {json.dumps(value)}")
    path = data / CONFIG_NAME
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
