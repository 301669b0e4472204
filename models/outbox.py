"""The outbox: one row per owed message and recipient (a reminder, a digest, a notice),
unique on its key, so planning again never duplicates and a restart loses nothing.

States: pending → sending → sent | failed | cancelled, and "folded" for reminders
that were missed while the bot was down and went out inside one digest instead.
Claiming uses ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two bot processes never
take the same row; SQLite has one writer at a time, which serialises claims anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime

PENDING, SENDING, SENT, FAILED, CANCELLED, FOLDED = (
    "pending",
    "sending",
    "sent",
    "failed",
    "cancelled",
    "folded",
)
# Kinds the planner makes from the reminder policy; a re-plan may cancel them. Notices
# made by people's actions (extension requests and decisions) are never cancelled by it.
PLANNED_KINDS = ("before_due", "due_day", "overdue", "report", "cooperating_note", "no_recipient")


class OutboxItem(Base):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    # task:kind:occurrence:recipient — unique, so a re-plan finds the row it made before.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    task_id: Mapped[int | None] = mapped_column(
        ForeignKey("task.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    occurrence: Mapped[str] = mapped_column(String(80))
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    send_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    # Until when sending it still makes sense (the due moment); later it is folded.
    useful_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    to_leaders: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16), default=PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)  # free text for notices (a unit's name...)
    channel: Mapped[str | None] = mapped_column(String(16))
    message_id: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


@dataclass(frozen=True)
class Owed:
    """One message the planner says is owed."""

    organization_id: int
    task_id: int | None
    kind: str
    occurrence: str
    recipient_id: int
    send_at: datetime
    useful_until: datetime | None = None
    to_leaders: bool = False
    detail: str | None = None

    @property
    def key(self) -> str:
        return f"{self.task_id or '-'}:{self.kind}:{self.occurrence}:{self.recipient_id}"


async def upsert(session: AsyncSession, owed: Iterable[Owed]) -> int:
    """Insert the rows not yet in the outbox; move the send time of pending ones that
    changed. Returns the number of new rows. Sent, failed and folded rows stay as they are."""
    wanted: dict[str, Owed] = {}
    for o in owed:  # a notice owed by several reminders goes at the earliest
        if o.key not in wanted or o.send_at < wanted[o.key].send_at:
            wanted[o.key] = o
    if not wanted:
        return 0
    existing: dict[str, OutboxItem] = {}
    keys = list(wanted)
    for start in range(0, len(keys), 500):
        rows = await session.scalars(
            select(OutboxItem).where(OutboxItem.key.in_(keys[start : start + 500]))
        )
        existing.update({row.key: row for row in rows})
    added = 0
    for key, item in wanted.items():
        row = existing.get(key)
        if row is None:
            session.add(
                OutboxItem(
                    key=key,
                    organization_id=item.organization_id,
                    task_id=item.task_id,
                    kind=item.kind,
                    occurrence=item.occurrence,
                    recipient_id=item.recipient_id,
                    send_at=item.send_at,
                    useful_until=item.useful_until,
                    to_leaders=item.to_leaders,
                    detail=item.detail,
                    state=PENDING,
                    attempts=0,
                )
            )
            added += 1
        elif row.state == CANCELLED:
            row.state, row.send_at, row.useful_until = PENDING, item.send_at, item.useful_until
        elif row.state == PENDING and row.send_at != item.send_at:
            row.send_at, row.useful_until = item.send_at, item.useful_until
    await session.flush()
    return added


async def cancel_pending(session: AsyncSession, task_id: int, keep: Sequence[str] = ()) -> int:
    """Cancel the task's pending rows except those in ``keep`` (a re-plan's keys)."""
    query = update(OutboxItem).where(
        OutboxItem.task_id == task_id, OutboxItem.state == PENDING, OutboxItem.kind.in_(PLANNED_KINDS)
    )
    if keep:
        query = query.where(OutboxItem.key.not_in(list(keep)))
    result = await session.execute(
        query.values(state=CANCELLED).execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


async def claim_due(session: AsyncSession, now: datetime, limit: int) -> list[OutboxItem]:
    """Take up to ``limit`` due rows for sending, in one transaction (the caller's)."""
    query = (
        select(OutboxItem)
        .where(OutboxItem.state == PENDING, OutboxItem.send_at <= now)
        .order_by(OutboxItem.send_at, OutboxItem.recipient_id, OutboxItem.id)
        .limit(limit)
    )
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = list(await session.scalars(query))
    for row in rows:
        row.state, row.claimed_at, row.attempts = SENDING, now, row.attempts + 1
    await session.flush()
    return rows


async def release_stuck(session: AsyncSession, before: datetime) -> int:
    """Rows left in "sending" by a crash go back to pending (at most that message repeats)."""
    result = await session.execute(
        update(OutboxItem)
        .where(OutboxItem.state == SENDING, OutboxItem.claimed_at < before)
        .values(state=PENDING)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
