"""Reminders lost: rows the dispatcher tried and could not send because the channel
failed (an outage, timeouts: ``last_error`` marked ``OUTAGE``) until they were no longer
useful (``useful_until``).
They leave the queue as "lost", never counted as delivered, and are counted for the
operator (``outbox_stats``) and named to the admins (``scheduler.dispatcher``). Rows
merely missed while dondoc was down (never tried, or in flight at a crash) still go in
the person's "while dondoc was stopped" digest instead."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.outbox import PENDING, OutboxItem
from models.outbox_faults import OUTAGE
from models.plans import Task

LOST = "lost"
RECENT = timedelta(days=1)  # a loss keeps the health check red this long


async def expire_unsendable(session: AsyncSession, now: datetime) -> dict[int, list[str]]:
    """Mark lost the tried rows whose use has passed; returns each person's lost
    reminders by task number (or kind, for a reminder without a task)."""
    query = (
        select(OutboxItem, Task.number)
        .outerjoin(Task, Task.id == OutboxItem.task_id)
        .where(
            OutboxItem.state == PENDING,
            OutboxItem.useful_until <= now,
            OutboxItem.last_error.startswith(OUTAGE),
        )
        .order_by(OutboxItem.recipient_id, OutboxItem.id)
    )
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        query = query.with_for_update(of=OutboxItem, skip_locked=True)  # one process tells
    rows = list(await session.execute(query))
    lost: dict[int, list[str]] = defaultdict(list)
    for row, number in rows:
        row.state, row.claimed_by = LOST, None
        label = number or row.kind
        if label not in lost[row.recipient_id]:
            lost[row.recipient_id].append(label)
    return dict(lost)


async def lost_since(session: AsyncSession, since: datetime) -> int:
    """Reminders lost whose use ended after ``since``."""
    found = await session.scalar(
        select(func.count())
        .select_from(OutboxItem)
        .where(OutboxItem.state == LOST, OutboxItem.useful_until > since)
    )
    return int(found or 0)
