"""The city's figures in a few aggregate queries: for many organizations at once, the
plans each follows now (``models.queries.active_plans``: every plan of its newest year),
and per plan how many tasks are done and overdue on a date and when a status was last
reported — the city page's table and its month-by-month trend.

The standing status of a task is found in SQL as ``models.progress_queries`` finds it
(the newest "status" row before the end of the day, walking the index backwards), with
the rows undone by then skipped in the same walk; the tasks are then counted in groups
of equal facts (plan, deadline, standing status), and each group is classified
once by the one rule, ``models.progress.classify``. A group's due date is the plan's
unless the task was extended (``models.extension_history.dues_on``), so the figures are
those of ``dondoc progress`` without reading 7,000 tasks one by one. When a done task
was completed only matters for on time or late, which this module does not tell apart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, String, case, cast, func, literal, not_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models.extension_history import dues_on
from models.plans import Plan, StatusUpdate, Task
from models.progress import STATUSES, DeadlineEnd, TaskFacts, classify
from models.progress_queries import day_end, history_before
from models.progress_statements import kept_status


@dataclass
class CityRow:
    """The figures of one plan, or of an organization's plans added up, on a date."""

    total: int = 0
    done: int = 0  # done on time or late, ongoing tasks carried on included
    overdue: int = 0
    last_report: datetime | None = None  # the newest status standing on the date

    @property
    def rate(self) -> float:
        return self.done / self.total if self.total else 0.0

    def add(self, other: CityRow) -> None:
        self.total += other.total
        self.done += other.done
        self.overdue += other.overdue
        if other.last_report and (self.last_report is None or other.last_report > self.last_report):
            self.last_report = other.last_report


@dataclass(frozen=True)
class PlanStamp:
    """A plan followed now, and what would change its past figures if it changed: a
    re-import (``imported_at``) or tasks added, removed or withdrawn (their count and
    the sum of their ids). History is append-only, so nothing else does."""

    plan_id: int
    organization_id: int
    imported_at: datetime
    tasks: int
    id_sum: int


async def plan_stamps(session: AsyncSession, org_ids: Sequence[int]) -> list[PlanStamp]:
    """Every plan of each organization's newest year (``active_plans`` for many
    organizations in two queries), in plan order."""
    rows = (
        await session.execute(
            select(Plan.organization_id, Plan.id, Plan.year, Plan.imported_at)
            .where(Plan.organization_id.in_(list(org_ids)))
            .order_by(Plan.id)
        )
    ).all()
    newest: dict[int, int] = {}
    for org_id, _plan, year, _at in rows:
        newest[org_id] = max(year, newest.get(org_id, year))
    chosen = [r for r in rows if r.year == newest[r.organization_id]]
    counts = {
        plan_id: (n, total or 0)
        for plan_id, n, total in await session.execute(
            select(Task.plan_id, func.count(), func.sum(Task.id))
            .where(Task.plan_id.in_([r.id for r in chosen]), Task.withdrawn.is_(False))
            .group_by(Task.plan_id)
        )
    }
    return [
        PlanStamp(r.id, r.organization_id, r.imported_at, *counts.get(r.id, (0, 0))) for r in chosen
    ]


def _walk(cut: datetime, su: type[StatusUpdate], *columns: object) -> Select:  # type: ignore[type-arg]
    """``Task``'s newest status row before ``cut`` not undone by then: the walk of
    ``progress_queries.standing_statuses`` with its second step folded in."""
    undo = aliased(StatusUpdate)
    undone = (
        select(undo.id)
        .where(
            undo.task_id == su.task_id,
            undo.kind == "undo",
            undo.created_at < cut,
            undo.text == literal("#") + cast(su.id, String),
        )
        .exists()
    )
    return (
        select(*columns)  # type: ignore[call-overload]
        .where(
            su.task_id == Task.id,
            su.kind == "status",
            su.status.in_(STATUSES),
            su.created_at < cut,
            not_(undone),
        )
        .order_by(su.created_at.desc(), su.id.desc())
        .limit(1)
        .correlate(Task)
    )


async def plan_rows(
    session: AsyncSession,
    plans: dict[int, str],
    as_of: date,
    *,
    deadline_end: DeadlineEnd,
) -> dict[int, CityRow]:
    """Plan id → its figures on ``as_of``, for ``plans`` (plan id → its organization's
    time zone, where the day ends)."""
    zones: dict[str, list[int]] = defaultdict(list)
    for plan_id, zone in plans.items():
        zones[zone].append(plan_id)
    result = {plan_id: CityRow() for plan_id in plans}
    for zone, plan_ids in zones.items():
        await _count(session, result, plan_ids, as_of, day_end(as_of, zone), deadline_end)
    return result


async def _count(
    session: AsyncSession,
    result: dict[int, CityRow],
    plan_ids: list[int],
    as_of: date,
    cut: datetime,
    deadline_end: DeadlineEnd,
) -> None:
    # An extended task is a group of its own: its due date depends on the day counted.
    own = case((Task.original_due.is_not(None), Task.id), else_=0).label("own")
    walked = aliased(StatusUpdate)
    newest: object = None
    if await history_before(session, cut):
        # Nothing recorded since the cut (today's page): each task's kept standing status
        # is its status on the day, read in one step (``models.status_store``).
        status, created = kept_status(), Task.status_at
    elif session.bind.dialect.name == "postgresql":
        # A lateral join walks once per task; PostgreSQL would hash all the history
        # to join on a subquery's id.
        newest = _walk(cut, walked, walked.status, walked.created_at).lateral("newest")
        status, created, joined = newest.c.status, newest.c.created_at, true()
    else:
        # SQLite has no LATERAL; joined on the walk's row id (not selected as a value,
        # which SQLite would walk twice, once for the group and once for the value).
        newest = aliased(StatusUpdate)
        status, created = newest.status, newest.created_at
        joined = newest.id == _walk(cut, walked, walked.id).scalar_subquery()
    columns = (
        Task.plan_id,
        Task.deadline_kind,
        Task.deadline_every,
        Task.deadline_start,
        Task.deadline_due,
        Task.original_due,
        own,
        status,
    )
    grouped = select(*columns, func.count(), func.max(created)).select_from(Task)
    if newest is not None:
        grouped = grouped.outerjoin(newest, joined)  # type: ignore[arg-type]
    grouped = grouped.where(Task.plan_id.in_(plan_ids), Task.withdrawn.is_(False)).group_by(
        *columns
    )
    rows = (await (await session.connection()).execute(grouped)).all()  # plain rows, no ORM
    moved = await dues_on(session, {r.own: r.original_due for r in rows if r.own}, cut)
    ends: dict[date, date] = {}  # a few due dates, thousands of groups
    kinds: dict[tuple[object, ...], str] = {}  # and a few dozen kinds of task between them

    def end_of(due: date) -> date:
        if due not in ends:
            ends[due] = deadline_end(due)
        return ends[due]

    for plan_id, kind, every, start, due, _planned, task_id, standing, count, latest in rows:
        facts_key = (standing, kind, moved.get(task_id, due), start, every)
        category = kinds.get(facts_key)
        if category is None:
            facts = TaskFacts(
                task_id,
                "",
                "",
                (),
                standing or "not_started",
                kind,
                facts_key[2],
                None,
                start,
                every,
            )
            category = kinds[facts_key] = classify(facts, as_of, deadline_end=end_of)
        figures = result[plan_id]
        figures.total += count
        if category in ("done_on_time", "done_late"):
            figures.done += count
        elif category == "overdue":
            figures.overdue += count
        if latest is not None and (figures.last_report is None or latest > figures.last_report):
            figures.last_report = latest
