"""The dispatcher runs at the next send time and when work is queued, not on a fixed poll
(issue 24, point 3), on the controlled clock: the loop's waits move the frozen clock, so
the tests count runs and read moments, never wall time."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import update

from bot import reminders as running
from models.outbox import PENDING, OutboxItem
from models.outbox_signal import listen
from models.people import Organization
from tests.test_reminders import TZ, run_until, setup


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


def moved_waits(service, clock, end: datetime) -> list[tuple[datetime, float]]:  # noqa: ANN001
    """Replace the loop's sleep: move the clock by what it asked for; stop at ``end``."""
    waits: list[tuple[datetime, float]] = []

    async def wait(seconds: float) -> None:
        waits.append((clock.now(), seconds))
        clock.move_to(clock.now() + timedelta(seconds=seconds))
        if clock.now() >= end:
            service.loop.stop()
        await asyncio.sleep(0)

    service.loop.wait = wait
    return waits


async def test_the_first_0800_reminder_leaves_at_0800_not_at_the_next_poll(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    await run_until(service, clock, at(2026, 1, 5, 7, 0))  # Monday, before its 08:00
    clock.move_to(at(2026, 1, 5, 7, 59, 47))  # a 20 s poll from here would run at 08:00:07
    waits = moved_waits(service, clock, at(2026, 1, 5, 8, 0, 30))
    service.start()
    await service.loop.task
    first = min(m for _, m, _ in inbox.got if m >= at(2026, 1, 5, 7, 59))
    assert first == at(2026, 1, 5, 8, 0)  # at 08:00 exactly: within 1 s
    assert waits[0] == (at(2026, 1, 5, 7, 59, 47), 13.0)  # slept until the send time
    assert service.loop.runs <= 4  # 07:59:47, 08:00, then the cap: no run every few seconds
    await service.close()


async def test_queued_work_wakes_the_dispatcher_and_a_read_does_not(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock, people=False)
    await bot.register("admin", "admin")
    woken: list[int] = []
    listen(sessions, lambda: woken.append(1))
    await bot.say("admin", "/viec")  # a read queues nothing
    assert not woken
    await bot.register("u0", "officer", "Phòng Văn hóa - Xã hội")  # a re-plan request
    assert woken


async def test_a_registration_at_0759_30_is_sent_at_0800(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock, people=False)
    await bot.register("admin", "admin")
    clock.move_to(at(2026, 1, 5, 7, 59, 30))
    await service.plan()
    service.start()  # waits (real seconds: the cap) for work
    while service.loop.runs < 1:
        await asyncio.sleep(0.01)
    runs = service.loop.runs
    await bot.register("u0", "officer", "Phòng Văn hóa - Xã hội")
    for _ in range(200):  # woken at once, not after the 20 s cap
        if service.loop.runs > runs and not service.dispatcher.busy:
            break
        await asyncio.sleep(0.01)
    assert service.loop.runs > runs
    assert await service.next_run_at() == at(2026, 1, 5, 8, 0)  # the new officer's reminder
    clock.move_to(at(2026, 1, 5, 8, 0))
    service.wake()
    for _ in range(200):
        if inbox.to("u0"):
            break
        await asyncio.sleep(0.01)
    await service.close()
    assert any("Nhiệm vụ 1" in o.text for o in inbox.to("u0"))


async def test_planning_gives_way_to_the_sending(sessions, clock, monkeypatch) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    clock.move_to(at(2026, 3, 20, 8, 0))  # reminders due at start
    await service.plan()
    async with sessions() as session, session.begin():  # settings changed: plan them all
        await session.execute(update(Organization).values(plan_due_at=None))
    services = bot.conversation.services
    services.planning = replace(services.planning, batch=2)  # many short steps
    fresh = type(service)(services, {"console": inbox})  # a start: its planning pass is due
    steps: list[tuple[bool, bool]] = []  # (sending before the pause, sending after it)
    planned = running.plan_in_steps

    async def watched(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        async def noted() -> None:
            before = fresh.dispatcher.busy
            await kwargs_pause()
            steps.append((before, fresh.dispatcher.busy))
            if len(steps) == 2:  # half-way: new work comes in, the dispatcher wakes
                async with sessions() as session, session.begin():
                    await session.execute(
                        update(OutboxItem).where(OutboxItem.state == PENDING).values(send_at=clock.now())
                    )
                fresh.wake()
                await asyncio.sleep(0.05)  # it starts sending while this step is done

        kwargs_pause = args[5]
        return await planned(*args[:5], noted)

    async def slow(chat_id: str, outgoing):  # noqa: ANN001, ANN202
        await asyncio.sleep(0.02)  # the pacing
        return await inbox(chat_id, outgoing)

    monkeypatch.setattr(running, "plan_in_steps", watched)
    fresh.senders["console"] = slow
    fresh.start()
    for _ in range(1000):
        if len(steps) > 2 and fresh._planning is not None and fresh._planning.done():
            break
        await asyncio.sleep(0.01)
    await fresh.close()
    assert len(steps) > 2 and inbox.got
    assert any(before for before, _ in steps[2:])  # a step came while the storm went...
    assert not any(after for _, after in steps)  # ...and waited: none ran beside it
