"""Issue 21: a file listing the tasks the city gives (the annex of an official letter:
unit, content, deadline, source columns) is read by /nhap or by /giao with the file,
shown, and added as assigned tasks after one tap (a number on the console, a button on
Telegram against the fake Bot API); rows it cannot take are named and skipped; a plan
file is still a plan. On SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import datetime

import docx
import pytest
from openpyxl import Workbook
from sqlalchemy import select

from handlers.messages import Attachment
from models.outbox import OutboxItem
from tests.conftest import BACKENDS, TZ
from tests.harness import SAMPLE_DOCX, Harness, text_of
from tests.telegram_support import buttons, register
from tests.test_assigned import given
from tests.test_assigned_channels import telegram  # noqa: F401 - the fixture

HEADER = ["STT", "Đơn vị thực hiện", "Nội dung nhiệm vụ", "Thời hạn", "Văn bản giao"]
SOURCE = "Công văn số 1500/UBND-NV ngày 02/12/2026 của UBND thành phố"
ROWS = [
    ["1", "Phòng Văn hóa - Xã hội", "Báo cáo kết quả thực hiện Đề án 06", "Trước ngày 20/12/2026", SOURCE],
    ["2", "VH-XH", "Rà soát thủ tục hành chính thuộc thẩm quyền", "Quý I/2027", SOURCE],
    ["3", "Phòng Tài nguyên", "Báo cáo đất đai", "Trước ngày 25/12/2026", SOURCE],
    ["4", "Phòng Kinh tế", "Tổng hợp số liệu kinh tế số", "chưa rõ", SOURCE],
]


def xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["PHỤ LỤC: DANH SÁCH NHIỆM VỤ GIAO UBND CÁC XÃ, PHƯỜNG"])
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx_list() -> bytes:
    document = docx.Document()
    document.add_paragraph("Phụ lục kèm theo Công văn số 1500/UBND-NV")
    table = document.add_table(rows=1 + len(ROWS), cols=len(HEADER))
    for r, row in enumerate([HEADER, *ROWS]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_nhap_reads_a_list_then_adds_it_after_the_answer(sessions, clock) -> None:  # noqa: ANN001
    clock.move_to(datetime(2026, 12, 3, 9, 0, tzinfo=TZ))
    bot = Harness(sessions, clock)
    await bot.import_sample()
    await bot.register("ha", "admin")
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    sent = Attachment("phu-luc-cv-1500.xlsx", xlsx(), "document")
    preview = text_of(await bot.say("ha", "/nhap", attachment=sent))
    assert "Tệp «phu-luc-cv-1500.xlsx» là danh sách 4 nhiệm vụ được giao:" in preview, preview
    assert "• Báo cáo kết quả thực hiện Đề án 06 — Phòng Văn hóa - Xã hội, hạn Trước ngày 20/12/2026" in preview
    assert "Chưa thêm được 2 dòng" in preview
    assert "Dòng 5: không có đơn vị «Phòng Tài nguyên»" in preview
    assert "Dòng 6: chưa đọc được thời hạn «chưa rõ»" in preview
    assert "1 = Thêm 2 nhiệm vụ, 2 = Hủy" in preview
    assert await given(bot) == []  # nothing before the answer
    done = text_of(await bot.say("ha", "1"))
    assert done.startswith("Đã thêm 2 nhiệm vụ được giao vào «Nhiệm vụ được giao năm 2026»: số 1, 2."), done
    assert "Đã báo cho: Lan." in done
    tasks = await given(bot)
    assert [(t.content, t.source) for t in tasks] == [
        ("Báo cáo kết quả thực hiện Đề án 06", SOURCE),
        ("Rà soát thủ tục hành chính thuộc thẩm quyền", SOURCE),
    ]
    assert tasks[1].deadline_due is not None and tasks[1].deadline_due.year == 2027
    async with bot.sessions() as session:
        told = list(await session.scalars(select(OutboxItem.task_id).where(OutboxItem.kind == "assigned")))
    assert sorted(told) == sorted(t.id for t in tasks)
    # A plan file is still a plan (here: the same plan again, nothing to change).
    plan = Attachment(SAMPLE_DOCX.name, SAMPLE_DOCX.read_bytes(), "document")
    again = text_of(await bot.say("ha", "/nhap", attachment=plan))
    assert "danh sách" not in again and "không có gì thay đổi" in again, again


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_cancel_adds_nothing_and_giao_refuses_another_file(sessions, clock) -> None:  # noqa: ANN001
    clock.move_to(datetime(2026, 12, 3, 9, 0, tzinfo=TZ))
    bot = Harness(sessions, clock)
    await bot.import_sample()
    await bot.register("trinh", "leader")
    await bot.say("trinh", "/giao", attachment=Attachment("phu-luc.docx", docx_list(), "document"))
    assert "Đã hủy, chưa thêm nhiệm vụ nào." in text_of(await bot.say("trinh", "2"))
    assert await given(bot) == []
    other = Attachment("van-ban.docx", _plain_docx(), "document")
    refused = text_of(await bot.say("trinh", "/giao", attachment=other))
    assert "không phải danh sách nhiệm vụ được giao" in refused


def _plain_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Một văn bản thường")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


async def test_giao_with_a_file_on_telegram(telegram) -> None:  # noqa: ANN001, F811
    tg, harness, _channel = telegram
    await register(tg, harness, 42, "officer", "Phòng Văn hóa - Xã hội", "Lan")
    await register(tg, harness, 7, "leader", None, "Trinh")
    mark = len(tg.sent)
    tg.send_document(7, "phu-luc-cv-1500.docx", docx_list(), caption="/giao")
    asked = await tg.wait_for(lambda m: m.chat_id == 7 and "danh sách 4 nhiệm vụ" in (m.text or ""), since=mark)
    assert set(buttons(asked)) == {"Thêm 2 nhiệm vụ", "Hủy"}
    mark = len(tg.sent)
    tg.press_button(7, asked.message_id, buttons(asked)["Thêm 2 nhiệm vụ"])
    await tg.wait_for(lambda m: m.chat_id == 7 and "Đã thêm 2 nhiệm vụ được giao" in (m.text or ""), since=mark)
    assert len(await given(harness)) == 2
