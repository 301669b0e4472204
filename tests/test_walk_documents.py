"""The appendix as the office would sign it, read back from the files /baocao sends:
the figures by unit and by section add up to a total row and name the sections as the
appendix does; a file sent as evidence is not cited by its file name (the compiler is
asked for the document's number and date instead)."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from handlers.messages import Attachment
from tests.harness import Harness, sample_harness, text_of

VHXH = "Phòng Văn hóa - Xã hội"
PDF_BYTES = b"%PDF-1.7\n" + b"ke hoach tuyen truyen " * 50 + b"\n%%EOF"


@pytest.fixture
async def bot(sessions, clock) -> Harness:  # noqa: ANN001
    return await sample_harness(sessions, clock, "console", ("lan", "officer", VHXH), ("trinh", "leader"))


async def files(bot: Harness, user: str, command: str) -> dict[str, bytes]:
    """The files sent, by kind: "xlsx", "docx" (the appendix) and "draft" (the report)."""
    replies = await bot.say(user, command)
    found = {}
    for reply in replies:
        if reply.document:
            name = reply.document.filename
            kind = "draft" if name.startswith("bao-cao") else name.rsplit(".", 1)[1]
            found[kind] = reply.document.data
    return found


def blocks(data: bytes) -> list[list[tuple]]:
    """The tables of the "Theo đơn vị" sheet: header row first, rows until a blank."""
    sheet = load_workbook(BytesIO(data))["Theo đơn vị"]
    found: list[list[tuple]] = []
    current: list[tuple] = []
    for row in sheet.iter_rows(min_row=4, values_only=True):
        if row[0] is None:
            if current:
                found.append(current)
            current = []
        else:
            current.append(row)
    if current:
        found.append(current)
    return found


async def test_figures_by_unit_and_section_end_with_a_total(bot: Harness) -> None:
    await bot.say("lan", "1 hoàn thành, Kế hoạch số 05/KH-UBND ngày 10/01/2026")
    await bot.say("lan", "6 đang thực hiện 50%")
    book = await files(bot, "trinh", "/baocao quy1")
    units, sections = blocks(book["xlsx"])
    for table in (units, sections):
        header, *rows, total = table
        assert total[0] in ("Tổng cộng", "Cả kế hoạch (mỗi nhiệm vụ tính một lần)")
        assert total[1:8] == (39, 1, 0, 0, 1, 37, 0) and total[8] == "1/39 = 2,6%"
    # each section row under its name, as the appendix writes it
    header, *rows, total = sections
    assert total[0] == "Tổng cộng"
    assert [r[0] for r in rows][0] == "I. CHỈ ĐẠO ĐIỀU HÀNH, KIỂM TRA VÀ TUYÊN TRUYỀN"
    assert not any(str(r[0]).startswith("Mục ") for r in rows)
    for column in range(1, 8):
        assert sum(r[column] for r in rows) == total[column]


async def test_a_file_is_evidence_but_not_a_citation(bot: Harness) -> None:
    pdf = Attachment("ke-hoach-tuyen-truyen.pdf", PDF_BYTES, "document")
    await bot.say("lan", "nhiệm vụ 25 hoàn thành", attachment=pdf)
    asked = await bot.say("trinh", "/baocao quy1")
    review = text_of(asked)
    assert "chỉ có tệp minh chứng, chưa ghi số, ngày văn bản: nhiệm vụ 25" in review
    book = {r.document.filename.rsplit(".", 1)[1]: r.document.data for r in asked if r.document}
    table = Document(BytesIO(book["docx"])).tables[1]
    row = next(r for r in table.rows if r.cells[0].text == "25")
    assert row.cells[5].text == "Hoàn thành"  # was "Hoàn thành\nTệp đính kèm: ke-hoach-…pdf"
    sheet = load_workbook(BytesIO(book["xlsx"]))["Kết quả thực hiện"]
    cell = next(r[5] for r in sheet.iter_rows() if r[0].value == 25)
    assert cell.value == "Hoàn thành" and "tệp minh chứng" in cell.comment.text
    draft = await files(bot, "trinh", "/baocao baocao quy1")
    words = "\n".join(p.text for p in Document(BytesIO(draft["draft"])).paragraphs)
    assert "ke-hoach-tuyen-truyen" not in words and "Tệp đính kèm" not in words
    # once the number is given, it is cited and nothing is asked
    await bot.say("lan", "25 hoàn thành, Quyết định số 20/QĐ-UBND ngày 12/01/2026")
    again = await bot.say("trinh", "/baocao quy1")
    assert "chỉ có tệp minh chứng" not in text_of(again)
    table = Document(BytesIO(next(r.document.data for r in again if r.document))).tables[1]
    row = next(r for r in table.rows if r.cells[0].text == "25")
    assert row.cells[5].text == "Hoàn thành\nQuyết định số 20/QĐ-UBND ngày 12/01/2026"


def test_a_file_name_is_known_in_every_language() -> None:
    from documents.result_words import names_a_file  # noqa: PLC0415 (new here)

    assert names_a_file("Tệp đính kèm: kh.pdf") and names_a_file("Attachment: kh.pdf")
    assert names_a_file("tep dinh kem: kh.pdf")
    assert not names_a_file("Quyết định số 20/QĐ-UBND ngày 12/01/2026")


async def test_the_outlook_says_an_extended_tasks_new_date(bot: Harness) -> None:
    await bot.say("lan", "nhiệm vụ 6 xin gia hạn đến 30/4 vì chờ kinh phí")
    assert "Đã duyệt gia hạn nhiệm vụ 6" in text_of(await bot.say("trinh", "/duyet 6"))
    draft = await files(bot, "trinh", "/baocao baocao quy1")
    words = [p.text for p in Document(BytesIO(draft["draft"])).paragraphs]
    outlook = words[words.index("IV. PHƯƠNG HƯỚNG NHIỆM VỤ QUÝ II NĂM 2026") :]
    line = next(w for w in outlook if "Kế hoạch tuyên truyền cải cách hành chính" in w)
    # was "(thời hạn: Quý I/2026)" under the second quarter
    assert line.endswith("(thời hạn: Quý I/2026, đã gia hạn đến 30/4/2026).")


async def test_a_task_not_started_but_extended_says_so_in_its_result(bot: Harness) -> None:
    await bot.say("lan", "nhiệm vụ 6 xin gia hạn đến 30/4 vì chờ kinh phí")
    await bot.say("trinh", "/duyet 6")
    replies = await bot.say("trinh", "/baocao quy1")
    unreported = re.search(r"chưa ai báo cáo kết quả: nhiệm vụ ([\d, ]+)", text_of(replies))
    assert unreported and "6" not in unreported.group(1).replace(" ", "").split(",")
    table = Document(BytesIO(next(r.document.data for r in replies if r.document))).tables[1]
    row = [c.text for c in next(r for r in table.rows if r.cells[0].text == "6").cells]
    assert row[4:] == ["Quý I/2026\n(Gia hạn đến 30/04/2026)", "Chưa thực hiện, đã được gia hạn đến 30/04/2026"]


async def test_a_units_workbook_heads_with_its_commune_over_the_unit(bot: Harness) -> None:
    sheet = load_workbook(BytesIO((await files(bot, "lan", "/baocao quy1"))["xlsx"]))["Kết quả thực hiện"]
    heading = [(sheet.cell(row, 1).value, bool(sheet.cell(row, 1).font.b)) for row in (1, 2, 3)]
    # was one line: "ỦY BAN NHÂN DÂN XÃ NGUYỄN BÌNH KHIÊM - PHÒNG VĂN HÓA - XÃ HỘI"
    assert heading == [
        ("ỦY BAN NHÂN DÂN XÃ NGUYỄN BÌNH KHIÊM", False),
        ("PHÒNG VĂN HÓA - XÃ HỘI", True),
        ("PHỤ LỤC 01", True),
    ]
