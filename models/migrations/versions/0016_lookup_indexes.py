"""indexes for the lookups every message and every officer's figures make: a person's
identities, an organization's people, the tasks a unit leads (issue 24: PostgreSQL
scanned the whole identity table for each message)

Revision ID: 0016_lookup_indexes
Revises: 0015_deadline_readings
Create Date: 2026-12-07 07:10:00
"""

from __future__ import annotations

from alembic import op

revision = "0016_lookup_indexes"
down_revision = "0015_deadline_readings"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_identity_person_id", "identity", "person_id"),
    ("ix_membership_organization_id", "membership", "organization_id"),
    ("ix_task_unit_unit_id", "task_unit", "unit_id"),
)


def upgrade() -> None:
    for name, table, column in INDEXES:
        op.create_index(name, table, [column])


def downgrade() -> None:
    for name, table, _column in INDEXES:
        op.drop_index(name, table_name=table)
