"""updates taken from Telegram or Zalo are kept until handled (``inbox_update``): a stop
during a flood hands the ones not handled to the next start instead of losing them, and
an update delivered again is recognised

Revision ID: 0017_inbox
Revises: 0016_lookup_indexes
Create Date: 2026-12-07 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models.base import UTCDateTime

revision = "0017_inbox"
down_revision = "0016_lookup_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox_update",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(80), nullable=False),
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("chat", sa.String(80), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("received_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("handled_at", UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_inbox_update"),
        sa.UniqueConstraint("source", "key", name="uq_inbox_update_source_key"),
    )
    op.create_index("ix_inbox_update_source_handled", "inbox_update", ["source", "handled_at"])


def downgrade() -> None:
    op.drop_index("ix_inbox_update_source_handled", table_name="inbox_update")
    op.drop_table("inbox_update")
