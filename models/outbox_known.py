"""The outbox rows a planning batch already knows: read once per batch of tasks
(``rows_of_tasks``, only the columns compared), compared in memory, and only what
differs written (``models.outbox_write.write_owed``, ``cancel_known``): a planning pass
over tasks whose reminders did not change reads and writes nothing more."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.outbox import CANCELLED, PENDING, PLANNED_KINDS, SENDING, OutboxItem

_PLANNED = frozenset(PLANNED_KINDS)
_OPEN = (PENDING, SENDING)
_CHUNK = 500  # keys per IN (...) list


class Known(NamedTuple):
    """What planning needs of an existing outbox row."""

    id: int
    key: str
    task_id: int | None
    kind: str
    state: str
    send_at: datetime


_COLUMNS = (
    OutboxItem.id,
    OutboxItem.key,
    OutboxItem.task_id,
    OutboxItem.kind,
    OutboxItem.state,
    OutboxItem.send_at,
)


async def rows_of_tasks(
    session: AsyncSession, organization_id: int, task_ids: Sequence[int]
) -> dict[str, Known]:
    """Every outbox row of ``task_ids`` and the organization's task-less notices, by key,
    in one read: what a planning batch compares its wishes with."""
    rows = await session.execute(
        select(*_COLUMNS).where(
            or_(
                OutboxItem.task_id.in_(list(task_ids)),
                (OutboxItem.organization_id == organization_id)
                & OutboxItem.task_id.is_(None)
                & (OutboxItem.kind == "no_recipient"),
            )
        )
    )
    return {row.key: Known(*row) for row in rows}


async def rows_of_keys(session: AsyncSession, keys: Iterable[str]) -> dict[str, Known]:
    """The existing rows of ``keys`` (a few hundred keys a statement)."""
    wanted = list(keys)
    found: dict[str, Known] = {}
    for start in range(0, len(wanted), _CHUNK):
        rows = await session.execute(
            select(*_COLUMNS).where(OutboxItem.key.in_(wanted[start : start + _CHUNK]))
        )
        found.update({row.key: Known(*row) for row in rows})
    return found


def by_task(known: dict[str, Known]) -> dict[int | None, list[Known]]:
    """The rows read, by their task (None: task-less notices)."""
    found: dict[int | None, list[Known]] = defaultdict(list)
    for row in known.values():
        found[row.task_id].append(row)
    return found


def to_cancel(rows: Iterable[Known], keep: Collection[str]) -> list[int]:
    """Among one task's ``rows``, the pending (or claimed, not yet sent) planned ones not
    in ``keep``."""
    return [
        row.id
        for row in rows
        if row.state in _OPEN and row.kind in _PLANNED and row.key not in keep
    ]


async def cancel_known(session: AsyncSession, ids: Sequence[int]) -> int:
    """Cancel the rows ``ids`` (found by ``to_cancel``) still pending or claimed, in one
    UPDATE a few hundred at a time; none when there are none."""
    cancelled = 0
    for start in range(0, len(ids), _CHUNK):
        result = await session.execute(
            update(OutboxItem)
            .where(
                OutboxItem.id.in_(list(ids[start : start + _CHUNK])), OutboxItem.state.in_(_OPEN)
            )
            .values(state=CANCELLED)
            .execution_options(synchronize_session=False)
        )
        cancelled += result.rowcount or 0
    return cancelled
