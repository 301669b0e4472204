"""Extension requests across an organization and what became of each: the requests
waiting for a decision (for /duyet and the weekly digest), a request's fate (decided,
withdrawn, replaced), the withdrawal row, and who got a request's notice."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from models import status_store
from models.outbox import SENT, OutboxItem
from models.people import Person
from models.plans import Plan, StatusUpdate, Task, undo_target
from models.queries import get_task
from models.status_store import DECIDED, EXTENSION_KINDS, REQUEST, WITHDRAWN

NOTICE = "extension_request"  # the outbox kind of a request's notice to a leader


@dataclass(frozen=True)
class Pending:
    request: StatusUpdate
    task: Task


async def pending_requests(session: AsyncSession, organization_ids: Sequence[int]) -> list[Pending]:
    """The requests of these organizations still waiting for a decision, oldest first."""
    if not organization_ids:
        return []
    rows = await session.scalars(
        select(StatusUpdate)
        .join(Task, Task.id == StatusUpdate.task_id)
        .join(Plan, Plan.id == Task.plan_id)
        .where(
            Plan.organization_id.in_(list(organization_ids)),
            StatusUpdate.kind.in_((*EXTENSION_KINDS, "undo")),
        )
        .order_by(StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
        .options(selectinload(StatusUpdate.person))
    )
    by_task: dict[int, list[StatusUpdate]] = defaultdict(list)
    for row in rows:
        by_task[row.task_id].append(row)
    found = []
    for task_id, task_rows in by_task.items():
        undone = {t for r in task_rows if (t := undo_target(r.kind, r.text)) is not None}
        request = status_store.standing_request(task_rows, undone)
        task = await get_task(session, task_id) if request is not None else None
        if request is not None and task is not None:
            found.append(Pending(request, task))
    found.sort(key=lambda p: (p.request.created_at, p.request.id))
    return found


async def fate(session: AsyncSession, request: StatusUpdate) -> StatusUpdate | None:
    """What closed ``request``: its withdrawal row, the decision on it, or the newer
    request that replaced it; None while it still stands (or was undone)."""
    rows = await session.scalars(
        select(StatusUpdate)
        .where(
            StatusUpdate.task_id == request.task_id,
            StatusUpdate.kind.in_(EXTENSION_KINDS),
            StatusUpdate.id > request.id,
        )
        .order_by(StatusUpdate.id)
    )
    later = list(rows)
    for row in later:
        if status_store.withdrawn_target(row) == request.id:
            return row
    return next((r for r in later if r.kind in (REQUEST, *DECIDED)), None)


async def record_withdrawal(
    session: AsyncSession,
    task: Task,
    request: StatusUpdate,
    person: Person | None,
    *,
    cause: str,
    now: datetime,
    channel: str | None,
) -> StatusUpdate:
    """Append the row that says ``request`` no longer stands, and why."""
    return await status_store.record(
        session,
        task,
        person,
        kind=WITHDRAWN,
        text=f"#{request.id}",
        reason=cause,
        until=request.until,
        now=now,
        channel=channel,
    )


async def request_notices(session: AsyncSession, request: StatusUpdate) -> list[OutboxItem]:
    """The outbox rows of ``request``'s notices to leaders, whatever their state."""
    return list(
        await session.scalars(
            select(OutboxItem).where(
                OutboxItem.task_id == request.task_id,
                OutboxItem.kind == NOTICE,
                OutboxItem.occurrence == str(request.id),
            )
        )
    )


async def got_notice(session: AsyncSession, request_id: int, person_id: int) -> bool:
    """Did ``person_id`` receive the notice of the request ``request_id``?"""
    found = await session.scalar(
        select(OutboxItem.id).where(
            OutboxItem.kind == NOTICE,
            OutboxItem.occurrence == str(request_id),
            OutboxItem.recipient_id == person_id,
            OutboxItem.state == SENT,
        )
    )
    return found is not None
