"""The result appendix as an Excel workbook: the same table as the .docx on the first
sheet (section rows merged, header row repeated when printed, A4 landscape), the
Biểu mẫu 1 figures on the second, and the figures by unit and by section on the third.
Counts are numbers, so the compiler can add them up; the rate is written as officials
write it ("27/52 = 51,9%").

Every text comes from people (plan cells, officers' replies), so every text is written
as a text cell, never a formula: a cell starting with ``= + - @``, a tab or a CR gets
Excel's own text marker (quotePrefix), and those but the common list dash ("- Phòng…")
also a visible apostrophe, so the text stays inert even copied out to a CSV.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from documents.report_rows import CATEGORY_LABELS, HEADER, Report, vn_date
from models.progress import Tally, rate_text

FONT = "Times New Roman"
PLAIN, BOLD, ITALIC = (
    Font(FONT, size=13),
    Font(FONT, size=13, bold=True),
    Font(FONT, size=13, italic=True),
)
THIN = Side(style="thin")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
TABLE_WIDTHS = (6, 55, 24, 24, 22, 45)
FORM_HEADER = ("STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú")
NO_CITY_LIST = "Chưa có danh sách nhiệm vụ UBND thành phố giao trong dondoc"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
APOSTROPHE_STARTS = ("=", "+", "@", "\t", "\r")


def _put(ws: Worksheet, row: int, column: int, value: object) -> Cell:
    """Write ``value`` into a cell; a text is always a text, never a formula."""
    cell = ws.cell(row, column)
    if not isinstance(value, str):
        cell.value = value
        return cell
    if value.startswith(APOSTROPHE_STARTS):
        value = "'" + value
    cell.value = value
    cell.data_type = "s"  # openpyxl makes any "=…" a formula; a person's text is not one
    if value.startswith(FORMULA_STARTS) or value.startswith("'"):
        cell.quotePrefix = True
    return cell


def _print_setup(ws: Worksheet, header_row: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.freeze_panes = ws.cell(header_row + 1, 1)


def _line(ws: Worksheet, row: int, text: str, width: int, font: Font = BOLD) -> None:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    cell = _put(ws, row, 1, text)
    cell.font, cell.alignment = font, CENTER


def _grid_row(
    ws: Worksheet, row: int, values: tuple, *, font: Font = PLAIN, align: Alignment = WRAP
) -> None:
    for column, value in enumerate(values, 1):
        cell = _put(ws, row, column, value)
        cell.font, cell.border, cell.alignment = font, GRID, align


def _widths(ws: Worksheet, widths: tuple[int, ...]) -> None:
    for index, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = width


def _title_block(ws: Worksheet, report: Report, width: int, heading: str) -> int:
    _line(ws, 1, f"ỦY BAN NHÂN DÂN {report.organization.upper()}", width)
    _line(ws, 2, heading, width)
    _line(ws, 3, report.title, width)
    scope = f"Đơn vị: {'; '.join(report.units)}. " if report.units else ""
    _line(ws, 4, f"{scope}Số liệu tính đến ngày {vn_date(report.as_of)}.", width, ITALIC)
    return 6


def _results(ws: Worksheet, report: Report) -> None:
    width = len(HEADER)
    header = _title_block(ws, report, width, "PHỤ LỤC")
    _grid_row(ws, header, HEADER, font=BOLD, align=CENTER)
    row = header
    for item in report.rows:
        row += 1
        if item.section is not None:
            _grid_row(ws, row, (item.section,) + ("",) * (width - 1), font=BOLD)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            continue
        values = (int(item.cells[0]) if item.cells[0].isdigit() else item.cells[0], *item.cells[1:])
        _grid_row(ws, row, values)
        ws.cell(row, 1).alignment = ws.cell(row, 5).alignment = CENTER
    _widths(ws, TABLE_WIDTHS)
    _print_setup(ws, header)


def _form1(ws: Worksheet, report: Report) -> None:
    width = len(FORM_HEADER)
    header = _title_block(
        ws, report, width, "BIỂU MẪU 1 - CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH"
    )
    _grid_row(ws, header, FORM_HEADER, font=BOLD, align=CENTER)
    for offset, (number, label, unit, value) in enumerate(report.form1(), 1):
        note = NO_CITY_LIST if number == "4.1." and report.city is None else ""
        font = BOLD if number.count(".") == 1 else PLAIN
        _grid_row(ws, header + offset, (number, label, unit, value, note), font=font)
        ws.cell(header + offset, 4).alignment = CENTER
    _widths(ws, (8, 70, 14, 16, 40))
    _print_setup(ws, header)


def _breakdown(ws: Worksheet, report: Report) -> None:
    columns = ("", "Tổng số", *(label for _, label in CATEGORY_LABELS), "Tỷ lệ hoàn thành")
    header = _title_block(ws, report, len(columns), "SỐ LIỆU THEO ĐƠN VỊ VÀ THEO MỤC")
    row = header

    def block(title: str, items: dict[str, Tally]) -> None:
        nonlocal row
        _grid_row(ws, row, (title, *columns[1:]), font=BOLD, align=CENTER)
        for name, t in items.items():
            row += 1
            counts = (t.counts[key] for key, _ in CATEGORY_LABELS)
            _grid_row(ws, row, (name, t.total, *counts, rate_text(t.done, t.total)))
        row += 2

    block("Đơn vị chủ trì", report.progress.by_unit)
    block("Mục", {f"Mục {k}": v for k, v in report.progress.by_section.items()})
    _widths(ws, (40, 10, *(16,) * len(CATEGORY_LABELS), 18))
    _print_setup(ws, header)


def report_xlsx(report: Report) -> bytes:
    """The appendix and its figures as .xlsx bytes."""
    workbook = Workbook()
    results = workbook.active
    results.title = "Kết quả thực hiện"
    _results(results, report)
    _form1(workbook.create_sheet("Biểu mẫu 1"), report)
    _breakdown(workbook.create_sheet("Theo đơn vị"), report)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
