"""Progress figures, in one place: the official categories of Biểu mẫu 1 (done on
time, done late, overdue and not done, in progress within the deadline, not started and
not yet due, not applicable) as of a date, per plan, unit and section.

The rules are pure functions over ``TaskFacts`` (tests call them directly):

- a task's status on a date is the newest "status" row of its history recorded by the
  end of that day (in the organization's zone) and not undone by then;
- "not applicable" ("Chưa phát sinh hồ sơ") is never counted late or overdue;
- *ongoing* tasks — "Thường xuyên", "Theo yêu cầu/chỉ đạo …", monthly or quarterly
  ones, and those that run the whole plan year ("Cả năm 2026") — are counted as
  officials count them: once reported carried out (in progress or done) they are done
  for the period ("Đã thực hiện và tiếp tục thực hiện"), never late; a whole-year task
  still not started after 31/12 is overdue, the others have no deadline to miss;
- a task with a deadline is done on time when its standing "done" was recorded on or
  before the due date (the extended one, once an extension is approved), done late
  after it; not done after the due date, it is overdue;
- ``in_scope`` narrows to a quarter: ongoing and undated tasks always count, dated
  ones when due on or before the quarter's last day;
- per unit, a task counts for each of its lead units, or for its lead note ("Các cơ
  quan chuyên môn liên quan") when it names none.

The queries find the standing status of every task in SQL (the newest moment per task
by GROUP BY, joined back), so a city of 7,000 tasks and 150,000 updates is counted in
a few queries whatever the number of organizations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.people import Organization, Unit
from models.plans import Plan, Section, StatusUpdate, Task, TaskUnit
from models.queries import current_plans

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


# ---------------------------------------------------------------- the rules (pure)


def whole_year(facts: TaskFacts) -> bool:
    """A period that runs from 1/1 to 31/12 of one year ("Cả năm 2026")."""
    s, d = facts.start, facts.due
    return (
        facts.deadline_kind == "period"
        and s is not None
        and d is not None
        and (s.year, s.month, s.day) == (d.year, 1, 1)
        and (d.month, d.day) == (12, 31)
    )


def is_ongoing(facts: TaskFacts) -> bool:
    """Continuous, on-request, monthly/quarterly and whole-year tasks."""
    kind = facts.deadline_kind
    return (
        kind in ("continuous", "on_request")
        or (kind == "recurring" and facts.every in ("month", "quarter"))
        or whole_year(facts)
    )


def has_deadline(facts: TaskFacts) -> bool:
    """A single due date the task can miss (monthly/quarterly tasks have none)."""
    return (
        facts.deadline_kind in DATED_KINDS
        and facts.due is not None
        and not (facts.deadline_kind == "recurring" and facts.every in ("month", "quarter"))
    )


def classify(facts: TaskFacts, as_of: date) -> str:
    """The Biểu mẫu 1 category of one task on ``as_of``."""
    if facts.status == "not_applicable":
        return "not_applicable"
    if facts.status in ("done", "in_progress") and is_ongoing(facts):
        return "done_on_time"
    dated = has_deadline(facts)
    if facts.status == "done":
        late = dated and facts.done_on is not None and facts.done_on > facts.due  # type: ignore[operator]
        return "done_late" if late else "done_on_time"
    if dated and facts.due < as_of:  # type: ignore[operator]
        return "overdue"
    return "in_progress" if facts.status == "in_progress" else "not_started"


def quarter_end(year: int, quarter: int) -> date:
    return date(year, 3 * quarter, 30 if quarter in (2, 3) else 31)


def in_scope(facts: TaskFacts, until: date) -> bool:
    """Whether a task counts in a report that ends on ``until`` (a quarter's end)."""
    return is_ongoing(facts) or facts.due is None or facts.due <= until


@dataclass
class Tally:
    total: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))

    def add(self, category: str) -> None:
        self.total += 1
        self.counts[category] += 1

    @property
    def done(self) -> int:
        return self.counts["done_on_time"] + self.counts["done_late"]

    @property
    def rate(self) -> float:
        return self.done / self.total if self.total else 0.0

    def to_json(self) -> dict[str, int]:
        return {"total": self.total, **self.counts}


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


def tally(facts: Iterable[TaskFacts], as_of: date, *, until: date | None = None) -> Progress:
    """Count ``facts`` on ``as_of``; only those ``in_scope`` of ``until`` when given."""
    overall = Tally()
    by_unit: dict[str, Tally] = defaultdict(Tally)
    by_section: dict[str, Tally] = defaultdict(Tally)
    overdue: list[str] = []
    for item in facts:
        if until is not None and not in_scope(item, until):
            continue
        category = classify(item, as_of)
        overall.add(category)
        by_section[item.section].add(category)
        for unit in item.lead_units:
            by_unit[unit].add(category)
        if category == "overdue":
            overdue.append(item.number)
    return Progress(as_of, overall, dict(by_unit), dict(by_section), overdue)


def rate_text(done: int, total: int) -> str:
    """The completion rate as officials write it: "27/52 = 51,9%"."""
    if total == 0:
        return "0/0"
    value = format_decimal(round(100 * done / total, 1), format="#,##0.0", locale="vi")
    return f"{done}/{total} = {value}%"


# ---------------------------------------------------------------- the queries


def day_end(as_of: date, timezone: str) -> datetime:
    """The first moment after ``as_of`` in ``timezone``, in UTC."""
    return datetime.combine(as_of + timedelta(days=1), time(), ZoneInfo(timezone)).astimezone(UTC)


async def undone_ids(session: AsyncSession, task_ids: Select, cut: datetime) -> set[int]:
    rows = await session.scalars(
        select(StatusUpdate.text).where(
            StatusUpdate.task_id.in_(task_ids),
            StatusUpdate.kind == "undo",
            StatusUpdate.created_at < cut,
        )
    )
    return {int(t[1:]) for t in rows if t.startswith("#") and t[1:].isdigit()}


async def standing_statuses(
    session: AsyncSession, task_ids: Select, cut: datetime
) -> dict[int, tuple[str, datetime]]:
    """Per task, the status standing just before ``cut`` and when it was recorded."""
    su = StatusUpdate
    is_status = (su.kind == "status", su.status.in_(STATUSES))
    # The newest moment per task, then the rows at that moment (GROUP BY and a join:
    # twice as fast as a window function on SQLite); ties go to the newest id.
    last = (
        select(su.task_id, func.max(su.created_at).label("at"))
        .where(su.task_id.in_(task_ids), *is_status, su.created_at < cut)
        .group_by(su.task_id)
        .subquery()
    )
    rows = await session.execute(
        select(su.id, su.task_id, su.status, su.created_at)
        .join(last, (su.task_id == last.c.task_id) & (su.created_at == last.c.at))
        .where(*is_status)
    )
    latest: dict[int, tuple[int, str, datetime]] = {}
    for uid, task_id, status, created in rows:
        if task_id not in latest or uid > latest[task_id][0]:
            latest[task_id] = (uid, status, created)
    undone = await undone_ids(session, task_ids, cut)
    hit = [task_id for task_id, row in latest.items() if row[0] in undone]
    if hit:  # rare: an undone status was the newest; look further back for those tasks
        for task_id in hit:
            del latest[task_id]
        rows = await session.execute(
            select(su.id, su.task_id, su.status, su.created_at)
            .where(su.task_id.in_(hit), *is_status, su.created_at < cut)
            .order_by(su.created_at.desc(), su.id.desc())
        )
        for uid, task_id, status, created in rows:
            if task_id not in latest and uid not in undone:
                latest[task_id] = (uid, status, created)
    return {task_id: (status, created) for task_id, (_, status, created) in latest.items()}


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


async def standing_reports(
    session: AsyncSession, task_ids: Sequence[int], as_of: date, timezone: str
) -> dict[int, list[Reported]]:
    """Per task, its status reports and notes standing on ``as_of``, oldest first."""
    su = StatusUpdate
    rows = (
        await session.execute(
            select(
                su.id,
                su.task_id,
                su.kind,
                su.status,
                su.percent,
                su.reason,
                su.evidence,
                su.text,
                su.created_at,
            )
            .where(
                su.task_id.in_(list(task_ids)),
                su.kind.in_(("status", "note", "undo")),
                su.created_at < day_end(as_of, timezone),
            )
            .order_by(su.created_at, su.id)
        )
    ).all()
    undone = {int(r.text[1:]) for r in rows if r.kind == "undo" and r.text[1:].isdigit()}
    zone = ZoneInfo(timezone)
    out: dict[int, list[Reported]] = defaultdict(list)
    for r in rows:
        if r.kind != "undo" and r.id not in undone and (r.kind == "note" or r.status in STATUSES):
            out[r.task_id].append(
                Reported(
                    r.status if r.kind == "status" else "note",
                    r.percent,
                    r.reason,
                    tuple(r.evidence or ()),
                    r.text or "",
                    r.created_at.astimezone(zone).date(),
                )
            )
    return dict(out)


async def plan_facts(
    session: AsyncSession,
    plan_ids: Sequence[int],
    as_of: date,
    timezone: str,
    *,
    unit_ids: Sequence[int] | None = None,
    with_units: bool = True,
) -> list[tuple[int, TaskFacts]]:
    """(organization id, facts) of every task of ``plan_ids`` on ``as_of``, in plan
    order; only tasks led by one of ``unit_ids`` when given."""
    ids = select(Task.id).where(Task.plan_id.in_(list(plan_ids)))
    if unit_ids is not None:
        led = select(TaskUnit.task_id).where(
            TaskUnit.unit_id.in_(list(unit_ids)), TaskUnit.role == "lead"
        )
        ids = ids.where(Task.id.in_(led))
    rows = await session.execute(
        select(
            Plan.organization_id,
            Task.id,
            Task.number,
            Section.numeral,
            Task.lead_note,
            Task.deadline_kind,
            Task.deadline_start,
            Task.deadline_due,
            Task.deadline_every,
        )
        .join(Section, Task.section_id == Section.id)
        .join(Plan, Task.plan_id == Plan.id)
        .where(Task.id.in_(ids))
        .order_by(Plan.organization_id, Section.order, Task.position)
    )
    leads: dict[int, list[str]] = defaultdict(list)
    if with_units:
        for task_id, name in await session.execute(
            select(TaskUnit.task_id, Unit.name)
            .join(Unit, TaskUnit.unit_id == Unit.id)
            .where(TaskUnit.task_id.in_(ids), TaskUnit.role == "lead")
            .order_by(TaskUnit.task_id, TaskUnit.position)
        ):
            leads[task_id].append(name)
    standing = await standing_statuses(session, ids, day_end(as_of, timezone))
    zone = ZoneInfo(timezone)
    out = []
    for org_id, task_id, number, numeral, note, kind, start, due, every in rows:
        status, recorded = standing.get(task_id, ("not_started", None))
        done_on = recorded.astimezone(zone).date() if status == "done" and recorded else None
        units = tuple(leads.get(task_id, ())) or ((note,) if with_units and note else ())
        out.append(
            (
                org_id,
                TaskFacts(
                    task_id, number, numeral, units, status, kind, due, done_on, start, every
                ),
            )
        )
    return out


async def task_facts(
    session: AsyncSession,
    org: Organization,
    *,
    as_of: date,
    plan: Plan | None = None,
    unit_ids: Sequence[int] | None = None,
) -> list[TaskFacts]:
    """Facts of the tasks of ``plan`` (default: the current plan) on ``as_of``."""
    plan_id = plan.id if plan else (await current_plans(session, [org.id])).get(org.id)
    if plan_id is None:
        return []
    rows = await plan_facts(session, [plan_id], as_of, org.timezone, unit_ids=unit_ids)
    return [facts for _, facts in rows]


async def overview(
    session: AsyncSession,
    orgs: Sequence[Organization],
    as_of: dict[int, date],
    until: dict[int, date | None] | None = None,
) -> dict[int, Tally]:
    """The overall tally of each organization's current plan on its ``as_of`` date,
    only the tasks ``in_scope`` of its ``until`` date when given."""
    plans = await current_plans(session, [o.id for o in orgs])
    groups: dict[tuple[str, date, date | None], list[int]] = defaultdict(list)
    for org in orgs:
        if org.id in plans:
            end = until.get(org.id) if until else None
            groups[(org.timezone, as_of[org.id], end)].append(plans[org.id])
    result = {org.id: Tally() for org in orgs}
    for (timezone, day, end), plan_ids in groups.items():
        for org_id, facts in await plan_facts(session, plan_ids, day, timezone, with_units=False):
            if end is None or in_scope(facts, end):
                result[org_id].add(classify(facts, day))
    return result
