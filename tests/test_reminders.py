"""Reminders that arrive: a year of them on the real calendar, once each, on working
days; after a restart; with two dispatchers on one PostgreSQL; through Telegram's 429
and a user who blocked the bot; recipients, digests, extension approvals."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.reminders import ReminderService
from handlers.messages import Outgoing
from models.outbox import FOLDED, PENDING, SENT, OutboxItem
from models.people import Person
from models.plans import Task
from scheduler.dispatcher import RateLimited, Unreachable
from scheduler.workdays import WorkCalendar
from tests.conftest import BACKENDS
from tests.harness import Harness

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
UNITS = ["Phòng Văn hóa - Xã hội", "Phòng Kinh tế", "Văn phòng HĐND và UBND", "Trung tâm Phục vụ hành chính công", "Trung tâm Dịch vụ sự nghiệp công", "Công an xã"]


@dataclass
class Inbox:
    """A sender that records what each person received, and can misbehave."""

    clock: object
    got: list[tuple[str, datetime, Outgoing]] = field(default_factory=list)
    fail: list[Exception] = field(default_factory=list)
    blocked: set[str] = field(default_factory=set)

    async def __call__(self, chat_id: str, outgoing: Outgoing) -> str:
        if chat_id in self.blocked:
            raise Unreachable("blocked")
        if self.fail:
            raise self.fail.pop(0)
        self.got.append((chat_id, self.clock.now(), outgoing))
        return str(len(self.got))

    def to(self, chat_id: str) -> list[Outgoing]:
        return [o for c, _, o in self.got if c == chat_id]


async def setup(sessions, clock, *, people: bool = True) -> tuple[Harness, ReminderService, Inbox]:  # noqa: ANN001
    clock.move_to(datetime(2026, 1, 2, 7, 0, tzinfo=TZ))  # the plan arrives before its first reminder
    bot = Harness(sessions, clock, channel="console")
    await bot.import_sample()
    if people:
        for index, unit in enumerate(UNITS):
            await bot.register(f"u{index}", "officer", unit)
        await bot.register("leader", "leader")
        await bot.register("admin", "admin")
    inbox = Inbox(clock)
    service = ReminderService(bot.conversation.services, {"console": inbox})
    return bot, service, inbox


async def run_until(service: ReminderService, clock, end: datetime) -> None:  # noqa: ANN001
    """Run the bot from now to ``end`` as if it were up: stop at each due moment."""
    while clock.now() < end:
        await service.plan()
        step_end = min(clock.now() + timedelta(days=28), end)
        async with service.sessions() as session:
            moments = list(await session.scalars(select(OutboxItem.send_at).where(OutboxItem.state == PENDING, OutboxItem.send_at <= step_end).distinct().order_by(OutboxItem.send_at)))
        for moment in moments:
            clock.move_to(max(moment, clock.now()))
            await service.dispatcher.tick()
        clock.move_to(step_end)
    await service.tick()


async def test_a_year_of_reminders_on_working_days_once_each(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    await run_until(service, clock, datetime(2027, 1, 1, 12, 0, tzinfo=TZ))
    calendar = WorkCalendar()
    assert len(inbox.got) > 200
    for chat_id, moment, _ in inbox.got:
        local = moment.astimezone(TZ)
        assert calendar.is_working_day(local.date()), (chat_id, local)
        assert time(7, 30) <= local.time() <= time(18, 0), (chat_id, local)
        assert not (datetime(2026, 2, 14, tzinfo=TZ).date() <= local.date() <= datetime(2026, 2, 22, tzinfo=TZ).date())
    await assert_each_message_recorded_once(sessions, inbox)
    per_moment = Counter((chat_id, moment) for chat_id, moment, _ in inbox.got)
    assert max(per_moment.values()) == 1  # several reminders at one moment: one message
    async with sessions() as session:
        states = Counter(await session.scalars(select(OutboxItem.state)))
        assert states[FOLDED] == 0 and states["failed"] == 0
        assert await session.scalar(select(func.count()).select_from(OutboxItem).where(OutboxItem.state == SENT, OutboxItem.message_id.is_(None))) == 0
    notices = [o.text for o in inbox.to("admin") if "không biết nhắc ai" in o.text]
    assert len(notices) == 1  # task 4 has no real lead unit: said once, not every tick
    first = inbox.to("u0")[0]
    assert "Nhiệm vụ 1" in first.text and "ngày làm việc" in first.text and "Sản phẩm" in first.text


async def test_before_due_reminders_and_escalation(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    await run_until(service, clock, datetime(2026, 1, 20, 9, 0, tzinfo=TZ))
    lan = [(m.astimezone(TZ).date().isoformat(), o.text.split(":")[0]) for c, m, o in inbox.got if c == "u0"]
    # task 1 is due 14/01/2026: 7, 3 and 1 working days before, the due day, then overdue
    assert ("2026-01-05", "Nhắc việc") in lan and ("2026-01-09", "Nhắc việc") in lan
    assert ("2026-01-13", "Nhắc việc") in lan and ("2026-01-14", "Hôm nay đến hạn") in lan
    assert ("2026-01-15", "Nhiệm vụ đã quá hạn") in lan and ("2026-01-19", "Nhiệm vụ đã quá hạn") in lan
    leader = [o.text for c, m, o in inbox.got if c == "leader"]
    assert any("cần lãnh đạo đôn đốc" in text for text in leader)
    assert any("Tổng hợp tuần" in text for text in leader)  # Monday digest
    coop = [o.text for o in inbox.to("u1")]  # Phòng Kinh tế cooperates on task 1? no: it is generic
    assert all("Nhiệm vụ 1:" not in text for text in coop)


async def test_done_task_is_not_reminded(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    await bot.say("u0", "/capnhat 1 Hoàn thành, QĐ số 12/QĐ-UBND ngày 02/01/2026")
    await run_until(service, clock, datetime(2026, 1, 20, 9, 0, tzinfo=TZ))
    assert all("Nhiệm vụ 1:" not in o.text for o in inbox.to("u0"))


async def test_unit_without_members_is_reported_once(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock, people=False)
    await bot.register("admin", "admin")
    await run_until(service, clock, datetime(2026, 2, 10, 9, 0, tzinfo=TZ))
    texts = [o.text for o in inbox.to("admin")]
    assert sum("Phòng Văn hóa - Xã hội» chưa có ai đăng ký" in t for t in texts) == 1


async def assert_each_message_recorded_once(sessions, inbox: Inbox) -> None:  # noqa: ANN001
    """Every message that went out is recorded on its rows, and none went out twice."""
    async with sessions() as session:
        ids = set(await session.scalars(select(OutboxItem.message_id).where(OutboxItem.state.in_((SENT, FOLDED)))))
    assert len(inbox.got) == len(ids)
    assert ids == {str(i) for i in range(1, len(inbox.got) + 1)}


async def test_restart_mid_storm_sends_missed_once_and_digests_stale(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    await run_until(service, clock, datetime(2026, 1, 13, 7, 0, tzinfo=TZ))
    # 08:00 on 13/01: the storm begins and the first sends fail as the process dies...
    clock.move_to(datetime(2026, 1, 13, 8, 0, tzinfo=TZ))
    inbox.fail = [RuntimeError("process killed")]
    await service.dispatcher.tick()
    # ...and dondoc is down until 16/01 10:00, when a new process starts.
    clock.move_to(datetime(2026, 1, 16, 10, 0, tzinfo=TZ))
    restarted = ReminderService(bot.conversation.services, {"console": inbox})
    await restarted.tick()
    await restarted.tick()
    async with sessions() as session:
        rows = list(await session.scalars(select(OutboxItem).where(OutboxItem.send_at <= clock.now())))
    assert rows and all(r.state in (SENT, FOLDED, "cancelled") for r in rows)
    assert any(r.state == FOLDED for r in rows)
    await assert_each_message_recorded_once(sessions, inbox)
    after = [o.text for c, m, o in inbox.got if c == "u0" and m >= clock.now() - timedelta(minutes=1)]
    assert len(after) == 1 and after[0].startswith("Trong lúc dondoc tạm ngừng")
    assert "1. Ban hành Kế hoạch cải cách hành chính năm 2026" in after[0]


async def test_rate_limit_waits_and_blocked_user_is_reported(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    await run_until(service, clock, datetime(2026, 1, 5, 7, 0, tzinfo=TZ))
    clock.move_to(datetime(2026, 1, 5, 8, 0, tzinfo=TZ))
    inbox.fail = [RateLimited(0.01)]
    inbox.blocked = {"u0"}
    await service.dispatcher.tick()
    await asyncio.sleep(0.02)
    clock.move_to(datetime(2026, 1, 5, 8, 1, tzinfo=TZ))
    await service.dispatcher.tick()
    async with sessions() as session:
        person = await session.scalar(select(Person).where(Person.display_name == "U0"))
        assert person.unreachable_since is not None
        pending_for_blocked = await session.scalar(select(func.count()).select_from(OutboxItem).where(OutboxItem.recipient_id == person.id, OutboxItem.state == PENDING))
    assert pending_for_blocked == 0
    await service.dispatcher.tick()
    admin = [o.text for o in inbox.to("admin")]
    assert sum("đã chặn dondoc" in t for t in admin) == 1
    assert inbox.got, "the rate-limited batch was sent after waiting"
    # the blocked person writes again: reminders resume
    await bot.say("u0", "/viec")
    async with sessions() as session:
        person = await session.scalar(select(Person).where(Person.display_name == "U0"))
        assert person.unreachable_since is None


async def test_extension_approval_moves_due_and_replans(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    clock.move_to(datetime(2026, 1, 5, 9, 0, tzinfo=TZ))  # office hours: notices go at once
    await bot.say("u0", "xin gia hạn đến 20/01 vì chờ Sở Nội vụ góp ý", reply_to=None)
    await bot.say("u0", "/giahan 1 20/1 chờ Sở Nội vụ góp ý")
    await service.tick()
    request = [o for o in inbox.to("leader") if "xin gia hạn nhiệm vụ 1" in o.text]
    assert request and "/duyet 1" in request[0].text
    reply = await bot.say("leader", "/duyet 1")
    assert "Đã duyệt gia hạn nhiệm vụ 1 đến 20/01/2026 (hạn cũ 14/01/2026)" in reply[0].text
    clock.move_to(datetime(2026, 1, 5, 9, 3, tzinfo=TZ))  # past the wait for the leader's words
    await service.tick()
    assert any("đã được duyệt" in o.text for o in inbox.to("u0"))
    async with sessions() as session:
        task = await session.scalar(select(Task).where(Task.number == "1"))
        assert (str(task.deadline_due), str(task.original_due)) == ("2026-01-20", "2026-01-14")
        keys = list(await session.scalars(select(OutboxItem.occurrence).where(OutboxItem.task_id == task.id, OutboxItem.state == PENDING)))
    assert keys and all("2026-01-14" not in k for k in keys)
    assert "đã gia hạn từ 14/01/2026" in (await bot.say("u0", "/viec 1"))[0].text


@pytest.mark.parametrize("database_url", [BACKENDS[1]], indirect=True)
async def test_two_dispatchers_on_postgres_send_nothing_twice(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    await run_until(service, clock, datetime(2026, 1, 5, 7, 0, tzinfo=TZ))
    clock.move_to(datetime(2026, 3, 20, 8, 0, tzinfo=TZ))  # many rows due at once
    await service.plan()
    other = ReminderService(bot.conversation.services, {"console": inbox})
    for _ in range(3):
        await asyncio.gather(service.dispatcher.tick(), other.dispatcher.tick())
    async with sessions() as session:
        sent = list(await session.scalars(select(OutboxItem).where(OutboxItem.state.in_((SENT, FOLDED)))))
    assert sent
    await assert_each_message_recorded_once(sessions, inbox)


async def test_a_request_made_at_night_reaches_leaders_in_the_morning(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    clock.move_to(datetime(2026, 1, 6, 21, 30, tzinfo=TZ))
    await bot.say("u0", "/giahan 1 20/1 chờ Sở Nội vụ góp ý")
    await service.tick()
    assert not [o for o in inbox.to("leader") if "xin gia hạn" in o.text]
    clock.move_to(datetime(2026, 1, 7, 7, 30, tzinfo=TZ))
    await service.tick()
    assert [o for o in inbox.to("leader") if "xin gia hạn nhiệm vụ 1" in o.text]


async def test_report_reminder_lists_what_is_on_record(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    await bot.say("u3", "/capnhat 18 đang thực hiện 40%")  # Trung tâm Phục vụ hành chính công
    await run_until(service, clock, datetime(2026, 3, 3, 9, 0, tzinfo=TZ))
    report = [o.text for c, m, o in inbox.got if c == "u3" and m.astimezone(TZ).date().isoformat() == "2026-03-03"]
    assert report and report[0].startswith("Sắp đến hạn báo cáo (trước ngày 10/03/2026)")
    assert "\n18. " in report[0] and " · Đang thực hiện 40%\n" in report[0]


def test_a_due_day_reminder_before_a_day_off_names_that_day() -> None:
    from handlers.reminders.texts import _officer_parts
    from models.plans import Task
    from scheduler.workdays import WorkCalendar

    task = Task(number="5", content="Ban hành kế hoạch", deadline_kind="date",
                deadline_due=date(2026, 1, 31), deadline_text="31/01/2026", status="not_started")  # fmt: skip
    item = OutboxItem(kind="due_day", to_leaders=False)
    parts, _buttons, _focus = _officer_parts(
        [(item, task)], date(2026, 1, 30), WorkCalendar(), offline=False, has_buttons=True
    )
    assert parts[0] == "Hạn rơi vào ngày nghỉ 31/01/2026:"
    assert "Hôm nay đến hạn" not in "\n".join(parts)
