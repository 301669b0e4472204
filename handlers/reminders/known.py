"""What the reminders of one claim need, read at once (issue 24): the tasks they name
(with their units, section and plan) and, per organization, whether it follows several
plans. ``compose`` takes these instead of reading the same things again for every
message: a storm of N messages costs a few statements, not five per task.

Read when the rows are claimed, a few seconds before the sends: whether a row is still
to go is checked again just before its send (a status or a re-plan cancels its rows in
the same transaction), so a task closed meanwhile is never reminded of."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from models.outbox import OutboxItem
from models.plans import Task
from models.queries import get_task, get_tasks, several_plans

TASK_KINDS = ("before_due", "due_day", "overdue", "report", "cooperating_note")


@dataclass
class KnownReads:
    """Tasks by id and "several plans?" by organization, read for many messages."""

    tasks: dict[int, Task] = field(default_factory=dict)
    several: dict[int, bool] = field(default_factory=dict)

    async def task(self, session: AsyncSession, task_id: int) -> Task | None:
        """The task, from what was read ahead, else read now (and kept)."""
        if task_id not in self.tasks:
            task = await get_task(session, task_id)
            if task is None:
                return None
            self.tasks[task_id] = task
        return self.tasks[task_id]

    async def several_plans(self, session: AsyncSession, organization_id: int, today: date) -> bool:
        if organization_id not in self.several:
            self.several[organization_id] = await several_plans(session, organization_id, today)
        return self.several[organization_id]


async def read_ahead(session: AsyncSession, items: Sequence[OutboxItem], today: date) -> KnownReads:
    """Everything the task reminders among ``items`` name, in a few statements."""
    ids = {i.task_id for i in items if i.kind in TASK_KINDS and i.task_id is not None}
    known = KnownReads(tasks=await get_tasks(session, list(ids)))
    for org in sorted({task.plan.organization_id for task in known.tasks.values()}):
        await known.several_plans(session, org, today)
    return known
