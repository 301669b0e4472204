"""What search reads besides the tasks themselves: the recorded status texts and
evidence documents of many tasks at once (what was undone is left out)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.plans import StatusUpdate, undo_target

CHUNK = 500  # ids per IN (...) list


async def status_texts(session: AsyncSession, task_ids: Sequence[int]) -> dict[int, list[str]]:
    """Task id → what was recorded about it as a status: the text typed and the
    evidence documents named, oldest first, without the rows that were undone."""
    ids = list(task_ids)
    rows: list[tuple[int, int, str, str, list[str] | None]] = []
    for start in range(0, len(ids), CHUNK):
        rows += list(
            await session.execute(
                select(
                    StatusUpdate.task_id,
                    StatusUpdate.id,
                    StatusUpdate.kind,
                    StatusUpdate.text,
                    StatusUpdate.evidence,
                )
                .where(
                    StatusUpdate.task_id.in_(ids[start : start + CHUNK]),
                    StatusUpdate.kind.in_(("status", "undo")),
                )
                .order_by(StatusUpdate.id)
            )
        )
    undone = {target for _t, _i, kind, text, _e in rows if (target := undo_target(kind, text))}
    found: dict[int, list[str]] = defaultdict(list)
    for task_id, row_id, kind, text, evidence in rows:
        if kind == "status" and row_id not in undone:
            found[task_id] += [text or "", *(evidence or [])]
    return dict(found)
