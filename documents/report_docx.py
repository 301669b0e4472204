"""The result appendix as a Word file, the way the commune submits it: A4 landscape with
the margins of Nghị định 30/2020 (left 3 cm, right 1,5 cm, top and bottom 2 cm), Times
New Roman 13 (East-Asian and complex-script fonts too, so Word and LibreOffice never
fall back), page numbers at the top centre from the second page, the national heading
block with its short rules, "PHỤ LỤC 01", the title naming the commune and the period,
"(Kèm theo Báo cáo số …)", then the table TT | Nội dung công việc | Cơ quan chủ trì | Cơ
quan phối hợp | Thời gian thực hiện/hoàn thành | Kết quả thực hiện under bold section
rows in capitals, its header row repeated on every page and rows free to run on to the next page,
the figures below it, and Biểu mẫu 1 on a page of its own.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.run import Run

from documents import form_one as form
from documents.category_words import category_lines
from documents.report_review import review_note
from documents.report_rows import HEADER, Report, date_line
from models.org_names import org_name

FONT = "Times New Roman"
SIZE = Pt(13)
PAGE_WIDTH, PAGE_HEIGHT = Cm(29.7), Cm(21.0)
LEFT, RIGHT, TOP, BOTTOM = Cm(3.0), Cm(1.5), Cm(2.0), Cm(2.0)  # Nghị định 30/2020
# Column widths in cm; they add up to the 25.2 cm between the margins. The content and
# result columns as wide as the communes' own appendices give them (the plan's content
# column is 8,8 cm of 25,7): narrow ones add pages.
WIDTHS = (1.0, 7.8, 3.3, 3.3, 3.0, 6.8)
FORM_WIDTHS = (2.0, 12.2, 4.0, 3.5, 3.5)
HEADING_WIDTHS = (9.5, 15.7)
AIR = Pt(1)  # above and below each line in a cell
CELL_SIZE = Pt(12)  # the table's text, as in the communes' own appendices and plans
REVIEWER = "dondoc"  # the author of the comments that mark cells to look at


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


def set_up_page(document: Document, *, landscape: bool = True, size: Pt = SIZE) -> None:
    """A4 with the margins, font and page numbers of Nghị định 30/2020; landscape for
    the appendix, portrait (and Times New Roman 14) for the narrative report."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (PAGE_WIDTH, PAGE_HEIGHT) if landscape else (PAGE_HEIGHT, PAGE_WIDTH)
    section.page_width, section.page_height = width, height
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.header_distance = Cm(1.0)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, size
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


def write_runs(
    paragraph,  # noqa: ANN001 - a docx Paragraph
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    center: bool = False,
    size: Pt | None = None,
) -> None:
    run = paragraph.add_run(text)
    if bold:  # set only when on: each setter builds the run's properties (hundreds of cells)
        run.bold = True
    if italic:
        run.italic = True
    if size is not None:
        run.font.size = size
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def write_cell(
    cell: _Cell,
    text: str,
    *,
    bold: bool = False,
    center: bool = False,
    air: Pt = AIR,
    size: Pt | None = None,
) -> None:
    """Each line of ``text`` a paragraph of its own, with a little air around. The
    paragraphs are built as plain elements in the schema's order: python-docx's setters
    look up each property's place among its siblings, and a long table has thousands."""
    tc = cell._tc
    first = tc.p_lst[0] if tc.p_lst else tc.add_p()
    for index, line in enumerate(text.split("\n")):
        p = first if index == 0 else tc.add_p()
        if len(p) or "\t" in line:  # not a fresh paragraph, or a tab: the library's way
            paragraph = cell.paragraphs[-1] if index else cell.paragraphs[0]
            paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = air
            write_runs(paragraph, line, bold=bold, center=center, size=size)
            continue
        twips = str(round(air.pt * 20))
        ppr = _element(p, "w:pPr")
        _element(ppr, "w:spacing", **{"w:before": twips, "w:after": twips})
        if center:
            _element(ppr, "w:jc", **{"w:val": "center"})
        _run_element(p, line, bold=bold, size=size)


def _run_element(p, text: str, *, bold: bool = False, size: Pt | None = None):  # noqa: ANN001, ANN202
    """A run of ``text`` (no tab or line break) appended to the paragraph element ``p``."""
    run = _element(p, "w:r")
    if bold or size is not None:
        rpr = _element(run, "w:rPr")
        if bold:
            _element(rpr, "w:b")
        if size is not None:
            half_points = str(round(size.pt * 2))
            _element(rpr, "w:sz", **{"w:val": half_points})
            _element(rpr, "w:szCs", **{"w:val": half_points})
    _element(run, "w:t", text=text, **({"xml:space": "preserve"} if text != text.strip() else {}))
    return run


def add_run(paragraph, text: str, *, bold: bool = False):  # noqa: ANN001, ANN201 - docx types
    """``paragraph.add_run(text)`` (bold when asked) built as plain elements: the
    library's text setter and property setters cost most of a long document's time."""
    if "\t" in text or "\n" in text:
        run = paragraph.add_run(text)
        if bold:
            run.bold = True
        return run
    return Run(_run_element(paragraph._p, text, bold=bold), paragraph)


def _element(parent, tag: str, *, text: str | None = None, **attrs: str):  # noqa: ANN001, ANN202
    """A new last child ``tag`` of ``parent`` (an lxml element) with ``attrs``."""
    child = OxmlElement(tag, {qn(k): v for k, v in attrs.items()})
    if text is not None:
        child.text = text
    parent.append(child)
    return child


def no_borders(table) -> None:  # noqa: ANN001 - a docx Table
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


def rule_under(cell: _Cell, length: Cm, width: Cm) -> None:
    """A short centred line under a heading line: an empty paragraph's top border,
    indented so that it is ``length`` long."""
    paragraph = cell.add_paragraph()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        top.set(qn(key), value)
    borders.append(top)
    paragraph._p.get_or_add_pPr().append(borders)  # before spacing and ind, as the schema wants
    indent = Cm(max((width - length) / 2 / 360000, 0))
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = indent
    paragraph.paragraph_format.space_before = Pt(3)
    write_runs(paragraph, "", size=Pt(4))
    paragraph.paragraph_format.line_spacing = Pt(4)


def heading_block(
    document: Document,
    organization: str,
    day: date,
    widths: tuple[float, ...] = HEADING_WIDTHS,
    *,
    number: str | None = None,
    size: Pt | None = None,
    date_size: Pt | None = None,
    issuer: tuple[str, str] | None = None,
) -> None:
    """The national heading block: the issuing body and the motto, each with its short
    rule, then (under the body) the number line "Số:      /BC-UBND" when given and the
    place and date line. ``size``: of the body's name and the national title (12–13 in
    Nghị định 30/2020); ``date_size``: of the date line; ``issuer``: the body's two
    lines (``models.org_names``), the organization's own when not given."""
    above, body = issuer or org_name(organization).issuer
    table = document.add_table(rows=1, cols=2)
    no_borders(table)
    table.autofit = False
    left, right = table.rows[0].cells
    cm = [Cm(w) for w in widths]
    for column, cell, width in zip(table.columns, (left, right), cm, strict=True):
        column.width = cell.width = width
    # One body on two lines is bold; a superior body above the issuing unit is not.
    write_cell(left, above, size=size, center=True, bold=above == "ỦY BAN NHÂN DÂN")
    write_runs(left.add_paragraph(), body, bold=True, center=True, size=size)
    rule_under(left, Cm(3.0), cm[0])
    write_cell(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, center=True, size=size)
    write_runs(right.add_paragraph(), "Độc lập - Tự do - Hạnh phúc", bold=True, center=True)
    rule_under(right, Cm(6.4), cm[1])
    if number is not None:
        numbered = left.add_paragraph()
        numbered.paragraph_format.space_before = Pt(6)
        write_runs(numbered, number, center=True, size=date_size)
    line = right.add_paragraph()
    line.paragraph_format.space_before = Pt(6)
    write_runs(line, date_line(organization, day), italic=True, center=True, size=date_size)
    document.add_paragraph()


def _heading(document: Document, report: Report) -> None:
    heading_block(
        document, report.organization, report.issued or report.as_of, issuer=report.issuer
    )
    write_runs(document.add_paragraph(), f"PHỤ LỤC {report.appendix}".strip(), bold=True, center=True)
    write_runs(document.add_paragraph(), report.title, bold=True, center=True)
    write_runs(document.add_paragraph(), report.attached_to, italic=True, center=True)
    document.add_paragraph().paragraph_format.space_after = Pt(6)


def _keep_whole(row, *, header: bool = False) -> None:  # noqa: ANN001 - a docx _Row
    """A header row: no page break inside it, and repeated on every page. Other rows may
    run on to the next page, as in the communes' own files (whole rows leave half pages
    empty: three tasks on page 1)."""
    if not header:
        return
    tr_pr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):  # schema order
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        tr_pr.append(element)


def _keep_whole_row(cell: _Cell) -> None:
    """The row of ``cell`` never splits (a section heading is one line)."""
    tr_pr = cell._tc.getparent().get_or_add_trPr()
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    tr_pr.insert(0, element)


def mark_run(run, note: str = "Cần xem lại") -> None:  # noqa: ANN001 - a docx Run
    """Mark one run for the compiler with a Word comment (never printed)."""
    run.part.document.add_comment(run, text=note, author=REVIEWER, initials="DD")


def mark_for_review(cell: _Cell, note: str) -> None:
    """Mark a cell for the compiler with a Word comment: seen on screen, never printed
    (a shading or a highlight would go out on the signed paper)."""
    paragraph = cell.paragraphs[0]
    runs = [r for r in paragraph.runs if r.text] or [paragraph.add_run("")]
    cell.part.document.add_comment(runs, text=note, author=REVIEWER, initials="DD")


def new_grid(document: Document, widths: tuple[float, ...], header_rows: int):  # noqa: ANN202
    table = document.add_table(rows=header_rows, cols=len(widths))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        _keep_whole(row, header=True)
        for cell, width in zip(row.cells, widths, strict=True):  # Word follows the cells
            cell.width = Cm(width)
    return table


def add_grid_row(table, widths: tuple[float, ...]):  # noqa: ANN001, ANN202 - docx Table, cells
    """A row whose cells are as wide as the grid's ``widths``; its cells. Built as plain
    elements: ``add_row`` and ``row.cells`` walk the whole grid, slow on long tables."""
    tr = _element(table._tbl, "w:tr")
    for width in widths:  # <w:tc><w:tcPr><w:tcW/></w:tcPr><w:p/></w:tc>, as add_row makes
        tc = _element(tr, "w:tc")
        tc_pr = _element(tc, "w:tcPr")
        _element(tc_pr, "w:tcW", **{"w:w": str(Cm(width).twips), "w:type": "dxa"})
        _element(tc, "w:p")
    return [_Cell(tc, table) for tc in tr.tc_lst]


def header_cells(cells, texts, *, size: Pt | None = None) -> None:  # noqa: ANN001
    for cell, text in zip(cells, texts, strict=True):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        write_cell(cell, text, bold=True, center=True, size=size)


def _table(document: Document, report: Report) -> None:
    table = new_grid(document, WIDTHS, 1)
    header_cells(table.rows[0].cells, HEADER, size=CELL_SIZE)
    for row in report.rows:
        cells = add_grid_row(table, WIDTHS)
        if row.section is not None:
            merged = cells[0].merge(cells[-1])
            write_cell(merged, row.section, bold=True, size=CELL_SIZE)
            for paragraph in merged.paragraphs:  # a section row stays with its first task
                paragraph.paragraph_format.keep_with_next = True
            _keep_whole_row(merged)
            continue
        for index, (cell, text) in enumerate(zip(cells, row.cells, strict=True)):
            write_cell(cell, text, center=index in (0, 4), size=CELL_SIZE)
        if row.review:
            mark_for_review(cells[-1], review_note(row.review))


def _form_one(document: Document, report: Report) -> None:
    document.add_page_break()
    write_runs(document.add_paragraph(), form.TITLE, bold=True, center=True)
    write_runs(document.add_paragraph(), form.SUBTITLE, bold=True, center=True)
    attached = document.add_paragraph()
    attached.paragraph_format.space_after = Pt(8)  # the form fits one page: no blank line
    write_runs(attached, report.attached_to, italic=True, center=True)
    table = new_grid(document, FORM_WIDTHS, 2)
    top, sub = table.rows[0].cells, table.rows[1].cells
    for index in (0, 1, 4):
        top[index].merge(sub[index])
    top[2].merge(top[3])
    header_cells(
        table.rows[0].cells[:3] + table.rows[0].cells[4:], [t for t in form.HEADER_TOP if t]
    )
    header_cells(table.rows[1].cells[2:4], form.HEADER_SUB[2:4])
    for item in form.form_one(report):
        cells = add_grid_row(table, FORM_WIDTHS)
        value = "" if item.value is None else str(item.value)
        unit = item.unit.replace("\n", " ")  # "Trực tuyến = 0 Phát phiếu = 1 …" as the seed
        texts = (item.number, item.label, unit, value, "")
        for index, (cell, text) in enumerate(zip(cells, texts, strict=True)):
            bold = item.heading and index < 2
            write_cell(cell, text, bold=bold, center=index in (0, 2, 3), air=Pt(0.5))


def _figures(document: Document, report: Report) -> None:
    t = report.progress.overall
    counts = "; ".join(
        f"{'(' if line.inner else ''}{line.label[0].lower()}{line.label[1:]}: {line.count}"
        f"{')' if line.inner else ''}"
        for line in category_lines(t, all_lines=True)
    ).replace("; (", " (")
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(12)
    write_runs(paragraph, "Tỷ lệ hoàn thành Kế hoạch (lũy kế đến thời điểm báo cáo): ", bold=True)
    write_runs(paragraph, f"{report.rate}. Tổng số {t.total} nhiệm vụ, trong đó {counts}.")


def report_docx(report: Report) -> bytes:
    """The appendix as .docx bytes."""
    document = Document()
    set_up_page(document)
    _heading(document, report)
    _table(document, report)
    _figures(document, report)
    _form_one(document, report)
    out = BytesIO()
    document.save(out)
    return out.getvalue()
