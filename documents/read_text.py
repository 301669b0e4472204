"""Plan tables as text: csv (";" or ","), tsv, a table pasted from Word, Markdown tables.

A table copied from Word and pasted as text has one line per row, cells separated by
tabs, some HTML (``<b>``, ``<i>``, ``<ul><li>``) and two kinds of broken rows:
a cell with line breaks spreads one row over several lines (each short of tabs), and a
row continued on the next page arrives as a line whose first cell is empty. Lines are
joined back into rows here; :func:`documents.plan_table.build_plan` does the rest.
Text copied from Excel quotes its multi-line cells and is read as tab-separated csv.

Files are decoded as UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode Text") or,
failing those, Windows-1258 (Excel's plain "CSV" on Vietnamese Windows).
"""

from __future__ import annotations

import codecs
import csv
import html
import re
from collections import Counter

from documents.file_limits import check_text, csv_rows
from documents.plan_table import (
    ParsedPlan,
    build_plan,
    clean_cell,
    header_mapping,
    is_number_text,
    no_header_error,
    parse_section_text,
)

MAX_HEADER_LINES = 4
_END_RE = re.compile(r"\s*(?:Nơi nhận|NƠI NHẬN|Ghi chú|GHI CHÚ)")
_PIPE_RULE_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_QUOTED_TAB_RE = re.compile(r'(?:^|\t)"[^"\t]*\n', re.M)
_LI_RE = re.compile(r"<li\b[^>]*>\s*(?:[-–•+]\s*)?", re.I)
_BLOCK_TAG_RE = re.compile(r"<br\s*/?>|</?(?:p|div|ul|ol|tr|table)\b[^>]*>", re.I)
_INLINE_TAG_RE = re.compile(
    r"</?(?:b|i|u|s|em|strong|span|font|sup|sub|li|td|th|a|mark|small|big|o:p)\b[^>]*>", re.I
)


def strip_markup(text: str) -> str:
    """Remove the HTML a pasted Word table carries: ``<b>``, ``<i>``, ``<li>`` (→ "- ")."""
    if "<" not in text and "&" not in text:
        return text
    value = _LI_RE.sub("\n- ", text)
    value = _BLOCK_TAG_RE.sub("\n", value)
    return html.unescape(_INLINE_TAG_RE.sub("", value))


def decode_text(data: bytes) -> str:
    """Text of a csv/tsv file: UTF-8 (with or without BOM), UTF-16, else Windows-1258."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    head = data[:4000]
    if head and head.count(0) * 3 >= len(head):  # UTF-16 without BOM (Excel "Unicode Text")
        odd_zeros = head[1::2].count(0)
        return data.decode(
            "utf-16-le" if odd_zeros >= head[0::2].count(0) else "utf-16-be", errors="replace"
        )
    return data.decode("cp1258", errors="replace")


def read_text(data: bytes, *, source: str) -> ParsedPlan:
    """Read a csv/tsv/text file."""
    return read_plan_text(decode_text(data), source=source)


def read_plan_text(text: str, *, source: str) -> ParsedPlan:
    """Read a table given as text: tab-separated (pasted from Word or Excel) or csv."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    check_text(text, source)  # before any parsing: 20 MB of rows or separators costs seconds
    lines = text.split("\n")
    if any("\t" in line for line in lines):
        if _QUOTED_TAB_RE.search(text):  # copied from Excel: cells with line breaks are quoted
            plan = _read_delimited(text, source, ("\t",))
            if plan is not None:
                return plan
        plan = _read_tabbed(lines, source)
        if plan is not None:
            return plan
    if sum(line.lstrip().startswith("|") for line in lines) >= 2:
        plan = _read_pipes(lines, source)
        if plan is not None:
            return plan
    return _read_csv(text, source)


def _read_pipes(lines: list[str], source: str) -> ParsedPlan | None:
    """A Markdown table: "| STT | Nội dung công việc | … |", its "|---|" line skipped."""
    rows: list[list[str]] = []
    numbers: list[int] = []
    for index, line in enumerate(lines):
        if _PIPE_RULE_RE.match(line):
            continue
        body = line.strip()
        body = body[1:] if body.startswith("|") else body
        body = body[:-1] if body.endswith("|") else body
        cells = (cell.replace("<br>", "\n").replace("**", "") for cell in body.split("|"))
        rows.append([strip_markup(cell) for cell in cells])
        numbers.append(index + 1)
    if not any(header_mapping(_clean(row)) is not None for row in rows):
        return None
    return build_plan(rows, source=source, row_numbers=numbers)


def _cells(line: str) -> list[str]:
    return [strip_markup(cell) for cell in line.split("\t")]


def _find_tabbed_header(lines: list[str]) -> tuple[int, int, list[str]] | None:
    """(first line, last line, cells) of the header, which may span a few lines."""
    counts = Counter(line.count("\t") for line in lines if line.count("\t") >= 2)
    width = max(counts, key=lambda tabs: (counts[tabs], tabs)) + 1 if counts else 0
    for first, line in enumerate(lines):
        if "\t" not in line:
            continue
        found: tuple[int, int, list[str]] | None = None
        joined = line
        for last in range(first, min(len(lines), first + MAX_HEADER_LINES)):
            if last > first:
                following = lines[last].split("\t")
                if _starts_row(following) or joined.count("\t") + len(following) > width:
                    break
                joined += "\n" + lines[last]
            cells = _cells(joined)
            if header_mapping(_clean(cells)) is not None:
                found = (first, last, cells)
            if found is not None and len(cells) >= width:
                break
        if found is not None:
            return found
    return None


def _clean(cells: list[str]) -> list[str]:
    return [clean_cell(cell) for cell in cells]


def _is_section(cells: list[str]) -> bool:
    first = clean_cell(strip_markup(cells[0]))
    return bool(first) and parse_section_text(first) is not None


def _starts_row(cells: list[str]) -> bool:
    """True if a line begins a new row: a task number and a tab, or a section title."""
    first = clean_cell(strip_markup(cells[0]))
    return (len(cells) > 1 and is_number_text(first)) or _is_section(cells)


def _read_tabbed(lines: list[str], source: str) -> ParsedPlan | None:
    found = _find_tabbed_header(lines)
    if found is None:
        return None
    first, last, header = found
    width = len(header)
    rows: list[list[str]] = [line.split("\t") for line in lines[:first]] + [header]
    numbers: list[int] = [*range(1, first + 1), first + 1]
    pending: list[str] | None = None  # a row still short of cells: a cell holds line breaks
    data_row = False  # whether rows[-1] is a task row or a task's continuation
    for index in range(last + 1, len(lines)):
        line = lines[index]
        cells = line.split("\t")
        if pending is not None:
            if not line.strip() or not (_starts_row(cells) or _END_RE.match(line)):
                pending[-1] += "\n" + cells[0]
                pending.extend(cells[1:])
                if len(pending) >= width:
                    pending = None
                continue
            pending = None
        if not line.strip():
            rows.append([])
            numbers.append(index + 1)
            continue
        if "\t" not in line and data_row and not _starts_row(cells) and not _END_RE.match(line):
            rows[-1][-1] += "\n" + line  # the last cell of the row above spans several lines
            continue
        rows.append(cells)
        numbers.append(index + 1)
        data_row = not _is_section(cells)
        if len(cells) < width and clean_cell(cells[0]) and data_row:
            pending = cells  # joined in place with the following lines
    return build_plan(
        [[strip_markup(cell) for cell in row] for row in rows], source=source, row_numbers=numbers
    )


def _read_delimited(text: str, source: str, delimiters: tuple[str, ...]) -> ParsedPlan | None:
    for delimiter in dict.fromkeys(delimiters):
        rows, numbers = csv_rows(text, delimiter, source)
        rows = [[strip_markup(cell) for cell in row] for row in rows]
        if any(header_mapping(_clean(row)) is not None for row in rows):
            return build_plan(rows, source=source, row_numbers=numbers)
    return None


def _read_csv(text: str, source: str) -> ParsedPlan:
    head = text[:8192]
    try:
        first = csv.Sniffer().sniff(head, delimiters=",;").delimiter
    except csv.Error:
        first = ";" if head.count(";") > head.count(",") else ","
    plan = _read_delimited(text, source, (first, ";", ","))
    if plan is None:
        raise no_header_error(source)
    return plan
