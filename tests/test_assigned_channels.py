"""/giao and a leader's instruction over the real channels: python-telegram-bot against
the fake Bot API (a forwarded letter answered with /giao, buttons) and the Zalo channel
against the fake Zalo Bot API (numbered choices); the unit's people get the notice from
the reminder dispatcher, and their reply lands on the task."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

import pytest
from sqlalchemy import select

from bot.channels.telegram import TelegramChannel
from bot.reminders import ReminderService
from models.plans import Plan, StatusUpdate, Task
from tests.conftest import TZ
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo
from tests.harness import Harness
from tests.telegram_support import buttons, polling, register
from tests.zalo_support import config, say, serving

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
VHXH = "Phòng Văn hóa - Xã hội"
TTPV = "Trung tâm Phục vụ hành chính công"
LETTER = (
    "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG\nSố: 1234/UBND-NV\n"
    "V/v báo cáo kết quả tự kiểm tra công tác CCHC năm 2026\n"
    "Hải Phòng, ngày 01 tháng 12 năm 2026\nKính gửi: UBND các xã, phường\n"
    "UBND thành phố đề nghị UBND các xã, phường tự kiểm tra và gửi báo cáo về Sở Nội vụ "
    "trước ngày 15/12/2026."
)


async def task_where(harness: Harness, *, number: str, kind: str) -> Task:
    async with harness.sessions() as session:
        return await session.scalar(
            select(Task).join(Plan, Task.plan_id == Plan.id).where(Task.number == number, Plan.kind == kind)
        )


@pytest.fixture
async def telegram(sessions, clock) -> AsyncIterator[tuple[FakeTelegram, Harness, TelegramChannel]]:  # noqa: ANN001
    clock.move_to(datetime(2026, 12, 1, 9, 0, tzinfo=TZ))
    harness = Harness(sessions, clock, channel="telegram")
    await harness.import_sample()
    async with FakeTelegram() as tg, polling(tg, harness, per_chat_interval=0) as channel:
        yield tg, harness, channel


async def test_letter_given_and_instruction_on_telegram(telegram) -> None:  # noqa: ANN001
    tg, harness, channel = telegram
    await register(tg, harness, 42, "officer", VHXH, "Lan")
    await register(tg, harness, 55, "officer", TTPV, "An")
    await register(tg, harness, 7, "leader", None, "Trinh")
    service = ReminderService(harness.conversation.services, {"telegram": channel.send_reminder})
    await service.tick()  # the year's overdue reminders, out of the way

    mark = len(tg.sent)
    letter = tg.send_text(7, LETTER)  # the letter forwarded to dondoc, then answered with /giao
    await tg.wait_for(lambda m: m.chat_id == 7, since=mark)
    mark = len(tg.sent)
    tg.send_text(7, f"/giao {VHXH}", reply_to_message_id=letter)
    done = await tg.wait_for(lambda m: m.chat_id == 7 and "Đã giao" in (m.text or ""), since=mark)
    assert done.text.startswith(
        f"Đã giao nhiệm vụ 1 «Báo cáo kết quả tự kiểm tra công tác CCHC năm 2026» cho {VHXH}, hạn 14/12/2026"
    )
    assert "Theo: Công văn số 1234/UBND-NV ngày 01/12/2026 của UBND thành phố." in done.text

    mark = len(tg.sent)
    await service.tick()
    notice = await tg.wait_for(lambda m: m.chat_id == 42 and "giao nhiệm vụ mới" in (m.text or ""), since=mark)
    assert notice.text.startswith(f"Trinh giao nhiệm vụ mới cho {VHXH}:") and "Hoàn thành" in buttons(notice)
    mark = len(tg.sent)
    tg.send_text(42, "Đang thực hiện 60%, đã tự kiểm tra 3/5 bộ phận", reply_to_message_id=notice.message_id)
    reply = await tg.wait_for(lambda m: m.chat_id == 42, since=mark)
    assert reply.text.startswith("Đã ghi nhận nhiệm vụ GIAO 1 «Báo cáo kết quả tự kiểm tra công tác CCHC")
    given = await task_where(harness, number="1", kind="assigned")
    assert (given.status, given.percent) == ("in_progress", 60)
    assert (await task_where(harness, number="1", kind="plan")).status == "not_started"

    mark = len(tg.sent)
    tg.send_text(7, "nhiệm vụ 16 đề nghị khẩn trương hoàn thành trước 20/12")
    asked = await tg.wait_for(lambda m: m.chat_id == 7, since=mark)
    assert asked.text.startswith(f"Gửi ý kiến chỉ đạo này cho {TTPV}?")
    assert set(buttons(asked)) == {f"Gửi cho {TTPV}", "Chỉ lưu ghi chú"}
    mark = len(tg.sent)
    tg.press_button(7, asked.message_id, buttons(asked)[f"Gửi cho {TTPV}"])
    sent = await tg.wait_for(lambda m: m.chat_id == 7 and "Đã gửi" in (m.text or ""), since=mark)
    assert sent.text == f"Đã gửi ý kiến chỉ đạo về nhiệm vụ CCHC 16 cho An ({TTPV})."

    mark = len(tg.sent)
    await service.tick()
    instruction = await tg.wait_for(lambda m: m.chat_id == 55 and "Ý kiến chỉ đạo" in (m.text or ""), since=mark)
    assert "«nhiệm vụ 16 đề nghị khẩn trương hoàn thành trước 20/12»" in instruction.text
    mark = len(tg.sent)
    tg.send_text(55, "Hoàn thành, QĐ số 30/QĐ-UBND ngày 01/12/2026", reply_to_message_id=instruction.message_id)
    recorded = await tg.wait_for(lambda m: m.chat_id == 55, since=mark)
    assert recorded.text.startswith("Đã ghi nhận nhiệm vụ CCHC 16")
    assert (await task_where(harness, number="16", kind="plan")).status == "done"
    mark = len(tg.sent)
    tg.send_text(7, "/viec 16")
    card = await tg.wait_for(lambda m: m.chat_id == 7, since=mark)
    assert "Trinh: Chỉ đạo (đã gửi đơn vị): nhiệm vụ 16 đề nghị khẩn trương hoàn thành trước 20/12" in card.text


async def test_giao_and_instruction_on_zalo(sessions, clock) -> None:  # noqa: ANN001
    clock.move_to(datetime(2026, 12, 1, 9, 0, tzinfo=TZ))
    harness = Harness(sessions, clock, channel="zalo")
    await harness.import_sample()
    lan, trinh = "5a1b2c3d4e5f6071", "7e6d5c4b3a291807"
    async with FakeZalo() as zalo:
        async with serving(harness, config(zalo)) as channel:
            assert "Đăng ký thành công" in await say(zalo, lan, f"/dangky {await harness.invite('officer', VHXH)}", display_name="Lan")
            assert "Đăng ký thành công" in await say(zalo, trinh, f"/dangky {await harness.invite('leader')}", display_name="Trinh")
            service = ReminderService(harness.conversation.services, {"zalo": channel.send_reminder})
            await service.tick()

            asked = await say(zalo, trinh, "/giao VH-XH: Báo cáo công tác dân vận trước 18/12/2026")
            assert "Nhiệm vụ này theo văn bản nào?" in asked and "1 = Không có văn bản, 2 = Hủy" in asked
            given = await say(zalo, trinh, "1")
            assert given.startswith(f"Đã giao nhiệm vụ 1 «Báo cáo công tác dân vận» cho {VHXH}") and "Không kèm văn bản." in given

            mark = len(zalo.sent)
            await service.tick()
            notice = await zalo.wait_for(lambda m: m.chat_id == lan and "giao nhiệm vụ mới" in (m.text or ""), since=mark)
            assert "Trả lời 1 = Hoàn thành, 2 = Đang thực hiện" in notice.text
            assert (await say(zalo, lan, "2")).startswith("Đã ghi nhận nhiệm vụ GIAO 1 «Báo cáo công tác dân vận»: Đang thực hiện")
            assert (await task_where(harness, number="1", kind="assigned")).status == "in_progress"

            asked = await say(zalo, trinh, "Nhiệm vụ 6: đề nghị Phòng hoàn thành trước 20/12")
            assert asked.startswith(f"Gửi ý kiến chỉ đạo này cho {VHXH}?")
            assert f"Trả lời 1 = Gửi cho {VHXH}, 2 = Chỉ lưu ghi chú" in asked
            assert (await say(zalo, trinh, "1")) == f"Đã gửi ý kiến chỉ đạo về nhiệm vụ CCHC 6 cho Lan ({VHXH})."
            mark = len(zalo.sent)
            await service.tick()
            await zalo.wait_for(lambda m: m.chat_id == lan and "Ý kiến chỉ đạo" in (m.text or ""), since=mark)
            answer = await say(zalo, lan, "Hoàn thành, KH số 99/KH-UBND ngày 30/11/2026")
            assert answer.startswith("Đã ghi nhận nhiệm vụ CCHC 6")
            assert (await task_where(harness, number="6", kind="plan")).status == "done"

            kept = await say(zalo, trinh, "nhiệm vụ 27 cần báo cáo rõ hơn")
            assert kept.startswith(f"Gửi ý kiến chỉ đạo này cho {VHXH}?")
            assert "chưa gửi cho đơn vị" in await say(zalo, trinh, "2")
            nobody = await say(zalo, trinh, "nhiệm vụ 17 cần báo cáo rõ hơn")  # no one registered there
            assert nobody.startswith("Tôi đã lưu ý kiến này thành ghi chú của nhiệm vụ CCHC 17.")
            assert f"/moi {TTPV}" in nobody
            async with harness.sessions() as session:
                kinds = list(await session.scalars(select(StatusUpdate.kind).where(StatusUpdate.text.like("nhiệm vụ %rõ hơn"))))
            assert kinds == ["note", "note"]
