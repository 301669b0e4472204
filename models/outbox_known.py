"""The outbox rows a planning batch already knows: read once per batch of tasks
(``rows_of_tasks``), compared in memory, and only what differs written
(``models.outbox.upsert`` with ``known``, ``cancel_known``): a planning pass over tasks
whose reminders did not change reads and writes nothing more."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from models.outbox import CANCELLED, PENDING, PLANNED_KINDS, SENDING, OutboxItem, cancel_pending


async def rows_of_tasks(
    session: AsyncSession, organization_id: int, task_ids: Sequence[int]
) -> dict[str, OutboxItem]:
    """Every outbox row of ``task_ids`` and the organization's task-less notices, by key,
    in one read: what a planning batch compares its wishes with."""
    rows = await session.scalars(
        select(OutboxItem).where(
            or_(
                OutboxItem.task_id.in_(list(task_ids)),
                (OutboxItem.organization_id == organization_id)
                & OutboxItem.task_id.is_(None)
                & (OutboxItem.kind == "no_recipient"),
            )
        )
    )
    return {row.key: row for row in rows}


async def cancel_known(
    session: AsyncSession, known: dict[str, OutboxItem], task_id: int, keep: Sequence[str]
) -> int:
    """``cancel_pending`` for a task whose rows are in ``known``: one UPDATE of the rows
    to cancel, none when there are none."""
    kept = set(keep)
    ids = [
        row.id
        for row in known.values()
        if row.task_id == task_id
        and row.state in (PENDING, SENDING)
        and row.kind in PLANNED_KINDS
        and row.key not in kept
    ]
    if not ids:
        return 0
    result = await session.execute(
        update(OutboxItem)
        .where(OutboxItem.id.in_(ids), OutboxItem.state.in_((PENDING, SENDING)))
        .values(state=CANCELLED)
        .execution_options(synchronize_session=False)
    )
    for row in known.values():
        if row.id in ids:  # as the database has it now, without a second UPDATE
            set_committed_value(row, "state", CANCELLED)
    return result.rowcount or 0


async def cancel_not_kept(
    session: AsyncSession,
    task_id: int,
    keep: Sequence[str],
    known: dict[str, OutboxItem] | None = None,
) -> int:
    """Cancel the task's planned rows not in ``keep``: from ``known`` when the caller read
    them (``cancel_known``), else in one UPDATE (``cancel_pending``)."""
    if known is None:
        return await cancel_pending(session, task_id, keep=keep)
    return await cancel_known(session, known, task_id, keep)
