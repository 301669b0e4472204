"""Figures of the outbox for the operator (``dondoc status``, ``/healthz``, ``/metrics``):
rows by state, the oldest reminder that is due and not sent yet, when a dispatcher
last showed it was alive, and the reminders lost lately (``models.outbox_lost``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.outbox import PENDING, SENDING, DispatcherProcess, OutboxItem
from models.outbox_lost import RECENT, lost_since


@dataclass(frozen=True)
class OutboxFigures:
    by_state: dict[str, int] = field(default_factory=dict)
    due_unsent: int = 0
    oldest_due: datetime | None = None  # send_at of the oldest due, unsent row
    last_heartbeat: datetime | None = None  # the newest dispatcher heartbeat
    lost_recent: int = 0  # reminders lost whose use ended in the last day

    def lag_seconds(self, now: datetime) -> float:
        """How long the oldest due, unsent reminder has waited (0 when none)."""
        if self.oldest_due is None:
            return 0.0
        return max(0.0, (now - self.oldest_due).total_seconds())


async def outbox_figures(session: AsyncSession, now: datetime) -> OutboxFigures:
    rows = await session.execute(
        select(OutboxItem.state, func.count()).group_by(OutboxItem.state)
    )
    by_state = {state: count for state, count in rows}
    due = (OutboxItem.state.in_((PENDING, SENDING))) & (OutboxItem.send_at <= now)
    count, oldest = (
        await session.execute(select(func.count(), func.min(OutboxItem.send_at)).where(due))
    ).one()
    heartbeat = await session.scalar(select(func.max(DispatcherProcess.heartbeat_at)))
    recent = await lost_since(session, now - RECENT)
    return OutboxFigures(by_state, int(count or 0), oldest, heartbeat, recent)
