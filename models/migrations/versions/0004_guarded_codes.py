"""link and invite codes as credentials: wrong-guess counters, link requests await
the owner's agreement

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 01:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attempt_counter",
        sa.Column("scope", sa.String(length=160), nullable=False),
        sa.Column("window_start", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_attempt_counter")),
    )
    # Codes of the old, guessable kind (6 digits) are void: delete them.
    op.execute("DELETE FROM link_code")
    with op.batch_alter_table("link_code") as batch:
        batch.add_column(sa.Column("claimant_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("claim_channel", sa.String(length=16), nullable=True))
        batch.create_foreign_key(
            op.f("fk_link_code_claimant_id_person"),
            "person",
            ["claimant_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("link_code") as batch:
        batch.drop_constraint(op.f("fk_link_code_claimant_id_person"), type_="foreignkey")
        batch.drop_column("claim_channel")
        batch.drop_column("claimant_id")
    op.drop_table("attempt_counter")
