"""Biểu mẫu 1 "Công tác chỉ đạo điều hành cải cách hành chính", every row of the form the
communes submit (the Nhị Chiểu six-month report in the seeds), with the figures dondoc
knows filled in and the others left blank for the compiler: shared by the .docx table
and the .xlsx sheet.
"""

from __future__ import annotations

from dataclasses import dataclass

from documents.report_rows import Report

TITLE = "Biểu mẫu 1"
SUBTITLE = "Công tác chỉ đạo điều hành cải cách hành chính"
# The two-level header: STT | Chỉ tiêu | Kết quả thống kê (Đơn vị tính | Số liệu) | Ghi chú.
HEADER_TOP = (
    "STT",
    "Chỉ tiêu thống kê (Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)",
    "Kết quả thống kê",
    "",
    "Ghi chú",
)
HEADER_SUB = ("", "", "Đơn vị tính", "Số liệu", "")


@dataclass(frozen=True)
class FormRow:
    number: str
    label: str
    unit: str
    value: int | str | None  # None: for the compiler to fill in

    @property
    def heading(self) -> bool:
        """The rows 1., 2., … are written in bold."""
        return self.number.count(".") == 1


def form_one(report: Report) -> list[FormRow]:
    t, c = report.progress.overall, report.city

    def city(key: str | None) -> int | None:
        if c is None:
            return None
        return c.total if key is None else c.counts[key]

    return [
        FormRow("1.", "Số văn bản chỉ đạo cải cách hành chính (CCHC) đã ban hành (Kết luận, chỉ thị, công văn chỉ đạo, quán triệt)", "Văn bản", None),
        FormRow("2.", "Tỷ lệ hoàn thành Kế hoạch CCHC năm (Lũy kế đến thời điểm báo cáo)", "%", report.rate),
        FormRow("2.1.", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", t.total),
        FormRow("2.2.", "Số nhiệm vụ đã hoàn thành", "Nhiệm vụ", t.done),
        FormRow("3.", "Kiểm tra CCHC", "", None),
        FormRow("3.1.", "Số sở, ngành đã kiểm tra", "Cơ quan, đơn vị", None),
        FormRow("3.2.", "Số UBND cấp xã đã kiểm tra", "Cơ quan, đơn vị", None),
        FormRow("3.3.", "Tỷ lệ xử lý các vấn đề phát hiện qua kiểm tra", "%", None),
        FormRow("3.3.1.", "Số vấn đề phát hiện qua kiểm tra", "Vấn đề", None),
        FormRow("3.3.2.", "Số vấn đề phát hiện đã xử lý xong", "Vấn đề", None),
        FormRow("4.", "Thực hiện nhiệm vụ Ủy ban nhân dân thành phố, Chủ tịch Ủy ban nhân dân thành phố giao", "", None),
        FormRow("4.1.", "Tổng số nhiệm vụ được giao", "Nhiệm vụ", city(None)),
        FormRow("4.1.1.", "Số nhiệm vụ đã hoàn thành đúng hạn", "Nhiệm vụ", city("done_on_time")),
        FormRow("4.1.2.", "Số nhiệm vụ đã hoàn thành nhưng quá hạn", "Nhiệm vụ", city("done_late")),
        FormRow("4.1.3.", "Số nhiệm vụ quá hạn nhưng chưa hoàn thành", "Nhiệm vụ", city("overdue")),
        FormRow("4.2.", "Số lượng phiếu khảo sát", "Số lượng", None),
        FormRow("4.3.", "Hình thức khảo sát", "Trực tuyến = 0\nPhát phiếu = 1\nKết hợp = 2", None),
        FormRow("5.", "Tổ chức đối thoại của lãnh đạo với người dân, cộng đồng doanh nghiệp", "Không = 0\nCó = 1", None),
    ]  # fmt: skip
