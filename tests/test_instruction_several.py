"""Issue 21: a leader's text naming two tasks ("nhiệm vụ 5 và 6 đề nghị khẩn trương …")
is one instruction question: each task keeps the text as a note, one tap sends it to
each lead unit through the outbox, and each task gets an instruction row; each unit's
reply to its message lands on its own task. Over the real Telegram client against the
fake Bot API, and by number on the console."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from bot.reminders import ReminderService
from models.outbox import OutboxItem
from models.plans import Plan, StatusUpdate, Task
from tests.conftest import TZ
from tests.harness import Harness, text_of
from tests.telegram_support import buttons, register
from tests.test_assigned_channels import telegram  # noqa: F401 - the fixture
from tests.test_reminders import Inbox

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
VHXH, KT = "Phòng Văn hóa - Xã hội", "Phòng Kinh tế"
SAID = "nhiệm vụ 5 và 6 đề nghị khẩn trương hoàn thành trước 20/12"


async def kinds_of(harness: Harness, number: str) -> list[str]:
    async with harness.sessions() as session:
        rows = await session.scalars(
            select(StatusUpdate.kind)
            .join(Task, StatusUpdate.task_id == Task.id)
            .join(Plan, Task.plan_id == Plan.id)
            .where(Task.number == number, Plan.kind == "plan", StatusUpdate.text == SAID)
        )
        return list(rows)


async def status_of(harness: Harness, number: str) -> str:
    async with harness.sessions() as session:
        return await session.scalar(
            select(Task.status).join(Plan, Task.plan_id == Plan.id).where(Task.number == number, Plan.kind == "plan")
        )


async def test_two_tasks_one_tap_each_unit_told_on_telegram(telegram) -> None:  # noqa: ANN001, F811
    tg, harness, channel = telegram
    await register(tg, harness, 42, "officer", VHXH, "Lan")
    await register(tg, harness, 43, "officer", KT, "Minh")
    await register(tg, harness, 7, "leader", None, "Trinh")
    service = ReminderService(harness.conversation.services, {"telegram": channel.send_reminder})
    await service.tick()  # the year's overdue reminders, out of the way
    mark = len(tg.sent)
    tg.send_text(7, SAID)
    asked = await tg.wait_for(lambda m: m.chat_id == 7, since=mark)
    assert asked.text.startswith(f"Gửi ý kiến chỉ đạo này cho {KT}, {VHXH}?"), asked.text
    assert "Nhiệm vụ 5 «" in asked.text and "Nhiệm vụ 6 «" in asked.text
    assert set(buttons(asked)) == {"Gửi cho 2 đơn vị", "Chỉ lưu ghi chú"}
    assert await kinds_of(harness, "5") == ["note"] and await kinds_of(harness, "6") == ["note"]
    mark = len(tg.sent)
    tg.press_button(7, asked.message_id, buttons(asked)["Gửi cho 2 đơn vị"])
    sent = await tg.wait_for(lambda m: m.chat_id == 7 and "Đã gửi" in (m.text or ""), since=mark)
    assert sent.text == (
        f"Đã gửi ý kiến chỉ đạo về nhiệm vụ 5 cho Minh ({KT}).\n"
        f"Đã gửi ý kiến chỉ đạo về nhiệm vụ 6 cho Lan ({VHXH})."
    )
    assert await kinds_of(harness, "5") == ["instruction"] and await kinds_of(harness, "6") == ["instruction"]
    mark = len(tg.sent)
    await service.tick()
    to_minh = await tg.wait_for(lambda m: m.chat_id == 43 and "Ý kiến chỉ đạo" in (m.text or ""), since=mark)
    to_lan = await tg.wait_for(lambda m: m.chat_id == 42 and "Ý kiến chỉ đạo" in (m.text or ""), since=mark)
    assert "về nhiệm vụ 5 «" in to_minh.text and "về nhiệm vụ 6 «" in to_lan.text
    mark = len(tg.sent)
    tg.send_text(42, "Hoàn thành, KH số 99/KH-UBND ngày 30/11/2026", reply_to_message_id=to_lan.message_id)
    await tg.wait_for(lambda m: m.chat_id == 42 and "Đã ghi nhận nhiệm vụ" in (m.text or ""), since=mark)
    assert await status_of(harness, "6") == "done" and await status_of(harness, "5") != "done"


async def test_two_tasks_by_number_on_the_console(sessions, clock) -> None:  # noqa: ANN001
    clock.move_to(datetime(2026, 12, 1, 9, 0, tzinfo=TZ))
    bot = Harness(sessions, clock)
    await bot.import_sample()
    await bot.register("lan", "officer", VHXH)
    await bot.register("trinh", "leader")
    inbox = Inbox(clock)
    service = ReminderService(bot.conversation.services, {"console": inbox})
    await service.tick()
    asked = text_of(await bot.say("trinh", SAID))
    # Phòng Kinh tế has no one yet: task 5 stays a note, and the admin is told how to invite.
    assert asked.startswith(f"Gửi ý kiến chỉ đạo này cho {VHXH}?"), asked
    assert f"ghi chú của nhiệm vụ 5. {KT} chưa có ai đăng ký" in asked
    assert f"Trả lời 1 = Gửi cho {VHXH}, 2 = Chỉ lưu ghi chú" in asked
    assert text_of(await bot.say("trinh", "1")) == f"Đã gửi ý kiến chỉ đạo về nhiệm vụ 6 cho Lan ({VHXH})."
    assert await kinds_of(bot, "6") == ["instruction"] and await kinds_of(bot, "5") == ["note"]
    async with bot.sessions() as session:
        owed = list(await session.scalars(select(OutboxItem.kind).where(OutboxItem.kind == "instruction")))
    assert owed == ["instruction"]
