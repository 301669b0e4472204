"""a message or a chat focus may name several tasks; questions asked before recording

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 01:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("sent_message", "chat_state"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("task_ids", sa.JSON(), nullable=True))
    with op.batch_alter_table("chat_state") as batch:
        batch.add_column(
            sa.Column("focus_at", models.base.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("note_id", sa.Integer(), nullable=True),
        sa.Column("candidates", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reading", sa.JSON(), nullable=True),
        sa.Column("attachment", sa.String(length=500), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_question_person_id_person"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["task.id"], name=op.f("fk_question_task_id_task"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["note_id"],
            ["status_update.id"],
            name=op.f("fk_question_note_id_status_update"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question")),
    )
    op.create_index(op.f("ix_question_person_id"), "question", ["person_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_question_person_id"), table_name="question")
    op.drop_table("question")
    with op.batch_alter_table("chat_state") as batch:
        batch.drop_column("focus_at")
    for table in ("sent_message", "chat_state"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("task_ids")
