"""A score sheet in the real four-level shape (issue 22): criterion → "1" → "1.1" →
"- item", numbers restarting in every criterion, four criteria of 24, 24, 26 and 26
points (100) and a self-assessment of 96,8; parents carry the sums of their children as
the commune's own file does. Built as a real .docx and .xlsx by ``tests.score_sheet``."""

from __future__ import annotations

from decimal import Decimal

from tests.score_sheet import HEADER, KT, TT, VH, VP

# TT, content, max, lead, cooperating, evidence, result, self
ROWS: list[list[str]] = [
    ["I", "TIÊU CHÍ 1: CHÍNH QUYỀN CÔNG KHAI, MINH BẠCH", "24", "", "", "", "", "23,5"],
    ["1", "Công khai các nội dung để tổ chức, công dân biết", "10", "", "", "", "", "9,5"],
    ["", "- Công khai thủ tục hành chính", "4", TT, "", "", "Công khai đầy đủ.", "4"],
    ["", "- Công khai ngân sách xã", "6", KT, "", "", "Đã công khai dự toán.", "5,5"],
    ["2", "Tiếp nhận, xử lý phản ánh, kiến nghị", "14", VP, "", "", "Trả lời đúng hạn.", "14"],
    ["II", "TIÊU CHÍ 2: CHÍNH QUYỀN THÂN THIỆN, VÌ NHÂN DÂN PHỤC VỤ", "24", "", "", "", "", "23"],
    ["1", "Giải quyết thủ tục hành chính đúng hạn", "12", TT, "", "", "Đạt 100%.", "12"],
    ["2", "Đối thoại với Nhân dân", "12", "", "", "", "", "11"],
    ["", "- Tổ chức đối thoại định kỳ", "6", VP, "", "", "Đã tổ chức.", "6"],
    ["", "- Giải quyết kiến nghị sau đối thoại", "6", VP, "", "", "19/20 kiến nghị.", "5"],
    ["III", "TIÊU CHÍ 3: ĐỘI NGŨ CÁN BỘ, CÔNG CHỨC CHUYÊN NGHIỆP", "26", "", "", "", "", "25,3"],
    ["1", "Chấp hành kỷ luật, kỷ cương hành chính", "15", "", "", "", "", "14,8"],
    ["1.1", "Kỷ luật công vụ", "9", "", "", "", "", "8,8"],
    ["", "- Không có cán bộ bị kỷ luật", "5", VH, "", "", "Không có.", "5"],
    ["", "- Có sáng kiến được công nhận", "4", VP, VH, "", "Chờ công nhận.", "3,8"],
    ["1.2", "Văn hóa công sở", "6", "", "", "", "", "6"],
    ["", "- Đeo thẻ công chức khi thi hành công vụ", "6", VP, "", "", "Đầy đủ.", "6"],
    ["2", "Bồi dưỡng, nâng cao năng lực", "11", "", "", "", "", "10,5"],
    ["2.1", "Cử cán bộ tham gia bồi dưỡng", "5", VH, "", "", "Cử 15 lượt.", "5"],
    ["2.2", "Đánh giá sau bồi dưỡng", "6", "", "", "", "", "5,5"],
    ["", "- Có báo cáo đánh giá", "3", VH, "", "", "Có báo cáo.", "3"],
    ["", "- Áp dụng vào công việc", "3", VH, "", "", "Một phần.", "2,5"],
    ["IV", "TIÊU CHÍ 4: CHÍNH QUYỀN XANH, VĂN MINH, HIỆN ĐẠI", "26", "", "", "", "", "25"],
    ["1", "Chuyển đổi số", "10", TT, "", "", "Đạt 95%.", "10"],
    ["2", "Cảnh quan công sở", "16", "", "", "", "", "15"],
    ["", "- Công sở xanh, sạch", "8", KT, "", "", "Sạch đẹp.", "7,5"],
    ["", "- Khuôn viên có cây xanh", "8", KT, "", "", "Đã trồng.", "7,5"],
]
MAX_TOTAL, SELF_TOTAL = Decimal(100), Decimal("96.8")
CRITERIA = {"I": 24, "II": 24, "III": 26, "IV": 26}
LEAVES = 15


def deep_rows() -> list[list[str]]:
    return [HEADER, ["", "Tổng", "100", "", "", "", "", "96,8"], *[list(r) for r in ROWS]]
