"""Recording what people say about a task: every status, note, extension request and
undo is a new ``StatusUpdate`` row (the history is append-only), and the task's current
status follows the newest status row that has not been undone."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import status_store_kept as kept
from models.people import Person
from models.plans import StatusUpdate, Task, undo_target

CURRENT = ("not_started", "in_progress", "done", "not_applicable")
DECIDED = ("extension_approved", "extension_rejected")
REQUEST = "extension_request"
# A request that no longer stands (the task was done, the officer undid it, a new request
# replaced it): the request row stays, this row says so ("#ID" in its text, the cause in
# its reason: "done", "not_applicable", "undone" or "replaced").
WITHDRAWN = "extension_withdrawn"
EXTENSION_KINDS = (REQUEST, *DECIDED, WITHDRAWN)


async def record(
    session: AsyncSession,
    task: Task,
    person: Person | None,
    *,
    kind: str,
    text: str,
    now: datetime,
    status: str | None = None,
    percent: int | None = None,
    reason: str | None = None,
    evidence: list[str] | None = None,
    until: date | None = None,
    attachment: str | None = None,
    channel: str | None = None,
) -> StatusUpdate:
    """Append one history row; a "status" row also becomes the task's current status."""
    update = StatusUpdate(
        task_id=task.id,
        person_id=person.id if person else None,
        created_at=now,
        kind=kind,
        status=status,
        percent=percent,
        reason=reason,
        evidence=list(evidence or []),
        until=until,
        text=text,
        attachment=attachment,
        channel=channel,
    )
    session.add(update)
    await session.flush()
    await _set_current(session, task, update, now)
    return update


async def _set_current(session: AsyncSession, task: Task, row: StatusUpdate, now: datetime) -> None:
    """A status row becomes the task's current status (kept with when it was recorded,
    ``models.status_store_kept``), in the same transaction."""
    if row.kind == "status" and row.status in CURRENT and kept.newer(row, task):
        await kept.keep(session, task, row)
        task.updated_at = now
        await session.flush()


async def promote(
    session: AsyncSession,
    task: Task,
    note: StatusUpdate,
    *,
    kind: str,
    now: datetime,
    status: str | None = None,
    percent: int | None = None,
    reason: str | None = None,
    until: date | None = None,
) -> StatusUpdate:
    """Turn a note kept while dondoc asked into what the person confirmed it means (a
    status or an extension request): one history row for what was typed, dated when it
    was confirmed (so the newest status row is still the task's status)."""
    note.created_at = now
    note.kind, note.status, note.percent, note.reason, note.until = (
        kind,
        status,
        percent,
        reason,
        until,
    )
    await session.flush()
    await _set_current(session, task, note, now)
    return note


async def undo(
    session: AsyncSession,
    task: Task,
    update: StatusUpdate,
    person: Person | None,
    *,
    now: datetime,
    channel: str | None,
) -> StatusUpdate:
    """Take back ``update``: an "undo" row is appended and the task's status returns to
    the newest status row still standing (or "not_started")."""
    marker = await record(
        session, task, person, kind="undo", text=f"#{update.id}", now=now, channel=channel
    )
    await session.flush()
    await kept.keep(session, task, await _standing_row(session, task), force=True)
    task.updated_at = now
    await session.flush()
    return marker


async def undone_ids(session: AsyncSession, task: Task) -> set[int]:
    rows = await session.execute(
        select(StatusUpdate.kind, StatusUpdate.text).where(
            StatusUpdate.task_id == task.id, StatusUpdate.kind == "undo"
        )
    )
    return {target for kind, text in rows if (target := undo_target(kind, text)) is not None}


async def _standing_row(session: AsyncSession, task: Task) -> StatusUpdate | None:
    """The newest status row of the task not undone, or None."""
    undone = await undone_ids(session, task)
    rows = await session.scalars(
        select(StatusUpdate)
        .where(StatusUpdate.task_id == task.id, StatusUpdate.kind == "status")
        .order_by(StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
    )
    for row in rows:
        if row.id not in undone and row.status in CURRENT:
            return row
    return None


async def last_undoable(
    session: AsyncSession, person: Person, task_ids: list[int] | None = None
) -> StatusUpdate | None:
    """The person's newest status or note that has not been undone yet."""
    query = (
        select(StatusUpdate)
        .where(
            StatusUpdate.person_id == person.id,
            StatusUpdate.kind.in_(("status", "note", "extension_request")),
        )
        .order_by(StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
        .limit(20)
    )
    if task_ids is not None:
        query = query.where(StatusUpdate.task_id.in_(task_ids))
    for row in await session.scalars(query):
        task = await session.get(Task, row.task_id)
        if task is not None and row.id not in await undone_ids(session, task):
            return row
    return None


async def pending_extension(
    session: AsyncSession, task: Task, *, ignoring: int | None = None
) -> StatusUpdate | None:
    """The newest extension request of the task, if no decision followed it and it was
    neither undone nor withdrawn; ``ignoring`` one row (what stood before it came)."""
    query = (
        select(StatusUpdate)
        .where(StatusUpdate.task_id == task.id, StatusUpdate.kind.in_(EXTENSION_KINDS))
        .order_by(StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
    )
    if ignoring is not None:
        query = query.where(StatusUpdate.id != ignoring)
    rows = await session.scalars(query)
    return standing_request(list(rows), await undone_ids(session, task))


async def pending_extensions(session: AsyncSession, tasks: list[Task]) -> dict[int, StatusUpdate]:
    """``pending_extension`` for many tasks in two queries (a list of 30 tasks on a
    phone is one message: not 60 round trips)."""
    ids = [t.id for t in tasks]
    if not ids:
        return {}
    rows = await session.scalars(
        select(StatusUpdate)
        .where(StatusUpdate.task_id.in_(ids), StatusUpdate.kind.in_((*EXTENSION_KINDS, "undo")))
        .order_by(StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
    )
    by_task: dict[int, list[StatusUpdate]] = {}
    undone: dict[int, set[int]] = {}
    for row in rows:
        if row.kind == "undo":
            if (target := undo_target(row.kind, row.text)) is not None:
                undone.setdefault(row.task_id, set()).add(target)
        else:
            by_task.setdefault(row.task_id, []).append(row)
    found = {}
    for task_id, newest_first in by_task.items():
        if (row := standing_request(newest_first, undone.get(task_id, set()))) is not None:
            found[task_id] = row
    return found


def withdrawn_target(row: StatusUpdate) -> int | None:
    """For a withdrawal row, the id of the request it withdraws."""
    if row.kind == WITHDRAWN and row.text.startswith("#") and row.text[1:].isdigit():
        return int(row.text[1:])
    return None


def standing_request(newest_first: list[StatusUpdate], undone: set[int]) -> StatusUpdate | None:
    """The request still waiting for a decision among one task's extension rows (newest
    first): the newest request or decision, if it is a request not withdrawn."""
    withdrawn: set[int] = set()
    for row in newest_first:
        if row.id in undone:
            continue
        if row.kind == WITHDRAWN:
            withdrawn.add(withdrawn_target(row) or 0)
        elif row.kind == REQUEST:
            return None if row.id in withdrawn else row
        elif row.kind in DECIDED:
            return None
    return None
