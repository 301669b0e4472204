"""The result appendix: results in words and reporting periods (table-driven), then end
to end — statuses recorded through the conversation, /baocao on Telegram, the .docx and
xlsx read back cell by cell against the database (rendering through LibreOffice is in
tests/test_report_render.py), the CLI, officers, and text-only channels."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import load_workbook
from sqlalchemy import select

from bot.cli import main as cli_main
from documents.form_one import HEADER_TOP as FORM_HEADER_TOP
from documents.report_rows import HEADER, Period, make_period, report_as_of, result_text
from handlers.imports.plans import import_plan_file
from handlers.reports.request import parse_period
from models.plan_store import find_organization
from models.plans import Plan
from models.progress import Reported, TaskFacts, tally
from models.progress_queries import task_facts
from models.queries import list_tasks
from scheduler.workdays import WorkCalendar
from tests.conftest import BACKENDS, TZ
from tests.harness import ORG, SAMPLE_DOCX, Harness, team, text_of

D = date
MARCH_END = D(2026, 3, 31)
TITLE = (
    "Kết quả thực hiện nhiệm vụ công tác cải cách hành chính xã Nguyễn Bình Khiêm"
    " 6 tháng đầu năm 2026"
)
CONTINUING = "Đã thực hiện và tiếp tục thực hiện cả năm 2026"
FORM_NUMBERS = ["1.", "2.", "2.1.", "2.2.", "3.", "3.1.", "3.2.", "3.3.", "3.3.1.", "3.3.2.",
                "4.", "4.1.", "4.1.1.", "4.1.2.", "4.1.3.", "4.2.", "4.3.", "5."]  # fmt: skip


# ---------------------------------------------------------------- pure rules


def _facts(status: str, kind: str = "due", due: date | None = MARCH_END, **more) -> TaskFacts:  # noqa: ANN003
    start = more.pop("start", None)
    return TaskFacts(1, "1", "I", (), status, kind, due, more.pop("done_on", None), start, None)


def _said(status: str, text: str = "", **more) -> Reported:  # noqa: ANN003
    return Reported(
        status,
        more.get("percent"),
        more.get("reason"),
        tuple(more.get("evidence", ())),
        text,
        D(2026, 3, 1),
    )


@dataclass(frozen=True)
class Words:
    name: str
    facts: TaskFacts
    reports: tuple[Reported, ...]
    expected: str


WORDS = [
    Words("done with evidence", _facts("done", done_on=D(2026, 1, 9)),
          (_said("done", "Hoàn thành, QĐ số 12", evidence=["QĐ số 12/QĐ-UBND ngày 09/01/2026"]),),
          "Hoàn thành\nQĐ số 12/QĐ-UBND ngày 09/01/2026"),
    Words("done, the document as written with what follows it", _facts("done", done_on=D(2026, 1, 9)),
          (_said("done", "Đã hoàn thành: Quyết định số 12/QĐ-UBND ngày 09/01/2026 của UBND xã",
                 evidence=["Quyết định số 12/QĐ-UBND ngày 09/01/2026"]),),
          "Hoàn thành\nQuyết định số 12/QĐ-UBND ngày 09/01/2026 của UBND xã"),
    Words("evidence sent later as a note", _facts("done", done_on=D(2026, 1, 9)),
          (_said("done", "Hoàn thành"), _said("note", "QĐ 12", evidence=["QĐ số 12/QĐ-UBND"])),
          "Hoàn thành\nQĐ số 12/QĐ-UBND"),
    Words("done with two documents", _facts("done", done_on=D(2026, 1, 9)),
          (_said("done", "Hoàn thành", evidence=["Kế hoạch số 3/KH-UBND", "Báo cáo số 9/BC-UBND"]),),
          "Hoàn thành\n- Kế hoạch số 3/KH-UBND\n- Báo cáo số 9/BC-UBND"),
    Words("not done with a reason", _facts("not_started"),
          (_said("not_started", reason="chờ hướng dẫn của Sở Nội vụ"),),
          "Chưa thực hiện. Lý do: Chờ hướng dẫn của Sở Nội vụ"),
    Words("continuous carried out", _facts("in_progress", kind="continuous", due=None),
          (_said("in_progress", "Đã thực hiện, tổ chức 2 hội nghị tuyên truyền"),),
          f"{CONTINUING}\nTổ chức 2 hội nghị tuyên truyền"),
    Words("whole year in progress, bare status", _facts("in_progress", kind="period", start=D(2026, 1, 1), due=D(2026, 12, 31)),
          (_said("in_progress", "Đang thực hiện"),), CONTINUING),
    Words("on request, not applicable", _facts("not_applicable", kind="on_request", due=None),
          (_said("not_applicable", "Chưa phát sinh hồ sơ"),), "Chưa phát sinh hồ sơ"),
    Words("continuous, not applicable", _facts("not_applicable", kind="continuous", due=None),
          (_said("not_applicable", "Chưa phát sinh hồ sơ"),), f"{CONTINUING}\nChưa phát sinh hồ sơ"),
    Words("in progress with a percent", _facts("in_progress", due=D(2026, 12, 31)),
          (_said("in_progress", "đang thực hiện 60%", percent=60),), "Đang thực hiện (đạt 60%)"),
    Words("in progress past the deadline", _facts("in_progress"),
          (_said("in_progress", "đang thực hiện, đã dự thảo kế hoạch"),),
          "Đang thực hiện, chưa hoàn thành (quá hạn)\nĐã dự thảo kế hoạch"),
    Words("nothing reported, not yet due", _facts("not_started", due=D(2026, 12, 31)), (),
          "Chưa thực hiện. Lý do: Chưa đến thời gian thực hiện"),
    Words("nothing reported, overdue: blank and flagged", _facts("not_started"), (), ""),
]  # fmt: skip


@pytest.mark.parametrize("case", WORDS, ids=[w.name for w in WORDS])
def test_result_in_words(case: Words) -> None:
    got = result_text(
        case.facts, case.reports, 2026, D(2026, 6, 9), deadline_end=WorkCalendar().deadline_end
    )
    assert got == case.expected


@pytest.mark.parametrize(
    ("kind", "today", "quarter", "expected", "label", "end"),
    [
        (None, D(2026, 2, 10), None, "quy", "quý I năm 2026", D(2026, 3, 31)),
        (None, D(2026, 6, 9), None, "6thang", "6 tháng đầu năm 2026", D(2026, 6, 30)),
        (None, D(2026, 9, 8), None, "quy", "quý III năm 2026", D(2026, 9, 30)),
        (None, D(2026, 12, 5), None, "nam", "năm 2026", D(2026, 12, 31)),
        ("quy", D(2026, 11, 2), 3, "quy", "quý III năm 2026", D(2026, 9, 30)),
        ("quy", D(2027, 1, 5), None, "quy", "quý IV năm 2026", D(2026, 12, 31)),
        ("6thang", D(2026, 11, 2), None, "6thang", "6 tháng đầu năm 2026", D(2026, 6, 30)),
    ],
)
def test_periods(kind, today, quarter, expected, label, end) -> None:  # noqa: ANN001
    period = make_period(kind, 2026, today, quarter)
    assert (period.kind, period.label, period.end) == (expected, label, end)
    assert report_as_of(period, today) == min(today, end)


@pytest.mark.parametrize(
    ("args", "expected"),
    [("", (None, None)), ("quy", ("quy", None)), ("quý III", ("quy", 3)), ("quy2", ("quy", 2)),
     ("6thang", ("6thang", None)), ("6 tháng", ("6thang", None)), ("năm", ("nam", None)),
     ("cả năm", ("nam", None)), ("tuần", None)],
)  # fmt: skip
def test_parse_period(args: str, expected: tuple | None) -> None:
    assert parse_period(args) == expected


# ---------------------------------------------------------------- end to end


@pytest.fixture
async def bot(sessions, clock) -> Harness:  # noqa: ANN001
    return await team(sessions, clock)


STORY = [
    (datetime(2026, 1, 9, 10, tzinfo=TZ), "lan", "/capnhat 1 Hoàn thành, QĐ số 12/QĐ-UBND ngày 09/01/2026"),
    (datetime(2026, 3, 9, 10, tzinfo=TZ), "lan", "/capnhat 2 Đang thực hiện, đã ban hành Kế hoạch số 15/KH-UBND ngày 20/01/2026"),
    (datetime(2026, 3, 9, 11, tzinfo=TZ), "trinh", "/capnhat 16 Chưa thực hiện, lý do: chờ hướng dẫn của Sở Nội vụ"),
    (datetime(2026, 3, 9, 12, tzinfo=TZ), "lan", "/capnhat 7 Chưa phát sinh hồ sơ"),
    (datetime(2026, 3, 9, 13, tzinfo=TZ), "trinh", "/capnhat 18 Đã thực hiện, tổ chức 2 hội nghị tuyên truyền"),
    (datetime(2026, 4, 9, 10, tzinfo=TZ), "lan", "/capnhat 6 Hoàn thành"),
]  # fmt: skip
EXPECTED = {
    "1": lambda r: r == "Hoàn thành\nQĐ số 12/QĐ-UBND ngày 09/01/2026",
    "2": lambda r: r.startswith(CONTINUING) and "Kế hoạch số 15/KH-UBND ngày 20/01/2026" in r,
    "16": lambda r: r == "Chưa thực hiện. Lý do: Chờ hướng dẫn của Sở Nội vụ",
    "7": lambda r: r == "Chưa phát sinh hồ sơ",
    "18": lambda r: r == f"{CONTINUING}\nTổ chức 2 hội nghị tuyên truyền",
    "6": lambda r: r.startswith("Hoàn thành"),
    "17": lambda r: r == "",  # Quý I, nobody reported: blank, flagged for the compiler
    "36": lambda r: r == "Chưa thực hiện. Lý do: Chưa đến thời gian thực hiện",  # Tháng 10
}


def review_rows(text: str) -> dict[str, list[str]]:
    """Task number → reasons, from the review lines "- reason: nhiệm vụ 3, 5"."""
    rows: dict[str, list[str]] = {}
    for reason, numbers in re.findall(r"^- (.+): nhiệm vụ ([\d., ]+)$", text, re.MULTILINE):
        for number in numbers.split(", "):
            rows.setdefault(number, []).append(reason)
    return rows


async def tell_story(bot: Harness) -> None:
    for moment, user, text in STORY:
        bot.clock.move_to(moment)
        reply = text_of(await bot.say(user, text))
        assert "Đã ghi nhận" in reply, reply
    bot.clock.move_to(datetime(2026, 6, 9, 8, tzinfo=TZ))


async def expected_rows(bot: Harness, *, lead_unit: str | None = None) -> list[tuple[str, ...]]:
    """The table as the database says it should be: section rows and task rows."""
    async with bot.sessions() as session:
        org = await find_organization(session, ORG)
        tasks = await list_tasks(session, org, roles=("lead",))
    rows, section = [], None
    for task in tasks:
        leads = [u.name for u in task.units("lead")]
        if lead_unit and lead_unit not in leads:
            continue
        if task.section_id != section:
            section = task.section_id
            rows.append((f"{task.section.numeral}. {task.section.title.upper()}",))
        rows.append(
            (
                task.number,
                " ".join(task.content.split()),
                "; ".join(leads) or task.lead_note,
                task.deadline_text,
            )
        )
    return rows


def docx_rows(data: bytes) -> list[tuple[str, ...]]:
    table = Document(BytesIO(data)).tables[1]
    rows = []
    for row in table.rows[1:]:
        cells = row.cells
        if len({id(c._tc) for c in cells}) == 1:  # a merged section row
            rows.append((cells[0].text,))
        else:
            rows.append(tuple(c.text for c in cells))
    return rows


def check_against_database(
    rows: list[tuple[str, ...]], expected: list[tuple[str, ...]]
) -> dict[str, str]:
    assert len(rows) == len(expected)
    results = {}
    for got, want in zip(rows, expected, strict=True):
        if len(want) == 1:
            assert got == want
            continue
        number, content, lead, deadline = want
        assert (got[0], got[1], got[2], got[4]) == (number, content, lead, deadline)
        results[number] = got[5]
    for number, ok in EXPECTED.items():
        if number in results:
            assert ok(results[number]), (number, results[number])
    return results


async def figures(bot: Harness, day: date) -> tuple[int, int]:
    async with bot.sessions() as session:
        org = await find_organization(session, ORG)
        facts = await task_facts(session, org, as_of=day)
        result = tally(facts, day, deadline_end=WorkCalendar().deadline_end).overall
    return result.total, result.done


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_baocao_on_telegram_docx_and_xlsx_match_the_database(bot: Harness) -> None:
    await tell_story(bot)
    replies = await bot.say("trinh", "/baocao")
    assert len(replies) == 3
    review, summary, excel = replies
    # First the compiler's review: the rows nobody reported whose time has come.
    assert review.document is None and "Trước khi nộp, xin xem lại" in review.text
    listed = review_rows(review.text)
    assert listed["17"] == ["chưa ai báo cáo kết quả"]
    assert not {"1", "2", "6", "7", "16", "18", "36"} & set(listed)
    assert TITLE in summary.text and "số liệu đến ngày 09/06/2026" in summary.text
    assert "Tỷ lệ hoàn thành: 3/39 = 7,7%" in summary.text
    assert summary.document is not None and summary.document.filename.endswith("-6thang-2026.docx")
    assert excel.document is not None and excel.document.filename.endswith(".xlsx")
    assert await figures(bot, D(2026, 6, 9)) == (39, 3)
    expected = await expected_rows(bot)

    # The Word file.
    data = summary.document.data
    document = Document(BytesIO(data))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert abs(section.page_width - Cm(29.7)) < Cm(0.05) and abs(section.page_height - Cm(21)) < Cm(
        0.05
    )
    # Nghị định 30/2020: left 30–35 mm, right 15–20 mm, top and bottom 20–25 mm.
    assert Cm(3.0) - Cm(0.01) <= section.left_margin <= Cm(3.5)
    assert Cm(1.5) - Cm(0.01) <= section.right_margin <= Cm(2.0)
    assert all(
        Cm(2.0) - Cm(0.01) <= m <= Cm(2.5) for m in (section.top_margin, section.bottom_margin)
    )
    assert section.different_first_page_header_footer  # no page number on the first page
    assert section.header._element.xpath(".//w:fldSimple[@w:instr='PAGE']")
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and Pt(13) <= normal.font.size <= Pt(14)
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "Times New Roman"
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[1:4] == [
        "PHỤ LỤC 01",
        TITLE,
        f"(Kèm theo Báo cáo số        /BC-UBND ngày       /     /2026 của Ủy ban nhân dân {ORG[:1].lower()}{ORG[1:]})",
    ]
    assert "3/39 = 7,7%" in "\n".join(paragraphs)
    heading = document.tables[0]
    right = [p.text for p in heading.cell(0, 1).paragraphs]
    assert right[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert right[-1] == "Nguyễn Bình Khiêm, ngày 09 tháng 6 năm 2026"
    assert "XÃ NGUYỄN BÌNH KHIÊM" in heading.cell(0, 0).text
    for cell in heading.rows[0].cells:  # the short rule under each heading block
        assert cell._tc.xpath(".//w:pBdr/w:top[@w:val='single']")
    table = document.tables[1]
    assert tuple(c.text for c in table.rows[0].cells) == HEADER
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on each page
    # Rows may run on to the next page; the header row and section rows never split, and
    # every cell is as wide as its grid column (Word follows the cells).
    assert table.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    for row in table.rows[:3]:
        widths = [int(tc.tcPr.tcW.get(qn("w:w"))) for tc in row._tr.tc_lst]
        assert sum(widths) == sum(grid) and (len(widths) == 1 or widths == grid), widths
    rows = docx_rows(data)
    assert rows[0] == ("I. CHỈ ĐẠO ĐIỀU HÀNH, KIỂM TRA VÀ TUYÊN TRUYỀN",)
    docx_results = check_against_database(rows, expected)
    form_docx = {r.cells[0].text: [c.text for c in r.cells] for r in document.tables[2].rows}
    assert [c.text for c in document.tables[2].rows[1].cells][2:4] == ["Đơn vị tính", "Số liệu"]
    assert form_docx["2."][3] == "3/39 = 7,7%" and form_docx["2.1."][3] == "39"
    assert form_docx["3.3.1."][1:] == ["Số vấn đề phát hiện qua kiểm tra", "Vấn đề", "", ""]

    # The Excel file: the same table, and Biểu mẫu 1.
    book = load_workbook(BytesIO(excel.document.data))
    sheet = book["Kết quả thực hiện"]
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$6:$6"
    assert sheet.cell(1, 1).value == "ỦY BAN NHÂN DÂN XÃ NGUYỄN BÌNH KHIÊM"
    assert [sheet.cell(r, 1).value for r in (2, 3, 4)] == paragraphs[1:4]
    assert sheet.oddHeader.center.text == "&P" and sheet.HeaderFooter.differentFirst
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert round(sheet.page_margins.left * 2.54, 1) == 3.0
    assert tuple(c.value for c in sheet[6]) == HEADER
    xlsx_rows = []
    for row in sheet.iter_rows(min_row=7, values_only=True):
        cells = tuple("" if v is None else str(v) for v in row)
        xlsx_rows.append(cells[:1] if not any(cells[1:]) else cells)
    assert check_against_database(xlsx_rows, expected) == docx_results
    widths = [sheet.column_dimensions[chr(65 + i)].width for i in range(6)]
    for index in range(7, sheet.max_row + 1):  # heights that show the whole text
        if sheet.cell(index, 2).value is None:
            continue  # a section row, one line across the table
        # Times New Roman 13 never fits more than 1,3 characters per unit of width.
        lines = max(
            sum(-(-len(part) // int(w * 1.3)) or 1 for part in str(c.value or "").split("\n"))
            for c, w in zip(sheet[index], widths, strict=True)
        )
        assert sheet.row_dimensions[index].height >= 15 * lines, index
    form_sheet = book["Biểu mẫu 1"]
    assert [c.value for c in form_sheet[5]][:3] == list(FORM_HEADER_TOP[:3])
    assert [c.value for c in form_sheet[6]][2:4] == ["Đơn vị tính", "Số liệu"]
    assert form_sheet.print_title_rows == "$5:$6"
    form = {row[0]: row for row in form_sheet.iter_rows(min_row=7, values_only=True)}
    assert list(form) == FORM_NUMBERS
    assert form["2."][3] == "3/39 = 7,7%"
    assert (form["2.1."][3], form["2.2."][3]) == (39, 3)
    assert form["4.1."][3] is None and form["4.1."][4] is None  # blank, no internal note
    assert all(form[n][3] is None for n in ("1.", "3.1.", "3.3.2.", "4.2.", "4.3.", "5."))
    by_unit = {row[0]: row for row in book["Theo đơn vị"].iter_rows(values_only=True)}
    assert by_unit["Phòng Văn hóa - Xã hội"][1] == 16


async def test_city_assigned_tasks_fill_form_row_4(bot: Harness) -> None:
    await tell_story(bot)  # with one plan: bare numbers are the CCHC plan's
    async with bot.sessions() as session, session.begin():
        await import_plan_file(
            session, data=SAMPLE_DOCX.read_bytes(), filename="giao.docx", organization=ORG,
            now=bot.clock.now(), title="Nhiệm vụ UBND thành phố giao năm 2026", year=2026,
        )  # fmt: skip
    replies = await bot.say("trinh", "/baocao CCHC 6thang")  # two plans: the appendix names one
    form = {
        r[0]: r
        for r in load_workbook(BytesIO(replies[-1].document.data))["Biểu mẫu 1"].iter_rows(
            min_row=7, values_only=True
        )
    }
    async with bot.sessions() as session:
        org = await find_organization(session, ORG)
        city = await session.scalar(select(Plan).where(Plan.title.like("Nhiệm vụ UBND%")))
        t = tally(
            await task_facts(session, org, as_of=D(2026, 6, 9), plan=city),
            D(2026, 6, 9),
            deadline_end=WorkCalendar().deadline_end,
        ).overall
    assert form["4.1."][3] == 39 == t.total
    assert (form["4.1.1."][3], form["4.1.2."][3], form["4.1.3."][3]) == (0, 0, t.counts["overdue"])
    assert t.counts["overdue"] > 0
    assert (
        form["2.1."][3] == 39 and form["2."][3] == "3/39 = 7,7%"
    )  # the CCHC plan, not the city list


async def test_cli_report_writes_files(bot: Harness, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    await tell_story(bot)
    url = bot.sessions.kw["bind"].url.render_as_string(hide_password=False)

    async def report(out: Path, as_of: str, *more: str) -> int:
        argv = ["report", "--db", url, "--org", ORG, "--format", out.suffix[1:], "--out", str(out), "--as-of", as_of]
        return await asyncio.to_thread(cli_main, [*argv, *more])

    out = tmp_path / "phu-luc.xlsx"
    assert await report(out, "2026-06-09") == 0
    assert "Tỷ lệ hoàn thành: 3/39 = 7,7%" in capsys.readouterr().out
    form = {
        r[0]: r for r in load_workbook(out)["Biểu mẫu 1"].iter_rows(min_row=7, values_only=True)
    }
    assert (form["2.1."][3], form["2.2."][3]) == (39, 3)
    docx = tmp_path / "phu-luc.docx"
    assert await report(docx, "2026-03-31", "--json") == 0
    assert '"rate": "2/39 = 5,1%"' in capsys.readouterr().out  # task 6 was done on 09/04
    assert "quý I năm 2026" in "\n".join(p.text for p in Document(docx).paragraphs)


async def test_officer_gets_own_units_tasks(bot: Harness) -> None:
    await tell_story(bot)
    replies = [r for r in await bot.say("lan", "/baocao quy2") if r.document]
    assert "Phòng Văn hóa - Xã hội" in replies[0].text
    data = replies[0].document.data
    document = Document(BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    # The unit's appendix is the unit's: its title, its heading, its file name.
    unit = "Phòng Văn hóa - Xã hội"
    assert f"cải cách hành chính của {unit} quý II năm 2026" in text
    assert "xã Nguyễn Bình Khiêm quý II" not in text
    assert f"(Kèm theo Báo cáo số         ngày       /     /2026 của {unit})" in text
    heading = [p.text for p in document.tables[0].cell(0, 0).paragraphs]
    assert heading[:2] == ["ỦY BAN NHÂN DÂN XÃ NGUYỄN BÌNH KHIÊM", "PHÒNG VĂN HÓA - XÃ HỘI"]
    leader = [r for r in await bot.say("trinh", "/baocao quy2") if r.document]
    names = {r.document.filename for r in replies} | {r.document.filename for r in leader}
    assert len(names) == 4  # the leader's files and the unit's never replace each other
    assert "phong-van-hoa-xa-hoi" in replies[0].document.filename
    check_against_database(
        docx_rows(data), await expected_rows(bot, lead_unit="Phòng Văn hóa - Xã hội")
    )


async def test_text_channels_get_the_summary_and_the_way_to_the_file(bot: Harness) -> None:
    await tell_story(bot)
    bot.channel = "zalo"  # another channel is another account: register it
    await bot.register("trinh-zalo", "leader")
    replies = await bot.say("trinh-zalo", "/baocao")
    assert len(replies) == 2 and not any(r.document for r in replies)
    assert "Trước khi nộp" in replies[0].text  # the review comes first on every channel
    assert "Tỷ lệ hoàn thành: 3/39 = 7,7%" in replies[-1].text
    assert "Telegram" in replies[-1].text and "/lienket" in replies[-1].text
    assert "dondoc report" not in replies[-1].text  # a server command is for the operator only
    await bot.register("ha-zalo", "admin")
    admin = await bot.say("ha-zalo", "/baocao")
    assert f'dondoc report --org "{ORG}"' in admin[-1].text
    assert "Chưa rõ kỳ báo cáo" in text_of(await bot.say("trinh-zalo", "/baocao tuần"))
    assert "/dangky" in text_of(await bot.say("stranger", "/baocao"))


def test_period_title() -> None:
    assert Period("quy", 2026, 3).label == "quý III năm 2026"


def test_result_cell_shows_only_the_reports_behind_the_standing_status() -> None:
    from documents.result_words import _items

    class R:  # the shape of a Reported row
        def __init__(self, status: str, text: str) -> None:
            self.status, self.text, self.evidence, self.percent, self.reason = status, text, [], None, None

    reports = [R("done", "xong rồi ạ"), R("in_progress", "vẫn đang làm, mới được 70% thôi"), R("in_progress", "rồi ạ")]
    items = _items(reports, latest_only=False)
    assert not any("xong" in i.lower() for i in items)
    assert not any(i.strip(" .").lower() == "rồi ạ" for i in items)


async def test_the_compiler_sets_a_rows_wording_without_touching_the_history(sessions, clock) -> None:  # noqa: ANN001
    """Issue 13 item 4: /ketqua SỐ nội dung — the appendix uses it; the history keeps both."""
    from io import BytesIO

    from docx import Document
    from sqlalchemy import select as _select

    from documents.report_docx import report_docx
    from documents.report_rows import build_report as _build
    from documents.report_rows import make_period as _period
    from models.plan_store import find_organization
    from models.plans import StatusUpdate
    from scheduler.workdays import WorkCalendar as _Calendar
    from tests.harness import ORG, Harness, text_of

    bot = Harness(sessions, clock)
    await bot.import_sample()
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    await bot.register("ha", "admin")
    await bot.say("lan", "/capnhat 1 xong roi nhe, kh so 3")
    wording = "Hoàn thành\nKế hoạch số 03/KH-UBND ngày 05/01/2026 của UBND xã"
    assert "chỉ dành cho quản trị" in text_of(await bot.say("lan", f"/ketqua 1 {wording}"))
    answer = text_of(await bot.say("ha", f"/ketqua 1 {wording}"))
    assert "Phụ lục sẽ ghi kết quả nhiệm vụ 1" in answer

    async def row_one() -> tuple[str, tuple[str, ...]]:
        async with sessions() as session:
            org = await find_organization(session, ORG)
            day = clock.now().date()
            report = await _build(session, org, period=_period("nam", 2026, day), as_of=day,
                                  deadline_end=_Calendar().deadline_end)  # fmt: skip
        row = next(r for r in report.rows if r.cells and r.cells[0] == "1")
        return row.cells[5], row.review, report

    result, review, report = await row_one()
    assert result == wording and review == ()
    cells = [c.text for t in Document(BytesIO(report_docx(report))).tables for r in t.rows for c in r.cells]
    assert wording in cells
    async with sessions() as session:
        kinds = [u.kind for u in await session.scalars(_select(StatusUpdate).order_by(StatusUpdate.id))]
    assert kinds.count("status") == 1 and kinds.count("appendix_text") == 1  # both kept
    assert "Nội dung ghi vào phụ lục" in text_of(await bot.say("lan", "/viec 1"))
    await bot.say("ha", "/ketqua 1 -")
    result, _review, _report = await row_one()
    assert result != wording and result.startswith("Hoàn thành")
