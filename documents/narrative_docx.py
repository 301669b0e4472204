"""The narrative report as a Word draft in the format of Nghị định 30/2020/NĐ-CP: A4
portrait with the appendix's margins, Times New Roman 14 and page numbers from the
second page (``documents.report_docx`` sets them), the heading block with "Số:
/BC-UBND" and the place and date line, "BÁO CÁO" and the subject line with its short
rule, the body in justified paragraphs with a first-line indent, the parts in bold,
the sentences to review marked with a comment (never printed), then "Nơi nhận" and the signature block.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from documents.narrative_content import Narrative
from documents.narrative_words import HEADING, ITEM, PART
from documents.report_docx import (
    add_run,
    heading_block,
    mark_run,
    no_borders,
    rule_under,
    set_up_page,
    write_runs,
)
from models.org_names import org_name

SIZE = Pt(14)
WIDTH = Cm(16.0)  # between the margins of A4 portrait: 21 - 3 - 2
HEADING_WIDTHS = (6.0, 10.0)
INDENT = Cm(1.27)


def _body_style(document: Document):  # noqa: ANN202 - a docx paragraph style
    """The body's paragraph style: justified, first line indented, 6 pt above, lines of
    20 pt. Set once here, not on each of the hundred paragraphs (each setter walks the
    paragraph's properties)."""
    style = document.styles.add_style("Nội dung báo cáo", WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    form = style.paragraph_format
    form.first_line_indent, form.space_before, form.line_spacing = INDENT, Pt(6), Pt(20)
    form.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    return style


def _body(document: Document, narrative: Narrative) -> None:
    style_id = _body_style(document).style_id
    for block in narrative.blocks:
        paragraph = document.add_paragraph()
        paragraph._p.style = style_id  # the public setter searches every style each time
        bold = block.kind in (PART, HEADING)
        if bold:
            paragraph.paragraph_format.keep_with_next = True
        if block.kind == ITEM:
            add_run(paragraph, "- ")
        for index, sentence in enumerate(block.sentences):
            run = add_run(paragraph, ("" if index == 0 else " ") + sentence.text, bold=bold)
            if sentence.review:  # a comment: seen on screen, never printed (as the appendix)
                mark_run(run)


RECIPIENTS = (  # as the real reports address them
    "- UBND thành phố (để báo cáo);",
    "- Sở Nội vụ (để báo cáo);",
    "- Thường trực Đảng ủy (để báo cáo);",
    "- Thường trực HĐND (để báo cáo);",
    "- Chủ tịch, các Phó Chủ tịch UBND;",
    "- Lưu: VT.",
)
UNIT_RECIPIENTS = ("- UBND {place} (để báo cáo);", "- Lưu: VT.")
NAME_ROOM = 4  # empty lines for the signature and the seal


def _signature(document: Document, narrative: Narrative) -> None:
    """ "Nơi nhận" on the left; on the right who signs, room to sign, and a line for the
    signer's name in brackets for the compiler."""
    table = document.add_table(rows=1, cols=2)
    no_borders(table)
    table.autofit = False
    left, right = table.rows[0].cells
    for column, cell, width in zip(table.columns, (left, right), (7.0, 9.0), strict=True):
        column.width = cell.width = Cm(width)
    write_runs(left.paragraphs[0], "Nơi nhận:", bold=True, italic=True, size=Pt(12))
    recipients = RECIPIENTS
    if narrative.by_unit:
        place = org_name(narrative.organization).of_whom
        recipients = tuple(line.format(place=place) for line in UNIT_RECIPIENTS)
    for line in recipients:
        write_runs(left.add_paragraph(), line, size=Pt(11))
    if narrative.by_unit:
        write_runs(right.paragraphs[0], "THỦ TRƯỞNG ĐƠN VỊ", bold=True, center=True)
    else:
        write_runs(right.paragraphs[0], "TM. ỦY BAN NHÂN DÂN", bold=True, center=True)
        write_runs(right.add_paragraph(), "CHỦ TỊCH", bold=True, center=True)
    for _line in range(NAME_ROOM):
        right.add_paragraph()
    write_runs(right.add_paragraph(), "[Họ và tên người ký]", bold=True, center=True)


def narrative_docx(narrative: Narrative, *, issued: date, number: str | None = None) -> bytes:
    """The draft as .docx bytes; ``number`` of the report when known ("116")."""
    document = Document()
    set_up_page(document, landscape=False, size=SIZE)
    symbol = "BC" if narrative.by_unit else "BC-UBND"
    numbered = f"Số: {number}/{symbol}" if number else f"Số:        /{symbol}"
    heading_block(
        document,
        narrative.organization,
        issued,
        HEADING_WIDTHS,
        issuer=narrative.issuer if any(narrative.issuer) else None,
        number=numbered,
        size=Pt(12),
        date_size=Pt(13),
    )
    title = document.add_paragraph()
    title.paragraph_format.space_before = Pt(6)
    write_runs(title, "BÁO CÁO", bold=True, center=True)
    subject = document.add_paragraph()
    subject.paragraph_format.space_after = Pt(3)  # the rule below, clear of the letters
    write_runs(subject, narrative.subject, bold=True, center=True)
    rule_under(document, Cm(4.0), WIDTH)
    _body(document, narrative)
    document.add_paragraph()
    _signature(document, narrative)
    out = BytesIO()
    document.save(out)
    return out.getvalue()
