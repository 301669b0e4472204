"""Progress figures, in one place: the official categories of Biểu mẫu 1 (done on
time, done late, overdue and not done, in progress within the deadline, not started and
not yet due, not applicable) as of a date, per plan, unit and section.

The rules are pure functions over ``TaskFacts`` (tests call them directly):

- a task's status on a date is the newest "status" row of its history recorded by the
  end of that day (in the organization's zone) and not undone by then;
- "not applicable" ("Chưa phát sinh hồ sơ") is never counted late or overdue;
- *ongoing* tasks — "Thường xuyên", "Theo yêu cầu/chỉ đạo …", those that recur
  several times a year (monthly, quarterly, half-yearly, a list such as "Tháng 3, 6,
  9, 12") and those that run whole years ("Cả năm 2026", "Giai đoạn 2026-2030") — are
  counted as
  officials count them: once reported carried out (in progress or done) they are done
  for the period ("Đã thực hiện và tiếp tục thực hiện"), never late; a whole-year task
  still not started after 31/12 is overdue, the others have no deadline to miss;
- a task with a deadline is done on time when its standing "done" was recorded on or
  before the due date (the extended one, once an extension is approved), done late
  after it; not done after the due date, it is overdue;
- a due date that falls on a day off ends at the end of the next working day (Bộ luật
  Dân sự 2015, article 148). Which days are off is the scheduler's business
  (``WorkCalendar.deadline_end``); the rules here take that function as
  ``deadline_end`` and apply it in one place, :func:`missed`, for the figures, the
  reports and /quahan alike;
- ``in_scope`` narrows to a quarter: ongoing and undated tasks always count, dated
  ones when due on or before the quarter's last day;
- per unit, a task counts for each of its lead units, or for its lead note ("Các cơ
  quan chuyên môn liên quan") when it names none.

The database queries that gather ``TaskFacts`` and the standing reports (``plan_facts``,
``task_facts``, ``overview``, ``standing_reports``, …) are in ``models.progress_queries``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from babel.numbers import format_decimal

CATEGORIES = (
    "done_on_time",
    "done_late",
    "overdue",
    "in_progress",
    "not_started",
    "not_applicable",
)
DATED_KINDS = ("due", "period", "recurring")
STATUSES = ("not_started", "in_progress", "done", "not_applicable")
# The last day a deadline falling on a date is met (scheduler.workdays.WorkCalendar.deadline_end).
DeadlineEnd = Callable[[date], date]


@dataclass(frozen=True)
class TaskFacts:
    task_id: int
    number: str
    section: str
    lead_units: tuple[str, ...]
    status: str  # the standing status on the date counted
    deadline_kind: str
    due: date | None
    done_on: date | None  # local date the standing "done" was recorded
    start: date | None = None
    every: str | None = None


@dataclass(frozen=True)
class Reported:
    """A status report or a note standing on the date counted (for the report's
    results); a note has ``status`` "note" and may carry evidence."""

    status: str
    percent: int | None
    reason: str | None
    evidence: tuple[str, ...]
    text: str
    on: date


# ---------------------------------------------------------------- the rules (pure)


def whole_year(facts: TaskFacts) -> bool:
    """A period of whole years: 1/1 to 31/12 of one year ("Cả năm 2026") or of several
    ("Giai đoạn 2026 - 2030")."""
    s, d = facts.start, facts.due
    return (
        facts.deadline_kind == "period"
        and s is not None
        and d is not None
        and (s.month, s.day) == (1, 1)
        and (d.month, d.day) == (12, 31)
    )


def _several_a_year(facts: TaskFacts) -> bool:
    """Recurring more than once a year: no single due date to miss."""
    return facts.deadline_kind == "recurring" and facts.every != "year"


def is_ongoing(facts: TaskFacts) -> bool:
    """Continuous, on-request, several-times-a-year and whole-year tasks."""
    kind = facts.deadline_kind
    return kind in ("continuous", "on_request") or _several_a_year(facts) or whole_year(facts)


def has_deadline(facts: TaskFacts) -> bool:
    """A single due date the task can miss (monthly/quarterly tasks have none)."""
    return (
        facts.deadline_kind in DATED_KINDS and facts.due is not None and not _several_a_year(facts)
    )


def missed(due: date, on: date, deadline_end: DeadlineEnd) -> bool:
    """Whether ``on`` is past the deadline ``due``: the one overdue rule. A due date on
    a day off is met until the end of the next working day (``deadline_end``)."""
    return on > deadline_end(due)


def classify(facts: TaskFacts, as_of: date, *, deadline_end: DeadlineEnd) -> str:
    """The Biểu mẫu 1 category of one task on ``as_of``."""
    if facts.status == "not_applicable":
        return "not_applicable"
    if carried_on(facts):
        return "done_on_time"
    due = facts.due if has_deadline(facts) else None
    if facts.status == "done":
        late = (
            due is not None
            and facts.done_on is not None
            and missed(due, facts.done_on, deadline_end)
        )
        return "done_late" if late else "done_on_time"
    if due is not None and missed(due, as_of, deadline_end):
        return "overdue"
    return "in_progress" if facts.status == "in_progress" else "not_started"


def current_facts(task: object) -> TaskFacts:
    """The facts of a task as it stands now (its current status), from anything shaped
    like ``models.plans.Task``: for /quahan and the leaders' digest, which decide
    overdue with :func:`classify` like the figures do."""
    t: Any = task
    return TaskFacts(
        t.id,
        t.number,
        "",
        (),
        t.status,
        t.deadline_kind,
        t.deadline_due,
        None,
        t.deadline_start,
        t.deadline_every,
    )


def quarter_end(year: int, quarter: int) -> date:
    return date(year, 3 * quarter, 30 if quarter in (2, 3) else 31)


def in_scope(facts: TaskFacts, until: date) -> bool:
    """Whether a task counts in a report that ends on ``until`` (a quarter's end)."""
    return is_ongoing(facts) or facts.due is None or facts.due <= until


def carried_on(facts: TaskFacts) -> bool:
    """A continuous task reported carried out: counted done for the period ("Đã thực
    hiện và tiếp tục thực hiện"), and always said so beside the done figures.

    Only tasks with no end to reach are carried on (continuous, on request, several
    times a year). A whole-year task ("Cả năm 2026") has an end: at 30% it is in
    progress within its deadline, not done."""
    if facts.status not in ("done", "in_progress"):
        return False
    kind = facts.deadline_kind
    return kind in ("continuous", "on_request") or _several_a_year(facts)


@dataclass
class Tally:
    total: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    continuing: int = 0  # of the "done_on_time": ongoing tasks carried on (carried_on)

    def add(self, category: str, *, continuing: bool = False, times: int = 1) -> None:
        self.total += times
        self.counts[category] += times
        self.continuing += continuing * times

    @property
    def done(self) -> int:
        return self.counts["done_on_time"] + self.counts["done_late"]

    @property
    def rate(self) -> float:
        return self.done / self.total if self.total else 0.0

    def to_json(self) -> dict[str, int]:
        return {"total": self.total, **self.counts, "continuing": self.continuing}


@dataclass
class Progress:
    as_of: date
    overall: Tally
    by_unit: dict[str, Tally]
    by_section: dict[str, Tally]
    overdue_numbers: list[str]

    def to_json(self) -> dict[str, object]:
        return {
            **self.overall.to_json(),
            "by_unit": {k: v.to_json() for k, v in self.by_unit.items()},
            "by_section": {k: v.to_json() for k, v in self.by_section.items()},
        }


def tally(
    facts: Iterable[TaskFacts],
    as_of: date,
    *,
    deadline_end: DeadlineEnd,
    until: date | None = None,
) -> Progress:
    """Count ``facts`` on ``as_of``; only those ``in_scope`` of ``until`` when given."""
    overall = Tally()
    by_unit: dict[str, Tally] = defaultdict(Tally)
    by_section: dict[str, Tally] = defaultdict(Tally)
    overdue: list[str] = []
    for item in facts:
        if until is not None and not in_scope(item, until):
            continue
        category = classify(item, as_of, deadline_end=deadline_end)
        going = carried_on(item)
        overall.add(category, continuing=going)
        by_section[item.section].add(category, continuing=going)
        for unit in item.lead_units:
            by_unit[unit].add(category, continuing=going)
        if category == "overdue":
            overdue.append(item.number)
    return Progress(as_of, overall, dict(by_unit), dict(by_section), overdue)


@lru_cache(maxsize=4096)  # a city's /tiendo formats the same few shares many times
def _percent(done: int, total: int, pattern: str, locale: str = "vi") -> str:
    # Half up, as people round by hand (5/16 = 31,25 → 31,3%): float round() and
    # babel both round half to even.
    value = Decimal(100 * done) / Decimal(total) if total else Decimal(0)
    value = value.quantize(Decimal("0.1"), ROUND_HALF_UP)
    return format_decimal(value, format=pattern, locale=locale, decimal_quantization=True) + "%"


def percent_text(done: int, total: int, locale: str = "vi") -> str:
    """The share done, Vietnamese style: "2,6%", "50%" (``locale`` "en": "2.6%")."""
    return _percent(done, total, "#,##0.#", locale)


def rate_text(done: int, total: int) -> str:
    """The completion rate as officials write it: "27/52 = 51,9%"."""
    if total == 0:
        return "0/0"
    return f"{done}/{total} = {_percent(done, total, '#,##0.0')}"


# ---------------------------------------------------------------- the queries, re-exported

# The queries moved to ``models.progress_queries``, which imports the rules above. They
# are re-exported for callers that import them from here (handlers.reports.progress,
# bot.cli_reports, documents.report_rows, tests): lazily, so that the two modules can be
# imported in either order without a circular import.
