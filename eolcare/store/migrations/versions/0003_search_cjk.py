"""Search: Chinese, Japanese and Korean characters are indexed one by one.

The index text changed (``eolcare.store.search.fold``), so the store rebuilds
the index when it finds the ``search_rebuild`` flag this revision sets.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('search_rebuild', '1')")


def downgrade() -> None:
    raise NotImplementedError("eolcare never downgrades a coordinator's database")
