"""Progress figures, in one place: the official categories of Biểu mẫu 1 (done on
time, done late, overdue and not done, in progress within the deadline, not started and
not yet due, not applicable) as of a date, per plan, unit and section.

``classify`` and ``tally`` are pure; ``task_facts`` reads what they need in two queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.people import Organization
from models.plans import Plan, StatusUpdate
from models.queries import list_tasks

CATEGORIES = (
    "done_on_time",
    "done_late",
    "overdue",
    "in_progress",
    "not_started",
    "not_applicable",
)
DATED_KINDS = ("due", "period", "recurring")


@dataclass(frozen=True)
class TaskFacts:
    task_id: int
    number: str
    section: str
    lead_units: tuple[str, ...]
    status: str
    deadline_kind: str
    due: date | None
    done_on: date | None  # local date the standing "done" was recorded


def classify(facts: TaskFacts, as_of: date) -> str:
    """The Biểu mẫu 1 category of one task on ``as_of``."""
    dated = facts.deadline_kind in DATED_KINDS and facts.due is not None
    if facts.status == "not_applicable":
        return "not_applicable"
    if facts.status == "done":
        late = (
            dated
            and facts.done_on is not None
            and facts.due is not None
            and facts.done_on > facts.due
        )
        return "done_late" if late else "done_on_time"
    if dated and facts.due is not None and facts.due < as_of:
        return "overdue"
    return "in_progress" if facts.status == "in_progress" else "not_started"


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


def tally(facts: Iterable[TaskFacts], as_of: date) -> Progress:
    overall = Tally()
    by_unit: dict[str, Tally] = defaultdict(Tally)
    by_section: dict[str, Tally] = defaultdict(Tally)
    overdue: list[str] = []
    for item in facts:
        category = classify(item, as_of)
        overall.add(category)
        by_section[item.section].add(category)
        for unit in item.lead_units:
            by_unit[unit].add(category)
        if category == "overdue":
            overdue.append(item.number)
    return Progress(as_of, overall, dict(by_unit), dict(by_section), overdue)


async def task_facts(
    session: AsyncSession,
    org: Organization,
    *,
    unit_ids: list[int] | None = None,
    plan: Plan | None = None,
) -> list[TaskFacts]:
    tasks = await list_tasks(session, org, unit_ids=unit_ids, roles=("lead",), plan=plan)
    if not tasks:
        return []
    zone = ZoneInfo(org.timezone)
    rows = await session.execute(
        select(
            StatusUpdate.id,
            StatusUpdate.task_id,
            StatusUpdate.kind,
            StatusUpdate.status,
            StatusUpdate.text,
            StatusUpdate.created_at,
        )
        .where(
            StatusUpdate.task_id.in_([t.id for t in tasks]),
            StatusUpdate.kind.in_(("status", "undo")),
        )
        .order_by(StatusUpdate.created_at, StatusUpdate.id)
    )
    undone = set()
    history: dict[int, list[tuple[int, str | None, datetime]]] = defaultdict(list)
    for update_id, task_id, kind, status, text, created in rows:
        if kind == "undo":
            if text.startswith("#") and text[1:].isdigit():
                undone.add(int(text[1:]))
        else:
            history[task_id].append((update_id, status, created))
    facts = []
    for task in tasks:
        done_on = None
        standing = [h for h in history.get(task.id, []) if h[0] not in undone]
        if standing and standing[-1][1] == "done":
            done_on = standing[-1][2].astimezone(zone).date()
        facts.append(
            TaskFacts(
                task_id=task.id,
                number=task.number,
                section=task.section.numeral,
                lead_units=tuple(u.name for u in task.units("lead")),
                status=task.status,
                deadline_kind=task.deadline_kind,
                due=task.deadline_due,
                done_on=done_on,
            )
        )
    return facts


def rate_text(done: int, total: int) -> str:
    """The completion rate as officials write it: "27/52 = 51,9%"."""
    if total == 0:
        return "0/0"
    return f"{done}/{total} = {format_decimal(round(100 * done / total, 1), format='#,##0.0', locale='vi')}%"
