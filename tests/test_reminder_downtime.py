"""Reminders after downtime and after changes, on the controlled clock: missed ones
wait for a working day outside the quiet hours, join the person's next reminder, name
each task once; a registration or an import re-plans within one tick; a reminder quoting
an old deadline is cancelled even when already claimed."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import func, select, update

from bot.reminders import ReminderService
from models.outbox import PENDING, OutboxItem, ReplanRequest, cancel_pending, claim_due
from models.plans import Task
from scheduler.dispatch_rules import Batch
from scheduler.workdays import WorkCalendar
from tests.test_reminder_faults import TASK, at
from tests.test_reminders import TZ, Inbox, run_until, setup

# -- 4. quiet hours and days off after downtime -------------------------------------------


def _tasks_per_morning(inbox: Inbox, since: datetime) -> Counter:
    return Counter((c, m.astimezone(TZ).date(), n) for c, m, o in inbox.got if m >= since for n in TASK.findall(o.text))


async def test_down_until_sunday_morning_sends_on_monday(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    await run_until(service, clock, at(2026, 1, 8, 7, 0))  # Thursday
    before = len(inbox.got)
    for moment in (at(2026, 1, 11, 7, 50), at(2026, 1, 11, 12, 0)):  # up again on Sunday
        clock.move_to(moment)
        await ReminderService(bot.conversation.services, {"console": inbox}).tick()
    assert len(inbox.got) == before
    await run_until(service, clock, at(2026, 1, 12, 12, 0))
    calendar = WorkCalendar()
    after = inbox.got[before:]
    assert after
    for _, moment, _ in after:
        local = moment.astimezone(TZ)
        assert calendar.is_working_day(local.date()) and local.hour >= 7, local
    assert max(_tasks_per_morning(inbox, at(2026, 1, 9)).values()) == 1
    per_day = Counter((c, m.astimezone(TZ).date()) for c, m, _ in after)
    assert max(per_day.values()) <= 2  # the missed ones and the digest: one message, and maybe today's


async def test_down_until_saturday_night_waits_for_monday(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    await run_until(service, clock, at(2026, 1, 9, 7, 0))  # Friday
    before = len(inbox.got)
    clock.move_to(at(2026, 1, 10, 23, 30))
    restarted = ReminderService(bot.conversation.services, {"console": inbox})
    await restarted.tick()
    assert len(inbox.got) == before
    async with sessions() as session:
        waiting = await session.scalar(select(func.min(OutboxItem.send_at)).where(OutboxItem.state == PENDING))
    # Monday at the configured send time (08:00), not the quiet hours' end (07:30): missed
    # reminders obey the policy like the others, and go with Monday's own, one message.
    assert waiting.astimezone(TZ) == at(2026, 1, 12, 8, 0)
    clock.move_to(at(2026, 1, 12, 7, 45))
    await restarted.tick()
    assert len(inbox.got) == before
    clock.move_to(at(2026, 1, 12, 8, 0))
    await restarted.tick()
    monday = [c for c, m, _ in inbox.got[before:]]
    assert monday and len(monday) == len(set(monday))  # one message each


async def test_down_until_monday_0750_reminds_each_task_once(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    await run_until(service, clock, at(2026, 1, 9, 7, 0))  # Friday, before its 08:00
    monday = at(2026, 1, 12, 7, 0)
    restarted = ReminderService(bot.conversation.services, {"console": inbox})
    for moment in (at(2026, 1, 12, 7, 50), at(2026, 1, 12, 8, 0), at(2026, 1, 12, 8, 1)):
        clock.move_to(moment)
        await restarted.tick()
    got = [(c, m, o) for c, m, o in inbox.got if m >= monday]
    assert got
    assert max(_tasks_per_morning(inbox, monday).values()) == 1
    per_person = Counter(c for c, _, _ in got)
    assert max(per_person.values()) == 1  # missed and today's: one message each


# -- 5. changes re-plan at once -----------------------------------------------------------


async def test_registration_at_0759_gets_the_0800_reminder(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock, people=False)
    await bot.register("admin", "admin")
    clock.move_to(at(2026, 1, 5, 7, 0))
    await service.tick()  # the hourly plan: nobody to remind in the unit yet
    clock.move_to(at(2026, 1, 5, 7, 59))
    await bot.register("u0", "officer", "Phòng Văn hóa - Xã hội")
    clock.move_to(at(2026, 1, 5, 8, 0))
    await service.tick()  # not an hourly plan: the registration asked for it
    assert any("Nhiệm vụ 1" in o.text for o in inbox.to("u0"))


async def test_a_reminder_quoting_an_old_deadline_is_cancelled_even_when_claimed(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    await run_until(service, clock, at(2026, 1, 5, 7, 0))
    clock.move_to(at(2026, 1, 5, 8, 0))
    async with sessions() as session, session.begin():
        claimed = await claim_due(session, clock.now(), 1000, service.dispatcher.owner)
        task = await session.scalar(select(Task).where(Task.number == "1"))
        await cancel_pending(session, task.id)  # the deadline moved (an extension, an import)
    old = [r for r in claimed if r.task_id == task.id]
    assert old
    async with sessions() as session, session.begin():
        await session.execute(update(OutboxItem).where(OutboxItem.id.in_([r.id for r in claimed if r.task_id != task.id])).values(state=PENDING))
    assert await service.deliver(Batch(old[0].recipient_id, (old[0].id,), False)) is None
    assert not inbox.got


async def test_an_import_asks_for_a_replan_that_the_next_tick_honours(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    clock.move_to(at(2026, 1, 5, 7, 0))
    await service.tick()
    clock.move_to(at(2026, 1, 5, 7, 59))
    async with sessions() as session, session.begin():
        await session.execute(ReplanRequest.__table__.delete())
    await bot.import_sample()  # the same plan again (a re-import)
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ReplanRequest)) == 1
    clock.move_to(at(2026, 1, 5, 8, 0))
    await service.tick()
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ReplanRequest)) == 0
    assert inbox.got
