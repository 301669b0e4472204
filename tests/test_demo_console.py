"""The console channel's own parts of the demo, in-process: ``/nhap ĐƯỜNG_DẪN`` sends a
file from disk as Telegram sends a document, ``/tua`` understands the dates people
type, a jump's summary names who got what, answers fit a 60-column screen, and lines
are read from a pipe without an executor."""

from __future__ import annotations

import asyncio
import io
import os
from datetime import datetime
from pathlib import Path

from bot.channels.console import ConsoleChannel, ConsolePerson
from bot.channels.console_input import LineReader, parse_jump, plan_attachment
from bot.demo_travel import SentItem, sent_summary
from handlers.messages import Attachment
from tests.conftest import SAMPLES, TZ
from tests.harness import Harness, text_of

SAMPLE_TXT = SAMPLES / "ke-hoach-cchc-2026-mau.txt"


def console_for(bot: Harness, *keys: str, width: int | None = None) -> tuple[ConsoleChannel, io.StringIO]:
    out = io.StringIO()
    people = [ConsolePerson(key, key.title(), "") for key in keys]
    return ConsoleChannel(bot.conversation, bot.clock, people, stdout=out, width=width), out


async def test_nhap_path_imports_as_a_document_sent_on_telegram(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="console")
    await bot.import_sample()
    await bot.register("ha", "admin")
    console, out = console_for(bot, "ha")
    await console.send("/viec")  # what the console says is only what follows
    out.truncate(0)
    replies = await console.import_file(str(SAMPLE_TXT))
    # The same file sent as a document with the caption /nhap, on Telegram.
    telegram = Harness(sessions, clock, channel="telegram")
    await telegram.register("ha-tg", "admin")
    sent = Attachment(SAMPLE_TXT.name, SAMPLE_TXT.read_bytes(), "document")
    assert text_of(replies) == text_of(await telegram.say("ha-tg", "/nhap", attachment=sent))
    assert "không có gì thay đổi (giữ nguyên 39)" in text_of(replies)
    assert "dondoc: Kế hoạch «Kế hoạch cải cách hành chính năm 2026» (mã CCHC)" in out.getvalue()


async def test_nhap_path_is_for_the_admin_only(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="console")
    await bot.import_sample()
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    await bot.register("trinh", "leader")
    console, out = console_for(bot, "lan", "trinh")
    for key in ("lan", "trinh"):
        console.me = console.people[key]
        replies = await console.import_file(str(SAMPLE_TXT))
        assert text_of(replies) == "Lệnh này chỉ dành cho quản trị của xã/phường."


async def test_nhap_path_says_what_is_wrong_with_the_path(sessions, clock, tmp_path: Path) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="console")
    await bot.import_sample()
    await bot.register("ha", "admin")
    console, out = console_for(bot, "ha")

    async def answer(path: str) -> str:
        out.seek(0)
        out.truncate(0)
        await console.import_file(path)
        return out.getvalue()

    said = await answer(str(tmp_path / "khong-co.docx"))
    assert "Không tìm thấy tệp «" in said and "khong-co.docx" in said
    (tmp_path / "ke-hoach.xlsx").write_bytes(b"x")
    said = await answer(str(tmp_path))
    assert "là một thư mục, không phải tệp. Trong đó có: ke-hoach.xlsx." in said
    big = tmp_path / "to.docx"
    with big.open("wb") as file:  # sparse: 25 MB on paper, nothing on disk
        file.truncate(25 * 1024 * 1024)
    said = await answer(f'"{big}"')  # quoted as a shell would
    assert "to.docx quá lớn (25,0 MB); chỉ nhận tệp đến 20 MB." in said
    assert said.count("to.docx") == 1  # the file is named once
    (tmp_path / "hong.docx").write_bytes(b"not a zip at all" * 10)
    said = await answer(str(tmp_path / "hong.docx"))
    assert "Không nhập được: Tệp hong.docx bị hỏng" in said and "Dữ liệu cũ vẫn giữ nguyên." in said
    said = await answer("")
    assert "Trong demo, anh/chị gõ /nhap và đường dẫn tệp kế hoạch" in said
    assert "Xin lỗi" not in out.getvalue()


def test_plan_attachment_reads_the_file() -> None:
    found = plan_attachment(f"'{SAMPLE_TXT}'")
    assert isinstance(found, Attachment)
    assert (found.filename, found.data, found.kind) == (
        SAMPLE_TXT.name,
        SAMPLE_TXT.read_bytes(),
        "document",
    )


def test_parse_jump_takes_the_dates_people_type() -> None:
    now = datetime(2026, 1, 31, 8, 30, tzinfo=TZ)
    at = lambda *a: datetime(*a, tzinfo=TZ)  # noqa: E731
    assert parse_jump("06/03/2026 08:00", now) == at(2026, 3, 6, 8, 0)
    assert parse_jump("6/3", now) == at(2026, 3, 6, 8, 0)
    assert parse_jump("2026-03-06 14h30", now) == at(2026, 3, 6, 14, 30)
    assert parse_jump("2026-03-06", now) == at(2026, 3, 6, 8, 0)
    assert parse_jump("3 ngày", now) == at(2026, 2, 3, 8, 30)
    assert parse_jump("+2 tuan", now) == at(2026, 2, 14, 8, 30)
    assert parse_jump("1 tháng", now) == at(2026, 2, 28, 8, 30)  # 31/1 + 1 month
    for wrong in ("", "mai", "32/1/2026", "3 năm", "2026-13-01", "1 2 3"):
        assert parse_jump(wrong, now) is None, wrong


def test_a_jump_summary_names_each_person_and_task() -> None:
    items = [
        SentItem("Nguyễn Thị Lan", "lan", "1", "before_due", task_number="7", task_position=7),
        SentItem("Nguyễn Thị Lan", "lan", "1", "before_due", task_number="3", task_position=3),
        SentItem("Đoàn Phụng Trinh", "trinh", "2", "weekly_digest"),
        SentItem("Nguyễn Thị Lan", "lan", "3", "overdue", task_number="3", task_position=3),
        SentItem("Đoàn Phụng Trinh", "trinh", "4", "overdue", True, "3", 3),
        SentItem("Đoàn Phụng Trinh", "trinh", "5", "weekly_digest"),
        SentItem("Người khác", "#9", "6", "due_day", task_number="12", task_position=12),
    ]
    assert sent_summary(items, {"lan": "Phòng VH-XH", "trinh": "Chủ tịch"}) == [
        "Trong lúc tua, dondoc đã gửi 6 tin cho 3 người:",
        "• Nguyễn Thị Lan (Phòng VH-XH): nhắc NV 3, 7; quá hạn NV 3",
        "• Đoàn Phụng Trinh (Chủ tịch): tổng hợp tuần ×2; đôn đốc NV 3",
        "• Người khác: nhắc NV 12",
    ]
    assert sent_summary([], {}) == ["Trong lúc tua, dondoc không gửi tin nào."]
    many = [SentItem("A", "a", str(n), "due_day", task_number=str(n), task_position=n) for n in range(1, 12)]
    assert sent_summary(many, {})[1] == "• A: nhắc NV 1, 2, 3, 4, 5, 6, 7, 8 và 3 NV khác"


async def test_answers_fit_a_60_column_screen(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="console")
    await bot.import_sample()
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    console, out = console_for(bot, "lan", width=60)
    await console.send("/viec")
    await console.send("/viec 1")
    console.say("• Nguyễn Thị Lan (Phòng VH-XH): nhắc NV 1, 3, 6, 25, 36, 37, 38; quá hạn NV 1")
    console.say("   25. Tiếp tục rà soát, sắp xếp, tinh gọn tổ chức bộ máy theo quy định mới")
    lines = out.getvalue().splitlines()
    assert len(lines) > 30
    assert all(len(line) <= 60 for line in lines), [line for line in lines if len(line) > 60]
    # A numbered or bulleted line goes on under its own text, not under its number.
    assert "  nhắc NV 1, 3" not in out.getvalue()
    at = next(i for i, line in enumerate(lines) if line.startswith("• Nguyễn Thị Lan"))
    assert lines[at + 1].startswith("  ") and not lines[at + 1].startswith("   ")
    listed = max(i for i, line in enumerate(lines) if line.startswith("   25. Tiếp tục"))
    assert lines[listed + 1].startswith(" " * len("   25. "))


async def test_an_emoji_line_fits_its_columns(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="console")
    console, out = console_for(bot, "lan", width=40)
    console.say("❗1. Ban hành Kế hoạch cải cách hành chính năm 2026 của UBND xã Nguyễn…")
    lines = out.getvalue().splitlines()
    # the emoji takes two columns on a screen: every row fits when counted so
    assert all(len(line) + line.count("❗") <= 40 for line in lines), lines
    assert all(line.strip() != "…" for line in lines)


async def test_lines_are_read_from_a_pipe_by_a_daemon_thread() -> None:
    read_end, write_end = os.pipe()
    reader = LineReader(os.fdopen(read_end, "r", encoding="utf-8"))
    text = "/viec\nHoàn thành, QĐ số 12\nkhông xuống dòng".encode()
    os.write(write_end, text[:9])  # a line, and half of a "à" (UTF-8 cut in two)
    assert await reader.readline() == "/viec\n"
    os.write(write_end, text[9:])
    os.close(write_end)
    assert await reader.readline() == "Hoàn thành, QĐ số 12\n"
    assert await reader.readline() == "không xuống dòng\n"
    assert await reader.readline() == ""
    assert await asyncio.wait_for(reader.readline(), 1) == ""  # the end stays the end


async def test_what_falls_due_while_nobody_types_is_printed_under_the_prompt(
    sessions, clock  # noqa: ANN001
) -> None:
    from datetime import timedelta

    from bot.demo import keep_ticking
    from bot.reminders import ReminderService

    bot = Harness(sessions, clock, channel="console")
    await bot.import_sample()
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    console, out = console_for(bot, "lan")
    reminders = ReminderService(bot.conversation.services, {})
    await reminders.plan()
    stopped = asyncio.Event()

    async def deliver(chat_id: str, outgoing):  # noqa: ANN001, ANN202
        stopped.set()  # one message is enough: the ticking ends after this run
        return await console.deliver(chat_id, outgoing)

    reminders.senders["console"] = deliver
    console._at_prompt = True  # the prompt is shown, nothing typed
    clock.move_to(datetime(2026, 1, 13, 8, 0, tzinfo=TZ) + timedelta(minutes=1))
    await asyncio.wait_for(keep_ticking(reminders, console, stopped, seconds=0), 30)
    printed = out.getvalue()
    assert printed.startswith("\ndondoc: ")
    assert "Nhiệm vụ 1: Ban hành Kế hoạch cải cách hành chính năm 2026" in printed
    assert printed.endswith("[13/01/2026 08:01] Lan › ")  # the prompt again, for typing on
