"""Reading plan tables: the seed plan as pasted text, .docx, .xlsx and .csv; bad files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from documents.plan_file_error import PlanFileError
from documents.plan_reader import MAX_BYTES, read_plan, read_plan_text
from documents.plan_table import ParsedPlan, build_plan

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SAMPLE_TXT = SAMPLES / "ke-hoach-cchc-2026-mau.txt"
SAMPLE_DOCX = SAMPLES / "ke-hoach-cchc-2026-mau.docx"
HEADER = ["STT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp",
          "Thời gian \nthực hiện/\nhoàn thành", "Sản phẩm"]

SECTIONS = [
    ("I", "Chỉ đạo điều hành, kiểm tra và tuyên truyền", 8),
    ("II", "Cải cách thể chế", 7),
    ("III", "Cải cách thủ tục hành chính", 8),
    ("IV", "Cải cách tổ chức bộ máy", 3),
    ("V", "Cải cách chế độ công vụ", 4),
    ("VI", "Cải cách tài chính công", 2),
    ("VII", "Xây dựng chính quyền điện tử, chính quyền số", 7),
]
VHXH, VP = "Phòng Văn hoá-Xã hội", "Văn phòng HĐND và UBND"
PVHCC, CQ = "Trung tâm Phục vụ hành chính công", "Các cơ quan chuyên môn UBND xã"
LEADS = {
    1: "Phòng Văn hoá-xã hội", 2: VHXH, 3: "Phòng Văn hoá-xã hội",
    4: "Các cơ quan chuyên môn liên quan", 5: "Phòng Kinh tế", 6: VHXH,
    7: "Phòng Văn hoá-xã hội", 8: "Trung tâm Dịch vụ sự nghiệp công",
    **dict.fromkeys(range(9, 16), VP), **dict.fromkeys(range(16, 24), PVHCC),
    **dict.fromkeys(range(24, 31), VHXH), 31: "Phòng Kinh tế xã", 32: "Phòng Kinh tế xã",
    33: "Công an xã", 34: "Công an xã", 35: "Văn phòng HĐND và UBND xã",
    **dict.fromkeys(range(36, 40), "Phòng Văn hóa - Xã hội"),
}
Y = "Cả năm 2026"
DEADLINES = [
    "Trước ngày 15/01/2026", Y, "Theo yêu cầu của Sở Nội vụ", "Quý IV/2026", Y, "Quý I/2026",
    "Theo chỉ đạo của cấp trên", "Tháng 10 hàng năm", Y,
    "Theo chỉ đạo của cấp trên trong năm 2026", Y, Y, Y, Y, Y, "Quý I năm 2026",
    "Quý I năm 2026", *["Thường xuyên"] * 6,
    "Theo hướng dẫn của Trung ương và Kế hoạch số 310/KH-UBND ngày 24/11/2025 của UBND "
    "thành phố", "Tháng 1 năm 2026", "Thường xuyên", Y, Y, Y, Y,
    "Tháng 01/2026 đến tháng 5/2026", Y, Y, Y, Y, "Tháng 10/2026", "Tháng 7-9/2026",
    "Tháng 8-9/2026", Y,
]
TASK_36 = ("Cử cán bộ, công chức tham gia các lớp tập huấn về ứng dụng trí tuệ nhân tạo (AI) "
           "trong hoạt động của cơ quan nhà nước theo kế hoạch và hướng dẫn của cấp trên.")
PRODUCT_15 = [
    "- Kế hoạch triển khai thi hành văn bản quy phạm pháp luật",
    "- Văn bản hướng dẫn áp dụng văn bản quy phạm pháp luật theo thẩm quyền;",
    "- Kết quả hướng dẫn chuyên môn, nghiệp vụ thi hành văn bản quy phạm pháp luật;",
    "- Hội nghị, tọa đàm, hội thảo ... để tập huấn bồi dưỡng chuyên môn, nghiệp vụ về văn bản "
    "quy phạm pháp luật.",
    "- Báo cáo/văn bản cụ thể về kết quả thực hiện các hoạt động tổ chức, theo dõi thi hành "
    "pháp luật theo quy định.",
]


def raw_rows() -> list[list[str]]:
    """The sample's data rows as six plain cells (a test-side reading of the pasted text)."""
    rows = []
    for line in SAMPLE_TXT.read_text(encoding="utf-8").splitlines()[1:]:
        if line.strip():
            line = re.sub(r"<li>\s*-?\s*", "\n- ", line)
            cells = [re.sub(r"</?\w+[^>]*>", "", cell).strip() for cell in line.split("\t")]
            rows.append([re.sub(r" *\n *", "\n", cell) for cell in (cells + [""] * 6)[:6]])
    return rows


def as_tuples(plan: ParsedPlan) -> list[tuple[str, ...]]:
    return [(t.number, t.content, t.lead_text, t.cooperating_text, t.deadline_text, t.product)
            for t in plan.tasks]


def check_seed_plan(plan: ParsedPlan) -> None:
    assert [(s.numeral, s.title, len(s.tasks)) for s in plan.sections] == SECTIONS
    assert [s.order for s in plan.sections] == list(range(1, 8))
    assert [t.number for t in plan.tasks] == [str(n) for n in range(1, 40)]
    assert {int(t.number): t.lead_text for t in plan.tasks} == LEADS
    assert [t.deadline_text for t in plan.tasks] == DEADLINES
    task = {int(t.number): t for t in plan.tasks}
    assert task[36].content == TASK_36
    assert task[36].product == "Công văn (Quyết định) cử cán bộ, công chức tham gia các lớp."
    assert task[15].product.split("\n") == PRODUCT_15
    assert task[2].content == ("Kiểm tra cải cách hành chính (tổ chức tự kiểm tra 100% các cơ "
                               "quan chuyên môn thuộc UBND xã)")
    assert task[4].cooperating_text == "" and task[33].cooperating_text == ""
    assert task[24].cooperating_text == "Các cơ quan; đơn vị sự nghiệp công lập thuộc UBND xã"
    assert plan.warnings == []


@pytest.fixture(scope="module")
def text_plan() -> ParsedPlan:
    return read_plan(SAMPLE_TXT.read_bytes(), SAMPLE_TXT.name)


def test_pasted_seed_text(text_plan: ParsedPlan) -> None:
    check_seed_plan(text_plan)
    assert text_plan.tasks[35].row == 49  # line of "36" in the pasted text


def test_pasted_text_in_a_message(text_plan: ParsedPlan) -> None:
    plan = read_plan_text(SAMPLE_TXT.read_text(encoding="utf-8"))
    assert as_tuples(plan) == as_tuples(text_plan)


def test_sample_docx(text_plan: ParsedPlan) -> None:
    plan = read_plan(SAMPLE_DOCX.read_bytes(), SAMPLE_DOCX.name)
    check_seed_plan(plan)
    assert as_tuples(plan) == as_tuples(text_plan)
    # The appendix is headed "DANH MỤC NHIỆM VỤ … THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM
    # 2026": the plan it carries out is named from it.
    assert plan.title == "Kế hoạch cải cách hành chính năm 2026"


def test_sample_docx_is_split_in_two_tables_with_wrapped_header() -> None:
    document = docx.Document(str(SAMPLE_DOCX))
    assert len(document.tables) == 2
    for table in document.tables:
        assert [cell.text for cell in table.rows[0].cells] == HEADER
    section_cell = document.tables[0].rows[1].cells
    assert len({cell._tc for cell in section_cell}) == 1
    assert section_cell[0].text == "I. Chỉ đạo điều hành, kiểm tra và tuyên truyền"
    assert document.sections[0].page_width > document.sections[0].page_height


def seed_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026"])
    sheet.merge_cells("A1:F1")
    sheet.append(["(Kèm theo Kế hoạch số …/KH-UBND)"])
    sheet.merge_cells("A2:F2")
    sheet.append(HEADER)
    for cells in raw_rows():
        if cells[0].startswith(("I", "V")):
            sheet.append([cells[0]])
            sheet.merge_cells(start_row=sheet.max_row, start_column=1,
                              end_row=sheet.max_row, end_column=6)
        else:
            number = float(cells[0]) if cells[0].isdigit() and int(cells[0]) % 2 else cells[0]
            sheet.append([number if cells[0] != "10" else 10, *cells[1:]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx(text_plan: ParsedPlan) -> None:
    plan = read_plan(seed_xlsx(), "ke-hoach.xlsx")
    check_seed_plan(plan)
    assert as_tuples(plan) == as_tuples(text_plan)
    assert plan.title == "DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026"


def test_xlsx_vertical_merge_shares_the_lead_cell() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append([1, "Kích hoạt tài khoản định danh", "Công an xã", "", "Cả năm 2026", ""])
    sheet.append([2, "Làm sạch dữ liệu", None, "", "Quý II/2026", ""])
    sheet.merge_cells("C2:C3")
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = read_plan(buffer.getvalue(), "merged.xlsx")
    assert [t.lead_text for t in plan.tasks] == ["Công an xã", "Công an xã"]


@pytest.mark.parametrize(("encoding", "delimiter"), [
    ("utf-8-sig", ";"), ("utf-8", ","), ("cp1258", ";"), ("utf-16", "\t"), ("utf-8", "\t"),
])
def test_csv(text_plan: ParsedPlan, encoding: str, delimiter: str) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["Kế hoạch CCHC năm 2026"])
    writer.writerow(HEADER)
    writer.writerows(raw_rows())
    text = out.getvalue()
    data = to_cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    plan = read_plan(data, "ke-hoach.csv")
    check_seed_plan(plan)
    assert as_tuples(plan) == as_tuples(text_plan)


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Excel writes it: letters precomposed, tone marks combining."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def make_docx(rows: list[list[str]], *, before: list[list[str]] | None = None,
              after: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for extra in ([before] if before else []):
        table = document.add_table(rows=len(extra), cols=len(extra[0]))
        for tr, cells in zip(table.rows, extra, strict=True):
            for cell, text in zip(tr.cells, cells, strict=True):
                cell.text = text
    document.add_paragraph("KẾ HOẠCH THỬ")
    table = document.add_table(rows=len(rows), cols=6)
    for tr, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(tr.cells, cells, strict=True):
            cell.text = text
    for extra in ([after] if after else []):
        table = document.add_table(rows=len(extra), cols=len(extra[0]))
        for tr, cells in zip(table.rows, extra, strict=True):
            for cell, text in zip(tr.cells, cells, strict=True):
                cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_merges_and_other_tables() -> None:
    rows = [HEADER, ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
            ["I. Chuyển đổi số", "", "", "", "", ""],
            ["1", "Kích hoạt tài khoản", "Công an xã", "", "Cả năm 2026", "Báo cáo"],
            ["2", "Làm sạch dữ liệu", "", "", "Quý II/2026", "Báo cáo"],
            ["", "đăng ký xe", "", "", "", ""]]
    data = make_docx(rows, before=[["UBND XÃ A", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]],
                     after=[["Nơi nhận:\n- Như trên", "TM. ỦY BAN NHÂN DÂN"]])
    document = docx.Document(io.BytesIO(data))
    table = document.tables[1]
    table.cell(2, 0).merge(table.cell(2, 5))
    table.cell(3, 2).merge(table.cell(4, 2))  # one lead cell for tasks 1 and 2
    table.cell(4, 0).merge(table.cell(5, 0))  # task 2 spans two rows, number merged
    buffer = io.BytesIO()
    document.save(buffer)
    plan = read_plan(buffer.getvalue(), "merged.docx")
    assert [(s.numeral, s.title) for s in plan.sections] == [("I", "Chuyển đổi số")]
    assert [(t.number, t.content, t.lead_text) for t in plan.tasks] == [
        ("1", "Kích hoạt tài khoản", "Công an xã"),
        ("2", "Làm sạch dữ liệu đăng ký xe", "Công an xã"),
    ]
    assert plan.title == "Kế hoạch thử"  # the subject of "KẾ HOẠCH THỬ", as a sentence


def test_rows_without_sections_make_one_section() -> None:
    plan = read_plan_text("TT\tNhiệm vụ\tChủ trì\tPhối hợp\tThời hạn\n1\tA\tPhòng Kinh tế\t\tQuý I\n"
                          "2\tB\tCông an xã\t\tQuý II\n")
    assert [(s.numeral, s.title, s.order) for s in plan.sections] == [("", "", 1)]
    assert [t.product for t in plan.tasks] == ["", ""]


def test_pasted_header_with_line_breaks() -> None:
    text = ("STT\tNội dung công việc\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian \nthực hiện/\n"
            "hoàn thành\tSản phẩm\n1\tBan hành kế hoạch\tPhòng Kinh tế\t\tQuý I/2026\tKế hoạch\n")
    plan = read_plan_text(text)
    assert [(t.number, t.deadline_text, t.product) for t in plan.tasks] == [
        ("1", "Quý I/2026", "Kế hoạch")]


def test_pasted_cells_with_line_breaks() -> None:
    text = ("STT\tNội dung công việc\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian\tSản phẩm\n"
            "I. Chỉ đạo\n"  # trailing tabs trimmed by the chat app
            "1\tBan hành kế hoạch\t- Phòng Kinh tế;\n- Công an xã\tCác phòng\tQuý I/2026\tKế hoạch\n"
            "2\tNội dung dài\ntiếp dòng 2\tPhòng VH-XH\t\tQuý II/2026\t- Báo cáo\n- Công văn\n"
            "3\tABC\tCông an xã\t\tThường xuyên\n"
            "Ghi chú: abc\n")
    plan = read_plan_text(text)
    assert [(s.numeral, s.title) for s in plan.sections] == [("I", "Chỉ đạo")]
    assert as_tuples(plan) == [
        ("1", "Ban hành kế hoạch", "- Phòng Kinh tế;\n- Công an xã", "Các phòng", "Quý I/2026",
         "Kế hoạch"),
        ("2", "Nội dung dài\ntiếp dòng 2", "Phòng VH-XH", "", "Quý II/2026",
         "- Báo cáo\n- Công văn"),
        ("3", "ABC", "Công an xã", "", "Thường xuyên", ""),
    ]
    assert plan.warnings == ["Dòng 9: bỏ qua “Ghi chú: abc” vì không phải số thứ tự của một "
                             "nhiệm vụ."]


def test_markdown_table() -> None:
    text = ("| STT | Nội dung công việc | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn | Sản phẩm |\n"
            "|---|---|---|---|:---:|---|\n"
            "| **I. Chỉ đạo** | | | | | |\n"
            "| 1 | Ban hành kế hoạch | Phòng Kinh tế | | Quý I/2026 | Kế hoạch<br>Báo cáo |\n")
    plan = read_plan_text(text)
    assert [(s.numeral, s.title) for s in plan.sections] == [("I", "Chỉ đạo")]
    assert as_tuples(plan) == [
        ("1", "Ban hành kế hoạch", "Phòng Kinh tế", "", "Quý I/2026", "Kế hoạch\nBáo cáo")]


def test_xlsx_cell_values() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Kết quả"])
    sheet.append([1.0, "Ban hành", "Phòng Kinh tế", None, dt.datetime(2026, 1, 15), 0.5])
    sheet.append(["2.", "Kiểm tra", "Công an xã", None, dt.date(2026, 3, 31), 12])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = read_plan(buffer.getvalue(), "a.xlsx")
    assert as_tuples(plan) == [
        ("1", "Ban hành", "Phòng Kinh tế", "", "15/01/2026", "0.5"),
        ("2", "Kiểm tra", "Công an xã", "", "31/03/2026", "12"),
    ]


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def broken_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<Types><Override ContentType="application/vnd.'
                         'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("word/document.xml", "<w:document>not xml")
    return buffer.getvalue()


def odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "name", "expected"), [
    (OLE, "ke-hoach.doc", "Tệp .doc (Word 97-2003) chưa được hỗ trợ; vui lòng lưu lại thành .docx"),
    (OLE, "ke-hoach.xls", "Tệp .xls (Excel 97-2003) chưa được hỗ trợ"),
    (OLE, "ke-hoach.docx", "được đặt mật khẩu"),
    (OLE + "EncryptedPackage".encode("utf-16-le"), "ke-hoach.xlsx", "được đặt mật khẩu"),
    (b"%PDF-1.7\n1 0 obj", "ke-hoach.pdf", "Tệp PDF không đọc được bảng; vui lòng gửi tệp Word "
     "(.docx) hoặc Excel (.xlsx)"),
    (b"PK\x03\x04" + bytes(range(200)), "ke-hoach.docx", "Tệp ke-hoach.docx bị hỏng"),
    (SAMPLE_DOCX.read_bytes()[:5000], "ke-hoach.docx", "Tệp ke-hoach.docx bị hỏng"),
    (broken_docx(), "ke-hoach.docx", "Tệp ke-hoach.docx bị hỏng"),
    (odt(), "ke-hoach.odt", "OpenDocument"),
    (b"", "ke-hoach.docx", "Tệp ke-hoach.docx trống"),
    (b"  \n", "ke-hoach.csv", "Tệp ke-hoach.csv trống"),
    (bytes(range(256)) * 4, "ke-hoach.bin", "Không nhận ra loại tệp ke-hoach.bin"),
    (b"\x89PNG\r\n\x1a\n" + bytes(100), "anh.png", "Tệp ảnh không đọc được bảng"),
    (b"{\\rtf1\\ansi hello}", "ke-hoach.rtf", "Tệp RTF chưa được hỗ trợ"),
    (b"Xin chao\nday khong phai bang", "ghi-chu.txt", "Không tìm thấy dòng tiêu đề bảng (STT, "
     "Nội dung công việc, Cơ quan chủ trì, Thời gian thực hiện…)"),
])
def test_bad_files(data: bytes, name: str, expected: str) -> None:
    with pytest.raises(PlanFileError) as caught:
        read_plan(data, name)
    assert expected in caught.value.message


def test_file_too_large() -> None:
    with pytest.raises(PlanFileError) as caught:
        read_plan(b"x" * (MAX_BYTES + 1), "to.xlsx")
    assert caught.value.message == "Tệp to.xlsx quá lớn (20,1 MB); chỉ nhận tệp đến 20 MB."


def test_docx_and_xlsx_without_plan_header() -> None:
    data = make_docx([["A", "B", "C", "D", "E", "F"], ["1", "x", "y", "z", "t", "u"]])
    with pytest.raises(PlanFileError, match="Không tìm thấy dòng tiêu đề bảng"):
        read_plan(data, "khac.docx")
    workbook = openpyxl.Workbook()
    workbook.active.append(["Họ tên", "Tuổi"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(PlanFileError, match="Không tìm thấy dòng tiêu đề bảng"):
        read_plan(buffer.getvalue(), "khac.xlsx")


PLAN_HEADER = ["STT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian"]


def test_header_without_tasks() -> None:
    with pytest.raises(PlanFileError, match="có dòng tiêu đề nhưng không có nhiệm vụ nào"):
        build_plan([PLAN_HEADER, ["I. Chỉ đạo điều hành", "", "", "", ""]], source="a.docx")


def test_duplicate_number_in_a_section() -> None:
    rows = [PLAN_HEADER, ["I. Chỉ đạo điều hành", "", "", "", ""],
            ["1", "A", "Phòng Kinh tế", "", "Quý I"], ["1", "B", "Phòng Kinh tế", "", "Quý II"]]
    with pytest.raises(PlanFileError) as caught:
        build_plan(rows, source="a.docx")
    assert caught.value.message == ("Số thứ tự 1 bị trùng trong mục “I. Chỉ đạo điều hành” "
                                    "(dòng 4).")
    rows[3:3] = [["II. Cải cách thể chế", "", "", "", ""]]
    assert [len(s.tasks) for s in build_plan(rows, source="a.docx").sections] == [1, 1]


def test_number_without_content() -> None:
    rows = [PLAN_HEADER, ["1", "A", "Phòng Kinh tế", "", "Quý I"], ["2", "", "Công an xã", "", ""]]
    with pytest.raises(PlanFileError) as caught:
        build_plan(rows, source="a.docx")
    assert caught.value.message == "Dòng 3 có số thứ tự 2 nhưng không có nội dung công việc."


def test_repeated_header_and_section_after_a_page_break() -> None:
    rows = [["KẾ HOẠCH"], PLAN_HEADER, ["I. Chỉ đạo", "I. Chỉ đạo", "", "", ""],
            ["1", "A", "Phòng Kinh tế", "", "Quý I"], PLAN_HEADER, ["I. Chỉ đạo", "", "", "", ""],
            ["2", "B", "Phòng Kinh tế", "", "Quý I"], ["", "", "", "", ""], ["Ghi chú: x"]]
    plan = build_plan(rows, source="a.docx")
    assert [(s.numeral, [t.number for t in s.tasks]) for s in plan.sections] == [("I", ["1", "2"])]
    assert plan.title == "KẾ HOẠCH"
    assert len(plan.warnings) == 1 and "Ghi chú" in plan.warnings[0]


FILENAMES = st.sampled_from(["a.docx", "a.xlsx", "a.csv", "a.txt", "a.doc", "a.pdf", "a", "a.bin"])


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=3000), name=FILENAMES)
def test_random_bytes_only_raise_plan_file_error(data: bytes, name: str) -> None:
    try:
        read_plan(data, name)
    except PlanFileError as error:
        assert error.message


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from([b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"%PDF", b""]),
       data=st.binary(max_size=2000), name=FILENAMES)
def test_random_bytes_behind_magic_numbers(prefix: bytes, data: bytes, name: str) -> None:
    try:
        read_plan(prefix + data, name)
    except PlanFileError as error:
        assert error.message


SAMPLE_BYTES = SAMPLE_DOCX.read_bytes()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.lists(st.tuples(st.integers(0, len(SAMPLE_BYTES) - 1), st.integers(0, 255)),
                        min_size=1, max_size=8))
def test_damaged_docx_only_raises_plan_file_error(changes: list[tuple[int, int]]) -> None:
    data = bytearray(SAMPLE_BYTES)
    for position, value in changes:
        data[position] = value
    try:
        read_plan(bytes(data), "ke-hoach.docx")
    except PlanFileError as error:
        assert error.message


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("\t\n;,\"1IV. aĐạ<li>b")), max_size=400))
def test_random_pasted_text_only_raises_plan_file_error(text: str) -> None:
    try:
        read_plan_text(text)
    except PlanFileError as error:
        assert error.message


def test_a_large_xlsx_within_the_limits_still_reads() -> None:
    """The limits of documents/file_limits.py leave room for a real plan, read streaming;
    merged lead cells still reach the rows below (tests/security has the hostile files)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["STT", "Nội dung công việc", "Cơ quan chủ trì", "Thời gian hoàn thành"])
    for number in range(1, 4001):
        sheet.append([number, f"Nhiệm vụ {number}", "Phòng Văn hóa - Xã hội", "Quý IV/2026"])
    sheet["C2"], sheet["C3"] = "Phòng Kinh tế", None
    sheet.merge_cells("C2:C3")
    out = io.BytesIO()
    workbook.save(out)
    plan = read_plan(out.getvalue(), "lon.xlsx")
    assert len(plan.tasks) == 4000
    assert [t.lead_text for t in plan.tasks[:3]] == ["Phòng Kinh tế", "Phòng Kinh tế", "Phòng Văn hóa - Xã hội"]
