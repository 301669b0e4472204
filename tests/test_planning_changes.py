"""Planning only what changed (scheduler/plan_due.py, models/outbox_known.py): an hourly
pass where nothing changed writes nothing; re-planning an organization whose reminders
did not change touches no outbox row; a change re-plans its task at once, in the
transaction that records it; other settings at a start plan everything again."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import event, func, select

from models.outbox import CANCELLED, PENDING, OutboxItem
from models.people import Organization
from models.plans import Task
from scheduler.planner import plan_in_steps
from tests.test_reminders import setup


@contextlib.contextmanager
def statements(engine) -> Iterator[Counter[str]]:  # noqa: ANN001
    """Count the SQL statements sent, by their first word (SELECT, INSERT, UPDATE...)."""
    counted: Counter[str] = Counter()

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        counted[statement.split(None, 1)[0].upper()] += 1

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield counted
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)


WRITES = ("INSERT", "UPDATE", "DELETE")


async def test_an_hourly_pass_with_no_change_writes_nothing(engine, sessions, clock) -> None:  # noqa: ANN001
    bot, service, _ = await setup(sessions, clock)
    assert await service.plan() > 0  # at 07:00
    clock.move_to(clock.now() + timedelta(hours=1))
    with statements(engine) as counted:  # 08:00: the reminders of 08:00 in 35 days enter
        assert await service.plan(only_if_due=True) > 0
    assert counted["INSERT"]
    for _ in range(3):  # 09:00, 10:00, 11:00: nothing enters the window, nothing changed
        clock.move_to(clock.now() + timedelta(hours=1))
        with statements(engine) as counted:
            assert await service.plan(only_if_due=True) == 0
        assert not any(counted[w] for w in WRITES), counted
        assert sum(counted.values()) <= 5, counted


async def test_planning_an_unchanged_organization_touches_no_outbox_row(engine, sessions, clock) -> None:  # noqa: ANN001
    bot, service, _ = await setup(sessions, clock)
    await service.plan()
    async with sessions() as session:
        org_id = await session.scalar(select(Organization.id))
        rows = await session.scalar(select(func.count()).select_from(OutboxItem))
    with statements(engine) as counted:
        added = await plan_in_steps(sessions, org_id, clock.now(), service.services.planning, service.services.calendar)
    assert added == 0
    assert counted["INSERT"] == counted["DELETE"] == 0
    assert counted["UPDATE"] == 1, counted  # the organization's watermarks, nothing else
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxItem)) == rows


async def pending_of(sessions, number: str) -> int:  # noqa: ANN001
    async with sessions() as session:
        task_id = await session.scalar(select(Task.id).where(Task.number == number))
        return await session.scalar(
            select(func.count()).where(OutboxItem.task_id == task_id, OutboxItem.state == PENDING)
        )


async def test_a_change_replans_its_task_at_once(sessions, clock) -> None:  # noqa: ANN001
    bot, service, _ = await setup(sessions, clock)
    await service.plan()
    before = await pending_of(sessions, "1")
    assert before > 0
    await bot.say("u0", "/capnhat 1 hoàn thành, QĐ số 12/QĐ-UBND")  # no planning pass after it
    assert await pending_of(sessions, "1") == 0
    async with sessions() as session:
        states = Counter(await session.scalars(select(OutboxItem.state).join(Task).where(Task.number == "1")))
    assert states[CANCELLED] == before
    await bot.say("u0", "/hoantac")  # undone: its reminders are back at once
    assert await pending_of(sessions, "1") == before


async def test_other_settings_plan_every_organization_again(sessions, clock) -> None:  # noqa: ANN001
    bot, service, _ = await setup(sessions, clock)
    await service.plan()
    clock.move_to(clock.now() + timedelta(hours=1))
    services = service.services
    later = replace(services.planning.reminders, before_due=(5, 2, 1))
    service.services = replace(services, planning=replace(services.planning, reminders=later))
    assert await service.plan(only_if_due=True) > 0  # the 5-day reminders appear
