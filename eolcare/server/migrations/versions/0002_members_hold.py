"""Invitations bound to an epoch and an expiry; user names canonical with a skeleton;
removed members' keys gone (issue 12).

- account.name_skeleton (unique; `names.skeleton`): look-alike names are refused.
  Existing names are case-folded and NFKC-normalised where that collides with no
  other account; an account whose skeleton an older one has keeps NULL.
- invitation.epoch and invitation.expires_at. A pending invitation whose inviter
  is no longer an admin of the team is deleted (that is the rule from now on);
  the others are bound to the newest epoch they carry a key for (else the
  team's current one) and expire 7 days after they were made.
- team_key rows of accounts that are no longer members are deleted (they made a
  removed member's rejoining fail on the primary key, and serve nobody).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from alembic import op

from eolcare.server import names

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The invitation lifetime given to invitations made before this revision.
_TTL = timedelta(days=7)


def upgrade() -> None:
    op.add_column("account", sa.Column("name_skeleton", sa.String(length=255), nullable=True))
    op.add_column("invitation", sa.Column("epoch", sa.Integer(), nullable=False,
                                          server_default="0"))
    op.add_column("invitation", sa.Column("expires_at", sa.DateTime(), nullable=False,
                                          server_default="1970-01-01 00:00:00"))
    conn = op.get_bind()
    _canonical_names(conn)
    _bind_invitations(conn)
    conn.execute(sa.text(
        "DELETE FROM team_key WHERE NOT EXISTS (SELECT 1 FROM membership m "
        "WHERE m.team_id = team_key.team_id AND m.account_id = team_key.account_id)"))
    op.create_index("uq_account_name_skeleton", "account", ["name_skeleton"], unique=True)
    op.create_index("ix_invitation_inviter_id", "invitation", ["inviter_id"])
    if conn.dialect.name != "sqlite":  # SQLite cannot drop a default without a table copy
        op.alter_column("invitation", "epoch", server_default=None)
        op.alter_column("invitation", "expires_at", server_default=None)


def _canonical_names(conn: sa.Connection) -> None:
    rows = conn.execute(sa.text(
        "SELECT id, username FROM account ORDER BY created_at, id")).all()
    taken = {username for _, username in rows}
    skeletons: set[str] = set()
    for account_id, username in rows:
        name = names.canonical(username)
        if name != username and name not in taken:
            taken.discard(username)
            taken.add(name)
        else:
            name = username
        skeleton = names.skeleton(name)
        conn.execute(sa.text("UPDATE account SET username = :u, name_skeleton = :s "
                             "WHERE id = :i"),
                     {"u": name, "s": None if skeleton in skeletons else skeleton,
                      "i": account_id})
        skeletons.add(skeleton)


def _bind_invitations(conn: sa.Connection) -> None:
    rows = conn.execute(sa.text(
        "SELECT i.id, i.inviter_id, i.created_at, t.epoch, m.role, "
        "(SELECT MAX(k.epoch) FROM invitation_key k WHERE k.invitation_id = i.id) "
        "FROM invitation i JOIN team t ON t.id = i.team_id "
        "LEFT JOIN membership m ON m.team_id = i.team_id AND m.account_id = i.inviter_id"
    )).all()
    for invitation_id, inviter_id, created_at, team_epoch, inviter_role, newest_key in rows:
        if inviter_id is not None and inviter_role != "admin":
            conn.execute(sa.text("DELETE FROM invitation_key WHERE invitation_id = :i"),
                         {"i": invitation_id})
            conn.execute(sa.text("DELETE FROM invitation WHERE id = :i"), {"i": invitation_id})
            continue
        conn.execute(
            sa.text("UPDATE invitation SET epoch = :e, expires_at = :x WHERE id = :i"),
            {"e": newest_key or team_epoch, "x": _naive(created_at) + _TTL, "i": invitation_id})


def _naive(value: datetime | str) -> datetime:
    """SQLite hands a DATETIME back as text here; PostgreSQL as a datetime."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def downgrade() -> None:
    op.drop_index("ix_invitation_inviter_id", table_name="invitation")
    op.drop_index("uq_account_name_skeleton", table_name="account")
    with op.batch_alter_table("invitation") as batch:
        batch.drop_column("expires_at")
        batch.drop_column("epoch")
    with op.batch_alter_table("account") as batch:
        batch.drop_column("name_skeleton")
