"""The score sheet page (``/web/xa/ORG/diem``): criteria → items at any depth with the
maximum, the units' self-assessed and the compiler's confirmed points, computed by
``documents.score_table.score_lines`` (the rows of the .docx and .xlsx result table)
and the summary, the lead units and the items not yet reported as /diem gives them
(``models.score_queries.SheetView``). Anyone who may see the commune sees the sheet
(it is the commune's one result, as /baocao diem gives it); an officer's summary by
unit and unreported items are their units', as in /diem."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from documents.score_table import ScoreLine, score_lines
from handlers.permissions import is_leader
from locales import N_, _
from models.people import Organization
from models.score_queries import SheetView, load_sheet
from models.score_tree import Totals, format_points
from models.scores import ScoreItem, ScoreSheet
from web.app import DB, VISITOR, message, render
from web.gate import Visitor

PERIODS = {"6thang": N_("6 tháng đầu năm {year}"), "nam": N_("Cả năm {year}")}


@dataclass(frozen=True)
class ScorePage:
    org: Organization
    view: SheetView
    lines: list[ScoreLine]
    overall: Totals
    maximum: Decimal
    by_unit: list[tuple[str, Totals]]
    unreported: list[ScoreItem]
    own_units: list[str] | None  # an officer's units: the summary is theirs
    others: list[tuple[str, int]]  # the commune's other sheets: (period, year), newest first


def officer_unit_names(visitor: Visitor, org: Organization) -> list[str] | None:
    """The units of an officer (None for a leader or a viewer, who see the commune)."""
    roles = {g.role for g in visitor.grants if g.organization_id == org.id}
    if is_leader(visitor.grants, org.id) or roles == {"viewer"}:
        return None
    return [m.unit.name for m in visitor.person.memberships if m.unit and m.organization_id == org.id]


async def score_page(
    db: AsyncSession, visitor: Visitor, org: Organization, period: str | None, year: int | None = None
) -> ScorePage | None:
    view = await load_sheet(db, org, period=period, year=year)
    if view is None:
        return None
    names = officer_unit_names(visitor, org)
    units = view.by_unit()
    unreported = view.unreported()
    if names is not None:
        units = [(name, t) for name, t in units if name in names]
        unreported = [i for i in unreported if {u.name for u in i.units("lead")} & set(names)]
    overall = view.overall()
    sheets = await db.execute(
        select(ScoreSheet.period, ScoreSheet.year)
        .where(ScoreSheet.organization_id == org.id, ScoreSheet.id != view.sheet.id)
        .order_by(ScoreSheet.year.desc(), ScoreSheet.imported_at.desc())
    )
    return ScorePage(
        org, view, score_lines(view), overall, view.sheet.max_points or overall.max_points,
        units, unreported, names, [(p, y) for p, y in sheets if p in PERIODS],
    )  # fmt: skip


async def scores(request: web.Request) -> web.StreamResponse:
    visitor: Visitor = request[VISITOR]
    text = request.match_info["org"]
    org = visitor.organizations.get(int(text)) if text.isdigit() and len(text) < 12 else None
    if org is None:
        raise web.HTTPNotFound()
    period, year = request.query.get("ky"), request.query.get("nam", "")
    page = await score_page(
        request[DB], visitor, org, period if period in PERIODS else None,
        int(year) if year.isdigit() and len(year) == 4 else None,
    )  # fmt: skip
    if page is None:
        return message(
            request, 200, _("Bảng điểm"), _("{org} chưa có bảng điểm nào được nhập.").format(org=org.name)
        )
    return render(request, "score.html", page=page, points=format_points, periods=PERIODS)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/web/xa/{org}/diem", scores)
