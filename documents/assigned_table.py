"""Reading a list of tasks the city gives, sent as a file: an .xlsx or .docx table whose
header names the unit, the content, the deadline and the source document ("Đơn vị
thực hiện | Nội dung nhiệm vụ | Thời hạn | Văn bản giao"), as the city's annex to an
official letter is laid out. A plan's task table has no source column, so the four
columns together are what makes a file such a list; any other file is None here and
goes on to the plan import.

Only cell texts come out (``AssignedRow``): which unit a name is and what a deadline
means are the caller's (the unit-name rules and the deadline grammar of the plans).
The package is measured while inflating before any reader builds a tree
(``documents.file_limits``), and the rows read are bounded.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from documents.file_limits import check_package
from models.unit_names import fold

MAX_ROWS = 500  # tasks in one list; a longer table is read up to here
_COLUMNS = {
    "unit": ("don vi", "co quan"),
    "content": ("noi dung", "nhiem vu", "cong viec"),
    "deadline": ("thoi han", "thoi gian", "han hoan thanh", "han"),
    "source": ("van ban", "nguon", "can cu", "cong van", "giao tai", "theo"),
}


@dataclass(frozen=True)
class AssignedRow:
    """One task as the table writes it; ``row``: its row number, for the answer."""

    row: int
    unit: str
    content: str
    deadline: str
    source: str


def _column_of(cell: str) -> str | None:
    words = fold(cell).strip()
    if not words or words in ("stt", "tt", "so tt"):
        return None
    # The content column first: "Nội dung nhiệm vụ được giao" names no unit.
    for kind in ("content", "deadline", "unit", "source"):
        if any(words.startswith(w) for w in _COLUMNS[kind]):
            return kind
    return None


def header_columns(cells: list[str]) -> dict[str, int] | None:
    """Column index of each of the four parts when ``cells`` is such a header row."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        kind = _column_of(cell)
        if kind is not None and kind not in found:
            found[kind] = index
    return found if len(found) == len(_COLUMNS) else None


def rows_of(grid: list[list[str]]) -> list[AssignedRow] | None:
    """The tasks under the first header row naming the four parts; None without one."""
    for start, cells in enumerate(grid[:30]):
        columns = header_columns(cells)
        if columns is None:
            continue
        found = []
        for number, row in enumerate(grid[start + 1 :], start + 2):
            cell = {k: " ".join(row[i].split()) if i < len(row) else "" for k, i in columns.items()}
            if not cell["content"] or cell["content"].isdigit():  # a numbering row "(1) (2) …"
                continue
            if not cell["unit"] and not cell["deadline"]:
                continue  # a heading inside the table
            found.append(
                AssignedRow(number, cell["unit"], cell["content"], cell["deadline"], cell["source"])
            )
            if len(found) >= MAX_ROWS:
                break
        return found
    return None


def _docx_grids(data: bytes) -> list[list[list[str]]]:
    from docx import Document  # here, not at the top: a running bot loads it on a file

    document = Document(io.BytesIO(data))
    grids = []
    for table in document.tables:
        grid = []
        for row in table.rows[: MAX_ROWS + 30]:
            cells: list[str] = []
            for cell in row.cells:
                text = cell.text.strip()
                cells.append(text)
            grid.append(cells)
        grids.append(grid)
    return grids


def _xlsx_grids(data: bytes, name: str) -> list[list[list[str]]]:
    from openpyxl import load_workbook  # here: see above

    from documents.read_xlsx import sheet_grid

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [sheet_grid(sheet, source=name) for sheet in book.worksheets[:5]]
    finally:
        book.close()


def read_assigned_table(data: bytes, filename: str) -> list[AssignedRow] | None:
    """The rows of the first table of ``data`` laid out as a list of given tasks, or
    None when the file is no such list (or no .docx/.xlsx at all)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_package(archive, filename)
            names = {info.filename for info in archive.infolist()}
    except zipfile.BadZipFile:
        return None
    if "word/document.xml" in names:
        grids = _docx_grids(data)
    elif "xl/workbook.xml" in names:
        grids = _xlsx_grids(data, filename)
    else:
        return None
    for grid in grids:
        found = rows_of(grid)
        if found is not None:
            return found
    return None
