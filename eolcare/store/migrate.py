"""Bring a profile's database to the schema this version of eolcare expects.

Alembic runs on the store's own (encrypted) connection. A database written by
a newer eolcare is refused rather than guessed at.
"""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from eolcare.domain.errors import SchemaTooNewError

HEAD = "head"


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(files("eolcare.store") / "migrations"))
    return cfg


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def upgrade(engine: Engine, revision: str = HEAD) -> None:
    """Upgrade to ``revision`` (default: the newest) inside one transaction."""
    cfg = _config()
    script = ScriptDirectory.from_config(cfg)
    current = current_revision(engine)
    if current is not None and current not in {s.revision for s in script.walk_revisions()}:
        raise SchemaTooNewError(
            "This profile was last opened by a newer version of eolcare. Install that "
            "version (or newer) to open it; nothing was changed."
        )
    if revision == HEAD and current == script.get_current_head():
        return  # the usual case: nothing to do, and no need to run Alembic
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
