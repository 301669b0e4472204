"""an outbox row remembers when it went on the wire (``wire_at``) and since when it may
have been delivered without being recorded (``maybe_at``: in flight at a crash, given
back unanswered at a stop, or a send that timed out); Telegram's budgets shared by
several processes on PostgreSQL (``send_pace``)

Revision ID: 0012_maybe_sent
Revises: 0011_web
Create Date: 2026-12-20 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models.base import UTCDateTime

revision = "0012_maybe_sent"
down_revision = "0011_web"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("wire_at", UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("maybe_at", UTCDateTime(timezone=True), nullable=True))
    op.create_table(
        "send_pace",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("next_at", sa.Float(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("send_pace")
    # In place, also on SQLite (3.35+): a batch copy would drop the old table and, with
    # foreign keys on, every row that references it (tasks, history, evidence).
    in_place = op.get_bind().dialect.name == "sqlite"
    if in_place:
        op.execute('ALTER TABLE "outbox" DROP COLUMN "maybe_at"')
    else:
        op.drop_column("outbox", "maybe_at")
    if in_place:
        op.execute('ALTER TABLE "outbox" DROP COLUMN "wire_at"')
    else:
        op.drop_column("outbox", "wire_at")
