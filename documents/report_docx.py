"""The result appendix as a Word file, the way the commune submits it: A4 landscape,
2 cm margins, Times New Roman 13 (East-Asian and complex-script fonts too, so Word and
LibreOffice never fall back), the national heading block, "PHỤ LỤC" and the title with
the period, then the table TT | Nội dung công việc | Cơ quan chủ trì | Cơ quan phối hợp
| Thời gian thực hiện/hoàn thành | Kết quả thực hiện under bold section rows merged
across the table, its header row repeated on every page, and the figures below it.
"""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell

from documents.report_rows import CATEGORY_LABELS, HEADER, Report, vn_date

FONT = "Times New Roman"
SIZE = Pt(13)
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Cm(29.7), Cm(21.0), Cm(2.0)
# Column widths in cm; they add up to the 25.7 cm between the margins.
WIDTHS = (1.2, 7.9, 3.6, 3.6, 3.6, 5.8)


def _set_fonts(rpr: OxmlElement) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    rpr.append(lang)


def _page(document: Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin = section.bottom_margin = MARGIN
    section.left_margin = section.right_margin = MARGIN
    section.header_distance = Cm(1.0)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, SIZE
    _set_fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    # The page number, centred in the header from the second page (Nghị định 30/2020).
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)


def _write(
    paragraph,  # noqa: ANN001 - a docx Paragraph
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    center: bool = False,
    size: Pt | None = None,
) -> None:
    run = paragraph.add_run(text)
    run.bold, run.italic = bold or None, italic or None
    if size is not None:
        run.font.size = size
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _cell_text(cell: _Cell, text: str, *, bold: bool = False, center: bool = False) -> None:
    """Each line of ``text`` a paragraph of its own, with a little air around."""
    lines = text.split("\n") or [""]
    first = cell.paragraphs[0]
    for index, line in enumerate(lines):
        paragraph = first if index == 0 else cell.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(2)
        paragraph.paragraph_format.space_after = Pt(2)
        _write(paragraph, line, bold=bold, center=center)


def _no_borders(table) -> None:  # noqa: ANN001 - a docx Table
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    properties = table._tbl.tblPr
    later = [
        c
        for c in properties
        if c.tag in {qn(f"w:{t}") for t in ("shd", "tblLayout", "tblCellMar", "tblLook")}
    ]
    if later:  # the schema's order: tblBorders before shd, tblLayout, tblCellMar, tblLook
        later[0].addprevious(borders)
    else:
        properties.append(borders)


def _heading(document: Document, report: Report) -> None:
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    table.autofit = False
    left, right = table.rows[0].cells
    for column, cell, width in zip(table.columns, (left, right), (Cm(10.0), Cm(15.7)), strict=True):
        column.width = cell.width = width
    _cell_text(left, "ỦY BAN NHÂN DÂN", bold=True, center=True)
    _write(left.add_paragraph(), report.organization.upper(), bold=True, center=True)
    _cell_text(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, center=True)
    _write(right.add_paragraph(), "Độc lập - Tự do - Hạnh phúc", bold=True, center=True)
    day = report.issued or report.as_of
    _write(
        right.add_paragraph(),
        f"{report.organization}, ngày {day.day:02d} tháng {day.month} năm {day.year}",
        italic=True,
        center=True,
    )
    for cell in (left, right):
        cell.paragraphs[-1].paragraph_format.space_before = Pt(6)
    document.add_paragraph()
    _write(document.add_paragraph(), "PHỤ LỤC", bold=True, center=True)
    _write(document.add_paragraph(), report.title, bold=True, center=True)
    _write(
        document.add_paragraph(),
        f"(Kèm theo Báo cáo số       /BC-UBND ngày      /     /{report.year} "
        f"của Ủy ban nhân dân {report.organization[:1].lower()}{report.organization[1:]})",
        italic=True,
        center=True,
    )
    scope = f"Đơn vị: {'; '.join(report.units)}. " if report.units else ""
    _write(
        document.add_paragraph(),
        f"{scope}Thực hiện {report.plan_title}; số liệu tính đến ngày {vn_date(report.as_of)}.",
        italic=True,
        center=True,
    )
    document.add_paragraph().paragraph_format.space_after = Pt(6)


def _mark_header(row) -> None:  # noqa: ANN001 - a docx _Row
    tr_pr = row._tr.get_or_add_trPr()
    for tag in ("w:tblHeader", "w:cantSplit"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        tr_pr.append(element)


def _table(document: Document, report: Report) -> None:
    table = document.add_table(rows=1, cols=len(HEADER))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Cm(w) for w in WIDTHS]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    header = table.rows[0]
    _mark_header(header)
    for cell, text, width in zip(header.cells, HEADER, widths, strict=True):
        cell.width = width
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _cell_text(cell, text, bold=True, center=True)
    for row in report.rows:
        cells = table.add_row().cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = width
        if row.section is not None:
            merged = cells[0].merge(cells[-1])
            _cell_text(merged, row.section, bold=True)
            continue
        for index, (cell, text) in enumerate(zip(cells, row.cells, strict=True)):
            _cell_text(cell, text, center=index in (0, 4))


def _figures(document: Document, report: Report) -> None:
    t = report.progress.overall
    counts = "; ".join(
        f"{label[0].lower()}{label[1:]}: {t.counts[key]}" for key, label in CATEGORY_LABELS
    )
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(12)
    _write(paragraph, "Tỷ lệ hoàn thành Kế hoạch (lũy kế đến thời điểm báo cáo): ", bold=True)
    _write(paragraph, f"{report.rate}. Tổng số {t.total} nhiệm vụ, trong đó {counts}.")


def report_docx(report: Report) -> bytes:
    """The appendix as .docx bytes."""
    document = Document()
    _page(document)
    _heading(document, report)
    _table(document, report)
    _figures(document, report)
    out = BytesIO()
    document.save(out)
    return out.getvalue()
