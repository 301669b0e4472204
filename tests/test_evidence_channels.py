"""Evidence files over the channels: on Telegram (the real python-telegram-bot
Application against the fake Bot API) a document with a report, a photo right after
it, a leader downloading both again from the task card, and forged download buttons
refused; on the console, ``/dinhkem PATH words``. The Zalo picture is in
``test_zalo_channel``."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.channels.console import ConsoleChannel, ConsolePerson
from handlers.imports.plans import import_plan_file
from models.evidence import EvidenceFile
from models.evidence_store import EvidenceSettings
from models.plans import Plan, Task
from tests.fakes.telegram_api import FakeTelegram
from tests.harness import SAMPLE_DOCX, Harness
from tests.telegram_support import buttons, polling, register
from tests.test_evidence import JPEG_BYTES, PDF_BYTES, REPORT

VHXH = "Phòng Văn hóa - Xã hội"


@pytest.fixture
async def running(tg: FakeTelegram, sessions, clock, tmp_path: Path) -> AsyncIterator[Harness]:  # noqa: ANN001
    harness = Harness(sessions, clock, channel="telegram", evidence=EvidenceSettings(folder=tmp_path / "ev"))
    await harness.import_sample()
    async with polling(tg, harness, post_init=True, per_chat_interval=0):
        yield harness


async def rows(harness: Harness) -> list[EvidenceFile]:
    async with harness.sessions() as session:
        return list(await session.scalars(select(EvidenceFile).order_by(EvidenceFile.id)))


async def test_telegram_evidence_is_kept_and_a_leader_downloads_it(tg: FakeTelegram, running: Harness) -> None:
    await register(tg, running, 42, "officer", VHXH, "U42")
    mark = len(tg.sent)
    tg.send_text(42, "/viec 1")
    card = await tg.wait_for(lambda m: m.chat_id == 42 and (m.text or "").startswith("Nhiệm vụ 1:"), since=mark)

    mark = len(tg.sent)
    tg.send_document(42, "QD-12-UBND.pdf", PDF_BYTES, caption=REPORT, reply_to_message_id=card.message_id,
                     mime_type="application/pdf")  # fmt: skip
    done = await tg.wait_for(lambda m: m.chat_id == 42 and "Đã ghi nhận nhiệm vụ 1" in (m.text or ""), since=mark)
    assert "Đã lưu tệp «QD-12-UBND.pdf» (1 KB) làm minh chứng của nhiệm vụ 1." in done.text
    mark = len(tg.sent)
    tg.send_photo(42, JPEG_BYTES)  # the photo of the signed page, right after
    photo = await tg.wait_for(lambda m: m.chat_id == 42, since=mark)
    assert photo.text == "Đã lưu tệp «anh.jpg» (2 KB) làm minh chứng của nhiệm vụ 1."
    async with running.sessions() as session:
        assert (await session.scalar(select(Task).where(Task.number == "1"))).status == "done"
    pdf_row, photo_row = await rows(running)
    assert (pdf_row.channel, pdf_row.channel_ref[:9], photo_row.content_type) == ("telegram", "telegram:", "image/jpeg")

    await register(tg, running, 7, "leader", name="U7")
    mark = len(tg.sent)
    tg.send_text(7, "/viec 1")
    leader_card = await tg.wait_for(lambda m: m.chat_id == 7 and "Tệp minh chứng (2):" in (m.text or ""), since=mark)
    assert "• QD-12-UBND.pdf — 1 KB — U42, 05/01/2026" in leader_card.text
    offered = buttons(leader_card)
    assert offered["Tải QD-12-UBND.pdf"] == f"evf:{pdf_row.id}" and offered["Tải anh.jpg"] == f"evf:{photo_row.id}"
    mark = len(tg.sent)
    tg.press_button(7, leader_card.message_id, offered["Tải QD-12-UBND.pdf"])
    sent = await tg.wait_for(lambda m: m.chat_id == 7 and m.method == "sendDocument", since=mark)
    assert (sent.document, sent.filename) == (PDF_BYTES, "QD-12-UBND.pdf")

    # forged download buttons: a row that does not exist, another commune's file
    async with running.sessions() as session, session.begin():
        await import_plan_file(session, data=SAMPLE_DOCX.read_bytes(), filename=SAMPLE_DOCX.name,
                               organization="Phường Nhị Chiểu", now=running.clock.now())  # fmt: skip
    async with running.sessions() as session, session.begin():
        other_task, other_org = (await session.execute(
            select(Task.id, Plan.organization_id).join(Task.plan).where(Task.number == "1", Task.id != pdf_row.task_id)
        )).one()  # fmt: skip
        foreign = EvidenceFile(**{c: getattr(pdf_row, c) for c in ("file_name", "size", "content_type", "sha256",
                               "channel", "stored_path", "created_at")}, organization_id=other_org,
                               task_id=other_task)  # fmt: skip
        session.add(foreign)
        await session.flush()
        foreign_id = foreign.id
    for forged in ("evf:999999", f"evf:{foreign_id}", "evf:../../etc/passwd", "evf:"):
        mark = len(tg.sent)
        tg.press_button(7, leader_card.message_id, forged, strict=False)
        refusal = await tg.wait_for(lambda m: m.chat_id == 7, since=mark)
        assert refusal.method == "sendMessage" and "Không tìm thấy tệp minh chứng này" in refusal.text, forged
    # an officer of another unit may not fetch the first one either
    await register(tg, running, 55, "officer", "Phòng Kinh tế", "U55")
    mark = len(tg.sent)
    tg.send_text(55, "/viec 1")
    await tg.wait_for(lambda m: m.chat_id == 55, since=mark)
    own = [m for m in tg.sent[mark:] if m.chat_id == 55][-1]
    mark = len(tg.sent)
    tg.press_button(55, own.message_id, f"evf:{pdf_row.id}", strict=False)
    refusal = await tg.wait_for(lambda m: m.chat_id == 55, since=mark)
    assert "Không tìm thấy tệp minh chứng này" in refusal.text and not refusal.document


async def test_console_dinhkem_sends_a_file_from_disk(sessions, clock, tmp_path: Path) -> None:  # noqa: ANN001
    harness = Harness(sessions, clock, channel="console", evidence=EvidenceSettings(folder=tmp_path / "ev"))
    await harness.import_sample()
    await harness.register("lan", "officer", VHXH)
    out = io.StringIO()
    channel = ConsoleChannel(harness.conversation, clock, [ConsolePerson("lan", "Lan", "cán bộ")], stdout=out)
    decision = tmp_path / "QĐ 12 UBND.pdf"
    decision.write_bytes(PDF_BYTES)
    await channel.send("/viec 1")
    assert await channel._local(f'/dinhkem "{decision}" {REPORT}')
    printed = out.getvalue()
    assert "Đã ghi nhận nhiệm vụ 1" in printed and "Đã lưu tệp «QĐ 12 UBND.pdf» (1 KB) làm minh chứng của nhiệm vụ 1." in printed
    [row] = await rows(harness)
    assert (row.file_name, row.channel, row.size) == ("QĐ 12 UBND.pdf", "console", len(PDF_BYTES))
    assert await channel._local(f"/dinhkem {tmp_path / 'khong-co.pdf'}")
    assert "Không đọc được tệp" in out.getvalue()
    assert await channel._local("/dinhkem")
    assert "Cách dùng: /dinhkem ĐƯỜNG_DẪN" in out.getvalue()
    card = await channel.send("/viec 1")
    assert "• QĐ 12 UBND.pdf — 1 KB — Lan, 05/01/2026" in card[0].text
