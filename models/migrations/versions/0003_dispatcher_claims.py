"""claims carry their process (dispatcher_process heartbeat); re-plan requests

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 01:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(length=40), nullable=True))
    op.create_table(
        "dispatcher_process",
        sa.Column("owner", sa.String(length=40), nullable=False),
        sa.Column("started_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("owner", name=op.f("pk_dispatcher_process")),
    )
    op.create_table(
        "replan_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_replan_request_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replan_request")),
    )
    with op.batch_alter_table("replan_request") as batch:
        batch.create_index(
            batch.f("ix_replan_request_organization_id"), ["organization_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("replan_request") as batch:
        batch.drop_index(batch.f("ix_replan_request_organization_id"))
    op.drop_table("replan_request")
    op.drop_table("dispatcher_process")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("claimed_by")
