"""The city page, for viewers: one row per commune they follow (tasks, done %,
overdue, last status reported), sorted on the server by the header a person taps
(``?xep=`` and ``?chieu=``, no JavaScript), and the trend of done % month by month.
The figures are ``dondoc progress``'s for each commune (``models.city_figures``).

Only a person who follows communes as a viewer has the page (404 for others); its rows
are the communes they see whole (as a viewer, leader or admin), never more."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from aiohttp import web

from handlers.permissions import best_role
from language.formats import format_date
from locales import current_language
from models.city_figures import CityRow, plan_rows, plan_stamps
from models.people import Organization
from models.progress import percent_text
from models.unit_names import fold
from web.app import DB, VISITOR, render, site_of
from web.city_trend import LineChart, Month, TrendCache, line_chart, monthly
from web.gate import Visitor

TREND = web.AppKey("city trend", TrendCache)
WHOLE = ("viewer", "leader", "admin")  # roles that see a commune whole


@dataclass(frozen=True)
class CommuneRow:
    org: Organization
    figures: CityRow
    last_report: date | None  # in the commune's zone

    @property
    def percent(self) -> str:
        return percent_text(self.figures.done, self.figures.total, current_language())


# Sort keys: the column's parameter → (key, whether it reads best from the largest).
SORTS: dict[str, tuple[Callable[[CommuneRow], object], bool]] = {
    "ten": (lambda r: fold(r.org.name), False),
    "viec": (lambda r: r.figures.total, True),
    "tyle": (lambda r: r.figures.rate, False),  # furthest behind first
    "quahan": (lambda r: r.figures.overdue, True),
    "baocao": (lambda r: r.last_report or date.min, False),  # the longest silent first
}
DEFAULT_SORT = "quahan"


@dataclass
class CityView:
    rows: list[CommuneRow]
    total: CityRow
    sort: str
    descending: bool
    months: list[Month]
    chart: LineChart
    today: date

    def link(self, column: str) -> str:
        """The header's link: its natural order, or the other way when already sorted by it."""
        down = SORTS[column][1]
        if column == self.sort:
            down = not self.descending
        return f"?xep={column}&chieu={'giam' if down else 'tang'}"

    def aria_sort(self, column: str) -> str:
        if column != self.sort:
            return "none"
        return "descending" if self.descending else "ascending"


def followed(visitor: Visitor) -> list[Organization]:
    """The communes the visitor sees whole, or none when they follow none as a viewer."""
    grants = visitor.grants
    if not any(g.role == "viewer" for g in grants):
        return []
    return [o for o in visitor.organizations.values() if best_role(grants, o.id) in WHOLE]


def sorted_rows(rows: list[CommuneRow], sort: str, descending: bool) -> list[CommuneRow]:
    key = SORTS[sort][0]
    by_name = sorted(rows, key=lambda r: fold(r.org.name))  # ties stay in name order
    return sorted(by_name, key=key, reverse=descending)  # type: ignore[arg-type]


async def city(request: web.Request) -> web.StreamResponse:
    visitor = request[VISITOR]
    orgs = followed(visitor)
    if not orgs:
        raise web.HTTPNotFound()
    sort = request.query.get("xep", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    direction = request.query.get("chieu")
    descending = SORTS[sort][1] if direction not in ("tang", "giam") else direction == "giam"
    view = await city_view(request, orgs, sort, descending)
    return render(request, "city.html", view=view, day=format_date)


async def city_view(
    request: web.Request, orgs: list[Organization], sort: str, descending: bool
) -> CityView:
    db, services = request[DB], site_of(request).services
    deadline_end = services.calendar.deadline_end
    zones = {o.id: o.timezone for o in orgs}
    today = {o.id: services.clock.now(ZoneInfo(o.timezone)).date() for o in orgs}
    stamps = await plan_stamps(db, [o.id for o in orgs])
    now_rows: dict[int, CityRow] = {}
    for day in sorted(set(today.values())):  # one count per day (communes in one zone: one)
        plans = {
            s.plan_id: zones[s.organization_id] for s in stamps if today[s.organization_id] == day
        }
        now_rows.update(await plan_rows(db, plans, day, deadline_end=deadline_end))
    per_org = {o.id: CityRow() for o in orgs}
    for stamp in stamps:
        per_org[stamp.organization_id].add(now_rows[stamp.plan_id])
    total = CityRow()
    rows = []
    for org in orgs:
        figures = per_org[org.id]
        total.add(figures)
        last = figures.last_report
        rows.append(
            CommuneRow(
                org, figures, last.astimezone(ZoneInfo(org.timezone)).date() if last else None
            )
        )
    months = await monthly(
        db, stamps, zones, today, now_rows, request.app[TREND], deadline_end=deadline_end
    )
    return CityView(
        sorted_rows(rows, sort, descending), total, sort, descending, months, line_chart(months),
        max(today.values()),
    )  # fmt: skip


def add_routes(app: web.Application) -> None:
    app[TREND] = TrendCache()
    app.router.add_get("/web/thanhpho", city)
