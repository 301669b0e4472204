"""many plans a year: each plan gets a short code ("CCHC", "CĐS"), a task left out by a
re-import is kept as withdrawn, and a plan file may wait for the admin's answer

Revision ID: 0013_plans
Revises: 0012_maybe_sent
Create Date: 2026-12-03 09:00:00
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0013_plans"
down_revision = "0012_maybe_sent"
branch_labels = None
depends_on = None

# The code of an existing plan, from its title, as the application chooses it for a new
# one (``language.plan_codes``; a migration keeps its own copy of the rule it applied).
_LEADING = re.compile(r"^(?:kế hoạch\s+)?(?:(?:thực hiện|triển khai|công tác)\s+)*", re.I)
_TAIL = re.compile(r"\s*(?:năm|giai đoạn)\s+\d{4}.*$|\s+(?:trên địa bàn|của|tại)\s.*$", re.I)


def _code(title: str) -> str:
    text = unicodedata.normalize("NFC", " ".join(title.split()))
    acronym = re.search(r"\(([A-ZĐ][A-ZĐ0-9]{1,7})\)", text)
    if acronym:
        return acronym.group(1)
    subject = _TAIL.sub("", _LEADING.sub("", text)).split(",")[0]
    words = [w for w in re.findall(r"[^\W\d_]+", subject) if w.lower() not in ("và", "của", "các")]
    code = "".join(w if len(w) > 1 and w.isupper() else w[0].upper() for w in words)[:8]
    return code or "KH"


def upgrade() -> None:
    # Plain ADD COLUMN, also on SQLite: a batch copy of "task" would drop the old table,
    # and with foreign keys on, the history and evidence of every task with it.
    op.add_column(
        "plan", sa.Column("code", sa.String(length=16), nullable=False, server_default="")
    )
    op.add_column(
        "task", sa.Column("withdrawn", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    plan = sa.table(
        "plan",
        sa.column("id", sa.Integer()),
        sa.column("organization_id", sa.Integer()),
        sa.column("title", sa.String()),
        sa.column("code", sa.String()),
    )
    bind = op.get_bind()
    taken: dict[int, set[str]] = {}
    for plan_id, org_id, title in bind.execute(
        sa.select(plan.c.id, plan.c.organization_id, plan.c.title).order_by(plan.c.id)
    ):
        code = base = _code(title)
        used = taken.setdefault(org_id, set())
        n = 2
        while code in used:
            code, n = f"{base}{n}", n + 1
        used.add(code)
        bind.execute(sa.update(plan).where(plan.c.id == plan_id).values(code=code))
    op.create_table(
        "pending_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=500), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"],
            name=op.f("fk_pending_import_organization_id_organization"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"],
            name=op.f("fk_pending_import_person_id_person"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_pending_import_plan_id_plan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_import")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_pending_import_organization_id"), "pending_import", ["organization_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_pending_import_organization_id"), table_name="pending_import")
    op.drop_table("pending_import")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite drops a column in place (3.35+); a batch copy would drop the old table,
        # and with foreign keys on, every task and its history with it.
        op.execute('ALTER TABLE "task" DROP COLUMN "withdrawn"')
        op.execute('ALTER TABLE "plan" DROP COLUMN "code"')
        return
    op.drop_column("task", "withdrawn")
    op.drop_column("plan", "code")
