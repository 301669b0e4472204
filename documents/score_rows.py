"""The rows of a score sheet as a tree of any depth (criterion → "1" → "1.1" → "- item"
…), the sheet they make, and the shaping done once the rows are read: rows without
points that describe their parent fold into it, and every row gets its reference for
/diem. Used by ``documents.score_reader``."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from models.score_tree import sum_points, unique_refs


@dataclass
class ScoreRow:
    level: int  # the depth: 1 criterion, 2 sub-criterion, 3 and below items
    number: str
    content: str
    max_points: Decimal | None
    lead_text: str = ""
    cooperating_text: str = ""
    evidence: str = ""
    result: str = ""
    self_points: Decimal | None = None
    row: int = 0
    ref: str = ""
    children: list[ScoreRow] = field(default_factory=list)
    review: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        head = " ".join(self.content.split())
        return head if len(head) <= 60 else head[:59].rstrip() + "…"


@dataclass
class ParsedSheet:
    title: str | None
    criteria: list[ScoreRow]
    total_max: Decimal
    total_self: Decimal | None  # the sheet's own "Tổng" self-assessed cell
    warnings: list[str]
    sheet_review: str | None  # the criteria do not add up to the total

    def rows(self) -> list[ScoreRow]:
        """Every row in sheet order, parents before their children."""
        out: list[ScoreRow] = []

        def walk(rows: list[ScoreRow]) -> None:
            for row in rows:
                out.append(row)
                walk(row.children)

        walk(self.criteria)
        return out

    def leaves(self) -> list[ScoreRow]:
        return [row for row in self.rows() if not row.children]

    @property
    def filled(self) -> bool:
        return any(r.self_points is not None or r.result for r in self.leaves())

    @property
    def self_total(self) -> Decimal | None:
        return sum_points(r.self_points for r in self.leaves()) if self.filled else None


def fold_descriptions(rows: list[ScoreRow]) -> None:
    """Children without any points describe their parent: their text joins the parent's
    content and the parent is scored itself."""
    for row in rows:
        fold_descriptions(row.children)
        if row.children and all(
            c.max_points is None and c.self_points is None and not c.children for c in row.children
        ) and row.level > 1:
            row.content = "\n".join([row.content, *(c.content for c in row.children)])
            row.children = []


def _child_ref(parent: ScoreRow, parent_ref: str, child: ScoreRow, position: int, repeated: bool) -> str:
    number = child.number
    if child.level == 2 and number.isdigit():
        return f"{parent_ref}.{number}" if repeated else number
    if "." in number:
        if parent.number and number.startswith(parent.number + "."):
            return parent_ref + number[len(parent.number) :]  # "III.1" + ".1"
        if not repeated:
            return number
    return f"{parent_ref}.{number or position}"


def assign_refs(criteria: list[ScoreRow]) -> None:
    """Each row's reference for /diem: "1.2" as numbered, or with its criterion
    ("III.1.1") when sub-criteria numbers restart in every criterion."""
    subs = [s for c in criteria for s in c.children if s.level == 2 and s.number.isdigit()]
    repeated = len({s.number for s in subs}) < len(subs)
    wanted: list[tuple[ScoreRow, str]] = []

    def walk(parent: ScoreRow, parent_ref: str) -> None:
        for position, child in enumerate(parent.children, 1):
            ref = _child_ref(parent, parent_ref, child, position, repeated)
            wanted.append((child, ref))
            walk(child, ref)

    for criterion in criteria:
        wanted.append((criterion, criterion.number))
        walk(criterion, criterion.number)
    for (row, _ref), ref in zip(wanted, unique_refs([ref for _row, ref in wanted]), strict=True):
        row.ref = ref
