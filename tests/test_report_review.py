"""The compiler's review and the title block's words: which rows are flagged and why
(pure rules, then through /baocao and ``dondoc report --check``), the number and date
of the report the appendix goes with (``/baocao … số 116 ngày 30/3/2026``, ``--so``,
``--ngay``), dates written as official documents write them, and rates rounded half up.
"""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.cli import main as cli_main
from documents.report_review import (
    CONTRADICTS,
    LONG,
    NO_DIACRITICS,
    TOO_LONG,
    UNREPORTED,
    contradicts,
    review_reasons,
    typed_without_diacritics,
)
from documents.report_rows import date_line, day_month, official_date, place_name
from handlers.reports.request import parse_report_args
from models.progress import Reported, TaskFacts, percent_text, rate_text
from tests.conftest import TZ
from tests.harness import ORG, Harness, team, text_of
from tests.test_reports import review_rows, tell_story

D = date


def _facts(status: str) -> TaskFacts:
    return TaskFacts(1, "1", "I", (), status, "due", D(2026, 3, 31), None)


def _said(status: str, text: str) -> Reported:
    return Reported(status, None, None, (), text, D(2026, 3, 1))


@pytest.mark.parametrize(
    ("status", "text", "result", "expected"),
    [
        ("not_started", None, "", (UNREPORTED,)),
        ("done", "Hoàn thành, QĐ số 12/QĐ-UBND", "Hoàn thành\nQĐ số 12/QĐ-UBND", ()),
        ("done", "hoan thanh, da ban hanh ke hoach so 5", "Hoàn thành\nDa ban hanh", (NO_DIACRITICS,)),
        ("done", "Hoàn thành", "x" * (LONG + 1), (TOO_LONG,)),
        ("done", "Hoàn thành nhưng chưa thực hiện phần báo cáo", "Hoàn thành", (CONTRADICTS,)),
        ("not_started", "Đã hoàn thành rồi", "Chưa thực hiện", (CONTRADICTS,)),
        ("not_started", "Chưa thực hiện, lý do: chờ hướng dẫn", "Chưa thực hiện. Lý do: …", ()),
        # restored whole by accent_phrases: printed accented, nothing to look at
        ("in_progress", "dang thuc hien 50%", "Đang thực hiện (đạt 50%)", ()),
        ("in_progress", "dang lam, con thieu nguoi", "Đang thực hiện", (NO_DIACRITICS,)),
    ],
)  # fmt: skip
def test_review_reasons(status: str, text: str | None, result: str, expected: tuple) -> None:
    reports = [] if text is None else [_said(status, text)]
    assert review_reasons(_facts(status), reports, result) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("hoan thanh, QD so 12/QD-UBND ngay 9/1", True), ("Hoàn thành", False), ("UBND KH", False),
     ("12/QĐ-UBND", False), ("chua thuc hien", False), ("chua thuc hien vi thieu nguoi", True),
     ("OK", False)],
)  # fmt: skip
def test_typed_without_diacritics(text: str, expected: bool) -> None:
    assert typed_without_diacritics(text) is expected


def test_contradicts() -> None:
    assert contradicts("done", "chưa xong")
    assert not contradicts("done", "Đã hoàn thành")
    assert contradicts("not_started", "xong rồi")
    assert not contradicts("not_started", "chưa hoàn thành")
    assert not contradicts("in_progress", "chưa xong")


@pytest.mark.parametrize(
    ("day", "expected"),
    [(D(2026, 6, 9), ("09", "6")), (D(2026, 2, 5), ("05", "02")), (D(2026, 1, 15), ("15", "01")),
     (D(2026, 3, 30), ("30", "3")), (D(2026, 12, 10), ("10", "12"))],
)  # fmt: skip
def test_day_and_month_as_official_documents_write_them(day: date, expected: tuple) -> None:
    assert day_month(day) == expected
    assert official_date(day) == f"{expected[0]}/{expected[1]}/{day.year}"


def test_date_line_and_place() -> None:
    assert place_name("Xã Nghi Dương") == "Nghi Dương"
    assert place_name("Phường Nhị Chiểu") == "Nhị Chiểu"
    assert place_name("Nghi Dương") == "Nghi Dương"
    assert date_line("Xã Nghi Dương", D(2026, 6, 9)) == "Nghi Dương, ngày 09 tháng 6 năm 2026"


@pytest.mark.parametrize(
    ("done", "total", "rate", "percent"),
    [(5, 16, "5/16 = 31,3%", "31,3%"), (27, 52, "27/52 = 51,9%", "51,9%"), (1, 8, "1/8 = 12,5%", "12,5%"),
     (1, 2, "1/2 = 50,0%", "50%"), (3, 39, "3/39 = 7,7%", "7,7%"), (0, 0, "0/0", "0%")],
)  # fmt: skip
def test_rates_round_half_up(done: int, total: int, rate: str, percent: str) -> None:
    assert rate_text(done, total) == rate
    assert percent_text(done, total) == percent


@pytest.mark.parametrize(
    ("args", "rest", "number", "dated"),
    [("quy1 số 116 ngày 30/3/2026", "quy1", "116", D(2026, 3, 30)),
     ("6thang so 329/BC-UBND ngay 09/06/2026", "6thang", "329", D(2026, 6, 9)),
     ("nam", "nam", None, None), ("số 7", "", "7", None)],
)  # fmt: skip
def test_parse_report_args(args: str, rest: str, number: str | None, dated: date | None) -> None:
    given = parse_report_args(args)
    assert given is not None and (given.rest, given.number, given.dated) == (rest, number, dated)
    assert parse_report_args("quy1 ngày 31/2/2026") is None


def test_appendix_number() -> None:
    given = parse_report_args("quy1 phụ lục 2 số 116")
    assert given is not None and (given.rest, given.appendix, given.number) == ("quy1", "02", "116")
    given = parse_report_args("nam phụ lục số 3")
    assert given is not None and (given.rest, given.appendix, given.number) == ("nam", "03", None)
    assert parse_report_args("nam").appendix == "01"


# ---------------------------------------------------------------- end to end


@pytest.fixture
async def bot(sessions, clock) -> Harness:  # noqa: ANN001
    return await team(sessions, clock)


async def test_number_and_date_reach_both_files(bot: Harness) -> None:
    await tell_story(bot)
    bot.clock.move_to(datetime(2026, 3, 30, 9, tzinfo=TZ))
    replies = await bot.say("trinh", "/baocao quy1 số 116 ngày 30/3/2026")
    docx, xlsx = (r.document for r in replies if r.document)
    line = (
        "(Kèm theo Báo cáo số 116/BC-UBND ngày 30/3/2026 của Ủy ban nhân dân xã Nguyễn Bình Khiêm)"
    )
    paragraphs = [p.text for p in Document(BytesIO(docx.data)).paragraphs]
    assert paragraphs[1:4] == [
        "PHỤ LỤC 01",
        "Kết quả thực hiện nhiệm vụ công tác cải cách hành chính xã Nguyễn Bình Khiêm quý I năm 2026",
        line,
    ]
    assert line in paragraphs  # Biểu mẫu 1 carries it too
    book = load_workbook(BytesIO(xlsx.data))
    assert book["Kết quả thực hiện"]["A4"].value == line  # under the issuing body's line
    assert book["Biểu mẫu 1"]["A3"].value == line
    # The document is dated as the report it goes with (issue 22).
    heading = Document(BytesIO(docx.data)).tables[0].cell(0, 1).paragraphs[-1].text
    assert heading == "Nguyễn Bình Khiêm, ngày 30 tháng 3 năm 2026"
    assert "Ngày của báo cáo không hợp lệ" in text_of(
        await bot.say("trinh", "/baocao ngày 31/2/2026")
    )


async def test_unmarked_text_is_flagged_not_silently_used(bot: Harness) -> None:
    bot.clock.move_to(datetime(2026, 1, 9, 10, tzinfo=TZ))
    # "ban hanh ke hoach" is restored (accent_phrases); "so 12 ngay 9/1" cannot be.
    reply = text_of(await bot.say("lan", "/capnhat 1 hoan thanh, ban hanh ke hoach so 12 ngay 9/1"))
    assert "Đã ghi nhận" in reply, reply
    bot.clock.move_to(datetime(2026, 6, 9, 8, tzinfo=TZ))
    replies = await bot.say("trinh", "/baocao")
    listed = review_rows(replies[0].text)
    assert listed["1"] == ["gõ không dấu"]
    assert "không dấu" in replies[0].text and "/capnhat" in replies[0].text
    document = Document(BytesIO(replies[1].document.data))
    row = next(r for r in document.tables[1].rows if r.cells[0].text == "1")
    # The cell is marked with a comment, seen on screen and never printed; no shading.
    assert row.cells[5]._tc.xpath(".//w:commentRangeStart")
    assert "Cần xem lại: gõ không dấu" in [c.text for c in document.comments]
    assert not document.element.body.xpath(".//w:shd[@w:fill='FFF2CC']")
    sheet = load_workbook(BytesIO(replies[2].document.data))["Kết quả thực hiện"]
    flagged = [c for r in sheet.iter_rows() for c in r if c.comment]
    assert "Cần xem lại: gõ không dấu" in [c.comment.text for c in flagged]
    assert all(c.fill.fgColor.rgb != "00FFF2CC" for r in sheet.iter_rows() for c in r)


async def test_cli_check_lists_and_writes_nothing(bot: Harness, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    await tell_story(bot)
    url = bot.sessions.kw["bind"].url.render_as_string(hide_password=False)
    base = ["report", "--db", url, "--org", ORG, "--as-of", "2026-06-09"]
    assert await asyncio.to_thread(cli_main, [*base, "--check", "--json"]) == 0
    rows = {r["number"]: r["reasons"] for r in json.loads(capsys.readouterr().out)["to_review"]}
    assert rows["17"] == ["unreported"] and "1" not in rows
    assert not list(tmp_path.glob("*.docx")) + list(tmp_path.glob("*.xlsx"))
    assert await asyncio.to_thread(cli_main, [*base, "--check"]) == 0
    assert review_rows(capsys.readouterr().out)["17"] == ["chưa ai báo cáo kết quả"]
    out = tmp_path / "phu-luc.xlsx"
    argv = [*base, "--format", "xlsx", "--out", str(out), "--so", "116", "--ngay", "30/3/2026",
            "--phu-luc", "02"]  # fmt: skip
    assert await asyncio.to_thread(cli_main, argv) == 0
    assert load_workbook(out)["Kết quả thực hiện"]["A2"].value == "PHỤ LỤC 02"
    cell = load_workbook(out)["Kết quả thực hiện"]["A4"].value
    assert cell.startswith("(Kèm theo Báo cáo số 116/BC-UBND ngày 30/3/2026")
    assert await asyncio.to_thread(cli_main, base) == 1  # neither --out nor --check


async def test_common_phrases_typed_without_accents_are_printed_with_them(bot: Harness) -> None:
    bot.clock.move_to(datetime(2026, 1, 9, 10, tzinfo=TZ))
    reply = text_of(await bot.say("lan", "/capnhat 2 dang thuc hien, thuong xuyen ra soat theo quy dinh"))
    assert "Đã ghi nhận" in reply, reply
    bot.clock.move_to(datetime(2026, 6, 9, 8, tzinfo=TZ))
    replies = await bot.say("trinh", "/baocao")
    assert "2" not in review_rows(replies[0].text)  # restored whole: nothing to look at
    document = Document(BytesIO(replies[1].document.data))
    row = next(r for r in document.tables[1].rows if r.cells[0].text == "2")
    assert "Thường xuyên rà soát theo quy định" in row.cells[5].text, row.cells[5].text
    assert "Thuong xuyen" not in row.cells[5].text
