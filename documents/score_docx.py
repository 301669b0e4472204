"""The score sheet's result table as a Word file in the official page setup of the
result appendix (``documents.report_docx``: A4 landscape, the margins of Nghị định
30/2020, Times New Roman 13, page numbers from the second page, the national heading
block), in the sheet's own columns plus the confirmed score, the result column as wide
as the communes' own, the header repeated on every page, rows free to run on to the
next page, parents in bold, and the cells to look at again marked with comments (never
printed) as in the appendix."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from docx import Document
from docx.shared import Pt

from documents.report_docx import (
    CELL_SIZE,
    HEADING_WIDTHS,
    add_grid_row,
    header_cells,
    heading_block,
    mark_for_review,
    new_grid,
    set_up_page,
    write_cell,
    write_runs,
)
from documents.score_table import HEADER, POINT_COLUMNS, score_lines
from models.score_queries import SheetView
from models.score_tree import format_points

# In cm; they add up to the 25.2 cm between the margins.
# The result column nearly as wide as the communes' own sheets give it (about 7 cm): a
# narrow one doubles the pages. The point columns wide enough for "Điểm" in 12 pt bold
# (narrower, the header breaks inside words, a letter a line, on every page). The two
# point columns last: self-assessed, then confirmed.
WIDTHS = (1.0, 5.8, 1.5, 2.6, 2.3, 2.4, 6.6, 1.5, 1.5)


def _heading(document: Document, organization: str, title: str, day: date) -> None:
    heading_block(document, organization, day, HEADING_WIDTHS)
    write_runs(document.add_paragraph(), title, bold=True, center=True)
    document.add_paragraph().paragraph_format.space_after = Pt(6)


def score_docx(organization: str, view: SheetView, *, day: date | None = None) -> bytes:
    document = Document()
    set_up_page(document)
    _heading(document, organization, view.sheet.title, day or view.sheet.imported_at.date())
    table = new_grid(document, WIDTHS, 1)
    header_cells(table.rows[0].cells, HEADER, size=CELL_SIZE)
    for line in score_lines(view):
        cells = add_grid_row(table, WIDTHS)
        values = line.cells()
        bold = line.parent
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            text = format_points(value) if index in POINT_COLUMNS else str(value or "")
            write_cell(
                cell,
                text,
                bold=bold and index in (0, 1, *POINT_COLUMNS),
                center=index in (0, *POINT_COLUMNS),
                size=CELL_SIZE,
            )
        if line.review:
            mark_for_review(cells[1], "Cần xem lại")
    out = BytesIO()
    document.save(out)
    return out.getvalue()
