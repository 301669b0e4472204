"""The trend of the city page: the share of tasks done at the end of each month of the
year so far, over the communes a viewer follows, and its line as inline SVG geometry.

Each month is counted as ``dondoc progress --as-of`` that month's last day would count
it (``models.city_figures.plan_rows``). A month that has ended does not change once
counted — history is append-only — unless its plan is re-imported or its tasks change
(``PlanStamp``), so its figures are kept per plan in a ``TrendCache`` that lives as long
as the web application; the current month is the table's own figures."""

from __future__ import annotations

import calendar
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from models.city_figures import CityRow, PlanStamp, plan_rows
from models.progress import DeadlineEnd

KEPT = 20_000  # (plan, month) figures kept: 120 communes × 12 months × a dozen plans


class TrendCache:
    """Figures of ended months per plan stamp, the least recently used dropped first."""

    def __init__(self, size: int = KEPT) -> None:
        self.size = size
        self.kept: OrderedDict[tuple[PlanStamp, date], tuple[int, int]] = OrderedDict()

    def get(self, stamp: PlanStamp, day: date) -> tuple[int, int] | None:
        found = self.kept.get((stamp, day))
        if found is not None:
            self.kept.move_to_end((stamp, day))
        return found

    def put(self, stamp: PlanStamp, day: date, done_total: tuple[int, int]) -> None:
        self.kept[(stamp, day)] = done_total
        self.kept.move_to_end((stamp, day))
        while len(self.kept) > self.size:
            self.kept.popitem(last=False)


@dataclass(frozen=True)
class Month:
    month: int
    done: int
    total: int

    @property
    def rate(self) -> float:
        return self.done / self.total if self.total else 0.0


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


async def monthly(
    db: AsyncSession,
    stamps: Sequence[PlanStamp],
    zones: dict[int, str],
    today: dict[int, date],
    now_rows: dict[int, CityRow],
    cache: TrendCache,
    *,
    deadline_end: DeadlineEnd,
) -> list[Month]:
    """Done and total at the end of every month of this year up to now, added over
    ``stamps`` (``zones``, ``today``: per organization; ``now_rows``: per plan, today)."""
    if not stamps:
        return []
    last = max(today.values())
    out = []
    for month in range(1, last.month + 1):
        done = total = 0
        missing: dict[date, dict[int, str]] = {}
        for stamp in stamps:
            day = min(month_end(last.year, month), today[stamp.organization_id])
            if day >= today[stamp.organization_id]:  # this month: the table's figures
                row = now_rows[stamp.plan_id]
                done, total = done + row.done, total + row.total
            elif (kept := cache.get(stamp, day)) is not None:
                done, total = done + kept[0], total + kept[1]
            else:
                missing.setdefault(day, {})[stamp.plan_id] = zones[stamp.organization_id]
        by_id = {s.plan_id: s for s in stamps}
        for day, plans in missing.items():
            for plan_id, row in (
                await plan_rows(db, plans, day, deadline_end=deadline_end)
            ).items():
                cache.put(by_id[plan_id], day, (row.done, row.total))
                done, total = done + row.done, total + row.total
        out.append(Month(month, done, total))
    return out


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    month: Month


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    points: list[Point]
    path: str
    grid: list[tuple[float, int]]  # (y, percent)
    ticks: list[tuple[float, int]]  # (x, month)
    left: int
    bottom: float


def line_chart(months: Sequence[Month], width: int = 320, height: int = 170) -> LineChart:
    """Geometry of the done-% line: x by month (January to December), y 0–100%."""
    left, right, top, bottom = 34, 10, 12, height - 24
    step = (width - left - right) / 11

    def y_of(rate: float) -> float:
        return round(bottom - rate * (bottom - top), 2)

    points = [Point(round(left + (m.month - 1) * step, 2), y_of(m.rate), m) for m in months]
    path = " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(points))
    grid = [(y_of(v / 100), v) for v in (0, 25, 50, 75, 100)]
    ticks = [(round(left + (m - 1) * step, 2), m) for m in range(1, 13)]
    return LineChart(width, height, points, path, grid, ticks, left, bottom)
