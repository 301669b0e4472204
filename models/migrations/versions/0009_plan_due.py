"""an organization remembers when its reminders next need planning and with which
settings they were planned, so that the hourly pass touches only what is due

Revision ID: 0009_plan_due
Revises: 0008_score_focus
Create Date: 2026-12-10 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0009_plan_due"
down_revision = "0008_score_focus"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organization") as batch:
        batch.add_column(sa.Column("plan_due_at", models.base.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("planned_with", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organization") as batch:
        batch.drop_column("planned_with")
        batch.drop_column("plan_due_at")
