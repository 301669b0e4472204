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
    # In place, also on SQLite (3.35+): a batch copy would drop the old table and, with
    # foreign keys on, every row that references it (tasks, history, evidence).
    in_place = op.get_bind().dialect.name == "sqlite"
    if in_place:
        op.execute('ALTER TABLE "organization" DROP COLUMN "planned_with"')
    else:
        op.drop_column("organization", "planned_with")
    if in_place:
        op.execute('ALTER TABLE "organization" DROP COLUMN "plan_due_at"')
    else:
        op.drop_column("organization", "plan_due_at")
