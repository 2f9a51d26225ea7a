"""Team sync on the laptop: account, team, epoch keys, sealed operations,
changes that did not open, possible duplicates (``eolcare.store.accounts``).

Frozen: never edit this file; add a new revision instead.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sync_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('server_url', sa.Text(), nullable=False),
    sa.Column('ca_bundle', sa.Text(), nullable=True),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('kdf_salt', sa.LargeBinary(), nullable=False),
    sa.Column('kdf_opslimit', sa.Integer(), nullable=False),
    sa.Column('kdf_memlimit', sa.Integer(), nullable=False),
    sa.Column('login_seed', sa.LargeBinary(), nullable=False),
    sa.Column('account_key', sa.LargeBinary(), nullable=False),
    sa.Column('identity_key', sa.LargeBinary(), nullable=False),
    sa.Column('access_token', sa.Text(), nullable=False),
    sa.Column('refresh_token', sa.Text(), nullable=False),
    sa.Column('signed_in_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('sync_team',
    sa.Column('team_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('epoch', sa.Integer(), nullable=False),
    sa.Column('joined_at', sa.String(length=32), nullable=False),
    sa.Column('removed_at', sa.String(length=32), nullable=True),
    sa.Column('last_synced_at', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('team_id')
    )
    op.create_table('sync_team_key',
    sa.Column('team_id', sa.String(length=36), nullable=False),
    sa.Column('epoch', sa.Integer(), nullable=False),
    sa.Column('key', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('team_id', 'epoch')
    )
    op.create_table('sync_sealed',
    sa.Column('op_seq', sa.Integer(), nullable=False),
    sa.Column('epoch', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('blob', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['op_seq'], ['operation.seq'], ),
    sa.PrimaryKeyConstraint('op_seq')
    )
    op.create_table('sync_failure',
    sa.Column('team_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('op_id', sa.String(length=36), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('epoch', sa.Integer(), nullable=False),
    sa.Column('blob', sa.LargeBinary(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('found_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('team_id', 'seq')
    )
    op.create_table('possible_duplicate',
    sa.Column('person_id', sa.String(length=36), nullable=False),
    sa.Column('other_id', sa.String(length=36), nullable=False),
    sa.Column('found_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('person_id', 'other_id')
    )


def downgrade() -> None:
    raise NotImplementedError("eolcare never downgrades a coordinator's database")
