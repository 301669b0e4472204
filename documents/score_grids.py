"""The tables of a file, as grids of cell texts, for the score-sheet reader: the same
readers as plans (``read_docx`` walks the body and reads cells on the table grid,
``read_xlsx`` streams worksheets, ``read_text`` decodes and strips pasted markup), the
same package limits, and a test of each grid for a header (``is_header``) chosen by the
caller. A grid comes with the row numbers to quote and the lines above the table.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import docx
import openpyxl
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from documents import read_docx, read_text
from documents.file_limits import check_package, check_text, csv_rows, not_csv
from documents.plan_file_error import PlanFileError
from documents.plan_reader import ZIP_MAGICS
from documents.plan_table import clean_cell
from documents.read_xlsx import sheet_grid

HeaderTest = Callable[[Sequence[str]], object]


@dataclass
class Grid:
    rows: list[list[str]]
    row_numbers: list[int]
    title_lines: list[str]


def _first_header(rows: Sequence[Sequence[str]], is_header: HeaderTest) -> int | None:
    for index, row in enumerate(rows):
        if is_header([clean_cell(cell) for cell in row]):
            return index
    return None


def docx_grid(data: bytes, is_header: HeaderTest) -> Grid | None:
    document = docx.Document(io.BytesIO(data))
    blocks = list(read_docx._blocks(document.element.body, document._body))
    start = next(
        (
            i
            for i, (kind, value) in enumerate(blocks)
            if kind == "table" and _first_header(value, is_header) is not None
        ),
        None,
    )
    if start is None:
        return None
    title: list[str] = []
    for kind, value in reversed(blocks[:start]):
        if kind == "table" or len(title) == read_docx.TITLE_PARAGRAPHS:
            break
        title.insert(0, value)
    width = max(len(row) for row in blocks[start][1])
    rows: list[list[str]] = []
    for kind, value in blocks[start:]:
        if kind != "table":
            continue
        same = max((len(row) for row in value), default=0) == width
        if value is blocks[start][1] or same or _first_header(value, is_header) is not None:
            rows.extend(value)
    return Grid(rows, list(range(1, len(rows) + 1)), title)


def xlsx_grid(data: bytes, is_header: HeaderTest, source: str) -> Grid | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            if not isinstance(sheet, ReadOnlyWorksheet):
                continue
            grid = sheet_grid(sheet, source=source)
            header = _first_header(grid, is_header)
            if header is not None:
                title = [line for row in grid[:header] for line in dict.fromkeys(row) if line]
                return Grid(grid, list(range(1, len(grid) + 1)), title)
    finally:
        workbook.close()
    return None


def text_grid(text: str, is_header: HeaderTest, source: str) -> Grid | None:
    """A pasted table: tab-separated (Word or Excel), Markdown pipes, or csv (";" / ",")."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    check_text(text, source)  # before any parsing: a flood of lines or separators
    lines = text.split("\n")
    candidates: list[Callable[[], list[list[str]]]] = []  # read one at a time
    if "\t" in text:
        candidates.append(lambda: _csv_or_nothing(text, "\t", source))
        candidates.append(lambda: [line.split("\t") for line in lines])
    if sum(line.lstrip().startswith("|") for line in lines) >= 2:
        candidates.append(lambda: [_pipe_cells(line) for line in lines if not _is_rule(line)])
    for delimiter in (";", ","):
        candidates.append(lambda d=delimiter: _csv_or_nothing(text, d, source))
    for candidate in candidates:
        rows = candidate()
        rows = [[read_text.strip_markup(cell) for cell in row] for row in rows]
        header = _first_header(rows, is_header)
        if header is not None:
            title = [clean_cell(" ".join(row)) for row in rows[:header] if "".join(row).strip()]
            return Grid(rows, list(range(1, len(rows) + 1)), title)
    return None


def _csv_or_nothing(text: str, delimiter: str, source: str) -> list[list[str]]:
    """The csv rows, or none when the text is no csv of that delimiter (a field over
    the csv limit is refused: ``documents.file_limits.csv_rows``)."""
    try:
        return csv_rows(text, delimiter, source)[0]
    except PlanFileError as error:
        if error.message == not_csv(source).message:
            return []
        raise


def _is_rule(line: str) -> bool:
    body = line.strip().strip("|").replace("|", "").replace(":", "").replace(" ", "")
    return bool(body) and set(body) == {"-"}


def _pipe_cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") else body
    return [cell.replace("<br>", "\n").replace("**", "") for cell in body.split("|")]


def find_grid(data: bytes, source: str, is_header: HeaderTest) -> Grid | None:
    """The first table of the file with a header ``is_header`` accepts, or None when the
    file has none (or is no Word, Excel or text file: the plan reader says why)."""
    if data.startswith(ZIP_MAGICS):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                check_package(archive, source)  # real sizes, before any tree is built
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        try:
            if "word/document.xml" in names:
                return docx_grid(data, is_header)
            if "xl/workbook.xml" in names:
                return xlsx_grid(data, is_header, source)
        except Exception:  # a broken package: the plan reader gives the message
            return None
        return None
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    return text_grid(read_text.decode_text(data), is_header, source)
