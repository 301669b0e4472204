"""A task's due date as it stood on a past day: an approved extension moves
``Task.deadline_due`` and keeps the plan's date in ``Task.original_due``, so a report
rebuilt for an earlier day (``--as-of``) must read which approvals had been recorded by
then — a June extension is not in a March appendix."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.plans import StatusUpdate

APPROVED = "extension_approved"


async def dues_on(
    session: AsyncSession, planned: Mapping[int, date], end: datetime
) -> dict[int, date]:
    """Task id → its due date standing at ``end``, for the extended tasks of ``planned``
    (task id → the plan's own date): the newest approval recorded before ``end``, else
    the plan's date."""
    if not planned:
        return {}
    found = dict(planned)
    rows = await session.execute(
        select(StatusUpdate.task_id, StatusUpdate.until)
        .where(
            StatusUpdate.task_id.in_(list(planned)),
            StatusUpdate.kind == APPROVED,
            StatusUpdate.created_at < end,
        )
        .order_by(StatusUpdate.created_at, StatusUpdate.id)
    )
    for task_id, until in rows:
        if until is not None:
            found[task_id] = until
    return found
