"""The score sheet's result table as an Excel workbook that prints as the .docx does
(``documents.report_xlsx``'s page setup: A4 landscape, Nghị định 30/2020 margins, the
header row repeated, page numbers from the second page, every text a text, never a
formula). Points are numbers, so the compiler can add them up; the totals of the
"Tổng" row, the criteria and the sub-criteria are computed by dondoc."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from openpyxl import Workbook

from documents.report_xlsx import (
    CELL,
    CELL_BOLD,
    CELL_SIZE,
    CENTER,
    PLAIN,
    TOP_CENTER,
    WRAP,
    fit_row_height,
    mark_for_review,
    merged_line,
    national_heading,
    print_setup,
    set_widths,
    write_grid_row,
)
from documents.score_table import HEADER, POINT_COLUMNS, score_lines
from models.score_queries import SheetView

WIDTHS = (5, 25, 7, 11, 10, 10, 28, 7, 7)  # those of the .docx (score_docx.WIDTHS)
HEADING_SPLIT = 3  # the issuing body over TT, the criterion and its points


def _number(value: object) -> object:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return int(number) if number.is_integer() else number


def score_xlsx(organization: str, view: SheetView, *, day: date | None = None) -> bytes:
    """The table as .xlsx bytes, under the national heading block dated ``day`` (the
    import's day when not given), as the .docx."""
    workbook = Workbook()
    workbook._fonts[0] = PLAIN  # noqa: SLF001 - the unit of widths, as report_xlsx does
    ws = workbook.active
    ws.title = "Bảng điểm"
    set_widths(ws, WIDTHS)
    day = day or view.sheet.imported_at.date()
    title = national_heading(ws, organization, day, len(WIDTHS), split=HEADING_SPLIT)
    merged_line(ws, title, view.sheet.title, len(WIDTHS))
    ws.row_dimensions[title].height = 40
    header = title + 2
    write_grid_row(ws, header, HEADER, font=CELL_BOLD, align=CENTER)
    fit_row_height(ws, header, HEADER, WIDTHS, size=CELL_SIZE, bold=True)
    row = header
    for line in score_lines(view):
        row += 1
        values = list(line.cells())
        for index in POINT_COLUMNS:
            values[index] = _number(values[index])
        bold = line.parent
        write_grid_row(ws, row, tuple(values), font=CELL_BOLD if bold else CELL, align=WRAP)
        for index in (0, *POINT_COLUMNS):
            ws.cell(row, index + 1).alignment = TOP_CENTER
        if line.review:
            mark_for_review(ws.cell(row, 2), "Cần xem lại")
        fit_row_height(ws, row, tuple(values), WIDTHS, size=CELL_SIZE, bold=bold)
    print_setup(ws, f"${header}:${header}")
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
