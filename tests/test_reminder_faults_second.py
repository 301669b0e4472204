"""Delivery under faults, second round, on the controlled clock: a plain answer after a
reminder that may have arrived unrecorded is asked about (never read against the older
focus); a maybe-sent reminder goes again once, marked, unless the person answered; a
stop starts no new send and records the unanswered ones as maybe sent; no send starts
in the quiet hours inside a storm; the getMe probe resumes sending after an outage; one
process per SQLite file by its identity; Telegram's budgets shared in PostgreSQL. The
real processes (kill -9, SIGTERM, symlinks, two processes) are in ``bench/bench_faults.py``
and ``test_reminder_signals``."""

from __future__ import annotations

import asyncio
import os
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from models.db import DatabaseInUse, SingleRunner
from models.outbox import (
    MAYBE_SENT,
    PENDING,
    SENDING,
    SENT,
    DispatcherProcess,
    OutboxItem,
    claim_due,
)
from models.outbox_faults import mark_on_wire
from models.plans import StatusUpdate, Task
from models.send_budget import prune, take_place
from scheduler.dispatcher import MaybeSent, TemporaryFailure
from scheduler.send_gate import may_send
from tests.conftest import BACKENDS
from tests.test_reminders import TZ, run_until, setup

ANSWER = "Hoàn thành, QĐ số 12/QĐ-UBND ngày 09/01/2026"


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


async def task_id(sessions, number: str) -> int:  # noqa: ANN001
    async with sessions() as session:
        return await session.scalar(select(Task.id).where(Task.number == number))


async def statuses(sessions) -> int:  # noqa: ANN001
    async with sessions() as session:
        return await session.scalar(select(func.count()).select_from(StatusUpdate).where(StatusUpdate.kind == "status"))


async def crash_while_sending(sessions, clock) -> list[OutboxItem]:  # noqa: ANN001
    """A process claims the 08:00 reminders, puts them on the wire and dies (kill -9)."""
    async with sessions() as session, session.begin():
        session.add(DispatcherProcess(owner="dead", started_at=clock.now(), heartbeat_at=clock.now()))
        claimed = await claim_due(session, clock.now(), 1000, "dead")
        await mark_on_wire(session, [r.id for r in claimed], clock.now())
    return claimed


async def morning(sessions, clock):  # noqa: ANN001, ANN201
    bot, service, inbox = await setup(sessions, clock)
    await run_until(service, clock, at(2026, 1, 5, 7, 0))
    clock.move_to(at(2026, 1, 5, 7, 50))
    await bot.say("u0", "/viec 2")  # task 2 in focus
    clock.move_to(at(2026, 1, 5, 8, 0))
    return bot, service, inbox


# -- 1. which task a plain answer is about, after any stop ---------------------------------


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_a_plain_answer_while_down_after_a_crash_is_asked_about(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await morning(sessions, clock)
    await crash_while_sending(sessions, clock)  # the task-1 reminder reached u0, unrecorded
    clock.move_to(at(2026, 1, 5, 8, 1))
    before = await statuses(sessions)
    replies = await bot.say("u0", ANSWER)  # typed while dondoc is down, read at restart
    assert "trả lời nhiệm vụ 1 hay nhiệm vụ 2" in replies[0].text, replies[0].text
    assert await statuses(sessions) == before  # nothing recorded on task 2 (nor 1)
    # restart: the reminder is not sent again, the person answered in between
    clock.move_to(at(2026, 1, 5, 8, 2))
    restarted = type(service)(bot.conversation.services, {"console": inbox}, exclusive=True)
    result = await restarted.dispatcher.tick()
    assert result.maybe_answered == 1 and not inbox.to("u0")
    async with sessions() as session:
        maybe = list(await session.scalars(select(OutboxItem).where(OutboxItem.state == MAYBE_SENT)))
    assert [r.task_id for r in maybe] == [await task_id(sessions, "1")]  # never counted as delivered
    # the one tap records it on the task chosen
    replies = await bot.say("u0", "1")
    assert "Đã ghi nhận nhiệm vụ 1" in replies[0].text, replies[0].text


async def test_a_maybe_sent_reminder_goes_once_marked_and_then_answers_map(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await morning(sessions, clock)
    await crash_while_sending(sessions, clock)
    clock.move_to(at(2026, 1, 5, 8, 2))
    restarted = type(service)(bot.conversation.services, {"console": inbox}, exclusive=True)
    await restarted.dispatcher.tick()
    u0 = inbox.to("u0")
    assert len(u0) == 1 and u0[0].text.startswith("(Gửi lại: có thể anh/chị đã nhận tin này")
    assert "Nhiệm vụ 1" in u0[0].text
    for minute in range(3, 10):  # sent once: never a third copy
        clock.move_to(at(2026, 1, 5, 8, minute))
        await restarted.dispatcher.tick()
    assert len(inbox.to("u0")) == 1
    # written after the marked copy arrived: the focus is that reminder's task
    clock.move_to(at(2026, 1, 5, 8, 15))
    replies = await bot.say("u0", ANSWER)
    assert "Đã ghi nhận nhiệm vụ 1" in replies[0].text, replies[0].text


async def test_an_answer_written_before_the_repeat_arrived_is_asked_about(sessions, clock) -> None:  # noqa: ANN001
    from dataclasses import replace

    from handlers.messages import Incoming

    bot, service, inbox = await morning(sessions, clock)
    await crash_while_sending(sessions, clock)
    clock.move_to(at(2026, 1, 5, 8, 2))
    restarted = type(service)(bot.conversation.services, {"console": inbox}, exclusive=True)
    await restarted.dispatcher.tick()  # the marked copy is recorded first...
    assert inbox.to("u0")
    # ...then the answer typed at 08:01, while dondoc was down, is read (Telegram's date)
    written = datetime.now(TZ) - timedelta(minutes=1)  # the platform's wall clock
    incoming = Incoming(channel="console", user_id="u0", chat_id="u0", text=ANSWER, message_id="9001")
    replies = await bot.conversation.handle(replace(incoming, written_at=written))
    assert "Anh/chị trả lời nhiệm vụ 1 phải không?" in replies[0].text, replies[0].text  # asked, not read


async def test_a_reply_to_the_message_still_wins(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await morning(sessions, clock)
    await bot.say("u0", "/viec 1")
    about_1 = bot.message_about("u0", "1")
    await crash_while_sending(sessions, clock)
    replies = await bot.say("u0", ANSWER, reply_to=about_1)
    assert "Đã ghi nhận nhiệm vụ 1" in replies[0].text


# -- 2. stop means stop sending ------------------------------------------------------------


async def test_a_stop_starts_no_new_send_and_records_the_unanswered_as_maybe(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    clock.move_to(at(2026, 3, 20, 8, 0))  # many people due at once
    await service.plan()
    release = asyncio.Event()
    left: list[str] = []

    async def held(chat_id: str, outgoing):  # noqa: ANN001, ANN202
        await asyncio.sleep(0.01 * len(left))  # the pacing: one after the other
        may_send()  # the channel's last check before the request leaves
        left.append(chat_id)
        await release.wait()  # delivered; Telegram holds the answer
        return await inbox(chat_id, outgoing)

    service.senders["console"] = held
    service.dispatcher.concurrency = 3
    ticking = asyncio.ensure_future(service.dispatcher.tick())
    while len(left) < 3:
        await asyncio.sleep(0.01)
    await service.dispatcher.close(timeout=0.2)  # SIGTERM: the answers never come
    await asyncio.gather(ticking, return_exceptions=True)
    assert len(left) == 3  # nothing started after the signal
    async with sessions() as session:
        rows = list(await session.scalars(select(OutboxItem)))
    assert not [r for r in rows if r.state == SENDING]
    maybe = [r for r in rows if r.maybe_at is not None]
    assert len({r.recipient_id for r in maybe}) == 3 and all(r.state == PENDING for r in maybe)
    assert not [r for r in rows if r.state == SENT]


# -- 3. a hang is an outage: the probe resumes sending -----------------------------------------


async def test_sending_resumes_within_one_interval_of_the_api_coming_back(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    clock.move_to(at(2026, 3, 20, 8, 0))
    await service.plan()
    back = at(2026, 3, 20, 8, 10)

    async def down(chat_id: str, outgoing):  # noqa: ANN001, ANN202
        if clock.now() < back:
            raise MaybeSent("Timed out") if chat_id == "u0" else TemporaryFailure("504")
        return await inbox(chat_id, outgoing)

    async def get_me() -> bool:
        if clock.now() < back:
            raise TemporaryFailure("504")
        return True

    service.senders["console"] = down
    service.probes["console"] = get_me
    while clock.now() < back + timedelta(minutes=2):
        await service.dispatcher.tick()
        clock.move_to(clock.now() + timedelta(seconds=20))
    first = min(m for _, m, _ in inbox.got)
    assert back <= first <= back + timedelta(seconds=30)  # not the back-off's 5 minutes
    u0 = inbox.to("u0")
    assert len(u0) == 1 and u0[0].text.startswith("(Gửi lại")


# -- 5. quiet hours hold inside a storm ---------------------------------------------------------


async def test_a_storm_across_18_00_stops_and_goes_on_next_morning_as_today(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    clock.move_to(at(2026, 3, 20, 8, 0))
    await service.plan()
    clock.move_to(at(2026, 3, 20, 17, 59, 58))  # a storm that started late (after an outage)
    async with sessions() as session, session.begin():  # everything due is due now
        for row in await session.scalars(select(OutboxItem).where(OutboxItem.state == PENDING, OutboxItem.send_at <= clock.now())):
            row.send_at = clock.now()
    starts: list[datetime] = []

    async def slow(chat_id: str, outgoing):  # noqa: ANN001, ANN202
        may_send()
        starts.append(clock.now())
        clock.move_to(clock.now() + timedelta(seconds=1))  # one send a second
        return await inbox(chat_id, outgoing)

    service.senders["console"] = slow
    service.dispatcher.concurrency = 1
    result = await service.dispatcher.tick()
    assert starts and max(starts) < at(2026, 3, 20, 18, 0)
    assert result.deferred > 0
    sent_today = len(inbox.got)
    clock.move_to(at(2026, 3, 20, 21, 0))
    await service.dispatcher.tick()
    assert len(inbox.got) == sent_today  # nothing at night
    clock.move_to(at(2026, 3, 23, 8, 0))  # Monday (20/3/2026 is a Friday)
    service.senders["console"] = inbox
    await service.tick()
    monday = [(c, o) for c, m, o in inbox.got if m >= at(2026, 3, 23, 0, 0)]
    assert monday and all(m >= at(2026, 3, 23, 8, 0) for _, m, _ in inbox.got[sent_today:])
    people = [c for c, _ in monday]
    assert len(people) == len(set(people))  # merged with Monday's reminders: one message each


# -- 4. one process per database file ---------------------------------------------------------


def test_the_lock_follows_the_file_not_the_path(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    real = tmp_path / "data" / "dondoc.sqlite3"
    first = SingleRunner(f"sqlite+aiosqlite:///{real}")
    first.acquire()
    try:
        (tmp_path / "link.sqlite3").symlink_to(real)
        os.link(real, tmp_path / "hard.sqlite3")
        monkeypatch.chdir(tmp_path / "data")
        for other in (tmp_path / "link.sqlite3", "dondoc.sqlite3", tmp_path / "data" / ".." / "data" / "dondoc.sqlite3"):
            with pytest.raises(DatabaseInUse, match=f"tiến trình {os.getpid()}"):
                SingleRunner(f"sqlite+aiosqlite:///{other}").acquire()
        with pytest.raises(DatabaseInUse, match="một dondoc khác"):  # its note is elsewhere
            SingleRunner(f"sqlite+aiosqlite:///{tmp_path / 'hard.sqlite3'}").acquire()
    finally:
        first.release()
    again = SingleRunner(f"sqlite+aiosqlite:///{tmp_path / 'link.sqlite3'}")
    again.acquire()
    again.release()


# -- 7. Telegram's budgets shared in PostgreSQL ---------------------------------------------------


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_two_processes_take_places_of_one_budget(engine) -> None:  # noqa: ANN001
    if engine.dialect.name != "postgresql":
        pytest.skip("the shared budget is for several processes on PostgreSQL")
    # places 10 s apart: the database's clock never overtakes them, whatever the load
    waits = await asyncio.gather(*(take_place(engine, "test:all", 10.0) for _ in range(20)))
    assert sorted(round(w / 10.0) for w in waits) == list(range(20))  # one place each
    assert await take_place(engine, "telegram:42", 1.0) == 0.0  # another budget: free


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_idle_budgets_are_pruned_and_busy_ones_kept(engine) -> None:  # noqa: ANN001
    if engine.dialect.name != "postgresql":
        pytest.skip("the shared budget is for several processes on PostgreSQL")
    for chat in ("telegram:1", "telegram:2", "telegram:all"):
        await take_place(engine, chat, 1.0)
    async with engine.begin() as conn:  # two of them idle for two minutes
        await conn.execute(text("UPDATE send_pace SET next_at = next_at - 120 WHERE key <> 'telegram:all'"))
    assert await prune(engine) == 2
    async with engine.begin() as conn:
        assert list(await conn.scalars(text("SELECT key FROM send_pace"))) == ["telegram:all"]
    assert await take_place(engine, "telegram:1", 1.0) == 0.0  # gone means free, as before


# -- 6. a start while the platform is unreachable ------------------------------------------------


async def test_a_start_during_an_outage_waits_and_then_sends(sessions, database_url, tmp_path) -> None:  # noqa: ANN001
    if not database_url.startswith("sqlite"):
        pytest.skip("one SQLite file shared with the subprocess")
    import math
    import signal

    from scheduler.clock import Clock
    from tests.fakes.telegram_api import FakeTelegram
    from tests.test_reminder_signals import OFFICERS, start_run, write_config
    from tests.test_runner import seed

    await seed(sessions, Clock.starting_at(datetime(2026, 1, 2, 9, 0, tzinfo=TZ), frozen=True), telegram_ids={42: OFFICERS[42]})
    async with FakeTelegram() as tg:
        tg.dark(math.inf)  # every method answers 502, getMe too, until the test ends it
        process = await start_run(write_config(tmp_path, tg, database_url), "2026-01-13T08:00")
        try:
            # Seen waiting: refused once, still running, it tries again (however slowly
            # the process started); only then does the platform come back.
            tries = lambda: sum(1 for name, _params in tg.calls if name.lower() == "getme")  # noqa: E731
            await tg.wait_until(lambda: tries() >= 2, timeout=120, what="a second try at getMe during the outage")
            assert process.returncode is None  # waiting, not exited
            tg.dark(0)
            await tg.wait_for(lambda m: m.chat_id == 42, timeout=60)
            process.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(process.wait(), 20) == 0
        finally:
            if process.returncode is None:
                process.kill()
        _, err = await process.communicate()
    said = [row for row in err.decode().splitlines() if "chưa kết nối được" in row]
    assert len(said) == 1 and "Traceback" not in err.decode(), err.decode()[-2000:]


def test_a_withheld_send_reaches_the_dispatcher_as_such() -> None:
    from telegram.error import NetworkError

    from bot.channels.telegram import reminder_error
    from scheduler.send_gate import Withheld

    try:
        try:
            raise Withheld("stopping")
        except Withheld as cause:
            raise NetworkError("Unknown error in HTTP implementation") from cause
    except NetworkError as wrapped:
        assert isinstance(reminder_error(wrapped), Withheld)
