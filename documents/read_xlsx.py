"""Plan tables from Excel (.xlsx) files, with openpyxl.

The first worksheet that holds a plan header is read (cached values, not formulas).
A merged range gives its value to its top-left cell only, so a merged section or title
row reads as one cell; a range spanning several rows also lends its value, marked
:class:`MergedAbove`, to the rows below in its first column (a lead unit merged over two
tasks). Numbers written as 1.0 read "1"; dates read dd/mm/yyyy.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from documents.plan_table import (
    MergedAbove,
    ParsedPlan,
    PlanFileError,
    build_plan,
    find_header,
    no_header_error,
)
from locales import _

MAX_ROWS = 5000
MAX_COLUMNS = 40


def cell_text(value: object) -> str:
    """The text of a cell value as a person reads it in Excel."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(value, ".12g")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


def sheet_grid(sheet: Worksheet) -> list[list[str]]:
    """Cell texts of a worksheet, row 1 first, so a row's index + 1 is its Excel number."""
    height = min(sheet.max_row or 0, MAX_ROWS)
    width = min(sheet.max_column or 0, MAX_COLUMNS)
    grid: list[list[str]] = [[""] * width for _ in range(height)]
    if not height or not width:
        return grid
    for row in sheet.iter_rows(min_row=1, max_row=height, max_col=width):
        for cell in row:
            if cell.value is not None:
                grid[cell.row - 1][cell.column - 1] = cell_text(cell.value)
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= height or left >= width or merged.max_row == merged.min_row:
            continue
        text = grid[top][left]
        for index in range(top + 1, min(merged.max_row, height)):
            if text and not grid[index][left]:
                grid[index][left] = MergedAbove(text)
    return grid


def read_xlsx(data: bytes, *, source: str) -> ParsedPlan:
    """Read the plan table of an .xlsx file."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken package
        raise PlanFileError(
            _("Tệp {name} bị hỏng hoặc không phải tệp Excel (.xlsx) hợp lệ.").format(name=source)
        ) from exc
    try:
        for sheet in workbook.worksheets:
            grid = sheet_grid(sheet)
            if find_header(grid) is not None:
                return build_plan(grid, source=source)
    finally:
        workbook.close()
    raise no_header_error(source)
