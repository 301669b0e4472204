"""Reminders under faults, on the controlled clock: a database error after a send, a
claim left by a dead process, an outage of the channel, timeouts, refused messages,
planning beside officers who write, and one process per SQLite file. Downtime and
re-planning are in ``test_reminder_downtime``, signals in ``test_reminder_signals``."""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from bot.reminders import ReminderService
from models.conversation import SentMessage
from models.db import DatabaseInUse, SingleRunner
from models.outbox import (
    FAILED,
    PENDING,
    SENDING,
    DispatcherProcess,
    OutboxItem,
    claim_due,
)
from scheduler.dispatcher import Delivered, MaybeSent, PermanentFailure, TemporaryFailure
from tests.test_reminders import TZ, run_until, setup

TASK = re.compile(r"(?:Nhiệm vụ |• )(\d+)[.:]")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


async def rows(sessions, **where) -> list[OutboxItem]:  # noqa: ANN001, ANN003
    async with sessions() as session:
        query = select(OutboxItem)
        for name, value in where.items():
            query = query.where(getattr(OutboxItem, name) == value)
        return list(await session.scalars(query))


# -- 1. sent means recorded ---------------------------------------------------------------


async def test_a_database_error_after_the_send_is_not_a_failed_send(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    await run_until(service, clock, at(2026, 1, 5, 7, 0))
    clock.move_to(at(2026, 1, 5, 8, 0))
    real = service.deliver
    broken = {"left": 4}  # the first record fails 3 times (one pass), then once more

    async def deliver(batch):  # noqa: ANN001, ANN202
        delivered = await real(batch)
        if delivered is None or broken["left"] <= 0:
            return delivered

        async def record(session) -> None:  # noqa: ANN001
            if broken["left"] > 0:
                broken["left"] -= 1
                raise OperationalError("UPDATE outbox", {}, Exception("database is locked"))
            await delivered.record(session)

        return Delivered(delivered.channel, delivered.message_id, record)

    service.dispatcher.deliver = deliver
    first = await service.dispatcher.tick()
    sent_once = len(inbox.got)
    assert sent_once >= 2 and first.failed == 0 and first.retried == 0
    await service.dispatcher.tick()  # the record left over is written now; nothing resent
    assert len(inbox.got) == sent_once
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxItem).where(OutboxItem.state == SENDING)) == 0
        about_tasks = set(await session.scalars(select(OutboxItem.message_id).where(OutboxItem.state == "sent", OutboxItem.kind.in_(("before_due", "due_day", "overdue", "report")))))
        mapped = set(await session.scalars(select(SentMessage.message_id)))
    assert about_tasks and about_tasks <= mapped  # each reminder's reply mapping came with its "sent"


async def test_sent_mapping_and_focus_are_written_with_the_sent_mark(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    await run_until(service, clock, at(2026, 1, 5, 7, 0))
    clock.move_to(at(2026, 1, 5, 8, 0))
    seen: list[tuple[int, int]] = []
    real = service.deliver

    async def deliver(batch):  # noqa: ANN001, ANN202
        delivered = await real(batch)

        async def record(session) -> None:  # noqa: ANN001
            await delivered.record(session)
            # inside the same transaction: the rows are marked sent already
            sent = await session.scalar(select(func.count()).select_from(OutboxItem).where(OutboxItem.id.in_(batch.item_ids), OutboxItem.state == "sent"))
            seen.append((sent, len(batch.sent_ids)))

        return Delivered(delivered.channel, delivered.message_id, record)

    service.dispatcher.deliver = deliver
    await service.dispatcher.tick()
    assert seen and all(a == b for a, b in seen)


# -- 2. at most one repeat per crash ------------------------------------------------------


async def test_claims_are_a_few_seconds_of_sending(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    clock.move_to(at(2026, 3, 20, 8, 0))
    await service.plan()
    due = len([r for r in await rows(sessions, state=PENDING) if r.send_at <= clock.now()])
    async with sessions() as session, session.begin():
        taken = await claim_due(session, clock.now(), 3, "me")
    people = {r.recipient_id for r in taken}
    assert due > len(taken) >= 3
    # the person's other due rows came along (one message), nobody else's
    assert all(r.recipient_id in people for r in taken)
    assert ReminderService(bot.conversation.services, {}, rate=30, claim_seconds=5).dispatcher.claim_size == 150


async def test_claims_of_a_dead_process_are_requeued_at_start(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    await run_until(service, clock, at(2026, 1, 5, 7, 0))
    clock.move_to(at(2026, 1, 5, 8, 0))
    async with sessions() as session, session.begin():  # a process claims, then dies (kill -9)
        session.add(DispatcherProcess(owner="dead", started_at=clock.now(), heartbeat_at=clock.now()))
        claimed = await claim_due(session, clock.now(), 1000, "dead")
    assert claimed
    # another live process on PostgreSQL leaves a fresh claim alone
    shared = ReminderService(bot.conversation.services, {"console": inbox})
    await shared.dispatcher.tick()
    assert not inbox.got and len(await rows(sessions, state=SENDING)) == len(claimed)
    # the one process of a SQLite file (its lock held) re-queues them at once...
    clock.move_to(at(2026, 1, 5, 8, 0, 20))
    restarted = ReminderService(bot.conversation.services, {"console": inbox}, exclusive=True)
    await restarted.dispatcher.tick()
    assert not await rows(sessions, state=SENDING)
    assert Counter(c for c, _, _ in inbox.got) and max(Counter(c for c, _, _ in inbox.got).values()) == 1


async def test_a_stale_heartbeat_releases_claims_on_a_shared_database(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    await run_until(service, clock, at(2026, 1, 5, 7, 0))
    clock.move_to(at(2026, 1, 5, 8, 0))
    async with sessions() as session, session.begin():
        session.add(DispatcherProcess(owner="dead", started_at=clock.now(), heartbeat_at=clock.now()))
        assert await claim_due(session, clock.now(), 1000, "dead")
    clock.move_to(at(2026, 1, 5, 8, 3))  # no heartbeat for 3 minutes
    other = ReminderService(bot.conversation.services, {"console": inbox})
    await other.dispatcher.tick()
    assert inbox.got and not await rows(sessions, state=SENDING)


# -- 3. an outage loses nothing -----------------------------------------------------------


async def test_a_ten_minute_outage_loses_nothing_and_backs_off(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    await run_until(service, clock, at(2026, 1, 5, 7, 0))
    start = at(2026, 1, 5, 8, 0)
    clock.move_to(start)
    due = len([r for r in await rows(sessions, state=PENDING) if r.send_at <= start])
    tries: list[datetime] = []
    real = inbox.__call__

    async def flaky(chat_id: str, outgoing):  # noqa: ANN001, ANN202
        tries.append(clock.now())
        if clock.now() < start + timedelta(minutes=10):
            raise TemporaryFailure("500 Internal Server Error")
        return await real(chat_id, outgoing)

    service.senders["console"] = flaky
    while clock.now() < start + timedelta(minutes=30):
        await service.dispatcher.tick()
        clock.move_to(clock.now() + timedelta(seconds=20))
    assert not await rows(sessions, state=FAILED)
    assert not [r for r in await rows(sessions, state=PENDING) if r.send_at <= start]
    sent = await rows(sessions, state="sent")
    assert len([r for r in sent if r.send_at <= start + timedelta(minutes=30)]) >= due
    during = [t for t in tries if t < start + timedelta(minutes=10)]
    assert len(during) < 30  # probes with growing pauses, not the whole storm each tick
    gaps = [(b - a).total_seconds() for a, b in zip(during, during[1:], strict=False) if b > a]
    assert max(gaps) <= 300
    assert max(m for _, m, _ in inbox.got) <= start + timedelta(minutes=16)


async def test_a_reminder_unsendable_until_no_longer_useful_is_lost_and_told(sessions, clock) -> None:  # noqa: ANN001
    # Issue 23: a reminder the channel could not take all its useful day is lost, never
    # silently: the admins are told whom and which task; the person hears of the task
    # the next morning from its overdue reminder (a digest "while dondoc was stopped" is
    # only for what was never tried).
    bot, service, inbox = await setup(sessions, clock)
    await run_until(service, clock, at(2026, 1, 14, 7, 0))
    clock.move_to(at(2026, 1, 14, 8, 0))  # due day of task 1: useful until the day ends
    service.senders["console"] = _always(TemporaryFailure("network down"))
    for hour in range(8, 18):
        clock.move_to(at(2026, 1, 14, hour, 0))
        await service.dispatcher.tick()
    assert not await rows(sessions, state=FAILED)
    service.senders["console"] = inbox
    clock.move_to(at(2026, 1, 15, 8, 0))
    await service.tick()
    await service.tick()
    u0 = [o for c, m, o in inbox.got if c == "u0" and m >= clock.now()]
    assert len(u0) == 1 and u0[0].text.startswith("Nhiệm vụ đã quá hạn"), [o.text for o in u0]
    assert "Nhiệm vụ 1: Ban hành Kế hoạch" in u0[0].text
    clock.move_to(at(2026, 1, 15, 8, 5))  # the admins' notice goes a minute after the pass
    await service.tick()
    told = [o.text for o in inbox.to("admin") if "trước khi hết thời hạn" in o.text]
    assert len(told) == 1 and "U0" in told[0] and "nhiệm vụ 1" in told[0], told


def _always(error: Exception):  # noqa: ANN202
    async def send(chat_id: str, outgoing) -> str:  # noqa: ANN001
        raise error

    return send


async def test_refused_messages_fail_and_the_admin_gets_one_message(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    clock.move_to(at(2026, 3, 20, 8, 0))  # many people due at once
    await service.plan()

    async def refuse(chat_id: str, outgoing):  # noqa: ANN001, ANN202
        if chat_id.startswith("u"):
            raise PermanentFailure("Bad Request: message text is empty")
        return await inbox(chat_id, outgoing)

    service.senders["console"] = refuse
    result = await service.dispatcher.tick()
    assert result.failed >= 2
    clock.move_to(at(2026, 3, 20, 8, 5))
    await service.dispatcher.tick()
    notices = [o.text for o in inbox.to("admin") if "Không gửi được" in o.text]
    assert len(notices) == 1 and notices[0].count("Không gửi được") == result.failed


async def test_a_hang_is_an_outage_never_a_delivery(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    await run_until(service, clock, at(2026, 1, 5, 7, 0))
    clock.move_to(at(2026, 1, 5, 8, 0))
    calls = Counter()
    hang_until = at(2026, 1, 5, 8, 20)

    async def hanging(chat_id: str, outgoing):  # noqa: ANN001, ANN202
        calls[chat_id] += 1
        if clock.now() < hang_until:
            raise MaybeSent("Timed out")  # the request left; no answer came
        return await inbox(chat_id, outgoing)

    service.senders["console"] = hanging
    first = await service.dispatcher.tick()
    assert first.maybe_repeated >= 1 and first.messages == 0  # the first timeout halts the pass
    while clock.now() < at(2026, 1, 5, 8, 40):
        clock.move_to(clock.now() + timedelta(seconds=20))
        await service.dispatcher.tick()
        if clock.now() < hang_until:  # nothing is taken as delivered while it hangs
            assert not await rows(sessions, state="sent")
    assert not await rows(sessions, channel="unconfirmed")
    assert not [r for r in await rows(sessions, state=PENDING) if r.send_at <= clock.now()]
    u0 = inbox.to("u0")
    assert len(u0) == 1 and u0[0].text.startswith("(Gửi lại: có thể anh/chị đã nhận tin này")
    assert max(calls.values()) <= 9  # growing pauses (30 s … 5 min), not every tick for 20 min


# -- 6. planning never blocks people ------------------------------------------------------


async def test_planning_in_short_steps_beside_an_officer_and_once_at_start(sessions, clock, monkeypatch) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    clock.move_to(at(2026, 1, 5, 9, 0))
    from dataclasses import replace

    import bot.reminders as reminders_module

    services = bot.conversation.services
    services.planning = replace(services.planning, batch=3)  # many short transactions
    plans = []
    real = reminders_module.plan_in_steps

    async def counted(*args, **kwargs) -> int:  # noqa: ANN002, ANN003
        plans.append(args[1])
        return await real(*args, **kwargs)

    monkeypatch.setattr(reminders_module, "plan_in_steps", counted)
    answers = asyncio.gather(*(bot.say("u0", f"/capnhat 1 đang thực hiện {p}%") for p in (10, 20, 30)))
    await asyncio.gather(service.tick(), service.tick(), answers)  # the first run and the job
    assert all("Đã ghi nhận nhiệm vụ 1" in r[0].text for r in answers.result())
    assert len(plans) == 1  # one organization, planned once


async def test_sqlite_runs_in_wal_with_a_busy_timeout(engine) -> None:  # noqa: ANN001
    if engine.dialect.name != "sqlite":
        return
    async with engine.connect() as conn:
        assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() >= 15000


async def test_a_second_runner_on_one_sqlite_file_is_refused(tmp_path) -> None:  # noqa: ANN001
    url = f"sqlite+aiosqlite:///{tmp_path / 'one.sqlite3'}"
    first = SingleRunner(url)
    first.acquire()
    try:
        second = SingleRunner(url)
        try:
            second.acquire()
        except DatabaseInUse as refused:
            assert "PostgreSQL" in str(refused) and "một dondoc khác" in str(refused)
        else:
            raise AssertionError("a second runner was let in")
    finally:
        first.release()
    again = SingleRunner(url)
    again.acquire()  # free once the first has gone
    again.release()
    SingleRunner("postgresql+asyncpg://x/y").acquire()  # several processes: no lock file
