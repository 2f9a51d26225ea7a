"""Sync: how far each feed has been pulled, stored with the operations it brought;
and the indexes the caseload table reads (filters and sorts without the wide rows).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_cursor",
        sa.Column("feed", sa.Text(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("digest", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("feed"),
    )
    op.create_index("ix_person_caseload", "person", [
        "full_name", "id", "deleted_stamp", "status_code", "gsf_stage_code",
        "preferred_place_of_death_code", "cpr_decision_code", "cpr_review_date",
        "preferences_review_date", "date_of_birth"])
    op.create_index("ix_task_open", "task", ["person_id", "deleted_stamp", "done_on", "due"])
    op.create_index("ix_involvement_key_worker", "involvement", [
        "person_id", "deleted_stamp", "since", "until", "role", "professional", "id"])


def downgrade() -> None:
    raise NotImplementedError("eolcare never downgrades a coordinator's database")
