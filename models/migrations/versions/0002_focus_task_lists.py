"""a message or a chat focus may name several tasks

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 01:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("sent_message", "chat_state"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("task_ids", sa.JSON(), nullable=True))


def downgrade() -> None:
    for table in ("sent_message", "chat_state"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("task_ids")
