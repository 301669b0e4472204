"""Plan tables from Word (.docx) files, with python-docx.

The body is walked in document order. The plan table is the first table with a plan
header; the tables after it that have a header too, or the same number of columns, are
its continuation (a plan split into several tables, often with the header repeated on
each page). Other tables (the letterhead, the signatures) are left out, and the few
paragraphs just above the plan table give its title.

Cells are read on the table grid: a cell spanning several columns (a merged section row)
is read once, at its first column, with empty cells after it; a cell continuing a
vertical merge carries the text of the cell above, marked :class:`MergedAbove`.
Paragraphs in a cell are joined with "\\n".
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from documents.plan_file_error import PlanFileError
from documents.plan_table import MergedAbove, ParsedPlan, build_plan, find_header, no_header_error
from documents.plan_title import plan_title
from locales import _

TITLE_PARAGRAPHS = 5

_P, _TBL, _SDT, _SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")


def _blocks(parent: Any, container: Any) -> Iterator[tuple[str, Any]]:
    """("p", text) and ("table", grid) for the body's blocks, in document order.

    Empty paragraphs are left out, and one without children costs no proxy object: a
    body of half a million empty paragraphs is a quick walk, not half a million texts."""
    for child in parent.iterchildren():
        if child.tag == _P:
            if len(child):
                text = Paragraph(child, container).text
                if text.strip():
                    yield "p", text
        elif child.tag == _TBL:
            yield "table", _grid(Table(child, container))
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _blocks(content, container)


def _grid(table: Table) -> list[list[str]]:
    """Cell texts of ``table`` on its column grid."""
    rows: list[list[str]] = []
    above: dict[int, str] = {}
    for tr in table._tbl.tr_lst:
        column = tr.grid_before
        row = [""] * column
        for tc in tr.tc_lst:
            span = max(1, tc.grid_span)
            if tc.vMerge == "continue":
                inherited = above.get(column, "")
                text: str = MergedAbove(inherited) if inherited else ""
            else:
                text = _Cell(tc, table).text
                above[column] = text
            row.append(text)
            row.extend([""] * (span - 1))
            column += span
        rows.append(row)
    return rows


def _width(grid: list[list[str]]) -> int:
    return max((len(row) for row in grid), default=0)


def read_docx(data: bytes, *, source: str) -> ParsedPlan:
    """Read the plan table of a .docx file."""
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(_blocks(document.element.body, document._body))
    except Exception as exc:  # python-docx raises many kinds on a broken package
        raise PlanFileError(
            _("Tệp {name} bị hỏng hoặc không phải tệp Word (.docx) hợp lệ.").format(name=source)
        ) from exc
    start = next(
        (i for i, (kind, value) in enumerate(blocks) if kind == "table" and find_header(value)),
        None,
    )
    if start is None:
        raise no_header_error(source)
    title_lines: list[str] = []
    for kind, value in reversed(blocks[:start]):
        if kind == "table" or len(title_lines) == TITLE_PARAGRAPHS:
            break
        title_lines.insert(0, value)
    # The subject under "KẾ HOẠCH" heads the document, pages above its table.
    opening = [value for kind, value in blocks[:start] if kind != "table"]
    title = plan_title(opening[:200])
    rows: list[list[str]] = [[line] for line in title_lines]
    numbers: list[int] = [0] * len(rows)
    width = _width(blocks[start][1])
    counter = 0
    for kind, value in blocks[start:]:
        if kind != "table":
            continue
        if value is not blocks[start][1] and _width(value) != width and not find_header(value):
            continue
        for row in value:
            counter += 1
            rows.append(row)
            numbers.append(counter)
    return build_plan(rows, source=source, row_numbers=numbers, title=title)
