"""Full-text search: an FTS5 index over names, NHS numbers, addresses and notes.

The index is filled by the store (``eolcare.store.search.rebuild``) when it
finds the ``search_rebuild`` flag this revision sets, so the migration does not
depend on application code that changes over time.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_doc",
        sa.Column("rowid", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("rowid"),
        sa.UniqueConstraint("entity_id"),
    )
    op.create_index("ix_search_doc_person_id", "search_doc", ["person_id"], unique=False)
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "names, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    )
    op.execute("INSERT INTO meta (key, value) VALUES ('search_rebuild', '1')")


def downgrade() -> None:
    raise NotImplementedError("eolcare never downgrades a coordinator's database")
