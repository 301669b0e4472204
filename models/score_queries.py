"""Reading score sheets back: the sheet of an organization (a period and year, or the
newest), its items as a tree with their units, the figures (points out of the maximum
overall, by criterion and by lead unit, the items not yet reported) and the tree as
JSON (``dondoc scores --json``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from models.people import Organization
from models.score_store import MISSING
from models.score_tree import Node, Totals, standing, totals
from models.scores import ScoreEntry, ScoreItem, ScoreItemUnit, ScoreSheet

NO_UNIT = "(chưa giao đơn vị chủ trì)"


@dataclass
class SheetView:
    """A sheet and its items. Items the newest file no longer has (``MISSING``) are
    kept apart in ``gone``, with their history, and count in no total."""

    sheet: ScoreSheet
    items: list[ScoreItem]  # sheet order
    children: dict[int | None, list[ScoreItem]] = field(default_factory=dict)
    gone: list[ScoreItem] = field(default_factory=list)
    notes: dict[int, str] = field(default_factory=dict)  # item id → the compiler's note

    def __post_init__(self) -> None:
        gone = {item.id for item in self.items if item.review_reason == MISSING}
        for item in self.items:  # a missing item's children go with it
            if item.parent_id in gone:
                gone.add(item.id)
        self.gone = [item for item in self.items if item.id in gone]
        self.items = [item for item in self.items if item.id not in gone]
        for item in self.items:
            self.children.setdefault(item.parent_id, []).append(item)

    @property
    def criteria(self) -> list[ScoreItem]:
        return self.children.get(None, [])

    def kids(self, item: ScoreItem) -> list[ScoreItem]:
        return self.children.get(item.id, [])

    def is_leaf(self, item: ScoreItem) -> bool:
        return not self.kids(item)

    def leaves(self) -> list[ScoreItem]:
        return [item for item in self.items if self.is_leaf(item)]

    def node(self, item: ScoreItem) -> Node:
        return Node(
            item.id,
            item.max_points,
            standing(item.confirmed_points, item.self_points),
            [self.node(child) for child in self.kids(item)],
        )

    def totals_of(self, item: ScoreItem) -> Totals:
        return totals(self.node(item))

    def own_node(self, item: ScoreItem) -> Node:
        """As :meth:`node`, with the units' own self-assessment only (no confirmation)."""
        return Node(
            item.id, item.max_points, item.self_points, [self.own_node(c) for c in self.kids(item)]
        )

    def confirmed_below(self, item: ScoreItem | None) -> bool:
        kids = self.criteria if item is None else self.kids(item)
        if item is not None and not kids:
            return item.confirmed_points is not None
        return any(self.confirmed_below(k) for k in kids)

    def overall(self) -> Totals:
        return totals(Node(None, None, None, [self.node(c) for c in self.criteria]))

    def by_ref(self, ref: str) -> ScoreItem | None:
        wanted = ref.strip().rstrip(".").upper()
        for item in self.items:
            if item.ref.upper() == wanted:
                return item
        return None

    def unreported(self) -> list[ScoreItem]:
        return [
            item
            for item in self.leaves()
            if item.self_points is None and item.confirmed_points is None
        ]

    def by_unit(self) -> list[tuple[str, Totals]]:
        """(lead unit, its leaves' totals), in the order units first appear."""
        groups: dict[str, list[Node]] = {}
        for item in self.leaves():
            names = [unit.name for unit in item.units("lead")] or [NO_UNIT]
            for name in names:
                groups.setdefault(name, []).append(self.node(item))
        return [(name, totals(Node(name, None, None, nodes))) for name, nodes in groups.items()]


async def load_sheet(
    session: AsyncSession,
    org: Organization,
    *,
    period: str | None = None,
    year: int | None = None,
) -> SheetView | None:
    """The sheet for ``period``/``year``, or the newest one imported."""
    query = select(ScoreSheet).where(ScoreSheet.organization_id == org.id)
    if period is not None:
        query = query.where(ScoreSheet.period == period)
    if year is not None:
        query = query.where(ScoreSheet.year == year)
    sheet = await session.scalar(
        query.order_by(ScoreSheet.year.desc(), ScoreSheet.imported_at.desc()).limit(1)
    )
    if sheet is None:
        return None
    items = list(
        await session.scalars(
            select(ScoreItem)
            .where(ScoreItem.sheet_id == sheet.id)
            .order_by(ScoreItem.position)
            .options(selectinload(ScoreItem.unit_links).selectinload(ScoreItemUnit.unit))
        )
    )
    return SheetView(sheet, items, notes=await confirmed_notes(session, items))


async def confirmed_notes(session: AsyncSession, items: Sequence[ScoreItem]) -> dict[int, str]:
    """Item id → the note of the confirmation standing on it (/chamdiem SỐ ĐIỂM ghi chú)."""
    confirmed = [item.id for item in items if item.confirmed_points is not None]
    if not confirmed:
        return {}
    notes: dict[int, str] = {}
    rows = await session.execute(
        select(ScoreEntry.item_id, ScoreEntry.text)
        .where(ScoreEntry.item_id.in_(confirmed), ScoreEntry.kind == "confirmed")
        .order_by(ScoreEntry.created_at, ScoreEntry.id)
    )
    for item_id, text in rows:
        notes[item_id] = text or ""
    return {k: v for k, v in notes.items() if v}


async def history(session: AsyncSession, item: ScoreItem) -> Sequence[ScoreEntry]:
    return (
        await session.scalars(
            select(ScoreEntry)
            .where(ScoreEntry.item_id == item.id)
            .order_by(ScoreEntry.created_at, ScoreEntry.id)
            .options(selectinload(ScoreEntry.person))
        )
    ).all()


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def sheet_to_json(view: SheetView) -> dict[str, Any]:
    def one(item: ScoreItem) -> dict[str, Any]:
        got = view.totals_of(item)
        out: dict[str, Any] = {
            "ref": item.ref,
            "number": item.number,
            "level": item.level,
            "content": item.content,
            "max_points": _text(item.max_points),
            "points": str(got.points) if got.scored else None,
            "lead": [u.name for u in item.units("lead")],
            "cooperating": [u.name for u in item.units("cooperating")],
            "evidence_required": item.evidence_required,
            "needs_review": item.needs_review,
            "review_reason": item.review_reason,
        }
        if view.is_leaf(item):
            out |= {
                "self_points": _text(item.self_points),
                "confirmed_points": _text(item.confirmed_points),
                "result": item.result_text,
            }
        else:
            out["children"] = [one(child) for child in view.kids(item)]
        return out

    overall = view.overall()
    sheet = view.sheet
    return {
        "title": sheet.title,
        "period": sheet.period,
        "year": sheet.year,
        "max_points": _text(sheet.max_points),
        "points": str(overall.points),
        "items": overall.leaves,
        "reported": overall.scored,
        "needs_review": sheet.needs_review,
        "review_reason": sheet.review_reason,
        "criteria": [one(c) for c in view.criteria],
    }
