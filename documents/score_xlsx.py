"""The score sheet's result table as an Excel workbook that prints as the .docx does
(``documents.report_xlsx``'s page setup: A4 landscape, Nghị định 30/2020 margins, the
header row repeated, page numbers from the second page, every text a text, never a
formula). Points are numbers, so the compiler can add them up; the totals of the
"Tổng" row, the criteria and the sub-criteria are computed by dondoc."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook

from documents.report_xlsx import (
    BOLD,
    CENTER,
    PLAIN,
    TOP_CENTER,
    WRAP,
    fit_row_height,
    mark_for_review,
    merged_line,
    print_setup,
    set_widths,
    write_grid_row,
)
from documents.score_table import HEADER, POINT_COLUMNS, score_lines
from models.org_names import org_name
from models.score_queries import SheetView

WIDTHS = (5, 25, 6, 11, 10, 11, 33, 7, 7)  # those of the .docx (score_docx.WIDTHS)


def _number(value: object) -> object:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return int(number) if number.is_integer() else number


def score_xlsx(organization: str, view: SheetView) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.title = "Bảng điểm"
    set_widths(ws, WIDTHS)
    merged_line(ws, 1, " ".join(org_name(organization).issuer), len(WIDTHS))
    merged_line(ws, 2, view.sheet.title, len(WIDTHS))
    ws.row_dimensions[2].height = 40
    header = 4
    write_grid_row(ws, header, HEADER, font=BOLD, align=CENTER)
    row = header
    for line in score_lines(view):
        row += 1
        values = list(line.cells())
        for index in POINT_COLUMNS:
            values[index] = _number(values[index])
        bold = line.parent
        write_grid_row(ws, row, tuple(values), font=BOLD if bold else PLAIN, align=WRAP)
        for index in (0, *POINT_COLUMNS):
            ws.cell(row, index + 1).alignment = TOP_CENTER
        if line.review:
            mark_for_review(ws.cell(row, 2), "Cần xem lại")
        fit_row_height(ws, row, tuple(values), WIDTHS)
    print_setup(ws, f"${header}:${header}")
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
