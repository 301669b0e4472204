"""a plan has a kind ("plan", or "assigned": the standing list of the tasks the city
gives an organization in a year), and a task keeps the document it was given by

Revision ID: 0010_assigned
Revises: 0009_plan_due
Create Date: 2026-12-03 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_assigned"
down_revision = "0009_plan_due"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plan") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=16), nullable=False, server_default="plan")
        )
    with op.batch_alter_table("task") as batch:
        batch.add_column(sa.Column("source", sa.Text(), nullable=True))


def downgrade() -> None:
    # In place, also on SQLite (3.35+): a batch copy would drop the old table and, with
    # foreign keys on, every row that references it (tasks, history, evidence).
    in_place = op.get_bind().dialect.name == "sqlite"
    if in_place:
        op.execute('ALTER TABLE "task" DROP COLUMN "source"')
    else:
        op.drop_column("task", "source")
    if in_place:
        op.execute('ALTER TABLE "plan" DROP COLUMN "kind"')
    else:
        op.drop_column("plan", "kind")
