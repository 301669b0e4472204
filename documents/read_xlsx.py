"""Plan tables from Excel (.xlsx) files, with openpyxl in read-only (streaming) mode.

The first worksheet that holds a plan header is read (cached values, not formulas).
A merged range gives its value to its top-left cell only, so a merged section or title
row reads as one cell; a range spanning several rows also lends its value, marked
:class:`MergedAbove`, to the rows below in its first column (a lead unit merged over two
tasks). Numbers written as 1.0 read "1"; dates read dd/mm/yyyy.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import warnings
from xml.parsers import expat

import openpyxl
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.cell_range import CellRange

from documents.file_limits import (
    MAX_CELLS,
    MAX_MERGED_CELLS,
    MAX_ROWS,
    MAX_SCANNED_ROWS,
    too_many_cells,
    too_many_merges,
    too_many_rows,
)
from documents.plan_file_error import PlanFileError
from documents.plan_table import MergedAbove, ParsedPlan, build_plan, find_header, no_header_error
from locales import _

MAX_COLUMNS = 40  # a plan has 6 to 10; columns further right are not read


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


def _merged_ranges(sheet: ReadOnlyWorksheet, source: str) -> list[CellRange]:
    """The merged ranges of a read-only sheet, read from its XML with a streaming parser
    (openpyxl's read-only mode does not read them). The package was checked for size
    and element count before, so this pass is bounded."""
    ranges: list[CellRange] = []

    def start(tag: str, attributes: dict[str, str]) -> None:
        if tag.rsplit(":", 1)[-1] == "mergeCell" and attributes.get("ref"):
            if len(ranges) >= MAX_MERGED_CELLS:
                raise too_many_merges(source)  # counted while streaming
            with contextlib.suppress(ValueError):
                ranges.append(CellRange(attributes["ref"]))

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    try:
        with sheet._get_source() as xml:  # openpyxl keeps the archive open while reading
            parser.ParseFile(xml)
    except PlanFileError:
        raise
    except Exception:  # noqa: BLE001 - no merges rather than no plan
        return ranges
    return ranges


def sheet_grid(sheet: ReadOnlyWorksheet, *, source: str = "") -> list[list[str]]:
    """Cell texts of a worksheet, row 1 first, so a row's index + 1 is its Excel number.

    Rows are streamed (read-only mode): a sheet with more rows than a plan can have is
    refused at the first row too many, whatever its declared dimensions say."""
    grid: list[list[str]] = []
    last = 0  # rows up to the last one with text
    for index, values in enumerate(
        sheet.iter_rows(
            min_row=1, max_row=MAX_SCANNED_ROWS + 1, max_col=MAX_COLUMNS, values_only=True
        ),
        1,
    ):
        if index > MAX_SCANNED_ROWS:
            raise too_many_rows(source)
        row = [cell_text(value) for value in values]
        while row and not row[-1]:
            row.pop()
        if row:
            if index > MAX_ROWS:
                raise too_many_rows(source)
            last = index
        grid.append(row)
    del grid[last:]
    width = max((len(row) for row in grid), default=0)
    for row in grid:
        row.extend([""] * (width - len(row)))
    height = len(grid)
    lent = 0  # cells a merged range gives its value to: bounded like filled cells
    for merged in _merged_ranges(sheet, source):
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= height or left >= width or merged.max_row == merged.min_row:
            continue
        text = grid[top][left]
        lent += min(merged.max_row, height) - top
        if lent > MAX_CELLS:
            raise too_many_cells(source)
        for index in range(top + 1, min(merged.max_row, height)):
            if text and not grid[index][left]:
                grid[index][left] = MergedAbove(text)
    return grid


def read_xlsx(data: bytes, *, source: str) -> ParsedPlan:
    """Read the plan table of an .xlsx file."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken package
        raise PlanFileError(
            _("Tệp {name} bị hỏng hoặc không phải tệp Excel (.xlsx) hợp lệ.").format(name=source)
        ) from exc
    try:
        for sheet in workbook.worksheets:
            if not isinstance(sheet, ReadOnlyWorksheet):
                continue  # a chart sheet
            grid = sheet_grid(sheet, source=source)
            if find_header(grid) is not None:
                return build_plan(grid, source=source)
    finally:
        workbook.close()
    raise no_header_error(source)
