"""what an admin said a deadline cell the grammar could not read means, kept per
organization under the cell's normalized text for the next import (issue 26)

Revision ID: 0015_deadline_readings
Revises: 0014_standing_status
Create Date: 2026-12-07 03:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models.base import UTCDateTime

revision = "0015_deadline_readings"
down_revision = "0014_standing_status"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deadline_reading",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "organization_id",
            sa.Integer(),
            sa.ForeignKey("organization.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("text_key", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("phrase", sa.String(200), nullable=True),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.Column(
            "chosen_by",
            sa.Integer(),
            sa.ForeignKey("person.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("chosen_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("asked_at", UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("organization_id", "text_key"),
    )
    op.create_index("ix_deadline_reading_organization_id", "deadline_reading", ["organization_id"])


def downgrade() -> None:
    op.drop_index("ix_deadline_reading_organization_id", table_name="deadline_reading")
    op.drop_table("deadline_reading")
