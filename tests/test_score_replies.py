"""Plain replies to the score reminder, through the real conversation (console, a
text-only channel) and the real reminder dispatcher: the reminder's items are the
chat's focus, so a bare "đạt 9 điểm, …" is recorded for the one item listed; under a
reminder of several the text is kept and dondoc asks which item (typed reference);
a score above the maximum is refused naming it; a file after a score reply is the
item's evidence and shows on its card; a stranger's or another unit's reply records
nothing."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from handlers.messages import Attachment
from models.conversation import Question
from models.evidence import EvidenceFile
from models.evidence_store import read
from models.scores import ScoreEntry, ScoreItem
from tests.conftest import BACKENDS
from tests.harness import text_of
from tests.score_sheet import import_empty_sheet
from tests.test_evidence import PDF_BYTES
from tests.test_reminders import TZ, run_until, setup

NOTICE = "Nhắc tự chấm điểm"


async def reminded(sessions, clock):  # noqa: ANN001, ANN201
    """The bot with an empty sheet imported and the reminders of 03/06 sent."""
    bot, service, inbox = await setup(sessions, clock)
    clock.move_to(datetime(2026, 6, 1, 7, 0, tzinfo=TZ))
    await import_empty_sheet(bot)
    await run_until(service, clock, datetime(2026, 6, 3, 9, 0, tzinfo=TZ))
    clock.move_to(datetime(2026, 6, 3, 9, 30, tzinfo=TZ))
    return bot, service, inbox


def notice_id(inbox, chat: str) -> str:  # noqa: ANN001
    """The message id the Inbox gave the chat's newest score reminder."""
    for index in range(len(inbox.got) - 1, -1, -1):
        chat_id, _moment, outgoing = inbox.got[index]
        if chat_id == chat and NOTICE in outgoing.text:
            return str(index + 1)
    raise AssertionError(f"no score reminder to {chat}")


async def item(bot, ref: str) -> ScoreItem:  # noqa: ANN001
    async with bot.sessions() as session:
        return await session.scalar(select(ScoreItem).where(ScoreItem.ref == ref))


async def proposals(bot) -> list[tuple[str, D | None, str]]:  # noqa: ANN001
    async with bot.sessions() as session:
        rows = await session.execute(
            select(ScoreItem.ref, ScoreEntry.points, ScoreEntry.text)
            .join(ScoreItem, ScoreItem.id == ScoreEntry.item_id)
            .where(ScoreEntry.kind == "proposed")
            .order_by(ScoreEntry.id)
        )
        return [tuple(r) for r in rows]


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_a_bare_reply_to_a_one_item_reminder_is_recorded(sessions, clock) -> None:  # noqa: ANN001
    bot, _service, inbox = await reminded(sessions, clock)
    notice = inbox.to("u4")[-1].text  # Trung tâm Dịch vụ sự nghiệp công leads item 10 only
    assert "• 10:" in notice and "đạt 10 điểm" in notice
    refused = text_of(await bot.say("u4", "đạt 12 điểm"))
    assert "vượt điểm chuẩn của mục 10 (tối đa 10 điểm)" in refused and await proposals(bot) == []
    said = text_of(await bot.say("u4", "đạt 9,5 điểm, công sở sạch đẹp, có hình ảnh"))
    assert "Đã ghi nhận mục 10 «Cảnh quan công sở xanh, sạch, đẹp»: tự đánh giá 9,5/10 điểm." in said
    assert await proposals(bot) == [("10", D("9.5"), "công sở sạch đẹp, có hình ảnh")]
    # The photo of it, sent right after: the item's evidence, on its card.
    stored = text_of(await bot.say("u4", attachment=Attachment("bien-ban.pdf", PDF_BYTES, "document")))
    assert "Đã lưu tệp «bien-ban.pdf»" in stored and "minh chứng của mục 10" in stored
    async with bot.sessions() as session:
        row = await session.scalar(select(EvidenceFile))
        assert row.score_item_id == (await item(bot, "10")).id and row.task_id is None
        assert read(bot.evidence.folder, row.stored_path) == PDF_BYTES
    card = text_of(await bot.say("u0", "/diem 10"))  # anyone of the commune sees the card
    assert "Điểm chuẩn: 10" in card and "Tự đánh giá: 9,5" in card
    assert "Tệp minh chứng (1):" in card and "• bien-ban.pdf" in card and "U4" in card
    # The same file again is not kept twice; a file with a score reply is kept with it.
    again = text_of(await bot.say("u4", "tự chấm 9", attachment=Attachment("bien-ban.pdf", PDF_BYTES, "document")))
    assert "Đã ghi nhận mục 10" in again and "đã có trong minh chứng của mục 10" in again
    assert (await item(bot, "10")).self_points == D(9)


async def test_several_items_are_asked_and_answered_by_their_reference(sessions, clock) -> None:  # noqa: ANN001
    bot, _service, inbox = await reminded(sessions, clock)
    message = notice_id(inbox, "u3")  # Trung tâm Phục vụ hành chính công: several items
    asked = text_of(await bot.say("u3", "đạt 1 điểm, đã công khai đầy đủ", reply_to=message))
    assert "nhắc 6 mục chấm điểm" in asked and "• 1.1. Công khai mức thu phí" in asked
    assert "Nhắn số mục, ví dụ «1.1»." in asked and await proposals(bot) == []  # never guessed
    said = text_of(await bot.say("u3", "1.1"))
    assert "Đã ghi nhận mục 1.1" in said and "tự đánh giá 1/1 điểm" in said
    assert await proposals(bot) == [("1.1", D(1), "đã công khai đầy đủ")]
    # A reply to the reminder again: asked again; a bare number ref ("6") answers too.
    asked = text_of(await bot.say("u3", "tự chấm 7, đạt 92% hài lòng", reply_to=message))
    assert "mục nào" in asked
    refused = text_of(await bot.say("u3", "6"))
    assert "vượt điểm chuẩn của mục 6 (tối đa 6 điểm)" in refused
    assert [p[0] for p in await proposals(bot)] == ["1.1"]
    # Words and a file replying to the reminder of several: asked, the file held.
    held = text_of(await bot.say("u3", "tự chấm 4 điểm", reply_to=message,
                                 attachment=Attachment("kq.pdf", PDF_BYTES, "document")))  # fmt: skip
    assert "mục nào" in held and "sẽ được lưu làm minh chứng của mục anh/chị chọn" in held
    kept = text_of(await bot.say("u3", "mục 4.1"))
    assert "Đã ghi nhận mục 4.1" in kept and "Đã lưu tệp «kq.pdf»" in kept and "minh chứng của mục 4.1" in kept
    assert (await item(bot, "4.1")).self_points == D(4)
    async with bot.sessions() as session:
        rows = list(await session.scalars(select(EvidenceFile)))
        assert [r.score_item_id for r in rows] == [(await item(bot, "4.1")).id]
    # The reminder also listed tasks: a reply without points is about them, as before.
    about_tasks = text_of(await bot.say("u3", "Hoàn thành", reply_to=message))
    assert "nhiệm vụ nào" in about_tasks and [p[0] for p in await proposals(bot)] == ["1.1", "4.1"]


async def test_a_strangers_or_another_units_reply_is_refused(sessions, clock) -> None:  # noqa: ANN001
    bot, _service, inbox = await reminded(sessions, clock)
    assert "/dangky" in text_of(await bot.say("khach", "đạt 10 điểm"))
    # Phòng Văn hóa - Xã hội answering the reminder sent to another unit's officer.
    other = text_of(await bot.say("u0", "đạt 10 điểm", reply_to=notice_id(inbox, "u4")))
    assert "Đã ghi nhận mục" not in other
    # ... or right after looking at another unit's item.
    await bot.say("u0", "/diem 10")
    refused = text_of(await bot.say("u0", "đạt 10 điểm, sạch đẹp"))
    assert "Mục 10 do Trung tâm Dịch vụ sự nghiệp công chủ trì" in refused
    assert await proposals(bot) == []
    async with bot.sessions() as session:
        assert await session.scalar(select(Question).where(Question.kind == "score_which")) is None


async def test_a_reply_is_fresh_for_as_long_as_a_tasks(sessions, clock) -> None:  # noqa: ANN001
    from datetime import timedelta

    from handlers.tasks.access import FOCUS_FRESH

    bot, _service, inbox = await reminded(sessions, clock)
    message = notice_id(inbox, "u4")
    clock.move_to(clock.now() + FOCUS_FRESH + timedelta(hours=1))
    stale = text_of(await bot.say("u4", "đạt 9 điểm"))
    assert "Đã ghi nhận mục" not in stale and await proposals(bot) == []
    # A reply to the reminder itself still maps to its item.
    said = text_of(await bot.say("u4", "đạt 9 điểm", reply_to=message))
    assert "Đã ghi nhận mục 10" in said


async def test_a_file_alone_after_a_reminder_of_several_items_is_asked_about(sessions, clock) -> None:  # noqa: ANN001
    from bot.reminders import ReminderService
    from tests.harness import Harness
    from tests.test_reminders import Inbox

    clock.move_to(datetime(2026, 6, 1, 7, 0, tzinfo=TZ))
    bot = Harness(sessions, clock, channel="console")  # no plan: the reminder lists items only
    await import_empty_sheet(bot)
    await bot.register("mai", "officer", "Trung tâm phục vụ hành chính công xã")
    inbox = Inbox(clock)
    service = ReminderService(bot.conversation.services, {"console": inbox})
    await run_until(service, clock, datetime(2026, 6, 3, 8, 10, tzinfo=TZ))  # a file alone: within 30 min
    assert NOTICE in inbox.to("mai")[-1].text and "Nhiệm vụ" not in inbox.to("mai")[-1].text
    held = text_of(await bot.say("mai", attachment=Attachment("anh.pdf", PDF_BYTES, "document")))
    assert "6 mục chấm điểm; tệp «anh.pdf» là minh chứng của mục nào?" in held
    assert "• 9.1." in held and "sẽ được lưu làm minh chứng của mục anh/chị chọn" in held
    kept = text_of(await bot.say("mai", "9.1"))
    assert "Đã lưu tệp «anh.pdf»" in kept and "minh chứng của mục 9.1" in kept
    async with bot.sessions() as session:
        assert [r.score_item_id for r in await session.scalars(select(EvidenceFile))] == [(await item(bot, "9.1")).id]
    # The focus is on 9.1 now; words without points replying to the reminder of items
    # only are still about its items (asked), never a task.
    asked = text_of(await bot.say("mai", "Đã công khai đầy đủ các nội dung", reply_to=notice_id(inbox, "mai")))
    assert "mục nào" in asked and "• 1.1." in asked
    said = text_of(await bot.say("mai", "1.1"))
    assert "Đã ghi nhận mục 1.1" in said and "chưa có điểm" in said and "/diem 1.1 ĐIỂM" in said
    assert (await item(bot, "1.1")).result_text == "Đã công khai đầy đủ các nội dung"
