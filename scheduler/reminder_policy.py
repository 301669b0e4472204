"""The reminder policy: for one task, every reminder of its plan year and when to send it.

Pure: no I/O and no clock of its own (``now`` is an argument). The dispatcher stores the
result as outbox rows keyed by :attr:`PlannedReminder.key` (unique per task, kind and
occurrence, so planning again never duplicates a row) and sends those that are due.

Rules (working days come from :class:`~scheduler.workdays.WorkCalendar`):

* Deadline reminders, for ``due`` and ``period`` tasks (a period is reminded before its
  end) and for each occurrence of a ``recurring`` task in the plan year: 7, 3 and 1
  working days before the due date and on the due day. A due day that is a day off is
  reminded on the working day before it; a "before" reminder that would then fall on
  the same day (or later) is dropped, the due-day one says more.
* Overdue: 1, 3 and 7 working days after the due date, then every 5 working days,
  until ``horizon_days`` after ``now`` or :data:`LATE_LIMIT_DAYS` after the plan year,
  whichever is first. A due date on a day off is met until the end of the next working
  day (``WorkCalendar.deadline_end``, Bộ luật Dân sự 2015 article 148), so the
  working days overdue are counted from that day. For a recurring task the overdue reminders of an occurrence stop
  when the next occurrence starts. From ``escalate_after`` working days overdue each
  overdue reminder gets a twin for the leaders: same kind and time,
  ``to_leaders=True``, occurrence suffixed ``:leaders``; the officers keep theirs.
* Reports: ``continuous``, ``period``, ``recurring``, ``on_request`` and also
  ``unknown`` tasks (so that a task with an unreadable deadline is not forgotten) are
  reminded 5 and 2 working days before each report date of the plan year, except
  report dates before a period's (or first occurrence's) start. ``due`` tasks have
  their own deadline reminders instead.
* ``done`` and ``not_applicable`` tasks get nothing. ``extension`` means the deadline
  was moved: the caller passes the new one, and it is planned like any other.

Every send time is ``send_time`` (08:00) local on a working day; a ``send_time`` inside
the quiet hours (18:00–07:30) is moved to ``quiet_end`` of the same day.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from language.deadlines import Deadline, occurrences
from scheduler.workdays import WorkCalendar

STATUSES = ("not_started", "in_progress", "done", "not_applicable", "extension", "unknown")
SILENT_STATUSES = frozenset({"done", "not_applicable"})
REPORTED_KINDS = frozenset({"continuous", "period", "recurring", "on_request", "unknown"})
DEADLINE_KINDS = frozenset({"due", "period", "recurring"})
LATE_LIMIT_DAYS = 90  # overdue reminders stop this many days after the plan year ends
WEEK = 5  # working days between two weekly overdue reminders
HORIZON_DAYS = 400  # weekly overdue reminders are planned up to this many days ahead


@dataclass(frozen=True)
class ReminderSettings:
    send_time: time = time(8, 0)
    before_due: tuple[int, ...] = (7, 3, 1)  # working days before due
    on_due_day: bool = True
    overdue_after: tuple[int, ...] = (1, 3, 7)  # working days after due, then weekly
    overdue_weekly: bool = True
    escalate_after: int = 3  # from this many working days overdue, also to leaders (0: never)
    report_days_before: tuple[int, ...] = (5, 2)  # working days before each report date
    quarterly_report_day: int = 10  # reports are due before the 10th of a quarter's last month
    yearly_report: tuple[int, int] = (12, 10)  # (month, day): yearly report before 10/12
    quiet_start: time = time(18, 0)  # nothing is sent between 18:00 and 07:30
    quiet_end: time = time(7, 30)

    @classmethod
    def from_config(cls, cfg: Any) -> ReminderSettings:
        """From an object shaped like ``bot.config.RemindersConfig`` (duck-typed, so the
        scheduler does not import the bot)."""
        return cls(
            send_time=cfg.send_time,
            before_due=tuple(cfg.before_due),
            on_due_day=cfg.on_due_day,
            overdue_after=tuple(cfg.overdue_after),
            overdue_weekly=cfg.overdue_weekly,
            escalate_after=cfg.escalate_after,
            report_days_before=tuple(cfg.report_days_before),
            quarterly_report_day=cfg.quarterly_report_day,
            yearly_report=(cfg.yearly_report_month, cfg.yearly_report_day),
            quiet_start=cfg.quiet_start,
            quiet_end=cfg.quiet_end,
        )


@dataclass(frozen=True)
class TaskTiming:
    task_id: int
    deadline: Deadline
    status: str  # one of STATUSES
    plan_year: int


@dataclass(frozen=True)
class PlannedReminder:
    task_id: int
    kind: str  # "before_due" | "due_day" | "overdue" | "report"
    occurrence: str  # "2026-01-14:-7", "2026-01-14:0", "overdue:2026-01-14:+3[:leaders]",
    #                  "report:2026-03-10:-5"
    send_at: datetime  # tz-aware, in the organisation's zone
    to_leaders: bool

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.task_id, self.kind, self.occurrence)


# (kind, occurrence, day, to_leaders): a reminder before it gets its time of day
_Slot = tuple[str, str, date, bool]


def _on_day(year: int, month: int, day: int) -> date:
    """``day`` of the month, or the month's last day if it is shorter."""
    return date(year, month, min(max(day, 1), monthrange(year, month)[1]))


def report_dates(year: int, settings: ReminderSettings) -> list[date]:
    """The reporting dates of ``year``: 10/3, 10/6, 10/9 (quarterly and six-month
    reports) and 10/12 (yearly), with the default settings.

    The plans say "before the 10th"; the report date is the day named (the 10th), and
    report reminders count working days back from it, so the 2-day reminder still
    leaves a working day before the report is due."""
    days = {_on_day(year, m, settings.quarterly_report_day) for m in (3, 6, 9)}
    days.add(_on_day(year, *settings.yearly_report))
    return sorted(days)


def _is_quiet(t: time, s: ReminderSettings) -> bool:
    if s.quiet_start <= s.quiet_end:  # a window inside one day, e.g. 12:00–13:30
        return s.quiet_start <= t < s.quiet_end
    return t >= s.quiet_start or t < s.quiet_end  # across midnight


def effective_send_time(settings: ReminderSettings) -> time:
    """The time of day reminders go out: ``send_time`` unless it is quiet."""
    t = settings.send_time.replace(tzinfo=None)
    return settings.quiet_end if _is_quiet(t, settings) else t


def next_send_moment(now: datetime, settings: ReminderSettings, calendar: WorkCalendar, tz: str) -> datetime:
    """When a notice made at ``now`` (an extension request, a decision) may go out:
    at once on a working day outside the quiet hours, else at ``quiet_end`` of the next
    working day, so that nothing reaches anyone at night or on a day off."""
    local = now.astimezone(ZoneInfo(tz))
    if calendar.is_working_day(local.date()) and not _is_quiet(local.time().replace(tzinfo=None), settings):
        return now
    day = local.date()
    if not (calendar.is_working_day(day) and local.time() < settings.quiet_end):
        day = calendar.next_working_day(day + timedelta(days=1))
    return datetime.combine(day, settings.quiet_end, tzinfo=ZoneInfo(tz))


def _deadline_slots(due: date, stop: date, s: ReminderSettings, cal: WorkCalendar) -> list[_Slot]:
    """Before, on and after one due date; overdue ones only up to ``stop``."""
    due_send = cal.previous_working_day(due)
    slots: list[_Slot] = []
    if s.on_due_day:
        slots.append(("due_day", f"{due}:0", due_send, False))
    for n in sorted({n for n in s.before_due if n > 0}):
        day = cal.add_working_days(due, -n)
        if not (s.on_due_day and day >= due_send):
            slots.append(("before_due", f"{due}:-{n}", day, False))
    return slots + _overdue_slots(due, stop, s, cal)


def _overdue_steps(s: ReminderSettings) -> Iterator[int]:
    """1, 3, 7, then 12, 17, 22, ... working days overdue (endless if weekly)."""
    steps = sorted({n for n in s.overdue_after if n > 0})
    yield from steps
    n = steps[-1] if steps else 0
    while s.overdue_weekly:
        n += WEEK
        yield n


def _overdue_slots(due: date, stop: date, s: ReminderSettings, cal: WorkCalendar) -> list[_Slot]:
    slots: list[_Slot] = []
    day, done = cal.deadline_end(due), 0  # overdue only after the deadline's last day
    for n in _overdue_steps(s):
        day, done = cal.add_working_days(day, n - done), n  # step on from the last one
        if day > stop:
            break
        slots.append(("overdue", f"overdue:{due}:+{n}", day, False))
        if 0 < s.escalate_after <= n:
            slots.append(("overdue", f"overdue:{due}:+{n}:leaders", day, True))
    return slots


def _report_slots(
    plan_year: int, windows: list[tuple[date, date]], s: ReminderSettings, cal: WorkCalendar
) -> list[_Slot]:
    first = windows[0][0] if windows else None
    slots: list[_Slot] = []
    for report in report_dates(plan_year, s):
        if first is not None and report < first:
            continue  # the task has not started yet: nothing to report
        for n in sorted({n for n in s.report_days_before if n >= 0}, reverse=True):
            day = cal.add_working_days(report, -n) if n else cal.previous_working_day(report)
            slots.append(("report", f"report:{report}:-{n}", day, False))
    return slots


def plan_reminders(
    task: TaskTiming,
    now: datetime,
    *,
    settings: ReminderSettings,
    calendar: WorkCalendar,
    tz: str = "Asia/Ho_Chi_Minh",
    horizon_days: int = HORIZON_DAYS,
) -> list[PlannedReminder]:
    """Every reminder of ``task`` in its plan year, sorted by ``send_at``.

    Past ones are included: the dispatcher decides what is still worth sending (and
    the outbox key makes re-planning harmless). ``now`` only bounds the weekly overdue
    reminders (to ``horizon_days`` after it); a naive ``now`` is read in ``tz``."""
    if task.status in SILENT_STATUSES:
        return []
    zone = ZoneInfo(tz)
    today = (now.astimezone(zone) if now.tzinfo else now.replace(tzinfo=zone)).date()
    times = reminder_times(task.deadline, task.plan_year, today, settings, calendar, tz, horizon_days)
    return [PlannedReminder(task.task_id, *timed) for timed in times]


@lru_cache(maxsize=4096)
def reminder_times(
    deadline: Deadline,
    plan_year: int,
    today: date,
    settings: ReminderSettings,
    calendar: WorkCalendar,
    tz: str,
    horizon_days: int,
) -> tuple[tuple[str, str, datetime, bool], ...]:
    """(kind, occurrence, send time, to leaders) of every reminder of a task with this
    deadline, sorted as ``plan_reminders`` returns them: the same for every task with the
    same deadline and plan year on one day, so a province's tasks share the work (the
    arguments are all immutable; the calendar is counted once per deadline and day)."""
    zone = ZoneInfo(tz)
    stop = min(
        today + timedelta(days=horizon_days),
        date(plan_year, 12, 31) + timedelta(days=LATE_LIMIT_DAYS),
    )
    kind = deadline.kind
    windows = occurrences(deadline, plan_year) if kind in DEADLINE_KINDS else []
    slots: list[_Slot] = []
    for i, (_start, due) in enumerate(windows):
        # A recurring task's overdue reminders stop when its next occurrence starts.
        until = windows[i + 1][0] - timedelta(days=1) if i + 1 < len(windows) else stop
        slots += _deadline_slots(due, min(until, stop), settings, calendar)
    if kind in REPORTED_KINDS:
        slots += _report_slots(plan_year, windows, settings, calendar)
    at = effective_send_time(settings)
    planned = {
        (kind_, occ): (kind_, occ, datetime.combine(day, at, tzinfo=zone), leaders)
        for kind_, occ, day, leaders in slots
    }
    return tuple(sorted(planned.values(), key=lambda r: (r[2], r[0], r[1])))
