"""Who is owed what: the reminder policy's reminders of a task turned into messages
(``Owed``) for the right people, pure and in memory, for a whole batch of tasks at once.

For each open task, the reminders up to the horizon become messages for: the members of
the task's lead units; the leaders for escalations; the cooperating units' members for
one note on the due day. A lead unit with no reachable member gets the admins one "no
one to remind" notice (its key makes it once, not every run); so does a task with no
lead unit. Leaders also get the weekly digest (``digest_times``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from language.deadlines import Deadline
from models.outbox import Owed
from models.outbox_known import Known, to_cancel
from models.outbox_write import earliest
from scheduler.plan_reads import People, TaskFacts
from scheduler.reminder_policy import (
    HORIZON_DAYS,
    SILENT_STATUSES,
    ReminderSettings,
    reminder_times,
)
from scheduler.workdays import WorkCalendar

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CLOSED = SILENT_STATUSES  # done, not applicable: reminded no more
EPOCH = datetime(2000, 1, 1, tzinfo=ZoneInfo("UTC"))  # before any plan's reminders


def useful_until(kind: str, occurrence: str, send_at: datetime, zone: ZoneInfo) -> datetime:
    """Until when a missed reminder is still worth sending: before the due moment
    (the end of the due day, or the report date) for reminders that look ahead; the
    end of its own day for overdue ones."""
    found = _DATE.search(occurrence)
    if kind in ("before_due", "due_day") and found:
        day = date.fromisoformat(found.group()) + timedelta(days=1)
    elif kind == "report" and found:
        day = date.fromisoformat(found.group())
    else:
        day = send_at.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(day, time(0, 0), tzinfo=zone)


# (kind, occurrence, send time, to leaders, useful until): a reminder of the policy
Timed = tuple[str, str, datetime, bool, datetime]


class Reminders:
    """The policy's reminders of each deadline, read once per organization: tasks with
    the same deadline share them (``reminder_policy.reminder_times`` is cached too)."""

    def __init__(
        self, now: datetime, tz: str, settings: ReminderSettings, calendar: WorkCalendar
    ) -> None:
        self.zone, self.tz = ZoneInfo(tz), tz
        self.today = now.astimezone(self.zone).date()
        self.settings, self.calendar = settings, calendar
        self._seen: dict[tuple[Deadline, int], list[Timed]] = {}

    def of(self, task: TaskFacts) -> list[Timed]:
        """Every reminder of an open task, by send time (``plan_reminders``)."""
        found = self._seen.get((task.deadline, task.plan_year))
        if found is None:
            times = reminder_times(
                task.deadline, task.plan_year, self.today, self.settings, self.calendar, self.tz, HORIZON_DAYS
            )  # fmt: skip
            found = [
                (k, o, at, lead, useful_until(k, o, at, self.zone)) for k, o, at, lead in times
            ]
            self._seen[(task.deadline, task.plan_year)] = found
        return found


def owed_for_task(
    task: TaskFacts, organization_id: int, people: People, reminders: list[Timed],
    since: datetime, until: datetime,
) -> list[Owed]:  # fmt: skip
    """The messages the reminders of ``task`` from ``since`` to ``until`` owe."""
    org, leads, by_unit = organization_id, task.leads, people.by_unit
    recipients = sorted({p for u in leads for p in by_unit.get(u, ())})
    empty = [u for u in leads if not by_unit.get(u)]
    notes = sorted({p for u in task.coops for p in by_unit.get(u, ())} - set(recipients))
    owed: list[Owed] = []
    for kind, occ, at, leaders, last in reminders:
        if at > until:
            break  # sorted by send time
        if at < since:
            continue
        if leaders:
            owed += [Owed(org, task.id, kind, occ, p, at, last, True) for p in people.leaders]
            continue
        owed += [Owed(org, task.id, kind, occ, p, at, last) for p in recipients]
        for unit_id in empty:
            owed += [
                Owed(org, None, "no_recipient", f"unit{unit_id}", a, at, detail=str(unit_id))
                for a in people.admins
            ]
        if not leads:
            owed += [
                Owed(org, task.id, "no_recipient", f"task{task.id}", a, at, detail=task.lead_note)
                for a in people.admins
            ]
        if kind == "due_day":
            owed += [Owed(org, task.id, "cooperating_note", occ, p, at, last) for p in notes]
    return owed


@dataclass
class BatchPlan:
    """What a batch of tasks owes, compared with the rows it has."""

    wanted: dict[str, Owed] = field(default_factory=dict)  # by key: to insert or update
    cancel: list[int] = field(default_factory=list)  # ids of rows owed no more
    entries: list[datetime] = field(default_factory=list)  # next reminders entering the window


def plan_batch(
    tasks: list[TaskFacts], organization_id: int, people: People, rows: dict[int | None, list[Known]],
    reminders: Reminders, now: datetime, since: datetime, horizon: timedelta,
    out: BatchPlan | None = None,
) -> BatchPlan:  # fmt: skip
    """The rows ``tasks`` (in this order) owe from ``since`` to the horizon, and those
    of their rows owed no more (``rows``: the rows read, by task: ``by_task``). Each task keeps every row the policy still owes, earlier
    ones too: a reminder missed while dondoc was down waits for the next allowed moment
    and must survive a re-plan; one quoting an old deadline is owed no more and goes.
    A notice shared by several tasks (a unit with no one) takes the time the last of
    them owes it at, as re-planning task after task always did. ``out``: a plan of the
    batch's earlier tasks, added to."""
    until = now + horizon
    out = BatchPlan() if out is None else out
    for task in tasks:
        if task.status in CLOSED or task.withdrawn:
            out.cancel += to_cancel(rows.get(task.id, ()), ())
            continue
        timed = reminders.of(task)
        out.entries += [at - horizon for _, _, at, _, _ in timed if at > until][:1]
        if task.id in rows:  # its rows owed no more (earlier ones included) go
            still = owed_for_task(task, organization_id, people, timed, EPOCH, until)
            out.cancel += to_cancel(rows[task.id], {o.key for o in still if o.task_id == task.id})
            owed = [o for o in still if o.send_at >= since]
        else:
            owed = owed_for_task(task, organization_id, people, timed, since, until)
        out.wanted.update(earliest(owed))
    return out


def digest_times(
    since: datetime, until: datetime, zone: ZoneInfo, weekday: int, at: time, calendar: WorkCalendar
) -> list[tuple[str, datetime]]:
    """(ISO week, send time) of the leaders' weekly digests between ``since`` and ``until``."""
    out = []
    day = since.astimezone(zone).date() - timedelta(days=7)
    day -= timedelta(days=(day.weekday() - weekday) % 7)
    while True:
        send_day = day if calendar.is_working_day(day) else calendar.next_working_day(day)
        moment = datetime.combine(send_day, at, tzinfo=zone)
        if moment > until:
            return out
        # A week whose digest day falls in a long holiday (Tết) is covered by the next one.
        if moment >= since and send_day < day + timedelta(days=7):
            year, week, _ = day.isocalendar()
            out.append((f"{year}-W{week:02d}", moment))
        day += timedelta(days=7)


def owed_digests(
    organization_id: int, zone: ZoneInfo, leaders: list[int], since: datetime, until: datetime,
    weekday: int, at: time, calendar: WorkCalendar,
) -> dict[str, Owed]:  # fmt: skip
    """The leaders' weekly digests between ``since`` and ``until``, by key."""
    return earliest(
        Owed(
            organization_id,
            None,
            "weekly_digest",
            week,
            leader,
            moment,
            useful_until=moment + timedelta(days=1),
        )
        for week, moment in digest_times(since, until, zone, weekday, at, calendar)
        for leader in leaders
    )
