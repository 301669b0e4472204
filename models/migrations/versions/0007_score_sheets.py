"""score sheets: a commune's criteria-and-points sheet per period, its items in a tree
with lead/cooperating units, and the history of proposed and confirmed scores

Revision ID: 0007_score_sheets
Revises: 0006_evidence_files
Create Date: 2026-12-02 04:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0007_score_sheets"
down_revision = "0006_evidence_files"
branch_labels = None
depends_on = None

_TIME = models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "score_sheet",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("max_points", sa.Integer(), nullable=True),
        sa.Column("source_file", sa.String(length=500), nullable=True),
        sa.Column("imported_at", _TIME, nullable=False),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("review_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"],
            name=op.f("fk_score_sheet_organization_id_organization"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_sheet")),
        sa.UniqueConstraint(
            "organization_id", "period", "year",
            name=op.f("uq_score_sheet_organization_id_period_year"),
        ),
    )
    op.create_table(
        "score_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("ref", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("max_points", sa.Integer(), nullable=True),
        sa.Column("evidence_required", sa.Text(), nullable=False),
        sa.Column("lead_note", sa.Text(), nullable=False),
        sa.Column("cooperating_note", sa.Text(), nullable=False),
        sa.Column("self_points", sa.Integer(), nullable=True),
        sa.Column("result_text", sa.Text(), nullable=False),
        sa.Column("confirmed_points", sa.Integer(), nullable=True),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("review_reason", sa.Text(), nullable=True),
        sa.Column("updated_at", _TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["sheet_id"], ["score_sheet.id"],
            name=op.f("fk_score_item_sheet_id_score_sheet"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["score_item.id"],
            name=op.f("fk_score_item_parent_id_score_item"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_item")),
        sa.UniqueConstraint("sheet_id", "ref", name=op.f("uq_score_item_sheet_id_ref")),
    )
    op.create_index(op.f("ix_score_item_parent_id"), "score_item", ["parent_id"])
    op.create_table(
        "score_item_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["score_item.id"],
            name=op.f("fk_score_item_unit_item_id_score_item"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"],
            name=op.f("fk_score_item_unit_unit_id_unit"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_item_unit")),
        sa.UniqueConstraint(
            "item_id", "unit_id", "role", name=op.f("uq_score_item_unit_item_id_unit_id_role")
        ),
    )
    op.create_table(
        "score_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("points", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=True),
        sa.Column("attachment", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"], ["score_item.id"],
            name=op.f("fk_score_entry_item_id_score_item"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"],
            name=op.f("fk_score_entry_person_id_person"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_entry")),
    )
    op.create_index(op.f("ix_score_entry_item_id"), "score_entry", ["item_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_score_entry_item_id"), table_name="score_entry")
    op.drop_table("score_entry")
    op.drop_table("score_item_unit")
    op.drop_index(op.f("ix_score_item_parent_id"), table_name="score_item")
    op.drop_table("score_item")
    op.drop_table("score_sheet")
