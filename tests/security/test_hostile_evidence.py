"""Evidence files that lie about themselves (issue 25, point 1): the type comes from the
bytes, the stored and offered name gets that type's extension, files outside the
allow-list are refused, bidirectional and control characters never reach a name, and
the download server's Content-Disposition is RFC 6266's. The first four cases fail on
the main of issue 25 (the names were kept as sent)."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import select

from bot.file_server import content_disposition
from handlers.evidence.rules import PDF, TXT, ZIP, file_type, offered_name, shown_name
from handlers.messages import Attachment
from models.evidence import EvidenceFile
from tests.harness import Harness, sample_harness, text_of

PDF_WITH_SCRIPT = b"%PDF-1.4\n<script>alert(1)</script>\n" + b"x" * 300 + b"\n%%EOF"
RLO = "\u202e"


@pytest.fixture
async def bot(sessions, clock) -> Harness:  # noqa: ANN001
    harness = await sample_harness(sessions, clock, "console", ("lan", "officer", "Phòng Văn hóa - Xã hội"), ("trinh", "leader"))
    await harness.say("lan", "/viec 1")
    return harness


async def rows(bot: Harness) -> list[EvidenceFile]:
    async with bot.sessions() as session:
        return list(await session.scalars(select(EvidenceFile).order_by(EvidenceFile.id)))


def zipped(**members: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


async def send(bot: Harness, name: str, data: bytes) -> str:
    return text_of(await bot.say("lan", "Hoàn thành", attachment=Attachment(name, data, "document")))


@pytest.mark.parametrize(
    ("sent", "data", "kept"),
    [
        ("QD-12-UBND.html", PDF_WITH_SCRIPT, "QD-12-UBND.pdf"),
        (f"QD-12{RLO}fdp.bat", PDF_WITH_SCRIPT, "QD-12fdp.pdf"),
        (f"QD-12{RLO}fdp.bat", b"@echo off\r\ndel /q *\r\n", "QD-12fdp.txt"),
        ("bao-cao.exe", PDF_WITH_SCRIPT, "bao-cao.pdf"),
        ("ghi\u200bchu\u2066.txt", "Biên bản họp ngày 9/1".encode(), "ghichu.txt"),
    ],
)
async def test_the_name_gets_the_extension_of_the_bytes(bot: Harness, sent: str, data: bytes, kept: str) -> None:
    answer = await send(bot, sent, data)
    assert f"Đã lưu tệp «{kept}»" in answer, answer
    [row] = await rows(bot)
    assert row.file_name == kept and row.stored_path.endswith(kept.rsplit(".", 1)[1])
    [id_] = [row.id]
    [reply] = await bot.say("trinh", callback=f"evf:{id_}")  # the leader downloads it
    assert reply.document is not None and reply.document.filename == kept


@pytest.mark.parametrize(
    ("sent", "data"),
    [
        ("bao-cao.exe", b"MZ\x90\x00" + bytes(200)),
        ("anh.svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>'),
        ("QD.txt", b"<!DOCTYPE html><html><body onload=x()>"),
        ("QD.pdf", b"\n  <html><script>alert(1)</script>"),
        ("ho-so.zip", zipped(**{"QD.pdf": b"%PDF-1.4", "cai-dat.exe": b"MZ"})),
        ("ho-so.zip", zipped(**{"trong.zip": b"PK"})),
        ("QD.pdf", b"\x7fELF\x02\x01\x01" + bytes(100)),
    ],
)
async def test_files_outside_the_allow_list_are_refused(bot: Harness, sent: str, data: bytes) -> None:
    answer = await send(bot, sent, data)
    assert "nên chưa được lưu" in answer and "Đã lưu tệp" not in answer, answer
    assert await rows(bot) == []


def test_a_zip_of_evidence_is_kept_as_a_zip() -> None:
    assert file_type("ho-so.zip", zipped(**{"QD.pdf": b"%PDF-1.4", "anh/1.jpg": b"\xff\xd8\xff"})) == ZIP
    assert shown_name("ho-so", ZIP) == "ho-so.zip"


def test_no_invisible_character_survives_in_a_name() -> None:
    for bad in ("\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c", "\u200b", "\ufeff", "\x85", "\u2028"):
        assert bad not in shown_name(f"QD{bad}12{bad}.pdf", PDF)
    assert shown_name("QĐ 12.2026", PDF) == "QĐ 12.2026.pdf"  # a number is no extension
    assert shown_name("ANH.JPEG", file_type("a", b"\xff\xd8\xff\xe0")) == "ANH.JPEG"
    assert offered_name(f"old{RLO}fdp.bat", "application/pdf") == "oldfdp.pdf"  # rows kept before
    assert file_type("x.txt", "Kế hoạch".encode()) == TXT


def test_content_disposition_is_rfc_6266() -> None:
    header = content_disposition("attachment", 'Phụ lục "quý 1";.docx')
    assert header == (
        "attachment; filename=\"Phu luc _quy 1__.docx\"; "
        "filename*=UTF-8''Ph%E1%BB%A5%20l%E1%BB%A5c%20%22qu%C3%BD%201%22%3B.docx"
    )
