"""Confirming a backward move through the real channels (issue 10): a button on Telegram
(python-telegram-bot against the fake Bot API), a number on Zalo (the real Zalo client
against the fake Zalo server). The database is checked after each step."""

from __future__ import annotations

from sqlalchemy import select

from models.plans import StatusUpdate, Task
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_types import SentMessage
from tests.fakes.zalo_api import FakeZalo
from tests.harness import Harness
from tests.telegram_support import buttons, register
from tests.zalo_support import config, say, serving

LAN = "5a1b2c3d4e5f6071"
VHXH = "Phòng Văn hóa - Xã hội"


async def task_state(harness: Harness, number: str) -> tuple[str, int | None]:
    async with harness.sessions() as session:
        task = await session.scalar(select(Task).where(Task.number == number))
        return task.status, task.percent


async def last_row(harness: Harness, number: str) -> StatusUpdate:
    async with harness.sessions() as session:
        task = await session.scalar(select(Task).where(Task.number == number))
        return await session.scalar(
            select(StatusUpdate).where(StatusUpdate.task_id == task.id).order_by(StatusUpdate.id.desc()).limit(1)
        )


async def asked_backward_move(tg: FakeTelegram, harness: Harness) -> SentMessage:
    """Lan (chat 42) marks task 1 done, then says it is in progress: dondoc's question."""
    await register(tg, harness, 42, "officer", VHXH, "Lan")
    mark = len(tg.sent)
    tg.send_text(42, "/capnhat 1 Hoàn thành, KH số 03/KH-UBND")
    await tg.wait_for(lambda m: m.chat_id == 42 and "Đã ghi nhận nhiệm vụ 1" in (m.text or ""), since=mark)
    mark = len(tg.sent)
    tg.send_text(42, "nhiệm vụ 1 đang thực hiện 50%")
    return await tg.wait_for(lambda m: m.chat_id == 42 and "đang ghi «Hoàn thành»" in (m.text or ""), since=mark)


async def test_backward_move_confirmed_with_a_button_on_telegram(tg: FakeTelegram, running: Harness) -> None:
    asked = await asked_backward_move(tg, running)
    assert set(buttons(asked)) == {"Ghi: Đang thực hiện 50%", "Không phải"}
    assert await task_state(running, "1") == ("done", 100)
    assert (await last_row(running, "1")).kind == "note"
    mark = len(tg.sent)
    tg.press_button(42, asked.message_id, buttons(asked)["Ghi: Đang thực hiện 50%"])
    await tg.wait_for(lambda m: m.chat_id == 42 and "Đã ghi nhận nhiệm vụ 1" in (m.text or "") and "50%" in m.text, since=mark)
    assert await task_state(running, "1") == ("in_progress", 50)
    row = await last_row(running, "1")
    assert (row.kind, row.text) == ("status", "đang thực hiện 50%")
    mark = len(tg.sent)
    answered = len(tg.answered_callbacks)
    tg.press_button(42, asked.message_id, "qy:1", strict=False)  # a stale second tap
    await tg.wait_until(lambda: len(tg.answered_callbacks) > answered, what="the stale tap answered")
    assert tg.answered_callbacks[-1]["text"] == "Việc này đã được xử lý rồi ạ."  # a toast only
    assert len(tg.sent) == mark  # nothing said twice in the chat (tests/security/test_stale_buttons.py)


async def test_backward_move_confirmed_with_a_number_on_zalo(zalo: FakeZalo, sessions, clock) -> None:  # noqa: ANN001
    harness = Harness(sessions, clock, channel="zalo")
    await harness.import_sample()
    async with serving(harness, config(zalo)):
        code = await harness.invite("officer", "Phòng Văn hóa - Xã hội")
        await say(zalo, LAN, f"/dangky {code}", display_name="Chị Lan")
        await say(zalo, LAN, "/capnhat 2 đang thực hiện 70%")
        asked = await say(zalo, LAN, "2 đang thực hiện 20%")
        assert "Trả lời 1 = Ghi: Đang thực hiện 20%, 2 = Không phải" in asked
        assert await task_state(harness, "2") == ("in_progress", 70)
        kept = await say(zalo, LAN, "2")
        assert "ghi chú" in kept
        assert await task_state(harness, "2") == ("in_progress", 70)
        row = await last_row(harness, "2")
        assert (row.kind, row.text) == ("note", "đang thực hiện 20%")
        asked = await say(zalo, LAN, "nv 2 dang thuc hien 30%")
        assert "1 = Ghi: Đang thực hiện 30%" in asked
        done = await say(zalo, LAN, "1")
        assert "Đã ghi nhận nhiệm vụ 2" in done
        assert await task_state(harness, "2") == ("in_progress", 30)


async def test_accented_commands_through_telegram(tg: FakeTelegram, running: Harness) -> None:
    await register(tg, running, 42, "officer", VHXH, "Lan")
    for typed, expected in [("/việc", "nhiệm vụ đang mở"), ("/Tiến độ", "Hoàn thành:"), ("/tiến độ quý 1", "Hoàn thành:")]:
        mark = len(tg.sent)
        tg.send_text(42, typed)
        await tg.wait_for(lambda m, want=expected: m.chat_id == 42 and want in (m.text or ""), since=mark)
        assert not [m for m in tg.sent[mark:] if "chưa hiểu lệnh" in (m.text or "")], typed
    mark = len(tg.sent)
    tg.send_text(42, "/tiendoo")
    near = await tg.wait_for(lambda m: m.chat_id == 42 and m.text is not None, since=mark)
    assert "Ý anh/chị là /tiendo?" in (near.text or "")
