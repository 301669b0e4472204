"""a message or a chat focus may name score items (the "score_due" reminder's items),
and an evidence file may belong to a score item instead of a task

Revision ID: 0008_score_focus
Revises: 0007_score_sheets
Create Date: 2026-12-02 05:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_score_focus"
down_revision = "0007_score_sheets"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("sent_message", "chat_state"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("score_item_ids", sa.JSON(), nullable=True))
    with op.batch_alter_table("evidence_file") as batch:
        batch.add_column(sa.Column("score_item_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_evidence_file_score_item_id_score_item"),
            "score_item",
            ["score_item_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_unique_constraint(
            op.f("uq_evidence_file_score_item_id_sha256"), ["score_item_id", "sha256"]
        )
        batch.create_index(op.f("ix_evidence_file_score_item_id"), ["score_item_id"])


def downgrade() -> None:
    with op.batch_alter_table("evidence_file") as batch:
        batch.drop_index(op.f("ix_evidence_file_score_item_id"))
        batch.drop_constraint(op.f("uq_evidence_file_score_item_id_sha256"), type_="unique")
        batch.drop_constraint(op.f("fk_evidence_file_score_item_id_score_item"), type_="foreignkey")
        batch.drop_column("score_item_id")
    for table in ("chat_state", "sent_message"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("score_item_ids")
