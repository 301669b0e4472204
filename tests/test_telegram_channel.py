"""The whole story over the real python-telegram-bot Application, talking HTTP to a
fake Bot API server on 127.0.0.1: invite → /dangky → /viec → a button → a free-text
reply to a task message → /tiendo → refusals; plus the menu, long messages and files."""

from __future__ import annotations

from sqlalchemy import select

from bot.channels.text_split import split_text
from models.plans import Task
from tests.fakes.telegram_api import FakeTelegram
from tests.harness import SAMPLE_DOCX, Harness
from tests.telegram_support import buttons


async def status_of(harness: Harness, number: str) -> str:
    async with harness.sessions() as session:
        return (await session.scalar(select(Task).where(Task.number == number))).status


async def test_whole_story(tg: FakeTelegram, running: Harness) -> None:
    assert [c["command"] for c in tg.commands][:3] == ["viec", "capnhat", "quahan"]
    code = await running.invite("officer", "Phòng Văn hóa - Xã hội")
    tg.send_text(42, f"/dangky {code}", first_name="Lan")
    await tg.wait_for("Đăng ký thành công")

    mark = len(tg.sent)
    tg.send_text(42, "/viec")  # one message listing the tasks, a button each
    listing = await tg.wait_for(lambda m: m.chat_id == 42 and (m.text or "").startswith("Anh/chị có 16 nhiệm vụ"), since=mark)
    assert len(buttons(listing)) == 16
    mark = len(tg.sent)
    tg.press_button(42, listing.message_id, buttons(listing)["1"])
    card = await tg.wait_for(lambda m: m.chat_id == 42 and (m.text or "").startswith("Nhiệm vụ 1:"), since=mark)
    assert set(buttons(card)) == {"Hoàn thành", "Đang thực hiện", "Chưa thực hiện", "Xin gia hạn"}

    mark = len(tg.sent)
    tg.press_button(42, card.message_id, buttons(card)["Đang thực hiện"])
    confirm = await tg.wait_for("Đã ghi nhận nhiệm vụ 1", since=mark)
    assert "Đang thực hiện" in confirm.text and "Hoàn tác" in buttons(confirm)
    await tg.wait_until(lambda: tg.answered_callbacks, what="the callback to be answered")
    assert await status_of(running, "1") == "in_progress"

    mark = len(tg.sent)
    tg.send_text(42, "Hoàn thành, QĐ số 12/QĐ-UBND ngày 09/01/2026", reply_to_message_id=card.message_id)
    done = await tg.wait_for("Đã ghi nhận nhiệm vụ 1", since=mark)
    assert "QĐ số 12/QĐ-UBND ngày 09/01/2026" in done.text
    assert await status_of(running, "1") == "done"

    await running.register("trinh", "leader")  # the leader registers from another channel
    leader_code = await running.invite("leader")
    tg.send_text(7, f"/dangky {leader_code}")
    await tg.wait_for(lambda m: m.chat_id == 7 and "lãnh đạo" in (m.text or ""))
    mark = len(tg.sent)
    tg.send_text(7, "/tiendo")
    progress = await tg.wait_for(lambda m: m.chat_id == 7, since=mark)
    assert "Hoàn thành: 1/39 (2,6%)" in progress.text

    mark = len(tg.sent)
    tg.send_text(99, "/viec 1")  # a stranger
    refusal = await tg.wait_for(lambda m: m.chat_id == 99, since=mark)
    assert "/dangky" in refusal.text and "Ban hành" not in refusal.text

    other = await running.invite("officer", "Phòng Kinh tế")
    tg.send_text(55, f"/dangky {other}")
    await tg.wait_for(lambda m: m.chat_id == 55)
    mark = len(tg.sent)
    tg.send_text(55, "/capnhat 1 chưa thực hiện")
    refused = await tg.wait_for(lambda m: m.chat_id == 55, since=mark)
    assert refused.text.startswith("Nhiệm vụ 1 do ") and "không mở hoặc báo cáo được" in refused.text
    assert await status_of(running, "1") == "done"


async def test_admin_imports_document_and_gets_summary(tg: FakeTelegram, running: Harness) -> None:
    code = await running.invite("admin")
    tg.send_text(11, f"/dangky {code}")
    await tg.wait_for(lambda m: m.chat_id == 11)
    mark = len(tg.sent)
    tg.send_document(11, "ke-hoach.docx", SAMPLE_DOCX.read_bytes(), caption="/nhap")
    summary = await tg.wait_for(lambda m: m.chat_id == 11, since=mark, timeout=10)
    assert "39 nhiệm vụ trong 7 mục" in summary.text


async def test_unknown_command_gets_help(tg: FakeTelegram, running: Harness) -> None:
    tg.send_text(5, "/xyz")
    reply = await tg.wait_for(lambda m: m.chat_id == 5)
    assert "chưa hiểu lệnh /xyz" in reply.text


def test_split_text_on_line_boundaries() -> None:
    lines = [f"{i}. " + "nhiệm vụ " * 20 for i in range(100)]
    pieces = split_text("\n".join(lines), 4096)
    assert len(pieces) > 1 and all(len(p) <= 4096 for p in pieces)
    assert "\n".join(pieces).split("\n") == lines
    assert split_text("x" * 5000, 2000) == ["x" * 2000, "x" * 2000, "x" * 1000]


async def test_unit_group_with_privacy_mode(tg: FakeTelegram, running: Harness) -> None:
    """In a unit's group the bot sees commands and replies to its own messages only."""
    code = await running.invite("officer", "Phòng Văn hóa - Xã hội")
    tg.send_text(42, f"/dangky {code}")
    await tg.wait_for(lambda m: m.chat_id == 42)
    group = -1001
    mark = len(tg.sent)
    tg.send_text(42, "/viec@dondoc_test_bot 1", chat_id=group, chat_type="supergroup")
    card = await tg.wait_for(lambda m: m.chat_id == group and (m.text or "").startswith("Nhiệm vụ 1"), since=mark)
    mark = len(tg.sent)
    tg.send_text(42, "chúng tôi đang họp, chưa bàn", chat_id=group, chat_type="supergroup")  # not for the bot
    tg.send_text(42, "Hoàn thành, QĐ số 7/QĐ-UBND ngày 12/01/2026", chat_id=group, chat_type="supergroup", reply_to_message_id=card.message_id)
    done = await tg.wait_for(lambda m: m.chat_id == group and "Đã ghi nhận nhiệm vụ 1" in (m.text or ""), since=mark)
    assert "QĐ số 7/QĐ-UBND" in done.text
    assert len([m for m in tg.sent[mark:] if m.chat_id == group]) == 1  # the chatter got no answer
    assert await status_of(running, "1") == "done"
