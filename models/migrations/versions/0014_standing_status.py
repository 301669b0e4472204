"""each task keeps its standing status row: when it was recorded, its id, and for a
"done" the day the work was done, filled from the history (issue 24: today's figures
read them in one step)

Revision ID: 0014_standing_status
Revises: 0013_plans
Create Date: 2026-12-07 03:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0014_standing_status"
down_revision = "0013_plans"
branch_labels = None
depends_on = None

COLUMNS = ("done_on", "status_row", "status_at")


def upgrade() -> None:
    # Plain ADD COLUMN, also on SQLite: a batch copy of "task" would drop the old table,
    # and with foreign keys on, the history and evidence of every task with it.
    op.add_column("task", sa.Column("status_at", models.base.UTCDateTime(timezone=True)))
    op.add_column("task", sa.Column("status_row", sa.Integer()))
    op.add_column("task", sa.Column("done_on", sa.Date()))
    # The standing status of every task from its history (the one rule, applied once):
    # ``Task.status`` is refilled too, so the kept row and the status always agree.
    from models.status_store_kept import refill

    refill(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in COLUMNS:  # in place (SQLite 3.35+), never a batch copy of "task"
            op.execute(f'ALTER TABLE "task" DROP COLUMN "{name}"')
        return
    for name in COLUMNS:
        op.drop_column("task", name)
