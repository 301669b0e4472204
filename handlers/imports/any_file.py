"""Importing a score sheet: read it (``documents.score_reader``), split the unit cells
with the plans' rules, find the period and year in the title, store it in one
transaction (``models.score_store``) and summarise. ``import_any`` is what ``dondoc
import`` and ``/nhap`` call: a score sheet when the file holds one, else a plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from documents.plan_reader import MAX_BYTES, file_name, too_large
from documents.worker import run_in_worker
from handlers.imports.plans import prepare_plan, store_prepared_plan
from locales import _, language
from models.outbox import request_replan
from models.plan_store import get_or_create_organization
from models.score_store import ScoreItemInput, store_sheet
from models.score_tree import format_points
from models.unit_names import fold, split_unit_cell

if TYPE_CHECKING:  # the reader (openpyxl) loads when a file comes (issue 24)
    from documents.score_reader import ParsedSheet, ScoreRow

_YEAR = re.compile(r"\b(20\d\d)\b")
PERIOD_NAMES = {"6thang": "6 tháng", "nam": "năm"}


def sheet_period(title: str | None) -> str:
    """ "6thang" for a six-month sheet, "nam" for a yearly one (six-month if unsaid)."""
    folded = fold(title or "")
    if re.search(r"\b6 thang\b|\bsau thang\b", folded):
        return "6thang"
    if re.search(r"\bnam 20\d\d\b|\bca nam\b", folded):
        return "nam"
    return "6thang"


def sheet_year(title: str | None, now: datetime) -> int:
    match = _YEAR.search(title or "")
    return int(match.group(1)) if match else now.year


@dataclass
class ScoreImportSummary:
    organization: str
    title: str
    period: str
    year: int
    created: bool
    max_points: Decimal
    criteria: list[dict[str, Any]]
    items: int
    self_total: Decimal | None
    needs_review: list[dict[str, str]]
    warnings: list[str]
    added: list[str] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0
    missing: list[str] = field(default_factory=list)
    results: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "scores",
            "organization": self.organization,
            "title": self.title,
            "period": self.period,
            "year": self.year,
            "max_points": str(self.max_points),
            "criteria": self.criteria,
            "items": self.items,
            "self_total": None if self.self_total is None else str(self.self_total),
            "needs_review": self.needs_review,
            "warnings": self.warnings,
            "added": self.added,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "missing": self.missing,
            "results": self.results,
        }

    def text(self) -> str:
        lines = [
            _("Đã nhập bảng điểm «{title}» ({period} {year}): {criteria} tiêu chí, {items} mục "
              "chấm điểm, tổng điểm chuẩn {max}.").format(
                title=self.title, period=_(PERIOD_NAMES[self.period]), year=self.year,
                criteria=len(self.criteria), items=self.items, max=format_points(self.max_points),
            )
        ]
        for criterion in self.criteria:
            lines.append(f"  {criterion['ref']}. {criterion['content'][:70]} — {criterion['max_vi']}")
        if self.self_total is not None:
            lines.append(_("Điểm tự đánh giá trong tệp: {points}/{max}.").format(
                points=format_points(self.self_total), max=format_points(self.max_points)))
        if not self.created:
            lines.append(_("Nhập lại: thêm {added}, thay đổi {changed}, giữ nguyên {same}.").format(
                added=len(self.added), changed=len(self.changed), same=self.unchanged))
        if self.missing:
            lines.append(_("Không còn trong tệp (đã giữ lại, đánh dấu cần xem): {items}").format(
                items=", ".join(self.missing)))
        lines += [f"• {w}" for w in self.warnings[:10]]
        return "\n".join(lines)


def _inputs(sheet: ParsedSheet) -> list[ScoreItemInput]:
    out: list[ScoreItemInput] = []

    def walk(rows: list[ScoreRow], parent: str | None) -> None:
        for row in rows:
            lead, lead_generic = split_unit_cell(row.lead_text)
            cooperating, cooperating_generic = split_unit_cell(row.cooperating_text)
            out.append(
                ScoreItemInput(
                    level=row.level,
                    number=row.number,
                    ref=row.ref,
                    parent_ref=parent,
                    content=row.content,
                    max_points=row.max_points,
                    lead_units=lead,
                    cooperating_units=cooperating,
                    lead_note="; ".join(lead_generic),
                    cooperating_note="; ".join(cooperating_generic),
                    evidence_required=row.evidence,
                    result_text=row.result if not row.children else "",
                    self_points=row.self_points if not row.children else None,
                    review_reason="; ".join(row.review) or None,
                )
            )
            walk(row.children, row.ref)

    walk(sheet.criteria, None)
    return out


async def store_parsed_sheet(
    session: AsyncSession,
    sheet: ParsedSheet,
    *,
    filename: str,
    organization: str,
    now: datetime,
    timezone: str = "Asia/Ho_Chi_Minh",
) -> ScoreImportSummary:
    org = await get_or_create_organization(session, organization, timezone=timezone, now=now)
    title = sheet.title or _("Bảng điểm {org}").format(org=org.name)
    local = now.astimezone(ZoneInfo(org.timezone))
    period, year = sheet_period(title), sheet_year(title, local)
    stored = await store_sheet(
        session, org, title=title, period=period, year=year, max_points=sheet.total_max,
        source_file=filename, items=_inputs(sheet), review_reason=sheet.sheet_review, now=now,
    )
    await request_replan(session, org.id, now)
    return ScoreImportSummary(
        organization=org.name, title=title, period=period, year=year, created=stored.created,
        max_points=sheet.total_max,
        criteria=[
            {"ref": c.ref, "content": c.content, "max_points": str(c.max_points),
             "max_vi": format_points(c.max_points)}
            for c in sheet.criteria
        ],
        items=len(sheet.leaves()), self_total=sheet.self_total,
        needs_review=[
            {"ref": r.ref, "problem": "; ".join(r.review)} for r in sheet.rows() if r.review
        ],
        warnings=sheet.warnings, added=stored.added,
        changed=[{"ref": ref, "fields": fields} for ref, fields in stored.changed],
        unchanged=stored.unchanged, missing=stored.missing, results=stored.results,
    )


async def import_any(
    session: AsyncSession,
    *,
    data: bytes,
    filename: str,
    organization: str,
    now: datetime,
    timezone: str = "Asia/Ho_Chi_Minh",
    plan_ref: str | None = None,
    year: int | None = None,
    new_plan: bool = False,
    dry_run: bool = False,
) -> tuple[str, Any]:
    """("scores", summary) for a score sheet, ("plan", summary) for anything else (the
    plan reader gives the errors of a file that is neither)."""
    name = file_name(filename)
    if len(data) > MAX_BYTES:
        raise too_large(name, len(data))
    today = now.astimezone(ZoneInfo(timezone)).date()
    # One trip to the worker reads the file once for either kind.
    kind, read = await run_in_worker(prepare_any, data, filename, year, today, name=name)
    if kind == "scores":
        summary = await store_parsed_sheet(
            session, read, filename=name, organization=organization, now=now, timezone=timezone
        )
        return "scores", summary
    plan = await store_prepared_plan(
        session, read, filename=filename, organization=organization, now=now,
        timezone=timezone, plan_ref=plan_ref, new_plan=new_plan, dry_run=dry_run,
    )  # fmt: skip
    return "plan", plan


def prepare_any(data: bytes, filename: str, year: int | None, today: date) -> tuple[str, Any]:
    """("scores", the sheet) or ("plan", what ``prepare_plan`` gives); runs in the worker
    process. A file that is neither raises the plan reader's error."""
    from documents.score_reader import read_score_sheet

    with language("vi"):  # what is stored is Vietnamese, whoever imports it
        sheet = read_score_sheet(data, file_name(filename))
    if sheet is not None:
        return "scores", sheet
    return "plan", prepare_plan(data, filename, year, today)
