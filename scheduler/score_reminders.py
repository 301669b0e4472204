"""Reminders before a score sheet's self-assessment date, through the same outbox as
task reminders: the members of each lead unit with items not yet scored get one
"score_due" notice a few working days before the date (default 5 and 1), at the send
time on a working day only. The dates are configurable: six-month sheets are assessed
before 10/6 and yearly ones before 10/12, as the plans' reporting rhythm says.
A unit whose items are all scored is owed nothing, and its pending notices go.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from models.outbox import CANCELLED, PENDING, OutboxItem, Owed, upsert
from models.people import Organization
from models.scores import ScoreItem, ScoreItemUnit, ScoreSheet
from scheduler.workdays import WorkCalendar

KIND = "score_due"


@dataclass(frozen=True)
class ScoreReminderSettings:
    six_month: tuple[int, int] = (6, 10)  # (month, day): the six-month self-assessment date
    yearly: tuple[int, int] = (12, 10)
    days_before: tuple[int, ...] = (5, 1)  # working days before the date
    send_time: time = time(8, 0)


def assessment_date(period: str, year: int, settings: ScoreReminderSettings) -> date:
    month, day = settings.six_month if period == "6thang" else settings.yearly
    return date(year, month, day)


def send_days(due: date, settings: ScoreReminderSettings, calendar: WorkCalendar) -> list[date]:
    """The working days the reminders go on, earliest first (``due`` itself if it is a
    working day counts as the date, so "1 day before" is the working day before it)."""
    return sorted({calendar.add_working_days(due, -n) for n in settings.days_before if n > 0})


def owed_for_sheet(
    org: Organization,
    sheet_id: int,
    due: date,
    units_missing: dict[int, int],
    people_by_unit: dict[int, list[int]],
    settings: ScoreReminderSettings,
    calendar: WorkCalendar,
) -> list[Owed]:
    zone = ZoneInfo(org.timezone)
    owed = []
    for day in send_days(due, settings, calendar):
        moment = datetime.combine(day, settings.send_time, tzinfo=zone)
        for unit_id, missing in sorted(units_missing.items()):
            if not missing:
                continue
            for person_id in people_by_unit.get(unit_id, []):
                owed.append(
                    Owed(
                        org.id, None, KIND, f"sheet{sheet_id}:{due.isoformat()}:{day.isoformat()}",
                        person_id, moment,
                        useful_until=datetime.combine(due + timedelta(days=1), time(0), tzinfo=zone),
                        detail=str(sheet_id),
                    )
                )
    return owed


async def plan_scores(
    session: AsyncSession,
    org: Organization,
    people_by_unit: dict[int, list[int]],
    now: datetime,
    since: datetime,
    until: datetime,
    calendar: WorkCalendar,
    settings: ScoreReminderSettings | None = None,
) -> int:
    """Owe the notices between ``since`` and ``until`` of every sheet of ``org`` whose
    date is still ahead; cancel the pending ones no longer owed."""
    settings = settings or ScoreReminderSettings()
    today = now.astimezone(ZoneInfo(org.timezone)).date()
    added = 0
    keep: list[str] = []
    for sheet in await session.scalars(select(ScoreSheet).where(ScoreSheet.organization_id == org.id)):
        due = assessment_date(sheet.period, sheet.year, settings)
        if due < today:
            continue
        items = list(
            await session.scalars(
                select(ScoreItem)
                .where(ScoreItem.sheet_id == sheet.id)
                .options(selectinload(ScoreItem.unit_links))
            )
        )
        parents = {item.parent_id for item in items}
        missing: dict[int, int] = defaultdict(int)
        for item in items:
            if item.id in parents:
                continue
            for link in item.unit_links:
                if link.role == "lead":
                    missing[link.unit_id] += int(item.self_points is None and item.confirmed_points is None)
        owed = owed_for_sheet(org, sheet.id, due, missing, people_by_unit, settings, calendar)
        keep += [o.key for o in owed]
        added += await upsert(session, [o for o in owed if since <= o.send_at <= until])
    cancel = update(OutboxItem).where(
        OutboxItem.organization_id == org.id, OutboxItem.kind == KIND, OutboxItem.state == PENDING
    )
    if keep:
        cancel = cancel.where(OutboxItem.key.not_in(keep))
    await session.execute(cancel.values(state=CANCELLED).execution_options(synchronize_session=False))
    return added


async def unscored_items(session: AsyncSession, sheet_id: int, unit_ids: set[int]) -> list[ScoreItem]:
    """The leaves of a sheet led by ``unit_ids`` that have no score yet, in sheet order."""
    items = list(
        await session.scalars(
            select(ScoreItem)
            .where(ScoreItem.sheet_id == sheet_id)
            .order_by(ScoreItem.position)
            .options(selectinload(ScoreItem.unit_links).selectinload(ScoreItemUnit.unit))
        )
    )
    parents = {item.parent_id for item in items}
    return [
        item
        for item in items
        if item.id not in parents
        and item.self_points is None
        and item.confirmed_points is None
        and {link.unit_id for link in item.unit_links if link.role == "lead"} & unit_ids
    ]
