"""Storing an imported score sheet: create or update the sheet of an organization and
period in place, item by item (matched by their reference, else by their content, as
``plan_store`` matches tasks), link the lead and cooperating units (the plans' unit
table and spelling rules), and keep every change in ``score_entry``. A filled sheet's
results and self-assessed points become the item's first proposed result; re-importing
never deletes an item or its history, and never wipes a result with an empty cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from models.people import Organization
from models.plan_store import resolve_unit
from models.scores import ScoreEntry, ScoreItem, ScoreItemUnit, ScoreSheet

MISSING = "Không còn trong bảng điểm mới nhập"


@dataclass
class ScoreItemInput:
    level: int
    number: str
    ref: str
    parent_ref: str | None
    content: str
    max_points: Decimal | None
    lead_units: list[str] = field(default_factory=list)
    cooperating_units: list[str] = field(default_factory=list)
    lead_note: str = ""
    cooperating_note: str = ""
    evidence_required: str = ""
    result_text: str = ""
    self_points: Decimal | None = None
    review_reason: str | None = None


@dataclass
class SheetStoreResult:
    sheet: ScoreSheet
    created: bool
    added: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[str]]] = field(default_factory=list)
    unchanged: int = 0
    missing: list[str] = field(default_factory=list)
    results: int = 0  # results recorded from the file


_FIELDS = (
    "level", "number", "content", "max_points", "evidence_required", "lead_note",
    "cooperating_note",
)  # fmt: skip


def _key(content: str) -> str:
    return " ".join(content.casefold().lstrip("-+•– ").split())


async def store_sheet(
    session: AsyncSession,
    org: Organization,
    *,
    title: str,
    period: str,
    year: int,
    max_points: Decimal,
    source_file: str | None,
    items: list[ScoreItemInput],
    review_reason: str | None,
    now: datetime,
) -> SheetStoreResult:
    sheet = await session.scalar(
        select(ScoreSheet).where(
            ScoreSheet.organization_id == org.id,
            ScoreSheet.period == period,
            ScoreSheet.year == year,
        )
    )
    created = sheet is None
    if sheet is None:
        sheet = ScoreSheet(organization_id=org.id, period=period, year=year, imported_at=now)
        session.add(sheet)
    sheet.title, sheet.max_points, sheet.source_file = title, max_points, source_file
    sheet.imported_at = now
    sheet.needs_review, sheet.review_reason = review_reason is not None, review_reason
    await session.flush()
    result = SheetStoreResult(sheet=sheet, created=created)
    existing = list(
        await session.scalars(
            select(ScoreItem)
            .where(ScoreItem.sheet_id == sheet.id)
            .options(selectinload(ScoreItem.unit_links))
        )
    )
    by_ref = {item.ref: item for item in existing}
    by_content = {(_key(item.content), item.level): item for item in existing}
    # Refs may move between items: park the old ones so the unique key never clashes.
    original = {item.id: item.ref for item in existing}
    for item in existing:
        item.ref = f"~{item.id}"
    await session.flush()
    ids: dict[str, int] = {}
    seen: set[int] = set()
    for position, wanted in enumerate(items):
        item = by_ref.get(wanted.ref)
        if item is None or item.id in seen or _key(item.content) != _key(wanted.content):
            item = by_content.get((_key(wanted.content), wanted.level)) or item
        if item is not None and item.id in seen:
            item = None
        parent_id = ids.get(wanted.parent_ref) if wanted.parent_ref else None
        if item is None:
            item = ScoreItem(sheet_id=sheet.id, ref=wanted.ref, position=position, updated_at=now)
            for name in _FIELDS:
                setattr(item, name, getattr(wanted, name))
            item.parent_id, item.result_text = parent_id, ""
            session.add(item)
            await session.flush()
            result.added.append(wanted.ref)
            await _link_units(session, org, item, wanted)
        else:
            changes = [n for n in _FIELDS if getattr(item, n) != getattr(wanted, n)]
            for name in changes:
                setattr(item, name, getattr(wanted, name))
            if item.parent_id != parent_id:
                item.parent_id = parent_id
                changes.append("parent")
            item.ref, item.position = wanted.ref, position
            if await _link_units(session, org, item, wanted):
                changes.append("units")
            if changes:
                item.updated_at = now
                session.add(
                    ScoreEntry(item_id=item.id, created_at=now, kind="import", text=", ".join(changes))
                )
                result.changed.append((wanted.ref, changes))
            else:
                result.unchanged += 1
        if _records_result(item, wanted):
            session.add(
                ScoreEntry(
                    item_id=item.id,
                    created_at=now,
                    kind="proposed",
                    points=wanted.self_points,
                    text=wanted.result_text,
                    channel="import",
                )
            )
            if wanted.self_points is not None:
                item.self_points = wanted.self_points
            if wanted.result_text:
                item.result_text = wanted.result_text
            result.results += 1
        item.needs_review = wanted.review_reason is not None
        item.review_reason = wanted.review_reason
        ids[wanted.ref] = item.id
        seen.add(item.id)
    for item in existing:
        if item.id not in seen:
            old = original[item.id]
            item.ref = old if old not in ids else f"{old}~{item.id}"
            item.needs_review, item.review_reason = True, MISSING
            result.missing.append(item.number or item.content[:40])
    await session.flush()
    return result


def _records_result(item: ScoreItem, wanted: ScoreItemInput) -> bool:
    """A filled cell that says something new becomes a proposal; an empty one never
    takes back what was recorded."""
    points_new = wanted.self_points is not None and wanted.self_points != item.self_points
    text_new = bool(wanted.result_text) and wanted.result_text != item.result_text
    return points_new or text_new


async def _link_units(
    session: AsyncSession, org: Organization, item: ScoreItem, wanted: ScoreItemInput
) -> bool:
    pairs: list[tuple[int, str]] = []
    for role, names in (("lead", wanted.lead_units), ("cooperating", wanted.cooperating_units)):
        for name in names:
            unit = await resolve_unit(session, org, name, create=True)
            assert unit is not None
            if (unit.id, role) not in pairs:
                pairs.append((unit.id, role))
    links = list(
        await session.scalars(select(ScoreItemUnit).where(ScoreItemUnit.item_id == item.id))
    )
    current = [(link.unit_id, link.role) for link in sorted(links, key=lambda x: x.position)]
    if current == pairs:
        return False
    for link in links:
        await session.delete(link)
    await session.flush()
    for position, (unit_id, role) in enumerate(pairs):
        session.add(ScoreItemUnit(item_id=item.id, unit_id=unit_id, role=role, position=position))
    await session.flush()
    return True
