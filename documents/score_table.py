"""The rows of a score sheet's result table, the same for .docx and .xlsx: the sheet's
own columns, a "Tổng" row first, then each criterion, sub-criterion and item in sheet
order, with the points of a parent computed from its children (a leaf shows the
compiler's confirmed score, else the newest self-assessed one)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from models.score_queries import SheetView
from models.score_tree import Node, Totals, totals
from models.unit_names import fold

HEADER = ("TT", "Nội dung tiêu chí", "Điểm chuẩn", "Đơn vị chủ trì", "Đơn vị phối hợp",
          "Tài liệu minh chứng", "Kết quả thực hiện", "Điểm tự đánh giá", "Điểm thẩm định")  # fmt: skip
POINT_COLUMNS = (2, 7, 8)
NOTE = "Ý kiến thẩm định: {note}"  # the compiler's note under the result (/chamdiem)


@dataclass(frozen=True)
class ScoreLine:
    level: int  # 0 the "Tổng" row, 1 criterion, 2 sub-criterion, 3 and below items
    ref: str
    texts: tuple[str, str, str, str, str, str]  # TT, content, lead, cooperating, evidence, result
    max_points: Decimal | None
    points: Decimal | None  # the units' own self-assessment
    review: str | None
    confirmed: Decimal | None = None  # the compiler's score (parents: the standing total)
    parent: bool = False  # computed from rows below it (printed in bold)

    def cells(self) -> tuple[object, ...]:
        number, content, lead, cooperating, evidence, result = self.texts
        return (
            number, content, self.max_points, lead, cooperating, evidence, result, self.points,
            self.confirmed,
        )  # fmt: skip


def _units(names: list[str], note: str) -> str:
    return "\n".join([*names, *([note] if note else [])])


def _own(total: Totals) -> Decimal | None:
    return total.points if total.scored else None


def score_lines(view: SheetView) -> list[ScoreLine]:
    """The table's lines: the units' self-assessment and the confirmed score each in
    its own column, the compiler's note under the result it is about."""
    overall = view.overall()
    own = totals(Node(None, None, None, [view.own_node(c) for c in view.criteria]))
    lines = [
        ScoreLine(
            0, "", ("", "Tổng", "", "", "", ""), view.sheet.max_points or overall.max_points,
            _own(own), view.sheet.review_reason,
            overall.points if view.confirmed_below(None) else None, parent=True,
        )
    ]  # fmt: skip
    for item in view.items:
        got = view.totals_of(item)
        leaf = view.is_leaf(item)
        result = item.result_text if leaf else ""
        if note := view.notes.get(item.id):
            result = "\n".join(filter(None, [result, NOTE.format(note=note)]))
        lines.append(
            ScoreLine(
                item.level,
                item.ref,
                (
                    item.number,
                    item.content,
                    _units([u.name for u in item.units("lead")], item.lead_note),
                    _units([u.name for u in item.units("cooperating")], item.cooperating_note),
                    item.evidence_required,
                    result,
                ),
                item.max_points if leaf or item.max_points is not None else got.max_points,
                item.self_points if leaf else _own(totals(view.own_node(item))),
                item.review_reason if item.needs_review else None,
                (item.confirmed_points if leaf else got.points)
                if view.confirmed_below(item)
                else None,
                parent=not leaf,
            )
        )
    return lines


def stem(org_name: str, view: SheetView) -> str:
    """The files' name: "bang-diem-xa-nguyen-binh-khiem-6thang-2026"."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(org_name)).strip("-")
    return f"bang-diem-{slug}-{view.sheet.period}-{view.sheet.year}"
