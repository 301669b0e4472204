"""Planning: turn the reminder policy into outbox rows for the right people
(``scheduler.plan_owed`` says who is owed what).

``plan_in_steps`` plans an organization in short transactions of ``batch`` tasks, so
that officers writing meanwhile never wait long for the database, and set-based: a batch
reads its tasks with their units in one statement and its existing rows in another,
computes in memory, and writes only the differences, the new rows in one multi-row
INSERT (``models.outbox_write``). Between two batches it gives way to the event loop
(and, with ``pause``, to the dispatcher). ``replan_task`` plans one task at once, in the
transaction of the change. Closed tasks lose their pending rows.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.outbox_known import by_task, cancel_known, rows_of_keys, rows_of_tasks
from models.outbox_write import write_owed
from models.people import Organization
from models.plans import Task
from scheduler.plan_due import fingerprint, mark_planned
from scheduler.plan_owed import BatchPlan, Reminders, owed_digests, plan_batch
from scheduler.plan_reads import People, TaskFacts, read_people, read_tasks, task_ids_to_plan
from scheduler.reminder_policy import ReminderSettings
from scheduler.score_reminders import ScoreReminderSettings, plan_scores
from scheduler.workdays import WorkCalendar

TASKS_PER_TURN = 10  # tasks computed between two turns of the event loop (a few ms)


@dataclass(frozen=True)
class PlanningSettings:
    reminders: ReminderSettings = field(default_factory=ReminderSettings)
    horizon: timedelta = timedelta(days=35)
    batch: int = 50  # tasks planned per transaction
    digest_weekday: int = 0
    digest_time: time = time(8, 0)
    scores: ScoreReminderSettings = field(default_factory=ScoreReminderSettings)


def _since(org: Organization, now: datetime) -> datetime:
    # The first run owes today's reminders too (a plan imported at 10:00 still gets the
    # 08:00 ones), but nothing from before today.
    zone = ZoneInfo(org.timezone)
    return org.planned_through or datetime.combine(
        now.astimezone(zone).date(), time(0, 0), tzinfo=zone
    )


async def _plan_tasks(
    session: AsyncSession,
    org: Organization,
    tasks: list[TaskFacts],
    people: People,
    reminders: Reminders,
    now: datetime,
    since: datetime,
    horizon: timedelta,
    entries: list[datetime],
) -> int:
    """Bring the rows of ``tasks`` in line with their status and deadline: one read of
    their rows, the differences written; returns the new rows."""
    known = await rows_of_tasks(session, org.id, [t.id for t in tasks])
    plan, rows = BatchPlan(), by_task(known)
    for start in range(0, len(tasks), TASKS_PER_TURN):
        plan_batch(
            tasks[start : start + TASKS_PER_TURN],
            org.id,
            people,
            rows,
            reminders,
            now,
            since,
            horizon,
            plan,
        )
        await asyncio.sleep(0)  # people's messages go first
    entries += plan.entries
    added = await write_owed(session, plan.wanted, known)
    await cancel_known(session, plan.cancel)
    return added


async def _plan_rest(
    session: AsyncSession,
    org: Organization,
    people: People,
    now: datetime,
    since: datetime,
    settings: PlanningSettings,
    calendar: WorkCalendar,
    *,
    digests: bool,
) -> int:
    """The leaders' weekly digests (with ``digests``: when the organization has a plan)
    and the reminders before the score sheets' dates (``scheduler.score_reminders``)."""
    added = 0
    until = now + settings.horizon
    if digests and people.leaders:
        wanted = owed_digests(
            org.id, ZoneInfo(org.timezone), people.leaders, since, until,
            settings.digest_weekday, settings.digest_time, calendar,
        )  # fmt: skip
        added += await write_owed(session, wanted, await rows_of_keys(session, wanted))
    return added + await plan_scores(
        session, org, people.by_unit, now, since, until, calendar, settings.scores
    )


async def plan_in_steps(
    sessions: async_sessionmaker[AsyncSession],
    organization_id: int,
    now: datetime,
    settings: PlanningSettings,
    calendar: WorkCalendar,
    pause: Callable[[], Awaitable[None]] | None = None,
) -> int:
    """Plan every task of the organization's active plans (those of the year, the lists
    of tasks the city gave among them) in short transactions: the task list and the
    first ``settings.batch`` tasks; each next batch (``pause`` first, which waits while
    reminders go out); the digests, score sheets and watermarks with the last batch (a
    crash half-way plans again, harmless by keys). Returns the new rows."""
    size = max(settings.batch, 1)
    added, entries = 0, []
    batches: list[list[int]] | None = None
    step = 0
    while batches is None or step < len(batches):
        if step and pause is not None:
            await pause()
        await asyncio.sleep(0)  # people's messages go first
        async with sessions() as session, session.begin():
            org = await session.get(Organization, organization_id)
            if org is None:
                return added
            if batches is None:
                since = _since(org, now)
                reminders = Reminders(now, org.timezone, settings.reminders, calendar)
                people = await read_people(session, organization_id)
                ids = await task_ids_to_plan(
                    session, org, now.astimezone(ZoneInfo(org.timezone)).date()
                )
                batches = [ids[i : i + size] for i in range(0, len(ids), size)] if ids else []
            if step < len(batches):
                tasks = await read_tasks(session, batches[step])
                added += await _plan_tasks(
                    session, org, tasks, people, reminders, now, since, settings.horizon, entries
                )
            step += 1
            if step >= len(batches):  # the last (or only) transaction
                added += await _plan_rest(
                    session, org, people, now, since, settings, calendar, digests=ids is not None
                )
                mark_planned(org, now, entries, fingerprint(settings, calendar))
    return added


async def replan_task(
    session: AsyncSession,
    task: Task,
    now: datetime,
    settings: PlanningSettings,
    calendar: WorkCalendar,
) -> None:
    """After a status change or a new deadline: only future reminders are (re)made."""
    org = await session.get(Organization, task.plan.organization_id)
    assert org is not None
    people = await read_people(session, org.id)
    entries: list[datetime] = []
    reminders = Reminders(now, org.timezone, settings.reminders, calendar)
    await _plan_tasks(
        session, org, [TaskFacts.of(task)], people, reminders, now, now, settings.horizon, entries
    )
    if entries and org.plan_due_at is not None and entries[0] < org.plan_due_at:
        org.plan_due_at = entries[0]  # its new deadline's reminders enter the window sooner


async def all_organizations(session: AsyncSession) -> list[Organization]:
    return list(await session.scalars(select(Organization).order_by(Organization.id)))
