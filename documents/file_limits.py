"""Limits that keep a hostile plan file from eating memory and time.

A .docx or .xlsx is a zip of XML parts, and a zip may lie about its sizes: the sizes it
declares are not trusted. :func:`check_package` inflates every member in small chunks
(so no single read can balloon), counts the bytes really produced, and counts the XML
elements with a streaming parser that builds no tree — before python-docx or openpyxl
see the file. A 333 KB .docx holding 190 MB of empty paragraphs is refused after a few
megabytes, not after 6 GB.

:func:`check_grid` then bounds what any reader produced: rows, cells with text, and the
text of one cell. Each limit has its own Vietnamese message, raised as
:class:`PlanFileError`, so the admin knows what to change.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from xml.parsers import expat

from documents.plan_file_error import PlanFileError
from locales import _

MB = 1024 * 1024
MAX_XML_BYTES = 40 * MB  # all XML parts together, inflated (a real plan: about 1 MB)
MAX_OTHER_BYTES = 60 * MB  # pictures and other parts, inflated
MAX_MEMBERS = 2000  # parts in one package (a real plan: about 20)
MAX_XML_ELEMENTS = 600_000  # a real plan with 60 tasks: about 30,000
MAX_ROWS = 5000  # rows of the plan table, title rows included
MAX_SCANNED_ROWS = 20_000  # rows a reader looks through, empty ones included
MAX_TEXT_LINES = 20_000  # lines of a csv/tsv/pasted table (a cell may hold several)
MAX_CELLS = 100_000  # cells with text
MAX_CELL_CHARS = 10_000  # characters in one cell (a long task: about 1,000)
MAX_MERGED_CELLS = 10_000  # merged ranges in one package (a real plan: under 200)
MAX_SEPARATORS = 300_000  # of one kind (";" "," tab "|") in a text table (5,000 rows x 19 columns: 95,000)
CHUNK = 256 * 1024  # inflate this much at a time


def count(number: int) -> str:
    """A count as Vietnamese writes it: 5.000, 1.000.000."""
    return f"{number:,}".replace(",", ".")


def inflated_too_large(name: str) -> PlanFileError:
    return PlanFileError(
        _("Tệp {name} quá lớn khi giải nén; vui lòng gửi tệp nhỏ hơn.").format(name=name)
    )


def too_many_rows(name: str) -> PlanFileError:
    return PlanFileError(
        _(
            "Bảng trong tệp {name} có hơn {limit} dòng; dondoc chỉ nhận kế hoạch đến {limit} "
            "dòng. Vui lòng xoá các dòng thừa hoặc chia thành nhiều tệp rồi gửi lại."
        ).format(name=name, limit=count(MAX_ROWS))
    )


def too_many_cells(name: str) -> PlanFileError:
    return PlanFileError(
        _(
            "Bảng trong tệp {name} có hơn {limit} ô có nội dung; vui lòng chỉ giữ bảng kế "
            "hoạch rồi gửi lại."
        ).format(name=name, limit=count(MAX_CELLS))
    )


def cell_too_long(name: str, row: int, column: int, length: int) -> PlanFileError:
    return PlanFileError(
        _(
            "Ô ở dòng {row}, cột {column} của tệp {name} dài {length} ký tự, quá giới hạn "
            "{limit} ký tự; vui lòng rút gọn ô đó rồi gửi lại."
        ).format(
            name=name, row=row, column=column, length=count(length), limit=count(MAX_CELL_CHARS)
        )
    )


def _too_complex(name: str) -> PlanFileError:
    return PlanFileError(
        _(
            "Tệp {name} có cấu trúc quá lớn (hơn {limit} thành phần) để là một bảng kế hoạch; "
            "vui lòng chỉ giữ bảng kế hoạch rồi gửi lại."
        ).format(name=name, limit=count(MAX_XML_ELEMENTS))
    )


def too_many_merges(name: str) -> PlanFileError:
    return PlanFileError(
        _(
            "Tệp {name} có hơn {limit} vùng ô gộp (merge); một bảng kế hoạch có ít hơn nhiều. Vui lòng bỏ gộp các ô thừa hoặc chỉ giữ bảng kế hoạch rồi gửi lại."
        ).format(name=name, limit=count(MAX_MERGED_CELLS))
    )


def too_many_separators(name: str, separator: str) -> PlanFileError:
    shown = {"\t": "tab", ";": "«;»", ",": "«,»", "|": "«|»"}.get(separator, separator)
    return PlanFileError(
        _(
            "Tệp {name} có hơn {limit} dấu phân cách {separator}, quá nhiều để là một bảng kế hoạch; vui lòng chỉ giữ bảng kế hoạch rồi gửi lại."
        ).format(name=name, limit=count(MAX_SEPARATORS), separator=shown)
    )


def not_csv(name: str) -> PlanFileError:
    return PlanFileError(
        _("Tệp {name} không đúng định dạng CSV nên không đọc được.").format(name=name)
    )


def check_text(text: str, name: str) -> None:
    """Refuse a text table too big to be a plan before any parsing: too many lines, or
    a flood of separators (19 MB of ";" would make 19 million empty cells)."""
    if text.count("\n") > MAX_TEXT_LINES:
        raise too_many_rows(name)
    for separator in (";", ",", "\t", "|"):
        if text.count(separator) > MAX_SEPARATORS:
            raise too_many_separators(name, separator)


def csv_rows(text: str, delimiter: str, name: str) -> tuple[list[list[str]], list[int]]:
    """The rows of ``text`` as csv, with the line each row starts on. A field longer
    than the csv module's limit (131,072 characters, far over ``MAX_CELL_CHARS``) is
    refused as a cell too long; another csv error as a file that is not csv."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    numbers: list[int] = []
    start = 1
    try:
        for row in reader:
            rows.append(row)
            numbers.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise PlanFileError(
                _(
                    "Một ô từ dòng {row} của tệp {name} dài hơn {length} ký tự, quá giới hạn {limit} ký tự; vui lòng rút gọn ô đó rồi gửi lại."
                ).format(
                    row=start, name=name, length=count(csv.field_size_limit()),
                    limit=count(MAX_CELL_CHARS),
                )  # fmt: skip
            ) from exc
        raise not_csv(name) from exc
    return rows, numbers


class _Counter:
    """Counts XML start tags across parts, raising as soon as there are too many."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.elements = 0

        self.rows = self.cells = self.merges = 0

    def start(self, tag: str, attributes: object) -> None:
        self.elements += 1
        if self.elements > MAX_XML_ELEMENTS:
            raise _too_complex(self.name)
        local = tag.rsplit(":", 1)[-1]  # Word's table rows and cells cost the most to read
        if local == "tr":
            self.rows += 1
            if self.rows > MAX_SCANNED_ROWS:
                raise too_many_rows(self.name)
        elif local == "tc":
            self.cells += 1
            if self.cells > MAX_CELLS:
                raise too_many_cells(self.name)
        elif local == "mergeCell":  # counted while inflating, before openpyxl sees them
            self.merges += 1
            if self.merges > MAX_MERGED_CELLS:
                raise too_many_merges(self.name)


def _is_xml(member: str) -> bool:
    return member.endswith((".xml", ".rels", ".vml"))


def check_package(archive: zipfile.ZipFile, name: str) -> None:
    """Inflate every member of ``archive`` in chunks, within the limits; raise
    PlanFileError for a package too big, too complex or broken (a CRC that does not
    match what the zip declared is broken, whatever the reason)."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _too_complex(name)
    counter = _Counter(name)
    sizes = {"xml": 0, "other": 0}
    limits = {"xml": MAX_XML_BYTES, "other": MAX_OTHER_BYTES}
    for info in infos:
        if info.is_dir():
            continue
        kind = "xml" if _is_xml(info.filename) else "other"
        if sizes[kind] + info.file_size > limits[kind]:  # refused at once when it says so
            raise inflated_too_large(name)
        parser = None
        if kind == "xml":
            parser = expat.ParserCreate()
            parser.StartElementHandler = counter.start
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):  # never more than CHUNK inflated at once
                sizes[kind] += len(chunk)
                if sizes[kind] > limits[kind]:
                    raise inflated_too_large(name)
                if parser is not None:
                    try:
                        parser.Parse(chunk, False)
                    except expat.ExpatError:
                        parser = None  # a broken part is the reader's to judge
        if parser is not None:
            try:
                parser.Parse(b"", True)
            except expat.ExpatError:
                pass


def check_grid(
    rows: Sequence[Sequence[object]], name: str, row_numbers: Sequence[int] | None = None
) -> None:
    """Refuse a table with too many rows, too many cells with text, or a cell too long."""
    if len(rows) > MAX_ROWS:
        raise too_many_rows(name)
    cells = 0
    for index, row in enumerate(rows):
        for column, text in enumerate(row, 1):
            if not text:
                continue
            cells += 1
            if cells > MAX_CELLS:
                raise too_many_cells(name)
            if isinstance(text, str) and len(text) > MAX_CELL_CHARS:
                number = row_numbers[index] if row_numbers else index + 1
                raise cell_too_long(name, number, column, len(text))
