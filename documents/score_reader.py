"""Score sheets ("Chính quyền thân thiện" and the like) from .docx, .xlsx or pasted
text: TT | Nội dung tiêu chí | Điểm chuẩn | Đơn vị chủ trì | Đơn vị phối hợp | Tài liệu
minh chứng | Kết quả thực hiện | Điểm tự đánh giá, found by the names of the columns.

Rows become a tree: a "Tổng" row gives the total; a Roman number or "TIÊU CHÍ n" starts
a criterion; "1", "2"… a sub-criterion; "1.1", "a)" or a line starting "- " an item
(an item may have no number at all). A row with no number, no points and no bullet
continues the row above. Children's maxima must add up to their parent's and the
criteria to the total: where they don't, a Vietnamese warning names the row and the item
is flagged for review; the sheet is read anyway.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from documents.file_limits import check_grid
from documents.plan_file_error import PlanFileError
from documents.plan_table import MergedAbove, clean_cell
from documents.score_grids import find_grid
from documents.score_rows import ParsedSheet, ScoreRow, assign_refs, fold_descriptions
from locales import _
from models.score_tree import format_points, parse_points, sum_points
from models.unit_names import fold

REQUIRED = ("content", "max")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_ROMAN_RE = re.compile(r"^(X{0,3}(?:IX|IV|V?I{0,3}))\s*[.)]?$")
_CRITERION_RE = re.compile(r"^tieu chi\s*(\d{1,2})\b")
_SUB_RE = re.compile(r"^(\d{1,3})\s*[.)]?$")
_SUB_ITEM_RE = re.compile(r"^(\d{1,3}(?:\.\d{1,3})+|[a-zđ])\s*[.)]?$", re.I)
_BULLETS = ("-", "+", "•", "–", "*")
_COLUMN_NUMBER_RE = re.compile(r"^\(?\d{1,2}\)?$")
LETTER, BULLET, PLUS = 50, 60, 61  # ranks below any numbered row (see _Builder.level_of)


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


def column_of(cell: str) -> str | None:
    """Which score-sheet column a header cell names, if any."""
    key = _key(cell)
    if not key or len(key) > 80:
        return None
    if key in ("stt", "tt", "so tt", "so thu tu", "thu tu"):
        return "number"
    if "tu danh gia" in key or "tu cham" in key:
        return "self"
    if key.startswith(("diem chuan", "diem toi da", "thang diem", "so diem", "diem")):
        return "max"
    if "chu tri" in key:
        return "lead"
    if "phoi hop" in key:
        return "cooperating"
    if "minh chung" in key or key.startswith("tai lieu"):
        return "evidence"
    if key.startswith("ket qua"):
        return "result"
    if key.startswith(("noi dung", "tieu chi", "ten tieu chi")):
        return "content"
    return None


def header_columns(row: Sequence[str]) -> dict[str, int] | None:
    columns: dict[str, int] = {}
    for index, cell in enumerate(row):
        name = column_of(cell) if cell else None
        if name is not None and name not in columns:
            columns[name] = index
    return columns if all(name in columns for name in REQUIRED) else None


def _cells(row: Sequence[str], columns: dict[str, int]) -> dict[str, str]:
    out = {}
    for name, index in columns.items():
        cell = row[index] if index < len(row) else ""
        if isinstance(cell, MergedAbove) and name not in ("lead", "cooperating"):
            cell = ""  # a vertical merge: only a shared unit counts again
        out[name] = clean_cell(cell)
    return out


def _is_total(cells: dict[str, str]) -> bool:
    for name in ("number", "content"):
        key = _key(cells.get(name, ""))
        if key in ("tong", "tong cong", "tong diem", "tong so", "cong"):
            return True
    return False


class _Builder:
    def __init__(self, source: str) -> None:
        self.source = source
        self.criteria: list[ScoreRow] = []
        self.last: ScoreRow | None = None
        self.open: list[tuple[int, ScoreRow]] = []  # (rank, row) from the criterion down
        self.total: tuple[Decimal | None, Decimal | None, int] | None = None
        self.warnings: list[str] = []

    def points(self, text: str, row: int, what: str) -> Decimal | None:
        if not text:
            return None
        value = parse_points(text)
        if value is None:
            self.warnings.append(
                _("Dòng {row}: «{text}» ở cột {column} không phải là số điểm, đã bỏ qua.").format(
                    row=row, text=text[:40], column=what
                )
            )
        return value

    def add(self, cells: dict[str, str], row: int) -> None:
        number, content = cells.get("number", ""), cells.get("content", "")
        if _is_total(cells):
            self.total = (
                self.points(cells.get("max", ""), row, _("điểm chuẩn")),
                self.points(cells.get("self", ""), row, _("điểm tự đánh giá")),
                row,
            )
            return
        rank, written = self.level_of(number, content, cells)
        if rank == 0:
            self.continue_row(cells)
            return
        item = ScoreRow(
            level=1,
            number=written,
            content=content,
            max_points=self.points(cells.get("max", ""), row, _("điểm chuẩn")),
            lead_text=cells.get("lead", ""),
            cooperating_text=cells.get("cooperating", ""),
            evidence=cells.get("evidence", ""),
            result=cells.get("result", ""),
            self_points=self.points(cells.get("self", ""), row, _("điểm tự đánh giá")),
            row=row,
        )
        if rank == 1:
            self.criteria.append(item)
            self.open = [(1, item)]
        else:  # under the nearest open row of a higher rank, at any depth
            while self.open and self.open[-1][0] >= rank:
                self.open.pop()
            parent = self.open[-1][1] if self.open else self.parent_for(item)
            if not self.open:
                self.open = [(1, parent)]
            item.level = parent.level + 1
            parent.children.append(item)
            self.open.append((rank, item))
        self.last = item

    def parent_for(self, item: ScoreRow) -> ScoreRow:
        if not self.criteria:  # items before any criterion: one criterion without a title
            self.criteria.append(ScoreRow(1, "I", "", None, row=item.row))
        return self.criteria[-1]

    def level_of(self, number: str, content: str, cells: dict[str, str]) -> tuple[int, str]:
        """The rank of a row by how it is numbered — 1 a criterion ("I", "TIÊU CHÍ 1"),
        2 "1", 3 "1.1", 4 "1.1.1"…, then "a)", then "- item" and unnumbered rows with
        points, "+ item" below those — and its number as written; 0 for a row that
        continues the one above. A row goes under the nearest row of a smaller rank."""
        number = number.strip()
        if number and (match := _ROMAN_RE.match(number.upper())) and match.group(1):
            return 1, match.group(1)
        if not number and (match := _CRITERION_RE.match(fold(content))):
            index = int(match.group(1))
            return 1, ROMAN[index - 1] if 0 < index <= len(ROMAN) else str(index)
        if number and (match := _SUB_RE.match(number)):
            return 2, match.group(1)
        if number and (match := _SUB_ITEM_RE.match(number)):
            written = match.group(1)
            return (2 + written.count("."), written) if written[0].isdigit() else (LETTER, written)
        if content.startswith("+"):
            return PLUS, ""
        if content.startswith(_BULLETS) or cells.get("max") or cells.get("self"):
            return BULLET, ""
        if not content and not number:
            return (BULLET, "") if self.last is None and any(cells.values()) else (0, "")
        return 0, ""

    def continue_row(self, cells: dict[str, str]) -> None:
        if self.last is None:
            return
        for name, attribute in (
            ("content", "content"),
            ("lead", "lead_text"),
            ("cooperating", "cooperating_text"),
            ("evidence", "evidence"),
            ("result", "result"),
        ):
            more = cells.get(name, "")
            if more and more != getattr(self.last, attribute):
                before = getattr(self.last, attribute)
                setattr(self.last, attribute, f"{before}\n{more}" if before else more)


def _check(row: ScoreRow, warnings: list[str]) -> None:
    for child in row.children:
        _check(child, warnings)
    if not row.children:
        if row.max_points is None:
            row.review.append(_("Chưa có điểm chuẩn"))
            warnings.append(
                _("Dòng {row} («{item}»): chưa có điểm chuẩn.").format(row=row.row, item=row.label)
            )
        elif row.self_points is not None and row.self_points > row.max_points:
            row.review.append(
                _("Điểm tự đánh giá {points} vượt điểm chuẩn {max}").format(
                    points=format_points(row.self_points), max=format_points(row.max_points)
                )
            )
            warnings.append(
                _("Dòng {row} («{item}»): điểm tự đánh giá {points} vượt điểm chuẩn {max}.").format(
                    row=row.row, item=row.label, points=format_points(row.self_points),
                    max=format_points(row.max_points),
                )
            )
        return
    children = sum_points(child.max_points for child in row.children)
    if row.max_points is None:
        row.max_points = children
    elif children != row.max_points:
        row.review.append(
            _("Điểm chuẩn các mục con cộng lại {sum}, khác điểm chuẩn {max} của mục").format(
                sum=format_points(children), max=format_points(row.max_points)
            )
        )
        warnings.append(
            _(
                "Dòng {row} ({ref}. «{item}»): điểm chuẩn các mục con cộng lại {sum}, "
                "khác điểm chuẩn {max} của mục; đã nhập và đánh dấu cần xem lại."
            ).format(
                row=row.row, ref=row.ref, item=row.label, sum=format_points(children),
                max=format_points(row.max_points),
            )
        )


def build_sheet(
    rows: Sequence[Sequence[str]],
    *,
    source: str,
    title_lines: Sequence[str] = (),
    row_numbers: Sequence[int] | None = None,
) -> ParsedSheet:
    check_grid(rows, source, row_numbers)
    header = next(
        (i for i, row in enumerate(rows) if header_columns([clean_cell(c) for c in row])), None
    )
    if header is None:
        raise PlanFileError(_("Không tìm thấy dòng tiêu đề của bảng điểm trong {source}.").format(
            source=source))
    columns = header_columns([clean_cell(c) for c in rows[header]])
    assert columns is not None
    builder = _Builder(source)
    for index in range(header + 1, len(rows)):
        row = rows[index]
        own = [clean_cell(c) for c in row if c and not isinstance(c, MergedAbove)]
        if not any(own) or header_columns([clean_cell(c) for c in row]):
            continue
        if len(own) >= 3 and all(_COLUMN_NUMBER_RE.match(c) for c in own):
            continue  # the "(1) (2) (3)…" row under the header
        if _key(own[0]).startswith(("noi nhan", "nguoi lap", "xac nhan")):
            break
        number = row_numbers[index] if row_numbers is not None else index + 1
        builder.add(_cells(row, columns), number)
    criteria = [c for c in builder.criteria if c.content or c.children]
    if not criteria:
        raise PlanFileError(
            _("Bảng điểm trong {source} có dòng tiêu đề nhưng không có tiêu chí nào.").format(
                source=source
            )
        )
    fold_descriptions(criteria)
    assign_refs(criteria)
    warnings = builder.warnings
    for criterion in criteria:
        _check(criterion, warnings)
    total = sum_points(c.max_points for c in criteria)
    sheet_review = None
    total_self = None
    if builder.total is not None:
        written, total_self, row = builder.total
        if written is not None and written != total:
            sheet_review = _(
                "Dòng {row} (Tổng): các tiêu chí cộng lại {sum} điểm, khác tổng điểm chuẩn {max}."
            ).format(row=row, sum=format_points(total), max=format_points(written))
            warnings.append(sheet_review)
            total = written
    return ParsedSheet(
        title=_sheet_title(title_lines),
        criteria=criteria,
        total_max=total,
        total_self=total_self,
        warnings=warnings,
        sheet_review=sheet_review,
    )


def _sheet_title(lines: Sequence[str]) -> str | None:
    picked = [
        " ".join(line.split())
        for line in lines
        if line.strip() and not _key(line).startswith(("cong hoa", "doc lap", "ubnd", "uy ban"))
    ]
    return " ".join(picked[-3:])[:300] or None


def read_score_sheet(data: bytes, filename: str) -> ParsedSheet | None:
    """The score sheet in a file, or None when the file holds no score-sheet table."""
    grid = find_grid(data, filename, header_columns)
    if grid is None:
        return None
    return build_sheet(
        grid.rows, source=filename, title_lines=grid.title_lines, row_numbers=grid.row_numbers
    )


def read_score_text(text: str, source: str) -> ParsedSheet | None:
    return read_score_sheet(text.encode("utf-8"), source)
