"""Planning: turn the reminder policy into outbox rows for the right people.

For each open task of an organization's current plan, the policy's reminders between
the organization's ``planned_through`` watermark and the horizon become rows for:
the members of the task's lead units; the leaders for escalations; the cooperating
units' members for one note on the due day. A lead unit with no registered member
gets the admins one "no one to remind" notice (its key makes it once, not every run).
Leaders also get the weekly digest. Closed tasks lose their pending rows.

``plan_in_steps`` does this in short transactions (a batch of tasks each), so that
officers writing meanwhile never wait long for the database.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from language.deadlines import Deadline
from models.outbox import OutboxItem, Owed, upsert
from models.outbox_known import cancel_not_kept, rows_of_tasks
from models.people import Membership, Organization
from models.plans import Task, TaskUnit
from models.queries import active_plans, list_tasks
from scheduler.plan_due import fingerprint, mark_planned
from scheduler.reminder_policy import (
    PlannedReminder,
    ReminderSettings,
    TaskTiming,
    plan_reminders,
)
from scheduler.score_reminders import ScoreReminderSettings, plan_scores
from scheduler.workdays import WorkCalendar

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CLOSED = ("done", "not_applicable")
_EPOCH = datetime(2000, 1, 1, tzinfo=ZoneInfo("UTC"))


@dataclass(frozen=True)
class PlanningSettings:
    reminders: ReminderSettings = field(default_factory=ReminderSettings)
    horizon: timedelta = timedelta(days=35)
    batch: int = 50  # tasks planned per transaction
    digest_weekday: int = 0
    digest_time: time = time(8, 0)
    scores: ScoreReminderSettings = field(default_factory=ScoreReminderSettings)


@dataclass
class People:
    """Who is who in one organization, for choosing recipients."""

    by_unit: dict[int, list[int]]
    leaders: list[int]
    admins: list[int]

    @classmethod
    def from_memberships(cls, memberships: list[Membership]) -> People:
        by_unit: dict[int, list[int]] = defaultdict(list)
        leaders, admins = [], []
        for m in memberships:
            if m.person.unreachable_since is not None:
                continue
            if m.unit_id is not None and m.role in ("officer", "leader", "admin"):
                by_unit[m.unit_id].append(m.person_id)
            if m.role == "leader":
                leaders.append(m.person_id)
            if m.role == "admin":
                admins.append(m.person_id)
        return cls(dict(by_unit), sorted(set(leaders)), sorted(set(admins)))


def deadline_of(task: Task) -> Deadline:
    return Deadline(
        task.deadline_kind,
        task.deadline_start,
        task.deadline_due,
        task.deadline_every,
        task.deadline_text,
    )


def useful_until(reminder: PlannedReminder, zone: ZoneInfo) -> datetime:
    """Until when a missed reminder is still worth sending: before the due moment
    (the end of the due day, or the report date) for reminders that look ahead; the
    end of its own day for overdue ones."""
    found = _DATE.search(reminder.occurrence)
    if reminder.kind in ("before_due", "due_day") and found:
        day = date.fromisoformat(found.group()) + timedelta(days=1)
    elif reminder.kind == "report" and found:
        day = date.fromisoformat(found.group())
    else:
        day = reminder.send_at.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(day, time(0, 0), tzinfo=zone)


def owed_for_task(
    task: Task,
    org: Organization,
    people: People,
    reminders: list[PlannedReminder],
    since: datetime,
    until: datetime,
) -> list[Owed]:
    zone = ZoneInfo(org.timezone)
    leads = [u.id for u in task.units("lead")]
    coops = [u.id for u in task.units("cooperating")]
    owed: list[Owed] = []
    for r in reminders:
        if not (since <= r.send_at <= until):
            continue
        common = dict(
            organization_id=org.id,
            task_id=task.id,
            send_at=r.send_at,
            useful_until=useful_until(r, zone),
        )
        if r.to_leaders:
            owed += [
                Owed(
                    kind=r.kind, occurrence=r.occurrence, recipient_id=p, to_leaders=True, **common
                )
                for p in people.leaders
            ]
            continue
        recipients = sorted({p for u in leads for p in people.by_unit.get(u, [])})
        owed += [
            Owed(kind=r.kind, occurrence=r.occurrence, recipient_id=p, **common) for p in recipients
        ]
        for unit_id in leads:
            if not people.by_unit.get(unit_id):
                owed += [
                    Owed(
                        org.id,
                        None,
                        "no_recipient",
                        f"unit{unit_id}",
                        a,
                        r.send_at,
                        detail=str(unit_id),
                    )
                    for a in people.admins
                ]
        if not leads:
            owed += [
                Owed(
                    org.id,
                    task.id,
                    "no_recipient",
                    f"task{task.id}",
                    a,
                    r.send_at,
                    detail=task.lead_note,
                )
                for a in people.admins
            ]
        if r.kind == "due_day":
            notes = sorted({p for u in coops for p in people.by_unit.get(u, [])} - set(recipients))
            owed += [
                Owed(kind="cooperating_note", occurrence=r.occurrence, recipient_id=p, **common)
                for p in notes
            ]
    return owed


def digest_times(
    since: datetime,
    until: datetime,
    zone: ZoneInfo,
    settings: PlanningSettings,
    calendar: WorkCalendar,
) -> list[tuple[str, datetime]]:
    """(ISO week, send time) of the leaders' weekly digests between ``since`` and ``until``."""
    out = []
    day = since.astimezone(zone).date() - timedelta(days=7)
    day -= timedelta(days=(day.weekday() - settings.digest_weekday) % 7)
    while True:
        send_day = day if calendar.is_working_day(day) else calendar.next_working_day(day)
        moment = datetime.combine(send_day, settings.digest_time, tzinfo=zone)
        if moment > until:
            return out
        # A week whose digest day falls in a long holiday (Tết) is covered by the next one.
        if moment >= since and send_day < day + timedelta(days=7):
            year, week, _ = day.isocalendar()
            out.append((f"{year}-W{week:02d}", moment))
        day += timedelta(days=7)


async def _members(session: AsyncSession, org: Organization) -> People:
    rows = await session.scalars(
        select(Membership)
        .where(Membership.organization_id == org.id)
        .options(selectinload(Membership.person))
    )
    return People.from_memberships(list(rows))


async def plan_task(
    session: AsyncSession,
    task: Task,
    org: Organization,
    people: People,
    now: datetime,
    settings: PlanningSettings,
    calendar: WorkCalendar,
    since: datetime,
    *,
    known: dict[str, OutboxItem] | None = None,
    entries: list[datetime] | None = None,
) -> int:
    """Bring one task's outbox rows in line with its status and deadline. ``known``: the
    task's rows read beforehand (``rows_of_tasks``), so that nothing unchanged is read
    or written; ``entries`` receives when the task's next reminder enters the window."""
    until = now + settings.horizon
    if task.status in CLOSED or task.withdrawn:
        await cancel_not_kept(session, task.id, [], known)
        return 0
    timing = TaskTiming(task.id, deadline_of(task), task.status, task.plan.year)
    reminders = plan_reminders(
        timing, now, settings=settings.reminders, calendar=calendar, tz=org.timezone
    )
    if entries is not None:
        entries += [r.send_at - settings.horizon for r in reminders if r.send_at > until][:1]
    # Keep every row the policy still owes, earlier ones too: a reminder missed while
    # dondoc was down waits for the next allowed moment and must survive a re-plan;
    # one quoting an old deadline is owed no more and goes.
    still = owed_for_task(task, org, people, reminders, _EPOCH, until)
    owed = [o for o in still if o.send_at >= since]
    added = await upsert(session, [o for o in owed if o.task_id == task.id], known)
    await upsert(session, [o for o in owed if o.task_id != task.id], known)
    keep = [o.key for o in still if o.task_id == task.id]
    await cancel_not_kept(session, task.id, keep, known)
    return added


def _since(org: Organization, now: datetime) -> datetime:
    # The first run owes today's reminders too (a plan imported at 10:00 still gets the
    # 08:00 ones), but nothing from before today.
    zone = ZoneInfo(org.timezone)
    return org.planned_through or datetime.combine(
        now.astimezone(zone).date(), time(0, 0), tzinfo=zone
    )


async def _plan_digests(
    session: AsyncSession,
    org: Organization,
    people: People,
    now: datetime,
    since: datetime,
    settings: PlanningSettings,
    calendar: WorkCalendar,
) -> int:
    zone = ZoneInfo(org.timezone)
    digests = [
        Owed(
            org.id,
            None,
            "weekly_digest",
            week,
            leader,
            moment,
            useful_until=moment + timedelta(days=1),
        )
        for week, moment in digest_times(since, now + settings.horizon, zone, settings, calendar)
        for leader in people.leaders
    ]
    return await upsert(session, digests)


async def _plan_score_sheets(
    session: AsyncSession,
    org: Organization,
    people: People,
    now: datetime,
    since: datetime,
    settings: PlanningSettings,
    calendar: WorkCalendar,
) -> int:
    """The reminders before the score sheets' self-assessment dates
    (``scheduler.score_reminders``)."""
    return await plan_scores(
        session, org, people.by_unit, now, since, now + settings.horizon, calendar, settings.scores
    )


async def plan_organization(
    session: AsyncSession,
    org: Organization,
    now: datetime,
    settings: PlanningSettings,
    calendar: WorkCalendar,
) -> int:
    """Plan every task of the organization's active plans (those of its newest year, the
    lists of tasks the city gave among them) in the caller's transaction;
    returns the new rows. (A running bot uses ``plan_in_steps``.)"""
    since = _since(org, now)
    today = now.astimezone(ZoneInfo(org.timezone)).date()
    plans = await active_plans(session, org, today)
    people = await _members(session, org)
    added = await _plan_score_sheets(session, org, people, now, since, settings, calendar)
    if not plans:
        org.planned_through = now
        return added
    for task in await list_tasks(session, org, today=today):
        added += await plan_task(session, task, org, people, now, settings, calendar, since)
    added += await _plan_digests(session, org, people, now, since, settings, calendar)
    org.planned_through = now
    return added


async def plan_in_steps(
    sessions: async_sessionmaker[AsyncSession],
    organization_id: int,
    now: datetime,
    settings: PlanningSettings,
    calendar: WorkCalendar,
    pause: Callable[[], Awaitable[None]] | None = None,
) -> int:
    """``plan_organization`` in short transactions: the task list; each ``settings.batch``
    tasks (only differences written; ``pause`` first, which waits while reminders go out);
    the digests and the watermarks last (a crash half-way plans again, harmless by keys)."""
    async with sessions() as session, session.begin():
        org = await session.get(Organization, organization_id)
        if org is None:
            return 0
        since = _since(org, now)
        today = now.astimezone(ZoneInfo(org.timezone)).date()
        plans = await active_plans(session, org, today)
        if not plans:
            people = await _members(session, org)
            added = await _plan_score_sheets(session, org, people, now, since, settings, calendar)
            mark_planned(org, now, [], fingerprint(settings, calendar))
            return added
        task_ids = [t.id for t in await list_tasks(session, org, today=today)]
    added = 0
    entries: list[datetime] = []
    for start in range(0, len(task_ids), max(settings.batch, 1)):
        batch = task_ids[start : start + max(settings.batch, 1)]
        if pause is not None:
            await pause()
        async with sessions() as session, session.begin():
            org = await session.get(Organization, organization_id)
            if org is None:
                return added
            people = await _members(session, org)
            known = await rows_of_tasks(session, organization_id, batch)
            tasks = await session.scalars(
                select(Task)
                .where(Task.id.in_(batch))
                .options(
                    selectinload(Task.unit_links).selectinload(TaskUnit.unit),
                    selectinload(Task.plan),
                )
                .order_by(Task.id)
            )
            for task in tasks:
                added += await plan_task(
                    session, task, org, people, now, settings, calendar, since,
                    known=known, entries=entries,
                )  # fmt: skip
    async with sessions() as session, session.begin():
        org = await session.get(Organization, organization_id)
        if org is None:
            return added
        people = await _members(session, org)
        added += await _plan_digests(session, org, people, now, since, settings, calendar)
        added += await _plan_score_sheets(session, org, people, now, since, settings, calendar)
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
    people = await _members(session, org)
    entries: list[datetime] = []
    await plan_task(session, task, org, people, now, settings, calendar, since=now, entries=entries)
    if entries and org.plan_due_at is not None and entries[0] < org.plan_due_at:
        org.plan_due_at = entries[0]  # its new deadline's reminders enter the window sooner


async def all_organizations(session: AsyncSession) -> list[Organization]:
    return list(await session.scalars(select(Organization).order_by(Organization.id)))
