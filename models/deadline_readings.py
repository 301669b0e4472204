"""What an admin said a deadline cell means, when the grammar could not read it
(issue 26): kept per organization under the cell's normalized text, so the next import
of the same text is read the same way without asking. A row is made when the cell is
first asked about (``phrase`` empty); the tap fills ``phrase``, a phrase the grammar
reads ("Chậm nhất ngày 30/09/2026"), chosen for a plan of ``year``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime
from models.plans import Plan, Task


class DeadlineReading(Base):
    __tablename__ = "deadline_reading"
    __table_args__ = (UniqueConstraint("organization_id", "text_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    text_key: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)  # the cell as first written
    year: Mapped[int] = mapped_column(Integer)  # the plan's year when it was chosen
    phrase: Mapped[str | None] = mapped_column(String(200))  # None: asked, not answered
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)  # "later", this round
    chosen_by: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    chosen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime())


async def kept_readings(
    session: AsyncSession, organization_id: int, keys: Iterable[str]
) -> dict[str, DeadlineReading]:
    """The answered rows among ``keys``, by key."""
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    rows = await session.scalars(
        select(DeadlineReading).where(
            DeadlineReading.organization_id == organization_id,
            DeadlineReading.text_key.in_(wanted),
            DeadlineReading.phrase.is_not(None),
        )
    )
    return {row.text_key: row for row in rows}


async def ask_reading(
    session: AsyncSession, organization_id: int, key: str, text: str, year: int, now: datetime
) -> DeadlineReading:
    """The row for a cell being asked about (made if new; asked again if it was left
    for later)."""
    row = await session.scalar(
        select(DeadlineReading).where(
            DeadlineReading.organization_id == organization_id, DeadlineReading.text_key == key
        )
    )
    if row is None:
        row = DeadlineReading(
            organization_id=organization_id, text_key=key, text=text, year=year, asked_at=now
        )
        session.add(row)
    elif row.phrase is None:
        row.text, row.year, row.skipped, row.asked_at = text, year, False, now
    await session.flush()
    return row


async def waiting_readings(session: AsyncSession, organization_id: int) -> list[DeadlineReading]:
    """Cells asked about and neither answered nor left for later, oldest first."""
    rows = await session.scalars(
        select(DeadlineReading)
        .where(
            DeadlineReading.organization_id == organization_id,
            DeadlineReading.phrase.is_(None),
            DeadlineReading.skipped.is_(False),
        )
        .order_by(DeadlineReading.id)
    )
    return list(rows)


async def unread_tasks(
    session: AsyncSession, organization_id: int, plan_id: int | None = None
) -> list[Task]:
    """The organization's live tasks (of one plan, if given) whose deadline cell says
    something the grammar did not read, in plan order."""
    query = (
        select(Task)
        .join(Plan, Task.plan_id == Plan.id)
        .where(
            Plan.organization_id == organization_id,
            Task.deadline_kind == "unknown",
            Task.deadline_text != "",
            Task.withdrawn.is_(False),
        )
        .order_by(Task.plan_id, Task.position, Task.id)
    )
    if plan_id is not None:
        query = query.where(Task.plan_id == plan_id)
    return list(await session.scalars(query))
