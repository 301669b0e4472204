"""the web view: sign-in links and sessions (hashes of their tokens only)

Revision ID: 0011_web
Revises: 0010_assigned
Create Date: 2026-12-20 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0011_web"
down_revision = "0010_assigned"
branch_labels = None
depends_on = None


def _columns(table: str) -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "person_id",
            sa.Integer(),
            sa.ForeignKey("person.id", ondelete="CASCADE", name=f"fk_{table}_person_id_person"),
            nullable=False,
        ),
        sa.Column("grants", sa.String(length=64), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("token_hash", name=f"uq_{table}_token_hash"),
    ]


def upgrade() -> None:
    op.create_table(
        "web_link",
        *_columns("web_link"),
        sa.Column("used_at", models.base.UTCDateTime(timezone=True), nullable=True),
    )
    op.create_table("web_session", *_columns("web_session"))
    op.create_index("ix_web_session_person_id", "web_session", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_web_session_person_id", table_name="web_session")
    op.drop_table("web_session")
    op.drop_table("web_link")
