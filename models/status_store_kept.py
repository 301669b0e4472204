"""Each task's standing status, kept on the task as it is written, so that today's
figures read it in one indexed step instead of walking every task's history.

The history (``StatusUpdate``) stays the truth: a task's status on a date is the newest
"status" row recorded by then and not undone (``models.progress``). What is kept on the
``Task`` — ``status``, ``percent``, ``status_at``, ``status_row`` and, for a "done",
``done_on`` (the day the work was done, ``models.completion``, in the organization's
zone) — is that newest row as of the end of the history. ``models.status_store`` keeps
it in the same transaction as every status written, confirmed or undone;
:func:`refill` recomputes it from the history (the migration that added the columns,
and benches that insert history directly).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.completion import completed_on
from models.people import Organization
from models.plans import Plan, StatusUpdate, Task, undo_target

CURRENT = ("not_started", "in_progress", "done", "not_applicable")


def newer(row: StatusUpdate, task: Task) -> bool:
    """Whether ``row`` is at least as new as the status row kept on ``task``, in the
    history's order (time, then id): a row recorded late with an older time (another
    process, a clock put back) does not replace a newer one."""
    if task.status_at is None:
        return True
    return (row.created_at, row.id) >= (task.status_at, task.status_row or 0)


def done_day(row_text: str | None, evidence: Iterable[str] | None, at: datetime, zone: str) -> date:
    """The day the work of a "done" row was done, in ``zone``."""
    return completed_on(row_text or "", evidence or (), at.astimezone(ZoneInfo(zone)).date())


async def zone_of(session: AsyncSession, task: Task) -> str:
    found = await session.scalar(
        select(Organization.timezone)
        .join(Plan, Plan.organization_id == Organization.id)
        .where(Plan.id == task.plan_id)
    )
    return found or "Asia/Ho_Chi_Minh"


async def keep(
    session: AsyncSession, task: Task, row: StatusUpdate | None, *, force: bool = False
) -> None:
    """Make ``row`` (a flushed status row, or None: no status stands) the task's kept
    status, unless a newer one is kept already (``force`` after an undo)."""
    if row is None:
        task.status, task.percent = "not_started", None
        task.status_at = task.status_row = task.done_on = None
        return
    if not force and not newer(row, task):
        return
    task.status = row.status or "not_started"
    task.percent = 100 if row.status == "done" else row.percent
    task.status_at, task.status_row = row.created_at, row.id
    task.done_on = (
        done_day(row.text, row.evidence, row.created_at, await zone_of(session, task))
        if row.status == "done"
        else None
    )


def standing(rows_oldest_first: Iterable[tuple]) -> tuple | None:  # type: ignore[type-arg]
    """Of one task's status and undo rows (``id, kind, status, text, …`` in the
    history's order), the status row standing at the end, or None."""
    rows = list(rows_oldest_first)
    undone = {t for r in rows if (t := undo_target(r[1], r[3] or "")) is not None}
    for r in reversed(rows):
        if r[1] == "status" and r[2] in CURRENT and r[0] not in undone:
            return r
    return None


def refill(conn: Connection, *, batch: int = 5_000) -> int:
    """Recompute every task's kept status from its history (synchronous, for a
    migration or ``run_sync``); returns the number of tasks that have a status row."""
    su, task, plan, org = (
        StatusUpdate.__table__,
        Task.__table__,
        Plan.__table__,
        Organization.__table__,
    )
    zones = dict(
        conn.execute(
            select(task.c.id, org.c.timezone)
            .join(plan, plan.c.id == task.c.plan_id)
            .join(org, org.c.id == plan.c.organization_id)
        ).all()
    )
    rows = conn.execute(
        select(su.c.id, su.c.kind, su.c.status, su.c.text, su.c.task_id, su.c.percent,
               su.c.evidence, su.c.created_at)
        .where(su.c.kind.in_(("status", "undo")))
        .order_by(su.c.task_id, su.c.created_at, su.c.id)
    )  # fmt: skip
    by_task: dict[int, list[tuple]] = {}  # type: ignore[type-arg]
    for r in rows:
        by_task.setdefault(r[4], []).append(tuple(r))
    values = []
    for task_id, zone in zones.items():
        row = standing(by_task.get(task_id, ()))
        if row is None:
            values.append({"tid": task_id, "status": "not_started", "percent": None,
                           "status_at": None, "status_row": None, "done_on": None})  # fmt: skip
            continue
        uid, _kind, status, text, _task, percent, evidence, at = row
        values.append({
            "tid": task_id, "status": status, "percent": 100 if status == "done" else percent,
            "status_at": at, "status_row": uid,
            "done_on": done_day(text, evidence, at, zone or "Asia/Ho_Chi_Minh") if status == "done" else None,
        })  # fmt: skip
    statement = (
        update(task)
        .where(task.c.id == bindparam("tid"))
        .values(
            status=bindparam("status"),
            percent=bindparam("percent"),
            status_at=bindparam("status_at"),
            status_row=bindparam("status_row"),
            done_on=bindparam("done_on"),
        )
    )
    for start in range(0, len(values), batch):
        conn.execute(statement, values[start : start + batch])
    return sum(1 for v in values if v["status_row"] is not None)
