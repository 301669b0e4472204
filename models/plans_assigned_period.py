"""Which tasks the city gave count in the report of a period: Biểu mẫu 1 rows 4.1–4.1.3
("Thực hiện nhiệm vụ UBND thành phố, Chủ tịch UBND thành phố giao": total, done on time,
done late, overdue not done) and /tiendo's line for them.

The form's header says its figures are those "of the reporting period (quarter, six
months, year)", and only row 2 says "cumulative to the report date": row 4 is the
period's. The period is the report's own: a quarter, the first six months, or the
year, by the calendar as dondoc's other figures are. A task counts when it is the
commune's business in that period:

- it was given in the period (on or before the report date), whatever its deadline;
- or it is due in the period (given earlier);
- or it was overdue and still not done when the period began (the form's "quá hạn
  nhưng chưa hoàn thành" does not forget last quarter's debt; done in this period, it
  counts as done late);
- or it has no single deadline (continuous, on request) and was given before.

A task given after the report date does not count, nor one closed before the period
that was due before it. It is counted as of the report date, in the categories of
``models.progress`` (on time, late, overdue …).

When a task was given: the day dondoc recorded it (its "assigned" history row), else
the day its list was imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.people import Organization
from models.plans import Plan, StatusUpdate, Task
from models.progress import DeadlineEnd, Progress, TaskFacts, has_deadline, is_ongoing, tally
from models.progress_queries import plan_facts
from models.queries import ASSIGNED, is_city_assigned

GIVEN_KIND = "assigned"  # the history row written when a task is given (models.assigned)


def period_start(kind: str, year: int, quarter: int | None = None) -> date:
    """The first day of a report period: "quy" (its quarter), "6thang" or "nam"."""
    if kind == "quy":
        return date(year, 3 * ((quarter or 1) - 1) + 1, 1)
    return date(year, 1, 1)


def counts_in_period(facts: TaskFacts, given: date, start: date, end: date) -> bool:
    """Does a task the city gave on ``given`` count in the period ``start``–``end``?
    (Tasks given after the report date are the caller's to leave out.)"""
    if given > end:
        return False  # not given yet
    if given >= start:
        return True  # given in the period
    if is_ongoing(facts) or not has_deadline(facts) or facts.due is None:
        return True  # standing work given before: still the commune's this period
    if start <= facts.due <= end:
        return True  # due in the period
    # Due before the period: only while it was still not done when the period began.
    return facts.due < start and (facts.done_on is None or facts.done_on >= start)


async def given_dates(
    session: AsyncSession, plans: Sequence[Plan], timezone: str
) -> dict[int, date]:
    """Task id → the local day it was given, for every task of ``plans``."""
    zone = ZoneInfo(timezone)
    imported = {p.id: p.imported_at.astimezone(zone).date() for p in plans}
    found = {
        task_id: imported[plan_id]
        for task_id, plan_id in await session.execute(
            select(Task.id, Task.plan_id).where(Task.plan_id.in_(list(imported)))
        )
    }
    recorded = await session.execute(
        select(StatusUpdate.task_id, func.min(StatusUpdate.created_at))
        .where(StatusUpdate.task_id.in_(list(found)), StatusUpdate.kind == GIVEN_KIND)
        .group_by(StatusUpdate.task_id)
    )
    for task_id, when in recorded:
        if when is not None:
            found[task_id] = when.astimezone(zone).date()
    return found


async def assigned_lists(
    session: AsyncSession, org: Organization, first_year: int, last_year: int
) -> list[Plan]:
    """The organization's lists of tasks the city gave (``/giao``'s, or an imported
    one titled so) of the years ``first_year``–``last_year``."""
    plans = await session.scalars(
        select(Plan)
        .where(Plan.organization_id == org.id, Plan.year.between(first_year, last_year))
        .order_by(Plan.year, Plan.id)
    )
    return assigned_among(list(plans), first_year, last_year)


def assigned_among(plans: Sequence[Plan], first_year: int, last_year: int) -> list[Plan]:
    """The lists of tasks the city gave among ``plans``, of ``first_year``–``last_year``."""
    return sorted(
        (
            p
            for p in plans
            if first_year <= p.year <= last_year and (p.kind == ASSIGNED or is_city_assigned(p.title))
        ),
        key=lambda p: (p.year, p.id),
    )


async def period_progress(
    session: AsyncSession,
    org: Organization,
    start: date,
    end: date,
    as_of: date,
    *,
    deadline_end: DeadlineEnd,
    unit_ids: Sequence[int] | None = None,
    plans: Sequence[Plan] | None = None,
) -> Progress | None:
    """The tasks the city gave that count in the period ``start``–``end`` (see the
    module), counted on ``as_of``; of ``plans`` when given, else of the lists of the
    period's year and the year before (an overdue task carried in). None when the
    organization has no such list."""
    lists = (
        list(plans)
        if plans is not None
        else await assigned_lists(session, org, start.year - 1, end.year)
    )
    if not lists:
        return None
    given = await given_dates(session, lists, org.timezone)
    rows = await plan_facts(session, [p.id for p in lists], as_of, org.timezone, unit_ids=unit_ids)
    facts = [
        f
        for _org, f in rows
        if given.get(f.task_id, start) <= as_of
        and counts_in_period(f, given.get(f.task_id, start), start, end)
    ]
    return tally(facts, as_of, deadline_end=deadline_end)
