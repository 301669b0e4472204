"""The result appendix as an Excel workbook that prints as the .docx does: the same
table on the first sheet ("PHỤ LỤC 01", the title, "(Kèm theo Báo cáo số …)", section
rows merged, the header row repeated on every printed page), Biểu mẫu 1 with its
two-level header on the second, and the figures by unit and by section on the third.
Every sheet is A4 landscape with the margins of Nghị định 30/2020, fitted to the page
width, wrapped cells with row heights that show the whole text, and page numbers at the
top from the second page. Counts are numbers, so the compiler can add them up; the rate
is written as officials write it ("27/52 = 51,9%").

Every text comes from people (plan cells, officers' replies), so every text is written
as a text cell, never a formula: a cell starting with ``= + - @``, a tab or a CR gets
Excel's own text marker (quotePrefix), and those but the common list dash ("- Phòng…")
also a visible apostrophe, so the text stays inert even copied out to a CSV.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from documents import form_one as form
from documents.report_review import review_note
from documents.report_rows import CATEGORY_LABELS, HEADER, Report, date_line
from documents.text_width import wrapped_lines
from models.org_names import org_name
from models.progress import Tally, rate_text

FONT = "Times New Roman"
PLAIN, BOLD, ITALIC = (
    Font(FONT, size=13),
    Font(FONT, size=13, bold=True),
    Font(FONT, size=13, italic=True),
)
# The tables' cells in 12 pt, as in the communes' own appendices and plans (13 pt
# cells nearly double the pages); titles and headings stay 13.
CELL_SIZE = 12
CELL, CELL_BOLD = Font(FONT, size=CELL_SIZE), Font(FONT, size=CELL_SIZE, bold=True)
THIN = Side(style="thin")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
REVIEWER = "dondoc"  # the author of the comments that mark cells to look at
TOP_CENTER = Alignment(wrap_text=True, vertical="top", horizontal="center")
# Column widths in Excel units, a digit of the workbook's font (Times New Roman 13, about
# 0,23 cm): those of the .docx, so the 25,2 cm between the margins print at full size.
TABLE_WIDTHS = (5, 34, 14, 14, 13, 29)
FORM_WIDTHS = (9, 52, 17, 15, 15)
BREAKDOWN_WIDTHS = (25, 7, 11, 11, 11, 11, 11, 11, 12)
INCH = 2.54  # cm
LINE = 15.5  # points per line of 13 pt text
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
APOSTROPHE_STARTS = ("=", "+", "@", "\t", "\r")


def _put(
    ws: Worksheet, row: int, column: int, value: object, style: str | None = None
) -> Cell:
    """Write ``value`` into a cell; a text is always a text, never a formula. The style
    goes first: a named style set afterwards would drop the quotePrefix marker."""
    cell = ws.cell(row, column)
    if style is not None:
        cell.style = style
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


def mark_for_review(cell: Cell, note: str) -> None:
    """Mark a cell for the compiler with a comment: seen on screen, never printed."""
    cell.comment = Comment(note, REVIEWER, width=260, height=80)


def print_setup(ws: Worksheet, header_rows: str, *, one_page: bool = False) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, int(one_page)
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left, ws.page_margins.right = 3.0 / INCH, 1.5 / INCH
    ws.page_margins.top = ws.page_margins.bottom = 2.0 / INCH
    ws.page_margins.header = 1.0 / INCH
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = header_rows
    # The page number at the top centre, not on the first page (as in the .docx).
    ws.HeaderFooter.differentFirst = True
    ws.oddHeader.center.text = "&P"
    ws.oddHeader.center.font, ws.oddHeader.center.size = FONT, 13
    first = int(header_rows.split(":")[-1].lstrip("$")) + 1
    ws.freeze_panes = ws.cell(first, 1)


def _lines(text: object, width: float, size: float = 13, *, bold: bool = False) -> int:
    """How many lines ``text`` takes in a wrapped cell of ``size`` pt (``text_width``)."""
    return wrapped_lines(str("" if text is None else text), width, size, bold=bold)


def fit_row_height(
    ws: Worksheet,
    row: int,
    values: tuple,
    widths: tuple[float, ...],
    *,
    size: float = 13,
    bold: bool = False,
) -> None:
    """A row height that shows the whole text of ``size`` pt (Excel does not grow rows
    with merged or wrapped cells by itself when printing)."""
    lines = max(
        _lines(value, width, size, bold=bold) for value, width in zip(values, widths, strict=False)
    )
    ws.row_dimensions[row].height = lines * LINE * size / 13 + 6


def merged_line(ws: Worksheet, row: int, text: str, width: int, font: Font = BOLD) -> None:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    cell = _put(ws, row, 1, text)
    cell.font, cell.alignment = font, CENTER


def _grid_style(ws: Worksheet, font: Font, align: Alignment) -> str:
    """The name of a workbook style for a grid cell in ``font`` and ``align``, added on
    first use: one style name a cell is cheap, where setting font, border and alignment
    one by one hashes each of them, for every cell of a long table."""
    name = (
        f"dondoc {font.sz:g}{' b' if font.b else ''}{' i' if font.i else ''}"
        f" {align.horizontal or 'left'} {align.vertical or 'bottom'}"
    )
    workbook = ws.parent
    if name not in workbook.named_styles:
        workbook.add_named_style(NamedStyle(name, font=font, border=GRID, alignment=align))
    return name


def write_grid_row(
    ws: Worksheet, row: int, values: tuple, *, font: Font = PLAIN, align: Alignment = WRAP
) -> None:
    style = _grid_style(ws, font, align)
    for column, value in enumerate(values, 1):
        _put(ws, row, column, value, style)


def set_widths(ws: Worksheet, widths: tuple[float, ...]) -> None:
    for index, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = width


def national_heading(
    ws: Worksheet, organization: str, day: date, columns: int, *, split: int
) -> int:
    """The national heading block of the .docx (``report_docx.heading_block``) over the
    first rows: the issuing body over columns 1..``split``, the motto over the rest, and
    the place and date line under the motto. The next free row."""
    above, body = org_name(organization).issuer
    left = [(above, BOLD if above == "ỦY BAN NHÂN DÂN" else PLAIN), (body, BOLD), ("", PLAIN)]
    right = [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", BOLD),
        ("Độc lập - Tự do - Hạnh phúc", Font(FONT, size=13, bold=True, underline="single")),
        (date_line(organization, day), ITALIC),
    ]
    for row, ((text, font), (motto, motto_font)) in enumerate(zip(left, right, strict=True), 1):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=split)
        ws.merge_cells(start_row=row, start_column=split + 1, end_row=row, end_column=columns)
        for column, value, style in ((1, text, font), (split + 1, motto, motto_font)):
            cell = _put(ws, row, column, value)
            cell.font, cell.alignment = style, CENTER
        ws.row_dimensions[row].height = LINE + 4
    return len(left) + 2


def _title_block(ws: Worksheet, report: Report, widths: tuple[float, ...], lines: list) -> int:
    """Centred title lines over the whole table; the row the table starts on."""
    total = sum(widths)
    for row, (text, font) in enumerate(lines, 1):
        merged_line(ws, row, text, len(widths), font)
        ws.row_dimensions[row].height = _lines(text, total) * LINE + 4
    return len(lines) + 2


def _results(ws: Worksheet, report: Report) -> None:
    width = len(HEADER)
    header = _title_block(
        ws,
        report,
        TABLE_WIDTHS,
        [
            # A unit's heading on two lines, as the .docx has it: the commune's committee
            # (not bold) over the unit (bold); "… KHIÊM - PHÒNG VĂN HÓA - XÃ HỘI" on one
            # line read as one name.
            *(
                [(report.issuer[0], PLAIN), (report.issuer[1], BOLD)]
                if report.units
                else [(" ".join(report.issuer), BOLD)]
            ),
            (f"PHỤ LỤC {report.appendix}".strip(), BOLD),
            (report.title, BOLD),
            (report.attached_to, ITALIC),
        ],
    )
    write_grid_row(ws, header, HEADER, font=CELL_BOLD, align=CENTER)
    fit_row_height(ws, header, HEADER, TABLE_WIDTHS, size=CELL_SIZE, bold=True)
    row = header
    for item in report.rows:
        row += 1
        if item.section is not None:
            write_grid_row(ws, row, (item.section,) + ("",) * (width - 1), font=CELL_BOLD)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            fit_row_height(ws, row, (item.section,), (sum(TABLE_WIDTHS),), size=CELL_SIZE, bold=True)
            continue
        values = (int(item.cells[0]) if item.cells[0].isdigit() else item.cells[0], *item.cells[1:])
        write_grid_row(ws, row, values, font=CELL)
        fit_row_height(ws, row, item.cells, TABLE_WIDTHS, size=CELL_SIZE)
        ws.cell(row, 1).alignment = ws.cell(row, 5).alignment = TOP_CENTER
        if item.review:
            mark_for_review(ws.cell(row, width), review_note(item.review))
    set_widths(ws, TABLE_WIDTHS)
    print_setup(ws, f"{header}:{header}")


def _form1(ws: Worksheet, report: Report) -> None:
    header = _title_block(
        ws,
        report,
        FORM_WIDTHS,
        [(form.TITLE, BOLD), (form.SUBTITLE, BOLD), (report.attached_to, ITALIC)],
    )
    write_grid_row(ws, header, form.HEADER_TOP, font=BOLD, align=CENTER)
    write_grid_row(ws, header + 1, form.HEADER_SUB, font=BOLD, align=CENTER)
    for column in (1, 2, 5):
        ws.merge_cells(start_row=header, start_column=column, end_row=header + 1, end_column=column)
    ws.merge_cells(start_row=header, start_column=3, end_row=header, end_column=4)
    fit_row_height(ws, header, form.HEADER_TOP, FORM_WIDTHS)
    row = header + 1
    for item in form.form_one(report):
        row += 1
        values = (item.number, item.label, item.unit, item.value, None)
        write_grid_row(ws, row, values, font=BOLD if item.heading else PLAIN)
        fit_row_height(ws, row, values, FORM_WIDTHS)
        for column in (1, 3, 4):
            ws.cell(row, column).alignment = TOP_CENTER
    set_widths(ws, FORM_WIDTHS)
    print_setup(ws, f"{header}:{header + 1}", one_page=True)  # a one-page form


def _breakdown(ws: Worksheet, report: Report) -> None:
    columns = ("", "Tổng số", *(label for _, label in CATEGORY_LABELS), "Tỷ lệ hoàn thành")
    widths = BREAKDOWN_WIDTHS
    header = _title_block(
        ws, report, widths, [("SỐ LIỆU THEO ĐƠN VỊ VÀ THEO MỤC", BOLD), (report.title, BOLD)]
    )
    row = header

    def line(name: str, t: Tally, font: Font = PLAIN) -> None:
        nonlocal row
        row += 1
        counts = (t.counts[key] for key, _ in CATEGORY_LABELS)
        values = (name, t.total, *counts, rate_text(t.done, t.total))
        write_grid_row(ws, row, values, font=font)
        fit_row_height(ws, row, values, widths, bold=bool(font.b))
        for column in range(2, len(values) + 1):
            ws.cell(row, column).alignment = TOP_CENTER

    def block(title: str, items: dict[str, Tally]) -> None:
        nonlocal row
        labels = (title, *columns[1:])
        write_grid_row(ws, row, labels, font=BOLD, align=CENTER)
        fit_row_height(ws, row, labels, widths)  # the two-line labels must not overlap
        for name, t in items.items():
            line(name, t)
        line(total_label(items.values(), overall), overall, BOLD)
        row += 2

    overall = report.progress.overall
    first = row
    block("Đơn vị chủ trì", report.progress.by_unit)
    block("Mục", section_names(report))
    set_widths(ws, widths)
    print_setup(ws, f"{first}:{first}", one_page=True)  # a few lines: one page


def total_label(parts: Iterable[Tally], overall: Tally) -> str:
    """The total row's name: "Tổng cộng" when the rows add up to it; a task several
    units lead is counted once per unit above it, and once in the whole plan."""
    if sum(t.total for t in parts) == overall.total:
        return "Tổng cộng"
    return "Cả kế hoạch (mỗi nhiệm vụ tính một lần)"


def section_names(report: Report) -> dict[str, Tally]:
    """Each section's figures under its name as the appendix writes it ("I. CẢI CÁCH
    THỂ CHẾ"), not a bare "Mục I" the reader has to look up."""
    titles = {}
    for row in report.rows:
        if row.section is not None:
            numeral, dot, _title = row.section.partition(". ")
            titles.setdefault(numeral if dot else row.section, row.section)
    return {
        titles.get(key) or (f"Mục {key}" if key else "(không có mục)"): tally
        for key, tally in report.progress.by_section.items()
    }


def report_xlsx(report: Report) -> bytes:
    """The appendix and its figures as .xlsx bytes."""
    workbook = Workbook()
    # The workbook's default font sets the unit of column widths; Calibri, openpyxl's
    # default, is missing where LibreOffice prints, and its stand-in is wider.
    workbook._fonts[0] = PLAIN  # noqa: SLF001 - openpyxl has no public setter
    results = workbook.active
    results.title = "Kết quả thực hiện"
    _results(results, report)
    _form1(workbook.create_sheet("Biểu mẫu 1"), report)
    _breakdown(workbook.create_sheet("Theo đơn vị"), report)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
