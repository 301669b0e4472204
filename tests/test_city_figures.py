"""The city's figures in aggregate queries (``models.city_figures``) count what
``dondoc progress`` counts — ``tally`` over ``plan_facts`` — for every commune and on
every month end: with undone statuses (the newest one undone too), approved extensions
(one approved after the day counted does not apply yet) and withdrawn tasks; and the
plan stamps change when a plan's tasks change, so a month kept by the city page is
counted again."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bench import bench_progress as city
from models.city_figures import plan_rows, plan_stamps
from models.people import Organization
from models.plans import StatusUpdate, Task
from models.progress import tally
from models.progress_queries import plan_facts
from models.queries import active_plans
from scheduler.workdays import WorkCalendar
from tests.conftest import BACKENDS

ZONE = "Asia/Ho_Chi_Minh"
END = WorkCalendar().deadline_end


@pytest.fixture
async def small_city(engine, sessions, monkeypatch):  # noqa: ANN001, ANN201
    """Six communes, 300 tasks and 4,000 updates of the bench's kind, and a few hard cases."""
    monkeypatch.setattr(city, "ORGS", 6)
    monkeypatch.setattr(city, "TASKS", 300)
    monkeypatch.setattr(city, "UPDATES", 4_000)
    monkeypatch.setattr(city, "ONE_ORG_TASKS", 60)
    await city.build(engine)
    async with sessions() as session, session.begin():
        tasks = list(
            await session.scalars(select(Task).where(Task.deadline_kind == "due").order_by(Task.id))
        )
        late = datetime(2026, 6, 10, 3, tzinfo=UTC)
        ids = iter(range(city.UPDATES + 1, city.UPDATES + 100))  # the bench gave its ids itself
        for task in tasks[:4]:  # extended to the end of the year, approved on 10 June
            task.original_due, task.deadline_due = task.deadline_due, date(2026, 12, 31)
            session.add(
                StatusUpdate(
                    id=next(ids),
                    task_id=task.id,
                    created_at=late,
                    kind="extension_approved",
                    until=date(2026, 12, 31),
                    text="",
                    evidence=[],
                )
            )
        tasks[5].withdrawn = True
        newest = await session.scalar(
            select(StatusUpdate)
            .where(StatusUpdate.task_id == tasks[6].id, StatusUpdate.kind == "status")
            .order_by(StatusUpdate.created_at.desc())
        )  # its newest status undone a minute later
        session.add(
            StatusUpdate(
                id=next(ids),
                task_id=tasks[6].id,
                created_at=newest.created_at + timedelta(minutes=1),
                kind="undo",
                text=f"#{newest.id}",
                evidence=[],
            )
        )
    return sessions


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_the_city_counts_what_progress_counts(small_city) -> None:  # noqa: ANN001
    async with small_city() as session:
        stamps = await plan_stamps(session, list(range(1, 7)))
        for stamp in stamps:
            org = await session.get(Organization, stamp.organization_id)
            assert [p.id for p in await active_plans(session, org)] == [stamp.plan_id]
        plans = {s.plan_id: ZONE for s in stamps}
        for day in (
            date(2026, 1, 31),
            date(2026, 3, 31),
            date(2026, 6, 9),
            date(2026, 6, 10),
            date(2026, 9, 30),
            date(2026, 12, 21),
        ):
            rows = await plan_rows(session, plans, day, deadline_end=END)
            by_org: dict[int, list] = {}
            for org, facts in await plan_facts(session, list(plans), day, ZONE, with_units=False):
                by_org.setdefault(org, []).append(facts)
            for org, facts in by_org.items():
                t = tally(facts, day, deadline_end=END).overall
                assert (rows[org].total, rows[org].done, rows[org].overdue) == (
                    t.total,
                    t.done,
                    t.counts["overdue"],
                ), (org, day)
            assert sum(r.overdue for r in rows.values()) > 0 or day.month == 1


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_a_plan_stamp_changes_with_its_tasks(small_city) -> None:  # noqa: ANN001
    async with small_city() as session:
        before = {s.plan_id: s for s in await plan_stamps(session, [1, 2])}
    async with small_city() as session, session.begin():
        task = await session.scalar(
            select(Task).where(Task.plan_id == 1, Task.withdrawn.is_(False)).limit(1)
        )
        task.withdrawn = True
    async with small_city() as session:
        after = {s.plan_id: s for s in await plan_stamps(session, [1, 2])}
    assert after[1] != before[1] and after[1].tasks == before[1].tasks - 1
    assert after[2] == before[2]
