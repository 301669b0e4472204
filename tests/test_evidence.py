"""Evidence files (issue 14, item 8) through the real conversation on the console
channel: a file with a report, a photo right after one, the limits per file and per
organization, the same file twice, path tricks in names, the plan-import rule, the
which-task question for a file alone, and the task card. Each case reads the database
and the evidence folder afterwards; the pure rules are tested directly."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import select

from handlers.evidence.rules import (
    CSV,
    JPEG,
    OLE2,
    PDF,
    PNG,
    TXT,
    ZIPPED,
    file_type,
    human_size,
    is_plan_import,
    limit_problem,
    shown_name,
)
from handlers.messages import Attachment
from models.evidence import EvidenceFile
from models.evidence_store import EvidenceSettings, StoreError, read, resolve, stored_name
from models.plans import StatusUpdate, Task
from scheduler.clock import Clock
from tests.conftest import BACKENDS
from tests.harness import SAMPLE_DOCX, Harness, text_of

VHXH = "Phòng Văn hóa - Xã hội"
PDF_BYTES = b"%PDF-1.7\n" + b"quyet dinh 12/QD-UBND " * 50 + b"\n%%EOF"
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + bytes(200)
REPORT = "Hoàn thành, QĐ số 12/QĐ-UBND ngày 09/01/2026"


def pdf(name: str = "QD-12-UBND.pdf", data: bytes = PDF_BYTES) -> Attachment:
    return Attachment(name, data, "document", ref=f"console:{name}")


def docx_bytes(text: str) -> bytes:
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "evidence"


async def make_bot(sessions, clock: Clock, folder: Path, **limits: int) -> Harness:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="console", evidence=EvidenceSettings(folder=folder, **limits))
    await bot.import_sample()
    await bot.register("lan", "officer", VHXH)
    await bot.register("trinh", "leader")
    return bot


@pytest.fixture
async def bot(sessions, clock: Clock, folder: Path) -> Harness:  # noqa: ANN001
    return await make_bot(sessions, clock, folder)


async def files(bot: Harness) -> list[EvidenceFile]:
    async with bot.sessions() as session:
        return list(await session.scalars(select(EvidenceFile).order_by(EvidenceFile.id)))


async def task_of(bot: Harness, row: EvidenceFile) -> str:
    async with bot.sessions() as session:
        return (await session.get(Task, row.task_id)).number


async def status_of(bot: Harness, number: str) -> str:
    async with bot.sessions() as session:
        return (await session.scalar(select(Task).where(Task.number == number))).status


def stored_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# --- pure rules ------------------------------------------------------------------------


def test_file_type_is_read_from_the_bytes() -> None:
    zipped = docx_bytes("QĐ 12")
    assert file_type("QD.pdf", PDF_BYTES) == PDF
    assert file_type("QD.docx", zipped) == ZIPPED[".docx"]
    assert file_type("bang.XLSX", zipped) == ZIPPED[".docx"]  # the bytes decide, not the name
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(50)
    assert file_type("cu.doc", ole2 + "WordDocument".encode("utf-16-le")) == OLE2[".doc"]
    assert file_type("cu.doc", ole2 + "Workbook".encode("utf-16-le")) == OLE2[".xls"]
    assert file_type("so-lieu.csv", "Đơn vị;Số\nVH-XH;3\n".encode()) == CSV
    assert file_type("anh.jpg", JPEG_BYTES, "photo") == JPEG
    assert file_type("anh.jpg", PNG_BYTES, "photo") == PNG  # a photo's type is its bytes'
    assert file_type("chup.png", JPEG_BYTES) == JPEG
    # refused: a program named like a PDF, a zip that is no office file, a fake photo
    assert file_type("QD.pdf", b"MZ\x90\x00" + bytes(60)) is None
    assert file_type("QD.zip", zipped) == ZIPPED[".docx"]
    assert file_type("cu.doc", ole2) is None  # an OLE2 file that is no Word or Excel (an .msi)
    assert file_type("QD.docx", PDF_BYTES[:4] + b"x") == TXT  # plain text, offered as .txt
    assert file_type("anh.jpg", PDF_BYTES, "photo") is None
    assert file_type("x.csv", b"\x00\x01\x02") is None


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("C:\\Users\\Lan\\QĐ 12.pdf", "QĐ 12.pdf"),
        ("..", "tep.pdf"),
        ("", "tep.pdf"),
        ("QD\x00\x1b[31m.pdf", "QD[31m.pdf"),
        ("a" * 300 + ".pdf", "a" * 115 + "….pdf"),
    ],
)
def test_shown_name_is_never_a_path(given: str, shown: str) -> None:
    assert shown_name(given, PDF) == shown


def test_sizes_and_limits_in_vietnamese() -> None:
    assert (human_size(900), human_size(350_000), human_size(1_234_567)) == ("900 byte", "342 KB", "1,2 MB")
    settings = EvidenceSettings(max_file_mb=1, max_org_mb=2)
    mb = 1024 * 1024
    assert limit_problem("a.pdf", mb, 0, settings, new_content=True) is None
    assert "lớn hơn mức 1 MB" in limit_problem("a.pdf", mb + 1, 0, settings, new_content=True)
    assert "đã dùng 1,5 MB trên mức 2 MB" in limit_problem("a.pdf", mb, 3 * mb // 2, settings, new_content=True)
    assert limit_problem("a.pdf", mb, 3 * mb // 2, settings, new_content=False) is None  # kept already


def test_plan_import_rule() -> None:
    plan = dict(admin=True, caption="", kind="document")
    assert is_plan_import(name="ke-hoach-cchc-2026.docx", **plan)
    assert is_plan_import(name="Kế hoạch CCHC 2026.xlsx", **plan)
    assert is_plan_import(name="KH_12_CCHC.csv", **plan)
    assert not is_plan_import(name="QD-12-UBND.docx", **plan)  # a decision: evidence
    assert not is_plan_import(name="ke-hoach.pdf", **plan)  # not a table dondoc reads
    assert not is_plan_import(name="ke-hoach.docx", admin=False, caption="", kind="document")
    assert not is_plan_import(name="ke-hoach.docx", admin=True, caption="Hoàn thành", kind="document")
    assert not is_plan_import(name="khoa-hoc.docx", **plan)


def test_store_refuses_paths_of_its_own_making_only(tmp_path: Path) -> None:
    sha = hashlib.sha256(b"x").hexdigest()
    assert stored_name(7, sha, ".pdf") == f"7/{sha[:2]}/{sha}.pdf"
    assert resolve(tmp_path, f"7/{sha[:2]}/{sha}.pdf").is_relative_to(tmp_path.resolve())
    for bad in ("../../etc/passwd", f"7/../../{sha}.pdf", f"/etc/{sha}.pdf", f"7/{sha[:2]}/{sha}.pdf/.."):
        with pytest.raises(StoreError):
            resolve(tmp_path, bad)
    with pytest.raises(StoreError):
        stored_name(7, "../" + sha, ".pdf")


# --- through the conversation ----------------------------------------------------------


both_databases = pytest.mark.parametrize("database_url", BACKENDS, indirect=True)


@both_databases
async def test_document_with_a_report_records_the_status_and_keeps_the_file(bot: Harness, folder: Path) -> None:
    await bot.say("lan", "/viec 1")
    answer = text_of(await bot.say("lan", REPORT, attachment=pdf()))
    assert "Đã ghi nhận nhiệm vụ 1" in answer and "QĐ số 12/QĐ-UBND" in answer
    assert "Đã lưu tệp «QD-12-UBND.pdf» (1 KB) làm minh chứng của nhiệm vụ 1." in answer
    assert await status_of(bot, "1") == "done"
    [row] = await files(bot)
    assert await task_of(bot, row) == "1"
    sha = hashlib.sha256(PDF_BYTES).hexdigest()
    assert (row.file_name, row.size, row.content_type, row.sha256, row.channel) == (
        "QD-12-UBND.pdf", len(PDF_BYTES), "application/pdf", sha, "console"
    )
    assert row.stored_path == f"{row.organization_id}/{sha[:2]}/{sha}.pdf"
    assert row.created_at == bot.clock.now() and row.person_id is not None
    assert stored_files(folder) == [folder / row.stored_path]
    assert read(folder, row.stored_path) == PDF_BYTES
    # the card shows it: name, size, who, date — and no download button off Telegram
    card = text_of(await bot.say("lan", "/viec 1"))
    assert "Tệp minh chứng (1):\n• QD-12-UBND.pdf — 1 KB — Lan, 05/01/2026" in card
    assert "Tải" not in card
    assert "Minh chứng: QĐ số 12/QĐ-UBND ngày 09/01/2026\n" in card  # the file is not named twice


async def test_photo_right_after_a_report_goes_to_that_task(bot: Harness) -> None:
    await bot.say("lan", "/viec 6")
    await bot.say("lan", "Hoàn thành")
    bot.clock.move_to(bot.clock.now() + timedelta(minutes=10))
    answer = text_of(await bot.say("lan", attachment=Attachment("anh.jpg", PNG_BYTES, "photo")))
    assert answer == "Đã lưu tệp «anh.png» (208 byte) làm minh chứng của nhiệm vụ 6."
    [row] = await files(bot)
    assert (await task_of(bot, row), row.content_type, row.stored_path[-4:]) == ("6", "image/png", ".png")
    async with bot.sessions() as session:  # a file alone writes no status or note
        kinds = [u.kind for u in await session.scalars(select(StatusUpdate).order_by(StatusUpdate.id))]
    assert kinds == ["status"]


@both_databases
async def test_file_alone_long_after_is_asked_about_and_kept_for_the_answer(bot: Harness) -> None:
    await bot.say("lan", "/viec 6")
    bot.clock.move_to(bot.clock.now() + timedelta(minutes=31))
    asked = text_of(await bot.say("lan", attachment=pdf()))
    assert "Tệp «QD-12-UBND.pdf» là minh chứng của nhiệm vụ nào?" in asked and "• 6." in asked
    [held] = await files(bot)
    assert held.task_id is None and held.question_id is not None
    answer = text_of(await bot.say("lan", "6"))
    assert answer.startswith("Đã lưu tệp «QD-12-UBND.pdf»") and "nhiệm vụ 6" in answer
    [row] = await files(bot)
    assert await task_of(bot, row) == "6" and row.question_id is None
    assert await status_of(bot, "6") == "not_started"  # a file is no report


async def test_oversized_file_is_refused_and_nothing_stored(sessions, clock: Clock, folder: Path) -> None:  # noqa: ANN001
    bot = await make_bot(sessions, clock, folder, max_file_mb=1)
    await bot.say("lan", "/viec 1")
    big = pdf("QD-lon.pdf", b"%PDF-1.7\n" + bytes(1024 * 1024))
    answer = text_of(await bot.say("lan", REPORT, attachment=big))
    assert "Đã ghi nhận nhiệm vụ 1" in answer  # the words still count
    assert "Tệp «QD-lon.pdf» lớn hơn mức 1 MB cho mỗi tệp minh chứng nên tôi chưa lưu." in answer
    assert await files(bot) == [] and stored_files(folder) == []
    async with bot.sessions() as session:  # nor does the report mention a file
        update = await session.scalar(select(StatusUpdate).where(StatusUpdate.kind == "status"))
    assert update.attachment is None and not any("Tệp" in e for e in update.evidence)
    # a file the channel would not download comes with its size only: too large too
    answer = text_of(await bot.say("lan", attachment=Attachment("to.pdf", b"", "document", size=30 * 1024**2)))
    assert "lớn hơn mức 1 MB" in answer and await files(bot) == []


@both_databases
async def test_organization_quota_counts_each_content_once(sessions, clock: Clock, folder: Path) -> None:  # noqa: ANN001
    bot = await make_bot(sessions, clock, folder, max_file_mb=1, max_org_mb=1)
    first = pdf("QD-1.pdf", b"%PDF-1.7\n" + b"1" * 600_000)
    second = pdf("QD-2.pdf", b"%PDF-1.7\n" + b"2" * 600_000)
    await bot.say("lan", "/viec 1")
    assert "Đã lưu tệp «QD-1.pdf»" in text_of(await bot.say("lan", REPORT, attachment=first))
    await bot.say("lan", "/viec 6")
    refused = text_of(await bot.say("lan", "Hoàn thành", attachment=second))
    assert "Kho minh chứng của đơn vị đã dùng 586 KB trên mức 1 MB nên tôi chưa lưu tệp «QD-2.pdf»" in refused
    assert await status_of(bot, "6") == "done"
    # the same content for another task takes no more room: kept, one file on disk
    await bot.say("lan", "/viec 6")
    assert "Đã lưu tệp «QD-1.pdf»" in text_of(await bot.say("lan", attachment=first))
    rows = await files(bot)
    assert [await task_of(bot, r) for r in rows] == ["1", "6"]
    assert rows[0].stored_path == rows[1].stored_path and len(stored_files(folder)) == 1


async def test_same_file_twice_is_one_row(bot: Harness, folder: Path) -> None:
    await bot.say("lan", "/viec 1")
    await bot.say("lan", REPORT, attachment=pdf())
    again = text_of(await bot.say("lan", attachment=pdf("ban-sao.pdf")))
    assert again == "Tệp «ban-sao.pdf» đã có trong minh chứng của nhiệm vụ 1; tôi không lưu thêm bản nữa."
    assert len(await files(bot)) == 1 and len(stored_files(folder)) == 1


async def test_path_tricks_in_names_stay_names(bot: Harness, folder: Path) -> None:
    await bot.say("lan", "/viec 1")
    answer = text_of(await bot.say("lan", REPORT, attachment=pdf("../../../../tmp/evil.pdf")))
    assert "«evil.pdf»" in answer and "../" not in answer
    [row] = await files(bot)
    assert row.file_name == "evil.pdf" and ".." not in row.stored_path
    assert stored_files(folder) == [folder / row.stored_path]
    assert not (folder.parent / "tmp").exists()


async def test_other_files_are_refused(bot: Harness) -> None:
    await bot.say("lan", "/viec 1")
    answer = text_of(await bot.say("lan", attachment=pdf("QD.pdf", b"MZ\x90\x00" + bytes(100))))
    assert "văn bản thuần hoặc tệp nén chứa các loại đó; nội dung tệp «QD.pdf» không thuộc" in answer
    assert await files(bot) == []


async def test_admin_plan_file_is_an_import_and_a_decision_is_evidence(bot: Harness) -> None:
    await bot.register("ha", "admin")
    plan = Attachment("ke-hoach-cchc-2026.docx", SAMPLE_DOCX.read_bytes(), "document")
    assert "(mã CCHC): 39 nhiệm vụ" in text_of(await bot.say("ha", attachment=plan))  # an import
    assert await files(bot) == []
    decision = Attachment("QD-12-UBND.docx", docx_bytes("Quyết định số 12/QĐ-UBND"), "document")
    asked = text_of(await bot.say("ha", attachment=decision))
    assert "Tệp «QD-12-UBND.docx» là minh chứng của nhiệm vụ nào?" in asked
    assert "• 36." not in asked  # task 36 (October) is not among the nearest offered…
    answer = text_of(await bot.say("ha", "36"))  # …yet its number answers for a file
    assert "Đã lưu tệp «QD-12-UBND.docx»" in answer and "nhiệm vụ 36" in answer
    [row] = await files(bot)
    assert row.content_type.endswith("wordprocessingml.document")


async def test_caption_naming_no_task_holds_the_file_for_the_answer(bot: Harness) -> None:
    asked = text_of(await bot.say("lan", "Hoàn thành", attachment=pdf()))
    assert "Nội dung này về nhiệm vụ nào?" in asked
    assert "Tệp «QD-12-UBND.pdf» sẽ được lưu làm minh chứng của nhiệm vụ anh/chị chọn." in asked
    answer = text_of(await bot.say("lan", "6"))
    assert "Đã ghi nhận nhiệm vụ 6" in answer and "Đã lưu tệp «QD-12-UBND.pdf»" in answer
    [row] = await files(bot)
    assert await task_of(bot, row) == "6" and await status_of(bot, "6") == "done"


async def test_capnhat_caption_keeps_the_file(bot: Harness) -> None:
    answer = text_of(await bot.say("trinh", "/capnhat 1 " + REPORT, attachment=pdf()))
    assert "Đã ghi nhận nhiệm vụ 1" in answer and "Đã lưu tệp «QD-12-UBND.pdf»" in answer
    [row] = await files(bot)
    assert await task_of(bot, row) == "1"


async def test_photo_after_a_message_about_several_tasks_asks_and_all_keeps_it_for_each(bot: Harness) -> None:
    await bot.say("lan", "1 hoàn thành, 6 đang thực hiện 20%")
    asked = text_of(await bot.say("lan", attachment=Attachment("anh.jpg", JPEG_BYTES, "photo")))
    assert asked.startswith("Tin vừa rồi nói về 2 nhiệm vụ; tệp «anh.jpg» là minh chứng của nhiệm vụ nào?")
    answer = text_of(await bot.say("lan", "tất cả"))
    assert "minh chứng của nhiệm vụ 1." in answer and "minh chứng của nhiệm vụ 6." in answer
    rows = await files(bot)
    assert sorted([await task_of(bot, r) for r in rows]) == ["1", "6"]
    assert rows[0].stored_path == rows[1].stored_path


async def test_group_file_not_for_dondoc_is_left_alone(bot: Harness, folder: Path) -> None:
    assert await bot.say("lan", attachment=pdf(), chat_type="group") == []
    assert await bot.say("lan", "Gửi cả nhà quyết định", attachment=pdf(), chat_type="group") == []
    assert await files(bot) == [] and stored_files(folder) == []


async def test_files_held_for_a_question_nobody_answered_are_removed_after_a_month(
    bot: Harness, folder: Path
) -> None:
    from bot.reminders import HELD_FILES_KEPT
    from models.evidence_store import forget_lapsed_holds

    await bot.say("lan", "/viec 6")
    bot.clock.move_to(bot.clock.now() + timedelta(minutes=31))
    await bot.say("lan", attachment=pdf())  # asked which task; never answered
    other = Attachment("anh.jpg", PNG_BYTES, "photo")
    await bot.say("lan", attachment=other)  # held too, but the same picture is kept for task 6:
    await bot.say("lan", "/viec 6")
    await bot.say("lan", "Hoàn thành", attachment=other)
    assert len(stored_files(folder)) == 2 and len(await files(bot)) == 3
    settings = EvidenceSettings(folder=folder)
    async with bot.sessions() as session, session.begin():  # a day later: nothing goes
        assert await forget_lapsed_holds(session, settings, bot.clock.now() - timedelta(days=1) - HELD_FILES_KEPT) == 0
    async with bot.sessions() as session, session.begin():
        assert await forget_lapsed_holds(session, settings, bot.clock.now() + HELD_FILES_KEPT) == 2
    [kept] = await files(bot)
    assert await task_of(bot, kept) == "6" and stored_files(folder) == [folder / kept.stored_path]
