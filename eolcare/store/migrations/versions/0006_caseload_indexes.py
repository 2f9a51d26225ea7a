"""The caseload indexes again, for databases made before migration 0004 had them.

Migration 0004 gained the caseload's indexes (person caseload columns, open
tasks, key worker) after some profiles had already been made with it, so those
profiles are at the head revision without them and every caseload sort scans
(and decrypts) the whole person table. ``IF NOT EXISTS``: nothing happens on a
database that has them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_INDEXES = (
    ("ix_person_caseload", "person",
     ("full_name", "id", "deleted_stamp", "status_code", "gsf_stage_code",
      "preferred_place_of_death_code", "cpr_decision_code", "cpr_review_date",
      "preferences_review_date", "date_of_birth")),
    ("ix_task_open", "task", ("person_id", "deleted_stamp", "done_on", "due")),
    ("ix_involvement_key_worker", "involvement",
     ("person_id", "deleted_stamp", "since", "until", "role", "professional", "id")),
)


def upgrade() -> None:
    for name, table, columns in _INDEXES:
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({', '.join(columns)})")


def downgrade() -> None:
    raise NotImplementedError("eolcare never downgrades a coordinator's database")
