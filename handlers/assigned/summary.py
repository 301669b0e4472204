"""The line /tiendo adds for the tasks the city gave (Biểu mẫu 1 row 4): the year's
list counted like the plan's tasks, in the same categories."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from locales import _
from models.people import Organization
from models.plans import Plan
from models.progress import DeadlineEnd, percent_text, tally
from models.progress_queries import plan_facts
from models.queries import ASSIGNED


async def assigned_lines(
    session: AsyncSession,
    org: Organization,
    year: int,
    as_of: date,
    *,
    deadline_end: DeadlineEnd,
    unit_ids: Sequence[int] | None = None,
    until: date | None = None,
) -> list[str]:
    """One line per list of tasks given in ``year`` (none when there are none)."""
    plans = list(
        await session.scalars(
            select(Plan).where(
                Plan.organization_id == org.id, Plan.kind == ASSIGNED, Plan.year == year
            )
        )
    )
    lines = []
    for plan in plans:
        rows = await plan_facts(session, [plan.id], as_of, org.timezone, unit_ids=unit_ids)
        counted = tally([f for _o, f in rows], as_of, deadline_end=deadline_end, until=until)
        t = counted.overall
        if not t.total:
            continue
        lines.append(
            _(
                "{title}: hoàn thành {done}/{total} ({percent}): đúng hạn {on_time}, trễ hạn {late}; quá hạn chưa hoàn thành: {overdue}"
            ).format(
                title=plan.title,
                done=t.done,
                total=t.total,
                percent=percent_text(t.done, t.total),
                on_time=t.counts["done_on_time"],
                late=t.counts["done_late"],
                overdue=t.counts["overdue"],
            )
        )
        if counted.overdue_numbers:
            lines.append(
                _("  Nhiệm vụ được giao quá hạn: số {numbers}").format(
                    numbers=", ".join(counted.overdue_numbers[:20])
                )
            )
    return lines
