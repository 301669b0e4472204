"""The compiler's word on a score item and the chat after /diem (issue 22): /chamdiem's
note is kept, shown on the card and in the table, and told to the lead unit; the unit's
self-assessment and the confirmed score stay in their own columns; a text after /diem
becomes the item's result only if it reads as one (else it is asked about, or left to
the rest of the conversation)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal as D
from io import BytesIO

from docx import Document
from openpyxl import load_workbook

from tests.harness import text_of
from tests.score_sheet import import_empty_sheet
from tests.test_reminders import TZ, run_until, setup
from tests.test_score_replies import item

CHAT = "chiều nay họp lúc mấy giờ vậy?"


async def test_chat_after_diem_never_becomes_the_items_result(sessions, clock) -> None:  # noqa: ANN001
    bot, _service, _inbox = await setup(sessions, clock)
    clock.move_to(datetime(2026, 6, 3, 9, 0, tzinfo=TZ))
    await import_empty_sheet(bot)
    said = text_of(await bot.say("u0", "/diem 8.1 tự chấm 7,5 đã cử 15 lượt"))
    assert "Đã ghi nhận mục 8.1" in said, said
    answer = text_of(await bot.say("u0", CHAT))
    got = await item(bot, "8.1")
    assert got.self_points == D("7.5") and got.result_text == "đã cử 15 lượt", answer
    assert "chưa có điểm" not in answer and "Đã ghi nhận mục 8.1" not in answer
    # Words that may or may not be the result are kept and asked about, not recorded.
    unsure = text_of(await bot.say("u0", "trang Zalo OA của xã"))
    assert "có phải là kết quả của mục 8.1" in unsure, unsure
    assert (await item(bot, "8.1")).result_text == "đã cử 15 lượt"
    # A result is still a result.
    text_of(await bot.say("u0", "/diem 8.1"))
    recorded = text_of(await bot.say("u0", "Đã cử 25 lượt tham gia bồi dưỡng"))
    assert "Đã ghi nhận mục 8.1" in recorded, recorded
    assert (await item(bot, "8.1")).result_text == "Đã cử 25 lượt tham gia bồi dưỡng"


async def test_the_compilers_note_is_kept_shown_and_told(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    clock.move_to(datetime(2026, 6, 3, 9, 0, tzinfo=TZ))
    await import_empty_sheet(bot)
    await bot.say("u0", "/diem 8.1 7,5 đã cử 15 lượt")
    answer = text_of(await bot.say("admin", "/chamdiem 8.1 7 thiếu ảnh minh chứng"))
    assert "Ghi chú: thiếu ảnh minh chứng" in answer and "Phòng Văn hóa - Xã hội" in answer
    card = text_of(await bot.say("admin", "/diem 8.1"))
    assert "thiếu ảnh minh chứng" in card and "Tự đánh giá: 7,5" in card
    # The lead unit's officer is told, with the note, through the outbox.
    mark = len(inbox.got)
    await run_until(service, clock, datetime(2026, 6, 3, 11, 0, tzinfo=TZ))
    told = [o.text for chat, _at, o in inbox.got[mark:] if chat == "u0" and "8.1" in o.text]
    assert told and "thiếu ảnh minh chứng" in told[0] and "7/8" in told[0], told
    assert "Đơn vị tự đánh giá: 7,5" in told[0]
    # The table: the unit's 7,5 and the confirmed 7 in their own columns, the note shown.
    files = [r.document for r in await bot.say("admin", "/baocao diem") if r.document]
    docx, xlsx = files
    table = Document(BytesIO(docx.data)).tables[1]
    assert [c.text for c in table.rows[0].cells][-2:] == ["Điểm tự đánh giá", "Điểm thẩm định"]
    row = next(r for r in table.rows if r.cells[1].text.startswith("- Cử cán bộ"))
    assert (row.cells[7].text, row.cells[8].text) == ("7,5", "7")
    assert "Ý kiến thẩm định: thiếu ảnh minh chứng" in row.cells[6].text
    sheet = load_workbook(BytesIO(xlsx.data)).active
    found = next(r for r in sheet.iter_rows(min_row=5, values_only=True) if str(r[1]).startswith("- Cử cán bộ"))
    assert (found[7], found[8]) == (7.5, 7) and "thiếu ảnh minh chứng" in found[6]
