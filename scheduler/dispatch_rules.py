"""The dispatcher's rules, apart from its loop: how claimed rows become messages
(``group``), how long to wait after a failure (``backoff``), and when the admins hear
of reminders that could not go (``notice_moment``, ``admin_notices``: one message per
admin for all the failures of a pass, not one per person; ``mark_unreachable``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.outbox import CANCELLED, FAILED, PENDING, OutboxItem, Owed, upsert
from models.people import Membership, Person
from scheduler.reminder_policy import ReminderSettings, next_send_moment
from scheduler.workdays import WorkCalendar

NOTICE_KINDS = ("unreachable", "send_failed", "reminders_lost")
# Questions that must read on their own, never inside a task reminder (a link request
# asks the owner to agree; its buttons must not sit beside a task's status buttons).
# A task given to a unit and a leader's instruction go alone too, so that a reply to
# either is about its one task (handlers.assigned.notices).
ALONE_KINDS = ("link_request", "assigned", "instruction")
DEADLINE_KINDS = ("before_due", "due_day", "overdue")
NOTICE_DELAY = timedelta(minutes=1)  # failures of the next minute join the same message


@dataclass(frozen=True)
class Batch:
    recipient_id: int
    item_ids: tuple[int, ...]  # the rows the message is composed from
    offline_digest: bool  # missed while down and no longer useful on their own
    covered: tuple[int, ...] = ()  # older missed reminders of a task the message names
    stale: tuple[int, ...] = ()  # rows past their use, carried by the digest
    repeat: bool = False  # it may have reached the person already (maybe sent): say so
    # The rows of ``item_ids`` still to go when the send started (None: not checked).
    live: tuple[int, ...] | None = field(default=None, compare=False)

    @property
    def all_ids(self) -> tuple[int, ...]:
        return self.item_ids + self.covered

    @property
    def folded_ids(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(self.stale + self.covered))

    @property
    def sent_ids(self) -> tuple[int, ...]:
        folded = set(self.folded_ids)
        return tuple(i for i in self.item_ids if i not in folded)


def join_until(now: datetime, join_within: timedelta, tz: str) -> datetime:
    """How far ahead a missed reminder may wait to join the person's next one: within
    ``join_within`` and never past the end of the local day."""
    zone = ZoneInfo(tz)
    day_end = datetime.combine(
        now.astimezone(zone).date() + timedelta(days=1), datetime.min.time(), tzinfo=zone
    )
    return min(now + join_within, day_end)


def backoff(attempts: int, base: timedelta, cap: timedelta) -> timedelta:
    """30 s, 1 min, 2 min, 4 min, then every ``cap`` (5 min)."""
    return min(base * 2 ** max(attempts - 1, 0), cap)


def _newest_per_task(items: list[OutboxItem]) -> tuple[list[OutboxItem], list[OutboxItem]]:
    """(shown, covered): of several deadline reminders of one task for one person, the
    newest (it says more: "due today" rather than the missed "in 3 days"). A report
    reminder names the task for another reason and stays."""
    newest: dict[tuple[int, bool], OutboxItem] = {}
    shown: list[OutboxItem] = []
    for item in items:
        if item.task_id is None or item.kind not in DEADLINE_KINDS:
            shown.append(item)
            continue
        key = (item.task_id, item.to_leaders)
        if key not in newest or (item.send_at, item.id) > (newest[key].send_at, newest[key].id):
            newest[key] = item
    shown += newest.values()
    ids = {i.id for i in shown}
    return sorted(shown, key=lambda i: i.id), [i for i in items if i.id not in ids]


def group(items: list[OutboxItem], now: datetime, late_after: timedelta) -> list[Batch]:
    """One batch per person and moment, each task once (the newest of its reminders). A
    person with missed rows gets one message for all of them (a digest when some are
    past their use)."""
    on_time: dict[tuple[int, datetime], list[OutboxItem]] = defaultdict(list)
    missed_people = {
        i.recipient_id
        for i in items
        if i.send_at < now - late_after or (i.useful_until is not None and i.useful_until <= now)
    }
    missed: dict[int, list[OutboxItem]] = defaultdict(list)
    alone = [Batch(i.recipient_id, (i.id,), False) for i in items if i.kind in ALONE_KINDS]
    for item in items:
        if item.kind in ALONE_KINDS:
            continue
        if item.recipient_id in missed_people:
            missed[item.recipient_id].append(item)
        else:
            on_time[(item.recipient_id, item.send_at)].append(item)
    batches = alone
    for (person, _), rows in sorted(on_time.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        shown, covered = _newest_per_task(rows)  # a missed row held for this moment
        batches.append(
            Batch(
                person,
                tuple(i.id for i in shown),
                False,
                covered=tuple(i.id for i in covered),
                repeat=any(i.maybe_at is not None for i in shown),
            )
        )
    for person, rows in sorted(missed.items()):
        shown, covered = _newest_per_task(rows)
        stale = tuple(
            i.id for i in rows if i.useful_until is not None and i.useful_until <= now
        )
        batches.append(
            Batch(
                person,
                tuple(i.id for i in shown),
                offline_digest=bool(stale),
                covered=tuple(i.id for i in covered),
                stale=stale,
                repeat=any(i.maybe_at is not None for i in shown),
            )
        )
    return batches


def notice_moment(
    now: datetime, settings: ReminderSettings, calendar: WorkCalendar, tz: str
) -> datetime:
    """When the admins hear of a failure: a minute later (so that the failures of a
    storm travel together), and never at night or on a day off."""
    return next_send_moment(now + NOTICE_DELAY, settings, calendar, tz)


async def admin_notices(
    session: AsyncSession,
    person_id: int,
    kind: str,
    moment: datetime,
    *,
    now: datetime,
    detail: str | None = None,
) -> None:
    """Tell the admins of each of the person's organizations that ``person_id`` could
    not be reached (``kind`` in :data:`NOTICE_KINDS`). A notice joins the admin's
    notice already waiting, so that one message carries them all."""
    orgs = set(
        await session.scalars(
            select(Membership.organization_id).where(Membership.person_id == person_id)
        )
    )
    occurrence = f"person{person_id}"
    if kind == "send_failed":
        occurrence += f":{now.date().isoformat()}"
    elif kind == "reminders_lost":  # each loss its own line (detail names its tasks)
        occurrence += f":{now.isoformat(timespec='minutes')}"
    owed: list[Owed] = []
    for org_id in sorted(orgs):
        admins = set(
            await session.scalars(
                select(Membership.person_id).where(
                    Membership.organization_id == org_id,
                    Membership.role == "admin",
                    Membership.person_id != person_id,
                )
            )
        )
        for admin in sorted(admins):
            waiting = await session.scalar(
                select(func.min(OutboxItem.send_at)).where(
                    OutboxItem.recipient_id == admin,
                    OutboxItem.kind.in_(NOTICE_KINDS),
                    OutboxItem.state == PENDING,
                    OutboxItem.send_at > now,
                )
            )
            owed.append(
                Owed(
                    org_id, None, kind, occurrence, admin, waiting or moment,
                    detail=detail or str(person_id),
                )  # fmt: skip
            )
    await upsert(session, owed)


async def mark_unreachable(
    session: AsyncSession, person_id: int, ids: tuple[int, ...], now: datetime, moment: datetime
) -> None:
    """The person blocked the bot (or the chat is gone): their rows fail, their pending
    ones are cancelled until they write again, and the admins are told (at ``moment``)."""
    person = await session.get(Person, person_id)
    if person is None:
        return
    person.unreachable_since = person.unreachable_since or now
    await session.execute(
        update(OutboxItem)
        .where(OutboxItem.id.in_(ids))
        .values(state=FAILED, last_error="unreachable", claimed_by=None)
    )
    await session.execute(
        update(OutboxItem)
        .where(OutboxItem.recipient_id == person.id, OutboxItem.state == PENDING)
        .values(state=CANCELLED, last_error="unreachable")
    )
    await admin_notices(session, person.id, "unreachable", moment, now=now)
