"""Escalations that lead somewhere: the leaders' overdue summary names the unit and its
registered officers; "Nhắc lại" (Telegram) or /nhac SỐ sends those officers a reminder
from the leader through the outbox, recorded in the task's history, once a day per task;
bundled reminders are one message with a button per task on Telegram."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from bot.reminders import ReminderService
from handlers.reminders.nudge import ESCALATION_LIMIT, ESCALATION_TEXT_LIMIT, NUDGE, escalation
from handlers.reminders.texts import BUNDLE_LIMIT, _officer_parts
from handlers.tasks.view import is_overdue
from models.outbox import OutboxItem
from models.plan_store import find_organization
from models.plans import StatusUpdate, Task
from models.queries import list_tasks
from scheduler.workdays import WorkCalendar
from tests.conftest import BACKENDS, TZ
from tests.harness import ORG, Harness, task_row, text_of
from tests.test_reminders import Inbox, run_until

VHXH = "Phòng Văn hóa - Xã hội"


async def setup(sessions, clock, channel: str) -> tuple[Harness, ReminderService, Inbox]:  # noqa: ANN001
    clock.move_to(datetime(2026, 1, 2, 7, 0, tzinfo=TZ))
    bot = Harness(sessions, clock, channel=channel)
    await bot.import_sample()
    await bot.register("lan", "officer", VHXH)
    await bot.register("hung", "officer", VHXH)
    await bot.register("trinh", "leader")
    inbox = Inbox(clock)
    return bot, ReminderService(bot.conversation.services, {channel: inbox}), inbox


def buttons(message) -> dict[str, str]:  # noqa: ANN001
    return {b.label: b.data for row in message.buttons for b in row}


def message_id(inbox: Inbox, message) -> str:  # noqa: ANN001
    return str(next(i for i, (_c, _m, o) in enumerate(inbox.got, 1) if o is message))


async def test_nudge_from_the_escalation_on_telegram(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock, "telegram")
    await run_until(service, clock, datetime(2026, 1, 19, 9, 0, tzinfo=TZ))
    summary = next(o for o in inbox.to("trinh") if "cần lãnh đạo đôn đốc" in o.text)
    assert "\n❗1. Ban hành Kế hoạch cải cách hành chính năm 2026\n" in summary.text
    assert f"\n   {VHXH}: Hung, Lan" in summary.text
    task = await task_row(bot, "1")
    assert buttons(summary)["Nhắc lại 1"] == f"{NUDGE}:{task.id}"

    clock.move_to(datetime(2026, 1, 19, 9, 30, tzinfo=TZ))
    pressed = await bot.say("trinh", callback=f"{NUDGE}:{task.id}")
    assert text_of(pressed) == "Đã nhắc lại nhiệm vụ 1 cho Hung, Lan."
    mark = len(inbox.got)
    await service.tick()
    sent = {c: o for c, _m, o in inbox.got[mark:]}
    assert set(sent) == {"lan", "hung"}
    nudge = sent["lan"]
    assert nudge.text.startswith("Trinh (lãnh đạo) đề nghị anh/chị khẩn trương thực hiện và báo cáo nhiệm vụ 1:")
    assert "Hạn 14/01/2026 — quá hạn 3 ngày làm việc" in nudge.text
    assert "Hoàn thành" in buttons(nudge) and nudge.task_id == task.id

    again = await bot.say("trinh", "/nhac 1")
    assert text_of(again) == (
        "Nhiệm vụ 1 đã được nhắc lại hôm nay lúc 09:30 (do Trinh đề nghị). "
        "Mỗi nhiệm vụ nhắc lại tối đa một lần mỗi ngày."
    )
    await service.tick()
    assert len(inbox.got) == mark + 2  # nothing more was sent

    answered = await bot.say("lan", "Hoàn thành, QĐ số 3/QĐ-UBND ngày 16/01/2026", reply_to=message_id(inbox, nudge))
    assert "Đã ghi nhận nhiệm vụ 1" in text_of(answered)
    assert (await task_row(bot, "1")).status == "done"
    card = text_of(await bot.say("trinh", "/viec 1"))
    assert "Trinh: Đề nghị nhắc lại cán bộ phụ trách: Hung, Lan" in card
    assert "đã ở tình trạng «Hoàn thành»" in text_of(await bot.say("trinh", "/nhac 1"))


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_nhac_on_a_text_channel_once_a_day(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock, "zalo")
    await run_until(service, clock, datetime(2026, 1, 19, 9, 0, tzinfo=TZ))
    summary = next(o for o in inbox.to("trinh") if "cần lãnh đạo đôn đốc" in o.text)
    assert summary.buttons == [] and "Nhắn /nhac SỐ để dondoc nhắc lại cán bộ phụ trách" in summary.text

    assert "Chỉ lãnh đạo UBND" in text_of(await bot.say("lan", "/nhac 1"))
    assert text_of(await bot.say("trinh", "/nhac")).startswith("Cách dùng: /nhac SỐ")
    assert text_of(await bot.say("trinh", "/nhac 1")) == "Đã nhắc lại nhiệm vụ 1 cho Hung, Lan."
    await service.tick()
    to_lan = inbox.to("lan")[-1]
    assert "Trinh (lãnh đạo) đề nghị" in to_lan.text and "Trả lời 1 = Hoàn thành" in to_lan.text
    picked = await bot.say("lan", "2")  # the numbered choice of the nudge: "Đang thực hiện"
    assert "Đã ghi nhận nhiệm vụ 1" in text_of(picked)
    assert (await task_row(bot, "1")).status == "in_progress"
    assert "đã được nhắc lại hôm nay lúc 09:00" in text_of(await bot.say("trinh", "/nhac 1"))

    clock.move_to(datetime(2026, 1, 20, 19, 0, tzinfo=TZ))  # the next day, in the quiet hours
    later = text_of(await bot.say("trinh", "/nhac 1"))
    assert later.startswith("Đã nhắc lại nhiệm vụ 1 cho Hung, Lan. Tin nhắc sẽ đi lúc 07:30 ngày 21/01/2026")
    async with bot.sessions() as session:
        rows = list(await session.scalars(select(OutboxItem.occurrence).where(OutboxItem.kind == NUDGE).order_by(OutboxItem.id)))
        kinds = list(await session.scalars(select(StatusUpdate.kind).where(StatusUpdate.kind == NUDGE)))
    assert rows == ["2026-01-19"] * 2 + ["2026-01-20"] * 2 and len(kinds) == 2


async def test_a_task_not_yet_due_is_asked_about_not_hurried(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock, "zalo")
    clock.move_to(datetime(2026, 1, 5, 9, 0, tzinfo=TZ))
    assert text_of(await bot.say("trinh", "/nhac 6")) == "Đã nhắc lại nhiệm vụ 6 cho Hung, Lan."
    await service.tick()
    to_lan = "\n".join(o.text for o in inbox.to("lan"))  # may go with a due reminder
    assert "Trinh (lãnh đạo) đề nghị anh/chị báo cáo tiến độ nhiệm vụ 6:" in to_lan, to_lan
    assert "khẩn trương" not in to_lan


async def test_no_officer_registered_says_whom_to_invite(sessions, clock) -> None:  # noqa: ANN001
    bot, _service, _inbox = await setup(sessions, clock, "console")
    answer = text_of(await bot.say("trinh", "/nhac 33"))  # Công an xã: nobody registered
    assert "chưa có cán bộ nào đăng ký" in answer and "/moi Công an xã" in answer
    async with bot.sessions() as session:
        assert await session.scalar(select(StatusUpdate).where(StatusUpdate.kind == NUDGE)) is None
    assert "/nhac SỐ" in text_of(await bot.say("trinh", "/trogiup"))
    assert "/nhac" not in text_of(await bot.say("lan", "/trogiup"))


@pytest.mark.parametrize("channel", ["telegram", "zalo"])
async def test_a_bundled_reminder_is_one_message(sessions, clock, channel: str) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock, channel)
    await run_until(service, clock, datetime(2026, 3, 3, 9, 0, tzinfo=TZ))
    bundle = next(o for o in inbox.to("lan") if o.text.startswith("Sắp đến hạn báo cáo (trước ngày 10/03/2026)"))
    assert len(bundle.task_ids) > 3
    lines = bundle.text.split("\n")
    assert all(len(line) <= 60 for line in lines if line[:1].isdigit() or line.startswith("   "))
    async with bot.sessions() as session:
        tasks = {t.id: t for t in await session.scalars(select(Task).where(Task.id.in_(bundle.task_ids)))}
    if channel == "telegram":
        assert list(buttons(bundle).values()) == [f"open:{i}" for i in bundle.task_ids]
        assert list(buttons(bundle)) == [tasks[i].number for i in bundle.task_ids]
        card = await bot.say("lan", callback=f"open:{bundle.task_ids[1]}")
        assert card[0].text.startswith(f"Nhiệm vụ {tasks[bundle.task_ids[1]].number}:")
    else:
        assert bundle.buttons == [] and bundle.text.endswith("Xem một nhiệm vụ: /viec SỐ.")
    asked = await bot.say("lan", "Hoàn thành", reply_to=message_id(inbox, bundle))
    assert "nhiệm vụ nào" in text_of(asked)


async def test_long_escalations_and_bundles_stay_readable(sessions, clock) -> None:  # noqa: ANN001
    bot, _service, _inbox = await setup(sessions, clock, "telegram")
    today = date(2027, 1, 11)  # every dated task of 2026 is overdue
    async with bot.sessions() as session:
        org = await find_organization(session, ORG)
        every = await list_tasks(session, org)
        tasks = [t for t in every if is_overdue(t, today, WorkCalendar())]
        assert len(tasks) > ESCALATION_LIMIT
        for has_buttons, limit, most in ((True, ESCALATION_LIMIT, 4096), (False, ESCALATION_TEXT_LIMIT, 2000)):
            lines, buttons = await escalation(session, tasks, today, WorkCalendar(), has_buttons=has_buttons)
            text = "\n".join(lines)
            assert f"… và {len(tasks) - limit} nhiệm vụ quá hạn khác: /viec quahan." in text
            assert len(text) < most and sum(len(row) for row in buttons) == (limit if has_buttons else 0)
        pairs = [(OutboxItem(kind="before_due", occurrence="x", to_leaders=False), t) for t in every]
        parts, buttons, focus = _officer_parts(pairs, today, WorkCalendar(), offline=False, has_buttons=True)
        assert f"… và {len(every) - BUNDLE_LIMIT} nhiệm vụ khác: nhắn /viec để xem tất cả." in parts[0]
        assert len(focus.task_ids) == BUNDLE_LIMIT == sum(len(row) for row in buttons)
        assert len(parts[0]) < 4096
