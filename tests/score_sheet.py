"""A score sheet in the shape of Hải Phòng's "Chính quyền thân thiện" six-month result
(4 criteria, 3 levels, fractional points, items without a number, numbered sub-items,
sub-criteria scored themselves), filled or empty, as real .docx, .xlsx and pasted text.
Used by the tests and by ``scripts/make_sample_scores.py``."""

from __future__ import annotations

import io
from decimal import Decimal

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm
from openpyxl import Workbook

from handlers.imports.any_file import import_any
from tests.harness import ORG, Harness

HEADER = ["TT", "Nội dung tiêu chí", "Điểm chuẩn", "Đơn vị chủ trì", "Đơn vị phối hợp",
          "Tài liệu minh chứng", "Kết quả thực hiện", "Điểm tự đánh giá"]  # fmt: skip
TITLE = "BẢNG TỰ ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN MÔ HÌNH “CHÍNH QUYỀN THÂN THIỆN” 6 THÁNG ĐẦU NĂM 2026"
TT = "Trung tâm phục vụ hành chính công xã"
VP = "Văn phòng HĐND và UBND xã"
VH = "Phòng Văn hóa - Xã hội"
KT = "Phòng Kinh tế"
DV = "Trung tâm Dịch vụ sự nghiệp công"
EVIDENCE = "Các văn bản/ hình ảnh hoạt động triển khai thực hiện"
OTHERS = "Các cơ quan, đơn vị liên quan"

# TT, content, max, lead, cooperating, evidence, result, self (leaves only; "" empty)
ITEMS: list[tuple[str, str, str, str, str, str, str, str]] = [
    ("I", "TIÊU CHÍ 1: CHÍNH QUYỀN CÔNG KHAI, MINH BẠCH", "24", "", "", EVIDENCE, "", ""),
    ("1", "Chính quyền công khai các nội dung để tổ chức, công dân biết, thực hiện", "10", "", "", "", "", ""),
    ("", "- Công khai mức thu phí, lệ phí của từng thủ tục hành chính.", "1", TT, OTHERS, "",
     "Trung tâm phục vụ hành chính công xã công khai đầy đủ các nội dung theo quy định. Có hình ảnh minh chứng.", "1"),
    ("", "- Công khai kế hoạch cải cách hành chính năm 2026.", "3", VH, VP, "Kế hoạch CCHC",
     "Kế hoạch số 12/KH-UBND ngày 09/01/2026 đã đăng trên Trang thông tin điện tử xã.", "3"),
    ("", "- Công khai dự toán, quyết toán ngân sách xã.", "4", KT, "", "Báo cáo công khai ngân sách",
     "Đã công khai dự toán; quyết toán chưa đủ thời hạn.", "3,5"),
    ("", "- Công khai quy hoạch, kế hoạch sử dụng đất.", "2", KT, "", "", "Đã niêm yết tại trụ sở.", "2"),
    ("2", "Tiếp nhận, xử lý phản ánh, kiến nghị của tổ chức, công dân", "8", "", "", "", "", ""),
    ("2.1", "Tiếp nhận phản ánh qua đường dây nóng, hộp thư góp ý", "4", VP, "", "Sổ theo dõi", "Có sổ theo dõi.", "4"),
    ("2.2", "Trả lời phản ánh, kiến nghị đúng hạn", "4", VP, OTHERS, "", "Trả lời đúng hạn 9/10 phản ánh.", "3,6"),
    ("3", "Ứng dụng mạng xã hội trong tương tác với Nhân dân", "6", VP, "", "Ảnh chụp trang Zalo OA",
     "Lập trang Zalo OA của xã.", "5,4"),
    ("II", "TIÊU CHÍ 2: CHÍNH QUYỀN THÂN THIỆN, HÀNH ĐỘNG, VÌ NHÂN DÂN PHỤC VỤ", "26", "", "", "", "", ""),
    ("4", "Giải quyết thủ tục hành chính đúng hạn", "12", "", "", "", "", ""),
    ("", "- Tỷ lệ hồ sơ giải quyết đúng và trước hạn đạt 100%.", "5", TT, "Các cơ quan chuyên môn thuộc UBND xã",
     "Báo cáo kiểm soát TTHC", "Đạt 100%.", "5"),
    ("", "- Không có hồ sơ trễ hạn phải xin lỗi.", "3", TT, "", "", "Không có.", "3"),
    ("", "- Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính.", "4", TT, VH, "", "Đạt 78%.", "3,1"),
    ("5", "Đối thoại với Nhân dân", "8", "", "", "", "", ""),
    ("", "- Tổ chức đối thoại định kỳ 6 tháng một lần.", "4", VP, "Ủy ban MTTQ Việt Nam xã", "Thông báo kết luận",
     "Thông báo số 1077/TB-UBND ngày 15/5/2026 về kết luận hội nghị đối thoại.", "4"),
    ("", "- Giải quyết kiến nghị sau đối thoại.", "4", VP, OTHERS, "", "Đã giải quyết 19/20 kiến nghị.", "3,8"),
    ("6", "Mức độ hài lòng của người dân, tổ chức", "6", TT, "", "Kết quả khảo sát", "Đạt 92%.", "5,5"),
    ("III", "TIÊU CHÍ 3: ĐỘI NGŨ CÁN BỘ, CÔNG CHỨC CHUYÊN NGHIỆP, TRÁCH NHIỆM", "25", "", "", "", "", ""),
    ("7", "Chấp hành kỷ luật, kỷ cương hành chính", "10", "", "", "", "", ""),
    ("", "- Không có cán bộ, công chức bị kỷ luật.", "5", VH, "", "", "Không có.", "5"),
    ("", "- Đeo thẻ công chức khi thi hành công vụ.", "2", VP, "", "", "Thực hiện đầy đủ.", "2"),
    ("", "- Có sáng kiến được công nhận.", "3", VP, VH, "Quyết định công nhận sáng kiến",
     "01 sáng kiến đang chờ công nhận.", "1,9"),
    ("8", "Bồi dưỡng, nâng cao năng lực cán bộ, công chức", "15", "", "", "", "", ""),
    ("", "- Cử cán bộ, công chức tham gia bồi dưỡng theo kế hoạch.", "8", VH, "", "", "Cử 25 lượt.", "7,5"),
    ("", "Tỷ lệ cán bộ, công chức đạt chuẩn theo vị trí việc làm", "7", VH, "", "", "Đạt 100%.", "7"),
    ("IV", "TIÊU CHÍ 4: CHÍNH QUYỀN XANH, VĂN MINH, HIỆN ĐẠI", "25", "", "", "", "", ""),
    ("9", "Chuyển đổi số trong hoạt động của chính quyền", "15", "", "", "", "", ""),
    ("", "- Cung cấp dịch vụ công trực tuyến toàn trình.", "6", TT, "", "", "Đạt 95%.", "5,7"),
    ("", "- Sử dụng chữ ký số trong gửi nhận văn bản.", "4", VP, "", "", "Đạt 100%.", "4"),
    ("", "- Tổ chức họp không giấy.", "5", VP, "", "", "Đã triển khai từ tháng 3/2026.", "4,5"),
    ("10", "Cảnh quan công sở xanh, sạch, đẹp", "10", DV, OTHERS, "Hình ảnh", "Công sở sạch đẹp.", "9,2"),
]  # fmt: skip
MAX_TOTAL = Decimal(100)
SELF_TOTAL = Decimal("93.7")
LEAVES = 22


def _num(text: str) -> Decimal:
    return Decimal(text.replace(",", ".")) if text else Decimal(0)


def _vi(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def sheet_rows(
    *, filled: bool = True, changes: dict[str, dict[int, str]] | None = None
) -> list[list[str]]:
    """Header, the "Tổng" row and the items; ``changes`` maps a content's start to
    {column index: new text} (a changed or broken sheet)."""
    rows = [list(item) for item in ITEMS]
    for row in rows:
        for start, edits in (changes or {}).items():
            if row[1].startswith(start):
                for column, text in edits.items():
                    row[column] = text
    if not filled:
        for row in rows:
            row[6] = row[7] = ""
    else:  # parents' self-assessed points are the sums of their children's
        for index, row in enumerate(rows):
            if row[7] or row[0] == "":
                continue
            level = 1 if row[0] in ("I", "II", "III", "IV") else 2
            total = Decimal(0)
            for below in rows[index + 1 :]:
                below_level = 1 if below[0] in ("I", "II", "III", "IV") else 2 if below[0] and "." not in below[0] else 3
                if below_level <= level:
                    break
                if below_level == 3 or (level == 1 and below[7] and below_level == 2):
                    total += _num(below[7])
            if total:
                row[7] = _vi(total)
    total_self = _vi(sum((_num(r[7]) for r in rows if r[0] in ("I", "II", "III", "IV")), Decimal(0)))
    return [HEADER, ["", "Tổng", "100", "", "", "", "", total_self if filled else ""], *rows]


def sheet_text(rows: list[list[str]]) -> str:
    return "\n".join([TITLE, *("\t".join(row) for row in rows)])


def sheet_docx(rows: list[list[str]]) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    document.add_paragraph("ỦY BAN NHÂN DÂN XÃ NGUYỄN BÌNH KHIÊM")
    document.add_paragraph(TITLE)
    table = document.add_table(rows=0, cols=len(HEADER))
    table.style = "Table Grid"
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            lines = text.split("\n")
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    document.add_paragraph("Nơi nhận: - Như trên;")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def sheet_xlsx(rows: list[list[str]], *, numbers: bool = True) -> bytes:
    """As an .xlsx; points as real numbers (1.9) when ``numbers``, as typed text else."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tự đánh giá"
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    for index, row in enumerate(rows):
        values: list[object] = list(row)
        if numbers and index > 0:
            for column in (2, 7):
                if row[column]:
                    value = _num(row[column])
                    values[column] = int(value) if value == int(value) else float(value)
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


async def import_empty_sheet(bot: Harness) -> None:
    """The score sheet with no unit's figures yet, imported into the sample commune now."""
    async with bot.sessions() as session, session.begin():
        await import_any(session, data=sheet_docx(sheet_rows(filled=False)), filename="a.docx",
                         organization=ORG, now=bot.clock.now())  # fmt: skip
