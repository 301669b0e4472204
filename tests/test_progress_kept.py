"""Today's figures read each task's kept status (``models.status_store_kept``) instead
of its history: on random histories — statuses with and without a completion day,
notes confirmed later, undos, approved extensions — the fast path gives the same facts
as the history, ``overview`` counted in SQL gives the same tally as ``tally`` over
them, a day in the past still counts from the history, and ``refill`` (the migration)
keeps exactly what was kept on write."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from models import progress_queries, status_store
from models.db import make_engine, session_factory, upgrade
from models.people import Organization, Unit
from models.plans import Plan, Section, Task, TaskUnit
from models.progress import quarter_end, tally
from models.progress_queries import day_end, history_before, overview, plan_facts
from models.status_store_kept import refill
from scheduler.workdays import WorkCalendar
from tests.conftest import BACKENDS, POSTGRES_URL, TZ

END = WorkCalendar().deadline_end
D = date
DEADLINES = (  # kind, start, due, every
    ("due", None, D(2026, 3, 31), None),
    ("due", None, D(2026, 2, 15), None),  # a Sunday in Tết: ends on the next working day
    ("period", D(2026, 7, 1), D(2026, 9, 30), None),
    ("period", D(2026, 1, 1), D(2026, 12, 31), None),  # a whole year
    ("continuous", None, None, None),
    ("on_request", None, None, None),
    ("recurring", D(2026, 1, 1), D(2026, 12, 31), "month"),
    ("recurring", D(2026, 10, 1), D(2026, 10, 31), "year"),
    ("unknown", None, None, None),
)
DONE_TEXTS = ("xong", "xong ngày 10/3", "hoàn thành ngày 20/01/2026", "đã xong rồi")
EVIDENCE = ((), ("Quyết định số 12/QĐ-UBND ngày 09/01/2026",))
STATUSES = ("not_started", "in_progress", "done", "not_applicable")
NOW = D(2027, 1, 10)  # after every row: "today"

op = st.tuples(
    st.integers(0, 5),  # task
    st.sampled_from(("status", "status", "status", "note", "undo", "extend")),
    st.sampled_from(STATUSES),
    st.integers(1, 24 * 14),  # hours since the previous row (all before NOW)
    st.sampled_from(DONE_TEXTS),
    st.sampled_from(EVIDENCE),
)
history = st.tuples(
    st.lists(st.sampled_from(range(len(DEADLINES))), min_size=1, max_size=6),
    st.lists(op, max_size=25),
)
counter = itertools.count(1)


async def build(sessions, deadlines: list[int], ops: list[tuple]) -> tuple[int, int]:  # noqa: ANN001
    """A fresh organization with tasks and the history ``ops``; its id and plan id."""
    n = next(counter)
    moment = datetime(2026, 1, 5, 9, tzinfo=TZ)
    async with sessions() as session, session.begin():
        org = Organization(name=f"Xã thử {n}", timezone="Asia/Ho_Chi_Minh", created_at=moment)
        session.add(org)
        await session.flush()
        plan = Plan(organization_id=org.id, title="Kế hoạch", year=2026, imported_at=moment)
        session.add(plan)
        await session.flush()
        section = Section(plan_id=plan.id, numeral="I", title="Mục I", order=0)
        session.add(section)
        await session.flush()
        tasks = []
        for position, index in enumerate(deadlines):
            kind, start, due, every = DEADLINES[index]
            task = Task(plan_id=plan.id, section_id=section.id, number=str(position + 1),
                        position=position, content="Việc", deadline_kind=kind,
                        deadline_start=start, deadline_due=due, deadline_every=every,
                        updated_at=moment)  # fmt: skip
            session.add(task)
            tasks.append(task)
        await session.flush()
        written: dict[int, list] = {t.id: [] for t in tasks}
        for which, kind, status, hours, text, evidence in ops:
            task = tasks[which % len(tasks)]
            moment += timedelta(hours=hours)
            if kind == "undo":
                if written[task.id]:
                    row = written[task.id].pop()
                    await status_store.undo(session, task, row, None, now=moment, channel=None)
            elif kind == "extend":
                if task.deadline_due is not None:
                    until = task.deadline_due + timedelta(days=hours // 24 + 1)
                    await status_store.record(session, task, None, kind="extension_approved",
                                              text="duyệt", until=until, now=moment)  # fmt: skip
                    task.original_due = task.original_due or task.deadline_due
                    task.deadline_due = until
            else:
                words = text if status == "done" else status
                row = await status_store.record(
                    session, task, None, kind="note" if kind == "note" else "status",
                    status=None if kind == "note" else status, text=words,
                    evidence=list(evidence), now=moment,
                )  # fmt: skip
                if kind == "note":  # confirmed a little later: it becomes the status
                    moment += timedelta(minutes=5)
                    await status_store.promote(session, task, row, kind="status",
                                               status=status, now=moment)  # fmt: skip
                written[task.id].append(row)
        return org.id, plan.id


@contextmanager
def no_history_walk() -> Iterator[None]:
    """Today's figures must not walk the history: make it fail if they do."""

    async def walk(*_args: object) -> None:
        raise AssertionError("today's figures walked the history")

    original = progress_queries.standing_statuses
    progress_queries.standing_statuses = walk  # type: ignore[assignment]
    try:
        yield
    finally:
        progress_queries.standing_statuses = original


async def check(url: str, deadlines: list[int], ops: list[tuple], past: int) -> None:
    engine = make_engine(url)
    sessions = session_factory(engine)
    try:
        org_id, plan_id = await build(sessions, deadlines, ops)
        async with sessions() as session:
            org = await session.get(Organization, org_id)
            assert org is not None
            assert await history_before(session, day_end(NOW, org.timezone))  # the fast path
            slow = await plan_facts(session, [plan_id], NOW, org.timezone, history=True)
            with no_history_walk():
                fast = await plan_facts(session, [plan_id], NOW, org.timezone)
            assert fast == slow
            for end in (None, quarter_end(2026, 1), quarter_end(2026, 3)):
                counted = await overview(session, [org], {org_id: NOW}, {org_id: end},
                                         deadline_end=END)  # fmt: skip
                expected = tally([f for _, f in slow], NOW, deadline_end=END, until=end)
                assert counted[org_id].to_json() == expected.overall.to_json()
            # A day in the past counts from the history, whatever is kept today.
            day = D(2026, 1, 5) + timedelta(days=past)
            then = await plan_facts(session, [plan_id], day, org.timezone)
            assert then == await plan_facts(session, [plan_id], day, org.timezone, history=True)
            counted = await overview(session, [org], {org_id: day}, deadline_end=END)
            expected = tally([f for _, f in then], day, deadline_end=END)
            assert counted[org_id].to_json() == expected.overall.to_json()
            columns = (Task.id, Task.status, Task.percent, Task.status_at, Task.status_row,
                       Task.done_on)  # fmt: skip
            kept = (await session.execute(select(*columns).where(Task.plan_id == plan_id))).all()
        async with engine.begin() as conn:  # what the migration fills is what was kept
            await conn.run_sync(refill)
        async with sessions() as session:
            again = (await session.execute(select(*columns).where(Task.plan_id == plan_id))).all()
        assert sorted(again) == sorted(kept)
    finally:
        await engine.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "postgres":
        if not POSTGRES_URL:
            pytest.skip("DONDOC_TEST_POSTGRES_URL is not set (.ci/run sets it)")
        address = POSTGRES_URL
    else:
        path: Path = tmp_path_factory.mktemp("kept") / "kept.sqlite3"
        address = f"sqlite+aiosqlite:///{path}"

    async def migrate() -> None:
        engine = make_engine(address)
        if request.param == "postgres":
            async with engine.begin() as conn:
                await conn.execute(text("DROP SCHEMA public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
        await upgrade(engine)
        await engine.dispose()

    asyncio.run(migrate())
    return address


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=history, past=st.integers(0, 400))
def test_kept_status_counts_like_the_history(url: str, history: tuple, past: int) -> None:
    deadlines, ops = history
    asyncio.run(check(url, deadlines, ops, past))


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_lead_units_come_with_their_task_once_in_order(engine, sessions) -> None:  # noqa: ANN001
    """The facts statement brings each lead unit as a row of its own: two plans whose
    tasks share a section's order and a place still give each task once, with its lead
    units in their order and no cooperating unit."""
    moment = datetime(2026, 1, 5, 9, tzinfo=TZ)
    async with sessions() as session, session.begin():
        org = Organization(name="Xã hai kế hoạch", timezone="Asia/Ho_Chi_Minh", created_at=moment)
        session.add(org)
        await session.flush()
        units = [Unit(organization_id=org.id, name=n, normalized_name=n.lower(), aliases=[]) for n in ("Văn phòng", "Công an", "Phòng Kinh tế")]
        session.add_all(units)
        plans = [Plan(organization_id=org.id, title=f"Kế hoạch {i}", year=2026, imported_at=moment) for i in (1, 2)]
        session.add_all(plans)
        await session.flush()
        ids = []
        for plan, leads in zip(plans, ([2, 0], [1]), strict=True):
            section = Section(plan_id=plan.id, numeral="I", title="Mục I", order=0)
            session.add(section)
            await session.flush()
            task = Task(plan_id=plan.id, section_id=section.id, number="1", position=0, content="Việc", deadline_kind="unknown", updated_at=moment)
            session.add(task)
            await session.flush()
            ids.append(task.id)
            for place, unit in enumerate(leads):
                session.add(TaskUnit(task_id=task.id, unit_id=units[unit].id, role="lead", position=place))
            session.add(TaskUnit(task_id=task.id, unit_id=units[1 - leads[0] % 2].id, role="cooperating", position=9))
    async with sessions() as session:
        facts = await plan_facts(session, [p.id for p in plans], NOW, "Asia/Ho_Chi_Minh")
    by_task = {f.task_id: f.lead_units for _, f in facts}
    assert len(facts) == 2 and by_task == {ids[0]: ("Phòng Kinh tế", "Văn phòng"), ids[1]: ("Công an",)}
