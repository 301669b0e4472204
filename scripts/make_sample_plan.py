"""Build the sample plan files in samples/ from the seed plan's appendix.

Reads the appendix ("PHỤ LỤC") of ``seeds/ke-hoach-cchc-2026-xa-nguyen-binh-khiem.md`` —
a tab-separated table pasted from Word — and writes:

- ``samples/ke-hoach-cchc-2026-mau.txt``: the pasted table as it is, from the header line
  ("STT\\tNội dung công việc…") to the end, so tests do not depend on the seeds folder;
- ``samples/ke-hoach-cchc-2026-mau.docx``: the appendix as a real Word document: A4
  landscape, Times New Roman, the title, and the table with its header (the deadline
  header wrapped on three lines), section rows merged across all columns, italic
  fragments and bullet lists kept, split into two tables with the header repeated on the
  second, as a plan continued on a second page looks. The row that continues task 36
  starts the second table, as it does in the seed.

Usage: ``python scripts/make_sample_plan.py [--seed PATH] [--out-dir DIR]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "ke-hoach-cchc-2026-xa-nguyen-binh-khiem.md"
NAME = "ke-hoach-cchc-2026-mau"
FONT = "Times New Roman"
HEADER = ["STT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp",
          ["Thời gian ", "thực hiện/", "hoàn thành"], "Sản phẩm"]
WIDTHS_MM = (12, 88, 42, 42, 30, 43)  # 257 mm: A4 landscape less 20 mm margins
FIXED_TIME = (2026, 1, 1, 0, 0, 0)


def appendix(seed_text: str) -> tuple[list[str], str]:
    """(title lines above the table, pasted table text from its header line to the end)."""
    lines = seed_text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("STT\tNội dung công việc"))
    top = next(i for i, line in enumerate(lines) if "PHỤ LỤC" in line)
    titles = [line.strip().strip("*").strip() for line in lines[top:start]]
    table = "\n".join(lines[start:]).rstrip("\n") + "\n"
    return [title for title in titles if title], table


def table_rows(table_text: str) -> list[list[str]]:
    """Data rows (after the header) of the pasted table, six raw cells each."""
    rows = []
    for line in table_text.split("\n")[1:]:
        if line.strip():
            cells = line.split("\t")
            rows.append((cells + [""] * 6)[:6])
    return rows


def _font(run, size: float, *, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold = bold or None
    run.italic = italic or None
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def _paragraph(container, text: str, size: float = 12, *, bold=False, italic=False,
               align=WD_ALIGN_PARAGRAPH.LEFT, first: bool = False):
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    for piece in re.split(r"(<[ib]>.*?</[ib]>)", text):
        if piece:
            tag = piece[1] if piece.startswith("<") else ""
            _font(paragraph.add_run(re.sub(r"</?[ib]>", "", piece)), size,
                  bold=bold or tag == "b", italic=italic or tag == "i")
    return paragraph


def _fill(cell: _Cell, raw: str, *, bold: bool = False, center: bool = False) -> None:
    align = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    items = [raw]
    if "<li" in raw:
        items = [re.sub(r"^\s*-?\s*", "- ", item) for item in re.findall(r"<li>(.*?)</li>", raw)]
    for index, item in enumerate(items):
        _paragraph(cell, item.strip() if index or len(items) > 1 else item, bold=bold,
                   align=align, first=index == 0)


def _repeat_header(row) -> None:
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _table(document, rows: list[list[str]]) -> Table:
    table = document.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header = table.rows[0]
    _repeat_header(header)
    for cell, text in zip(header.cells, HEADER, strict=True):
        for index, line in enumerate([text] if isinstance(text, str) else text):
            _paragraph(cell, line, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, first=index == 0)
    for cells in rows:
        row = table.add_row()
        if cells[0].startswith("<b>") and not any(cell.strip() for cell in cells[1:]):
            merged = row.cells[0].merge(row.cells[-1])
            _fill(merged, cells[0].replace("<b>", "").replace("</b>", ""), bold=True)
            continue
        for index, (cell, raw) in enumerate(zip(row.cells, cells, strict=True)):
            _fill(cell, raw, center=index in (0, 4))
    for column, width in zip(table.columns, WIDTHS_MM, strict=True):
        column.width = Mm(width)
    for tr in table._tbl.tr_lst:
        column = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = Mm(sum(WIDTHS_MM[column : column + span]))
            column += span
    return table


def build_docx(titles: list[str], rows: list[list[str]]) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(13)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    for index, title in enumerate(titles):
        note = title.startswith("(")
        _paragraph(document, title, 13 if note else 14, bold=not note, italic=note,
                   align=WD_ALIGN_PARAGRAPH.CENTER, first=False).paragraph_format.space_after = (
            Pt(6) if index == len(titles) - 1 else Pt(0))
    split = next(i for i, cells in enumerate(rows) if not cells[0].strip())
    _table(document, rows[:split])
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _table(document, rows[split:])
    properties = document.core_properties
    properties.title = "Kế hoạch cải cách hành chính năm 2026 (mẫu)"
    properties.author = "dondoc"
    properties.created = properties.modified = dt.datetime(2026, 1, 1)
    buffer = io.BytesIO()
    document.save(buffer)
    return _reproducible(buffer.getvalue())


def _reproducible(data: bytes) -> bytes:
    """The same package with fixed timestamps, so the sample does not change on each run."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(
        out, "w", zipfile.ZIP_DEFLATED
    ) as target:
        for info in source.infolist():
            target.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), source.read(info),
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=Path, default=SEED)
    parser.add_argument("--out-dir", type=Path, default=ROOT / "samples")
    args = parser.parse_args(argv)
    titles, table_text = appendix(args.seed.read_text(encoding="utf-8"))
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / f"{NAME}.txt").write_text(table_text, encoding="utf-8")
    (args.out_dir / f"{NAME}.docx").write_bytes(build_docx(titles, table_rows(table_text)))
    print(f"wrote {args.out_dir / NAME}.txt and .docx")


if __name__ == "__main__":
    main()
