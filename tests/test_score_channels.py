"""Score sheets through the real channels: on Telegram (python-telegram-bot against the
fake Bot API) the compiler sends the sheet file, an officer reports a score, a score
above the maximum is refused, the compiler confirms, and /baocao diem brings the .docx
and .xlsx; on Zalo (the real client against the fake Zalo server) the same by typed
text, without files; on Telegram a reply to the score reminder asked about by buttons,
the file after it kept as the item's evidence. The database is checked after each step."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.reminders import ReminderService
from models.evidence import EvidenceFile
from models.evidence_store import EvidenceSettings
from models.scores import ScoreItem
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo
from tests.harness import Harness
from tests.score_sheet import import_empty_sheet, sheet_rows, sheet_xlsx
from tests.telegram_support import buttons, polling, register
from tests.test_evidence import PDF_BYTES
from tests.test_reminders import TZ
from tests.zalo_support import config, say, serving

MAI = "6b2c3d4e5f607182"
TT = "Trung tâm phục vụ hành chính công xã"


async def item(harness: Harness, ref: str) -> ScoreItem:
    async with harness.sessions() as session:
        return await session.scalar(select(ScoreItem).where(ScoreItem.ref == ref))


async def test_scores_on_telegram(tg: FakeTelegram, running: Harness) -> None:
    await register(tg, running, 11, "admin", name="Trinh")
    mark = len(tg.sent)
    tg.send_document(11, "bang-diem.xlsx", sheet_xlsx(sheet_rows(filled=False)), caption="/nhap")
    summary = await tg.wait_for(lambda m: m.chat_id == 11, since=mark, timeout=10)
    assert "Đã nhập bảng điểm" in summary.text and "22 mục chấm điểm" in summary.text

    await register(tg, running, 42, "officer", TT, "Mai")
    mark = len(tg.sent)
    tg.send_text(42, "/điểm 9.1 tự chấm 6,5")
    refused = await tg.wait_for(lambda m: m.chat_id == 42 and "Không ghi nhận" in (m.text or ""), since=mark)
    assert "tối đa 6 điểm" in refused.text and (await item(running, "9.1")).self_points is None
    mark = len(tg.sent)
    tg.send_text(42, "/diem 9.1 5,7 Đạt 95% hồ sơ trực tuyến toàn trình")
    await tg.wait_for(lambda m: m.chat_id == 42 and "Đã ghi nhận mục 9.1" in (m.text or ""), since=mark)
    assert (await item(running, "9.1")).self_points == Decimal("5.7")
    mark = len(tg.sent)
    tg.send_text(11, "/chamdiem 9.1 5,5")
    await tg.wait_for(lambda m: m.chat_id == 11 and "Đề xuất trước đó: 5,7 điểm (Mai)" in (m.text or ""), since=mark)
    assert (await item(running, "9.1")).confirmed_points == Decimal("5.5")

    mark = len(tg.sent)
    tg.send_text(11, "/baocao diem")
    excel = await tg.wait_for(lambda m: m.chat_id == 11 and m.document is not None
                              and (m.filename or "").endswith("-6thang-2026.xlsx"), since=mark, timeout=10)  # fmt: skip
    assert [m.filename for m in tg.sent[mark:] if m.document] == [
        "bang-diem-xa-nguyen-binh-khiem-6thang-2026.docx", "bang-diem-xa-nguyen-binh-khiem-6thang-2026.xlsx"
    ]
    rows = {r[1]: r for r in load_workbook(BytesIO(excel.document)).active.iter_rows(min_row=5, values_only=True)}
    # The unit's self-assessment and the confirmed score, each in its own column.
    assert rows["Tổng"][7] == 5.7 and rows["- Cung cấp dịch vụ công trực tuyến toàn trình."][7] == 5.7
    assert rows["Tổng"][8] == 5.5 and rows["- Cung cấp dịch vụ công trực tuyến toàn trình."][8] == 5.5
    assert rows["TIÊU CHÍ 4: CHÍNH QUYỀN XANH, VĂN MINH, HIỆN ĐẠI"][2] == 25


async def test_scores_on_zalo(zalo: FakeZalo, sessions, clock) -> None:  # noqa: ANN001
    harness = Harness(sessions, clock, channel="zalo")
    await harness.import_sample()
    await import_empty_sheet(harness)
    async with serving(harness, config(zalo)):
        code = await harness.invite("officer", TT)
        await say(zalo, MAI, f"/dangky {code}", display_name="Chị Mai")
        assert "tối đa 1 điểm" in await say(zalo, MAI, "/diem 1.1 dat 2 diem")
        said = await say(zalo, MAI, "/diem 1.1 dat 1 diem, cong khai day du")
        assert "Đã ghi nhận mục 1.1" in said and "1/100" in said
        assert (await item(harness, "1.1")).result_text == "cong khai day du"
        figures = await say(zalo, MAI, "/diem")
        assert "Trung tâm Phục vụ hành chính công: 1/25 — 5 mục chưa báo cáo" in figures
        assert len(figures) <= 2000 or "Chưa báo cáo" in figures


@pytest.fixture
async def bot_and_channel(tg: FakeTelegram, sessions, clock, tmp_path):  # noqa: ANN001, ANN201
    """A dondoc on the fake Bot API with only the empty score sheet (no plan: the
    reminder is the score reminder alone), and its channel for the dispatcher."""
    harness = Harness(sessions, clock, channel="telegram", evidence=EvidenceSettings(folder=tmp_path / "ev"))
    clock.move_to(datetime(2026, 6, 1, 7, 0, tzinfo=TZ))
    await import_empty_sheet(harness)
    async with polling(tg, harness, post_init=True, per_chat_interval=0) as channel:
        yield harness, channel


async def test_a_reply_to_the_score_reminder_on_telegram(tg: FakeTelegram, bot_and_channel) -> None:  # noqa: ANN001
    harness, channel = bot_and_channel
    await register(tg, harness, 42, "officer", TT, "Mai")
    harness.clock.move_to(datetime(2026, 6, 3, 8, 0, tzinfo=TZ))
    service = ReminderService(harness.conversation.services, {"telegram": channel.send_reminder})
    mark = len(tg.sent)
    await service.tick()
    notice = await tg.wait_for(lambda m: m.chat_id == 42 and "Nhắc tự chấm điểm" in (m.text or ""), since=mark)
    assert "• 1.1:" in notice.text and "• 9.1:" in notice.text

    # A bare reply to it: several items, so asked with one button each, the text kept.
    mark = len(tg.sent)
    tg.send_text(42, "đạt 1 điểm, đã công khai đầy đủ", reply_to_message_id=notice.message_id)
    asked = await tg.wait_for(lambda m: m.chat_id == 42 and "mục nào" in (m.text or ""), since=mark)
    choices = buttons(asked)
    assert len(choices) == 6 and all(label.startswith("Mục ") for label in choices)
    assert (await item(harness, "1.1")).self_points is None  # never guessed
    tap = next(data for label, data in choices.items() if label.startswith("Mục 1.1:"))
    mark = len(tg.sent)
    tg.press_button(42, asked.message_id, tap)
    said = await tg.wait_for(lambda m: m.chat_id == 42 and "Đã ghi nhận mục 1.1" in (m.text or ""), since=mark)
    assert "tự đánh giá 1/1 điểm" in said.text
    recorded = await item(harness, "1.1")
    assert recorded.self_points == Decimal(1) and recorded.result_text == "đã công khai đầy đủ"

    # The decision's PDF right after: the item's evidence, listed and downloadable on its card.
    mark = len(tg.sent)
    tg.send_document(42, "thong-bao-cong-khai.pdf", PDF_BYTES, mime_type="application/pdf")
    await tg.wait_for(lambda m: m.chat_id == 42 and "minh chứng của mục 1.1" in (m.text or ""), since=mark)
    async with harness.sessions() as session:
        row = await session.scalar(select(EvidenceFile))
        assert row.score_item_id == recorded.id and row.file_name == "thong-bao-cong-khai.pdf"
    mark = len(tg.sent)
    tg.send_text(42, "/diem 1.1")
    card = await tg.wait_for(lambda m: m.chat_id == 42 and "Tệp minh chứng (1):" in (m.text or ""), since=mark)
    assert "Điểm chuẩn: 1" in card.text and "đề xuất 1 điểm" in card.text
    mark = len(tg.sent)
    tg.press_button(42, card.message_id, buttons(card)["Tải thong-bao-cong-khai.pdf"])
    got = await tg.wait_for(lambda m: m.chat_id == 42 and m.document is not None, since=mark)
    assert got.document == PDF_BYTES

    # Over the maximum: the item chosen by tap refuses it, naming the maximum.
    mark = len(tg.sent)
    tg.send_text(42, "tự chấm 5", reply_to_message_id=notice.message_id)
    asked = await tg.wait_for(lambda m: m.chat_id == 42 and "mục nào" in (m.text or ""), since=mark)
    tap = next(data for label, data in buttons(asked).items() if label.startswith("Mục 4.2:"))
    mark = len(tg.sent)
    tg.press_button(42, asked.message_id, tap)
    refused = await tg.wait_for(lambda m: m.chat_id == 42 and "Không ghi nhận" in (m.text or ""), since=mark)
    assert "tối đa 3 điểm" in refused.text and (await item(harness, "4.2")).self_points is None
