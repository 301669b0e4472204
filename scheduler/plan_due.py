"""When an organization's reminders next need planning.

Changes re-plan at once (a task's status or deadline in its own transaction, people and
imports by a ``ReplanRequest``), so the hourly pass only has to catch reminders entering
the planning window (``plan_due_at``, kept on the organization) and settings or calendar
days that changed between two runs (``planned_with``). A pass where nothing is due reads
one indexed list and writes nothing.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.people import Organization
from scheduler.workdays import WorkCalendar

LONGEST_WAIT = timedelta(days=1)  # score-sheet and digest dates are checked daily


def fingerprint(settings: object, calendar: WorkCalendar) -> str:
    """What the reminders were planned with (the planning settings and the extra
    calendar days): other settings at the next start plan every organization again.
    Days are sorted: a set's order changes from one process to the next."""
    days = (sorted(calendar.extra_days_off), sorted(calendar.extra_working_days))
    return hashlib.sha256(repr((settings, days)).encode()).hexdigest()[:32]


def mark_planned(org: Organization, now: datetime, entries: list[datetime], planned_with: str) -> None:
    """After a plan of the whole organization: planned up to ``now``; planned again when
    the first of ``entries`` (its tasks' next reminders entering the window) comes, a day
    from now at the latest."""
    org.planned_through = now
    org.plan_due_at = min([*entries, now + LONGEST_WAIT])
    org.planned_with = planned_with


async def organizations_due(session: AsyncSession, now: datetime, planned_with: str) -> list[int]:
    """The organizations whose reminders need planning now: never planned, planned with
    other settings, or a reminder entering the window."""
    rows = await session.scalars(
        select(Organization.id)
        .where(
            or_(
                Organization.plan_due_at.is_(None),
                Organization.plan_due_at <= now,
                Organization.planned_with.is_(None),
                Organization.planned_with != planned_with,
            )
        )
        .order_by(Organization.id)
    )
    return list(rows)
