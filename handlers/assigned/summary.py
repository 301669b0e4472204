"""The line /tiendo adds for the tasks the city gave (Biểu mẫu 1 row 4): the tasks that
count in the report period in progress (the one /baocao would write now, or the quarter
asked for), by the rule of ``models.plans_assigned_period``, in the form's categories."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from documents.report_rows import ROMAN, Period, make_period
from locales import _
from models.people import Organization
from models.plans import Plan
from models.plans_assigned_period import assigned_among, period_progress, period_start
from models.progress import DeadlineEnd, percent_text

OVERDUE_SHOWN = 20


def period_words(period: Period) -> str:
    """ "quý III/2026", "6 tháng đầu năm 2026", "năm 2026"."""
    if period.kind == "quy":
        return _("quý {q}/{year}").format(q=ROMAN[(period.quarter or 1) - 1], year=period.year)
    if period.kind == "6thang":
        return _("6 tháng đầu năm {year}").format(year=period.year)
    return _("năm {year}").format(year=period.year)


async def assigned_lines(
    session: AsyncSession,
    org: Organization,
    year: int,
    as_of: date,
    *,
    deadline_end: DeadlineEnd,
    unit_ids: Sequence[int] | None = None,
    quarter: int | None = None,
    today: date | None = None,
    among: Sequence[Plan] | None = None,
) -> list[str]:
    """The tasks given that count in the period of ``year`` reported now (``quarter``'s
    when given), on ``as_of``; no line when there are none. ``among``: the
    organization's plans already read (``models.queries.org_plans``)."""
    period = make_period("quy" if quarter else None, year, today or as_of, quarter)
    start = period_start(period.kind, period.year, period.quarter)
    lists = assigned_among(among, start.year - 1, period.end.year) if among is not None else None
    counted = await period_progress(
        session, org, start, period.end, as_of, deadline_end=deadline_end, unit_ids=unit_ids,
        plans=lists,
    )  # fmt: skip
    if counted is None or not counted.overall.total:
        return []
    t = counted.overall
    lines = [
        _(
            "Nhiệm vụ UBND thành phố giao ({period}): hoàn thành {done}/{total} ({percent}): đúng hạn {on_time}, trễ hạn {late}; quá hạn chưa hoàn thành: {overdue}"
        ).format(
            period=period_words(period),
            done=t.done,
            total=t.total,
            percent=percent_text(t.done, t.total),
            on_time=t.counts["done_on_time"],
            late=t.counts["done_late"],
            overdue=t.counts["overdue"],
        )
    ]
    if counted.overdue_numbers:
        lines.append(
            _("  Nhiệm vụ được giao quá hạn: số {numbers}").format(
                numbers=", ".join(counted.overdue_numbers[:OVERDUE_SHOWN])
            )
        )
    return lines
