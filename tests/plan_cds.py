"""A real-shaped digital-transformation plan of the sample commune, built as a .docx:
the letterhead table, "KẾ HOẠCH" with its subject on the next two lines, the body, and
the task table with sections lettered "A.", "B.", "C.", a heading row "4" (no lead unit,
no deadline) over tasks "4.1", "4.2", and twelve tasks in all. Task 6 is led by Phòng
Văn hóa - Xã hội as CCHC task 6 is; task 7 is led by Công an xã with Phòng Kinh tế
cooperating."""

from __future__ import annotations

import io

import docx

HEADER = ["STT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp",
          "Thời gian hoàn thành", "Sản phẩm"]  # fmt: skip
VHXH, KT, VP, CA, PVHCC = (
    "Phòng Văn hóa - Xã hội", "Phòng Kinh tế", "Văn phòng HĐND và UBND", "Công an xã",
    "Trung tâm Phục vụ hành chính công",
)  # fmt: skip
ROWS: list[list[str]] = [
    ["A.", "NÂNG CAO NHẬN THỨC VỀ CHUYỂN ĐỔI SỐ", "", "", "", ""],
    ["1", "Ban hành Kế hoạch chuyển đổi số năm 2026 của UBND xã", VP, "Các cơ quan chuyên môn UBND xã", "Trước ngày 31/01/2026", "Kế hoạch"],
    ["2", "Tuyên truyền về chuyển đổi số trên hệ thống truyền thanh và Trang thông tin điện tử xã", VHXH, "Trung tâm Dịch vụ sự nghiệp công", "Thường xuyên", "Tin, bài"],
    ["3", "Tập huấn kỹ năng số cho cán bộ, công chức", VHXH, "", "Quý II/2026", "Lớp tập huấn"],
    ["B.", "PHÁT TRIỂN HẠ TẦNG SỐ VÀ DỮ LIỆU SỐ", "", "", "", ""],
    ["4", "Hạ tầng số", "", "", "", ""],
    ["4.1", "Rà soát, nâng cấp mạng nội bộ (LAN) và đường truyền số liệu chuyên dùng", VP, "", "Quý I/2026", "Báo cáo"],
    ["4.2", "Trang bị thiết bị ký số cho lãnh đạo và công chức", VP, PVHCC, "Quý II/2026", "Thiết bị"],
    ["5", "Làm sạch dữ liệu dân cư, đất đai phục vụ Đề án 06", CA, KT, "Trước ngày 30/6/2026", "Dữ liệu"],
    ["6", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", VHXH, PVHCC, "Quý III/2026", "Hồ sơ số"],
    ["C.", "PHÁT TRIỂN KINH TẾ SỐ VÀ XÃ HỘI SỐ", "", "", "", ""],
    ["7", "Vận động người dân kích hoạt tài khoản định danh điện tử mức 2", CA, KT, "Trước ngày 30/9/2026", "Báo cáo"],
    ["8", "Hỗ trợ hộ kinh doanh thanh toán không dùng tiền mặt", KT, CA, "Quý III/2026", "Báo cáo"],
    ["9", "Đưa sản phẩm OCOP lên sàn thương mại điện tử", KT, "", "Quý IV/2026", "Sản phẩm trên sàn"],
    ["10", "Duy trì Tổ công nghệ số cộng đồng", VHXH, KT, "Thường xuyên", "Báo cáo"],
    ["11", "Báo cáo kết quả chuyển đổi số năm 2026", VP, "Các cơ quan chuyên môn UBND xã", "Trước ngày 10/12/2026", "Báo cáo"],
]  # fmt: skip
TITLE = "Kế hoạch chuyển đổi số, phát triển kinh tế số và xã hội số trên địa bàn xã Nguyễn Bình Khiêm năm 2026"


def cds_docx(rows: list[list[str]] | None = None) -> bytes:
    """The plan as .docx bytes (``rows`` instead of the usual table when given)."""
    document = docx.Document()
    letterhead = document.add_table(rows=2, cols=2)
    letterhead.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nXÃ NGUYỄN BÌNH KHIÊM"
    letterhead.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    letterhead.cell(1, 0).text = "Số: 45/KH-UBND"
    letterhead.cell(1, 1).text = "Nguyễn Bình Khiêm, ngày 20 tháng 01 năm 2026"
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Chuyển đổi số, phát triển kinh tế số và xã hội số")
    document.add_paragraph("trên địa bàn xã Nguyễn Bình Khiêm năm 2026")
    document.add_paragraph("________________")
    document.add_paragraph("Căn cứ Kế hoạch số 310/KH-UBND của UBND thành phố về chuyển đổi số;")
    document.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU")
    document.add_paragraph("Đẩy mạnh chuyển đổi số trong hoạt động của các cơ quan, đơn vị.")
    document.add_paragraph("II. NHIỆM VỤ CỤ THỂ (Phụ lục kèm theo)")
    document.add_paragraph("PHỤ LỤC")
    document.add_paragraph("NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2026")
    body = rows if rows is not None else ROWS
    table = document.add_table(rows=1 + len(body), cols=len(HEADER))
    for column, text in enumerate(HEADER):
        table.cell(0, column).text = text
    for index, row in enumerate(body, start=1):
        for column, text in enumerate(row):
            table.cell(index, column).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def changed_rows() -> list[list[str]]:
    """The plan as re-issued: task 3's deadline moved, task 9 dropped, task 12 added."""
    rows = [list(r) for r in ROWS if r[0] != "9"]
    for row in rows:
        if row[0] == "3":
            row[4] = "Quý III/2026"
    rows.append(["12", "Triển khai nền tảng học tập trực tuyến cho công chức", VHXH, "", "Quý IV/2026", "Báo cáo"])
    return rows
