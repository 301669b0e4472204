"""The neutral parsed plan and the logic every plan reader shares.

Each reader (.docx, .xlsx, csv/tsv/pasted text) turns its file into a grid of cell texts
and calls :func:`build_plan`, which finds the header row by its Vietnamese column names
(not by position), skips title rows and repeated headers, starts a section at each
Roman-numeral row ("I. Chỉ đạo điều hành…"), appends a row with an empty number to the
task above it (a task continued on the next page) and checks the result.

A reader marks a cell that only repeats the cell above it in a vertical merge with
:class:`MergedAbove`: such a cell counts for a task row (a lead unit shared by two tasks)
and is ignored in a continuation row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from documents.file_limits import check_grid
from documents.plan_file_error import PlanFileError
from documents.plan_title import plan_title
from locales import _
from models.unit_names import fold

REQUIRED_FIELDS = ("number", "content", "lead", "deadline")


@dataclass
class ParsedTask:
    number: str  # "1", "2a" as written
    content: str
    lead_text: str  # raw cell text (cleaned of markup)
    cooperating_text: str
    deadline_text: str
    product: str
    row: int  # source row number (for error messages)


@dataclass
class ParsedSection:
    numeral: str  # "I", "II", ... ("" if the plan has no sections → one section)
    title: str
    order: int
    tasks: list[ParsedTask] = field(default_factory=list)


@dataclass
class ParsedPlan:
    title: str | None
    sections: list[ParsedSection]
    warnings: list[str]  # Vietnamese, non-fatal

    @property
    def tasks(self) -> list[ParsedTask]:
        """Every task, in plan order."""
        return [task for section in self.sections for task in section.tasks]


class MergedAbove(str):
    """Cell text inherited from the cell above (vertical merge)."""

    __slots__ = ()


_ROMAN = r"(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"  # I … LXXXIX
_SECTION_RE = re.compile(
    rf"^(?:(?:PHẦN|Phần|MỤC|Mục)\s+)?({_ROMAN}|[A-H](?=\s*[.)]))(?:\s*[.):\-–]\s*|\s+)(\S.*)$", re.S
)
_BARE_ROMAN_RE = re.compile(rf"^(?:(?:PHẦN|Phần|MỤC|Mục)\s+)?({_ROMAN}|[A-H])\s*[.)]?$")
_NUMBER_RE = re.compile(r"^(?:\d{1,4}(?:[.,]\d{1,3})*[a-zđ]?|[a-zđ])\s*[.):]?$", re.I)
_COLUMN_NUMBER_RE = re.compile(r"^\(?\d{1,2}\)?$")
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_ODD_SPACES_RE = re.compile("[\t\xa0\u2007\u202f\f\v]")
_BULLETS = ("-", "+", "•", "–", "*")
_ATTRIBUTES = {
    "content": "content",
    "lead": "lead_text",
    "cooperating": "cooperating_text",
    "deadline": "deadline_text",
    "product": "product",
}  # column → ParsedTask field


def clean_cell(text: object) -> str:
    """NFC text with one space between words, no empty lines and no invisible characters."""
    if text is None:
        return ""
    value = unicodedata.normalize("NFC", str(text))
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _ODD_SPACES_RE.sub(" ", _INVISIBLE_RE.sub("", value))
    lines = (" ".join(line.split()) for line in value.split("\n"))
    return "\n".join(line for line in lines if line)


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


def header_field(cell: str) -> str | None:
    """Which plan column a header cell names, if any."""
    key = _key(cell)
    if not key:
        return None
    if key in ("stt", "tt", "so tt", "so thu tu", "thu tu"):
        return "number"
    if "chu tri" in key:
        return "lead"
    if "phoi hop" in key:
        return "cooperating"
    if key.startswith(("noi dung", "nhiem vu", "ten nhiem vu", "cong viec", "ten cong viec")):
        return "content"
    if key.startswith(("thoi gian", "thoi han", "han hoan thanh", "tien do")):
        return "deadline"
    if key.startswith(("san pham", "ket qua")):
        return "product"
    return None


def header_mapping(row: Sequence[str]) -> dict[str, int] | None:
    """Column index of each field if ``row`` is a plan header row, else None."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(row):
        name = header_field(cell) if cell and len(cell) < 120 else None
        if name is not None and name not in columns:
            columns[name] = index
    return columns if all(name in columns for name in REQUIRED_FIELDS) else None


def find_header(rows: Sequence[Sequence[str]]) -> tuple[int, dict[str, int]] | None:
    """Index and column mapping of the first header row."""
    for index, row in enumerate(rows):
        columns = header_mapping([clean_cell(cell) for cell in row])
        if columns is not None:
            return index, columns
    return None


def is_number_text(text: str) -> bool:
    """True for a task number as plans write it: "1", "12.", "2a", "1.1", "a)"."""
    return bool(_NUMBER_RE.match(text.strip()))


def parse_section_text(text: str) -> tuple[str, str] | None:
    """("II", "Cải cách thể chế") for "II. Cải cách thể chế", else None."""
    match = _SECTION_RE.match(" ".join(text.split()))
    if match is None or not match.group(1):
        return None
    return match.group(1), match.group(2).strip().rstrip(":").strip()


def no_header_error(source: str) -> PlanFileError:
    return PlanFileError(
        _(
            "Không tìm thấy dòng tiêu đề bảng (STT, Nội dung công việc, Cơ quan chủ "
            "trì, Thời gian thực hiện…) trong tệp {source}."
        ).format(source=source)
    )


def _clean(cell: object) -> str:
    text = clean_cell(cell)
    return MergedAbove(text) if text and isinstance(cell, MergedAbove) else text


def _title(rows: Sequence[Sequence[str]]) -> str | None:
    lines: list[str] = []
    for row in rows:
        for text in dict.fromkeys(cell for cell in row if cell):
            for line in text.split("\n"):
                line = line.strip(" *")
                if (
                    line
                    and not line.startswith("(")
                    and not re.fullmatch(r"phu luc(?: [ivx\d]+)?", _key(line))
                ):
                    lines.append(line)
    named = plan_title(lines)  # "KẾ HOẠCH" / its subject; an appendix's "… THỰC HIỆN …"
    if named is not None:
        return named
    capitals = [i for i, line in enumerate(lines) if line == line.upper() and line.lower() != line]
    if capitals:  # the last block of lines in capitals is the title, not the text above it
        end = start = capitals[-1]
        while start - 1 in capitals:
            start -= 1
        lines = lines[start : end + 1]
    return " ".join(lines[-3:])[:300] or None


def _join(before: str, more: str) -> str:
    if not before:
        return more
    return f"{before}\n{more}" if more.startswith(_BULLETS) else f"{before} {more}"


class _Builder:
    """Collects sections and tasks row by row."""

    def __init__(self, source: str, columns: dict[str, int]) -> None:
        self.source = source
        self.columns = columns
        self.sections: list[ParsedSection] = []
        self.warnings: list[str] = []
        self.last_task: ParsedTask | None = None
        self.numbers: set[str] = set()
        self.ended = False

    def cells(self, row: Sequence[str]) -> dict[str, str]:
        return {name: (row[i] if i < len(row) else "") for name, i in self.columns.items()}

    def section_of(self, row: Sequence[str], cells: dict[str, str]) -> tuple[str, str] | None:
        own = [cell for cell in row if cell and not isinstance(cell, MergedAbove)]
        if own and len(set(own)) == 1:
            return parse_section_text(own[0])
        number, content = cells.get("number", ""), cells.get("content", "")
        bare = _BARE_ROMAN_RE.match(number) if number else None
        if bare and bare.group(1) and content and not (cells.get("lead") or cells.get("deadline")):
            return bare.group(1), " ".join(content.split())  # "A." | "Hạ tầng số", "Phần I" | …
        return None

    def heading_above(self, number: str) -> None:
        """A task "1.1" under a row "1" that has no lead unit and no deadline: that row
        was a heading, not a task — a section of its own, or inside a lettered or Roman
        section only the heading of the tasks under it."""
        head, dot, _rest = number.rpartition(".")
        task = self.last_task
        if not dot or task is None or task.number != head or task.lead_text or task.deadline_text:
            return
        section = self.sections[-1]
        section.tasks.remove(task)
        if section.numeral and not section.numeral[0].isdigit():
            return  # inside "B." the group "4" only heads "4.1", "4.2": they stay in B
        self.start_section(head, " ".join(task.content.split()))

    def start_section(self, numeral: str, title: str) -> None:
        current = self.sections[-1] if self.sections else None
        if current is not None and current.numeral == numeral and numeral:
            return  # the section row repeated after a page break
        self.sections.append(ParsedSection(numeral, title, len(self.sections) + 1, []))
        self.numbers = set()
        self.last_task = None

    def add(self, row: Sequence[str], row_number: int) -> None:
        own = [cell for cell in row if cell and not isinstance(cell, MergedAbove)]
        if self.ended or not own or header_mapping(row) is not None:
            return
        if len(own) >= 3 and all(_COLUMN_NUMBER_RE.match(cell) for cell in own):
            return  # the "(1) (2) (3)…" row under a header
        if _key(own[0]).startswith("noi nhan"):
            self.ended = True
            return
        cells = self.cells(row)
        section = self.section_of(row, cells)
        if section is not None:
            self.start_section(*section)
            return
        number = cells["number"] if not isinstance(cells["number"], MergedAbove) else ""
        if number:
            self.add_task(number, cells, row_number)
        else:
            self.continue_task(cells, row_number)

    def add_task(self, number: str, cells: dict[str, str], row_number: int) -> None:
        if not is_number_text(number):
            self.warnings.append(
                _("Dòng {row}: bỏ qua “{text}” vì không phải số thứ tự của một nhiệm vụ.").format(
                    row=row_number, text=" ".join(number.split())[:80]
                )
            )
            return
        number = number.strip().rstrip(".):").strip()
        self.heading_above(number)
        if not cells["content"]:
            raise PlanFileError(
                _("Dòng {row} có số thứ tự {number} nhưng không có nội dung công việc.").format(
                    row=row_number, number=number
                )
            )
        if not self.sections:
            self.sections.append(ParsedSection("", "", 1, []))
        section = self.sections[-1]
        if number in self.numbers:
            label = f"{section.numeral}. {section.title}" if section.numeral else section.title
            raise PlanFileError(
                _("Số thứ tự {number} bị trùng trong mục “{section}” (dòng {row}).").format(
                    number=number, section=label or _("(không có mục)"), row=row_number
                )
            )
        self.numbers.add(number)
        texts = {attribute: cells.get(name, "") for name, attribute in _ATTRIBUTES.items()}
        task = ParsedTask(number=number, row=row_number, **texts)
        section.tasks.append(task)
        self.last_task = task

    def continue_task(self, cells: dict[str, str], row_number: int) -> None:
        more = {k: v for k, v in cells.items() if v and not isinstance(v, MergedAbove)}
        if not more:
            return
        task = self.last_task
        if task is None:
            self.warnings.append(
                _("Dòng {row}: bỏ qua “{text}” vì không thuộc nhiệm vụ nào.").format(
                    row=row_number, text=" ".join(next(iter(more.values())).split())[:80]
                )
            )
            return
        for name, text in more.items():
            attribute = _ATTRIBUTES[name]
            setattr(task, attribute, _join(getattr(task, attribute), text))

    def finish(self, title: str | None) -> ParsedPlan:
        sections: list[ParsedSection] = []
        numerals = [s.numeral for s in self.sections]
        for section in self.sections:
            if section.tasks:
                section.order = len(sections) + 1
                sections.append(section)
            elif any(n.startswith(f"{section.numeral}.") for n in numerals if section.numeral):
                continue  # "A." holds its headings "A.1", "A.2": nothing was left out
            else:
                label = f"{section.numeral}. {section.title}".strip(". ")
                self.warnings.append(
                    _("Mục “{section}” không có nhiệm vụ nào nên đã được bỏ qua.").format(
                        section=label
                    )
                )
        if not sections:
            raise PlanFileError(
                _("Bảng trong tệp {source} có dòng tiêu đề nhưng không có nhiệm vụ nào.").format(
                    source=self.source
                )
            )
        return ParsedPlan(title=title, sections=sections, warnings=self.warnings)


def build_plan(
    rows: Sequence[Sequence[object]],
    *,
    source: str,
    title: str | None = None,
    row_numbers: Sequence[int] | None = None,
) -> ParsedPlan:
    """Build the plan from a grid of cell texts (rows of cells, top to bottom).

    ``row_numbers`` gives the number to quote for each row in messages (default: its
    1-based position); ``title`` overrides the title read from the rows above the header.
    """

    check_grid(rows, source, row_numbers)  # every reader's table, before any work on it
    grid = [[_clean(cell) for cell in row] for row in rows]
    found = find_header(grid)
    if found is None:
        raise no_header_error(source)
    header, columns = found
    builder = _Builder(source, columns)
    for index in range(header + 1, len(grid)):
        number = row_numbers[index] if row_numbers is not None else index + 1
        builder.add(grid[index], number)
    return builder.finish(title or _title(grid[:header]))
