"""the decision that issued a plan (its number and date), cited by the narrative report

Revision ID: 0005_plan_decision
Revises: 0004
Create Date: 2026-12-02 04:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_plan_decision"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plan") as batch:
        batch.add_column(sa.Column("decision_number", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("decision_date", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan") as batch:
        batch.drop_column("decision_date")
        batch.drop_column("decision_number")
