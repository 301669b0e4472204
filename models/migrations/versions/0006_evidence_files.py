"""evidence files of tasks: the file's name, size, type, sha256, who sent it, when,
on which channel, and where dondoc keeps it

Revision ID: 0006_evidence_files
Revises: 0005_plan_decision
Create Date: 2026-12-02 04:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0006_evidence_files"
down_revision = "0005_plan_decision"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("question_id", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("channel_ref", sa.String(length=500), nullable=True),
        sa.Column("stored_path", sa.String(length=300), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_evidence_file_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["task.id"], name=op.f("fk_evidence_file_task_id_task"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_evidence_file_question_id_question"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_evidence_file_person_id_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_file")),
        sa.UniqueConstraint("task_id", "sha256", name=op.f("uq_evidence_file_task_id_sha256")),
    )
    op.create_index(
        op.f("ix_evidence_file_organization_id"), "evidence_file", ["organization_id"]
    )
    op.create_index(op.f("ix_evidence_file_task_id"), "evidence_file", ["task_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_evidence_file_task_id"), table_name="evidence_file")
    op.drop_index(op.f("ix_evidence_file_organization_id"), table_name="evidence_file")
    op.drop_table("evidence_file")
