"""What the dispatcher does with the outcome of a send (``scheduler.dispatcher``): mark
it sent with its record in one transaction (``_record``), give rows back, retry after a
temporary failure, record a send that may have been delivered (``_maybe``), fail rows
and tell the admins; and the checks around a send: the quiet hours, the wire mark, the
``getMe`` probe while backing off. A mixin: the state lives in ``Dispatcher``."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.outbox import FAILED, FOLDED, PENDING, SENDING, SENT, OutboxItem, most_attempts, release
from models.outbox_faults import mark_maybe_sent, mark_on_wire, resume_postponed
from models.outbox_lost import expire_unsendable
from scheduler.clock import Clock
from scheduler.dispatch_rules import (
    Batch,
    admin_notices,
    backoff,
    mark_unreachable,
    notice_moment,
)
from scheduler.dispatch_types import Delivered, TickResult
from scheduler.record_group import RecordGroup
from scheduler.reminder_policy import ReminderSettings, effective_send_time, next_send_moment
from scheduler.workdays import WorkCalendar

log = logging.getLogger("scheduler.dispatcher")


class DispatchOutcomes:
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    owner: str
    settings: ReminderSettings
    calendar: WorkCalendar
    timezone: str
    backoff_base: timedelta
    backoff_cap: timedelta
    probe: Callable[[], Awaitable[bool]] | None
    _stopping: bool
    _halted_until: datetime | None
    _outage_streak: int
    _unrecorded: list[tuple[Batch, Delivered, datetime]]
    _records: RecordGroup[tuple[Batch, Delivered, datetime]]

    def _quiet_now(self) -> bool:
        now = self.clock.now()
        return self._next_moment(now) > now

    def _next_moment(self, now: datetime) -> datetime:
        return next_send_moment(now, self.settings, self.calendar, self.timezone)

    def _next_morning(self, now: datetime) -> datetime:
        """Where a storm cut by the quiet hours goes on: the next working day's send
        time, with that morning's reminders (one message each), as if today's."""
        zone = ZoneInfo(self.timezone)
        day = now.astimezone(zone).date()
        allowed = self._next_moment(now)
        if allowed.astimezone(zone).date() == day:  # a quiet window inside the day
            return allowed
        send = effective_send_time(self.settings)
        moment = datetime.combine(day, send, tzinfo=zone)
        if moment <= now or not self.calendar.is_working_day(day):
            # next_working_day(d) is d itself on a working day: step past today, or the
            # rows come back due at once and the pass claims them again without end.
            following = self.calendar.next_working_day(day + timedelta(days=1))
            moment = datetime.combine(following, send, tzinfo=zone)
        return moment

    async def _mark_wire(self, batch: Batch, now: datetime) -> Batch:
        """On the wire from now; the batch comes back knowing which of its rows are
        still to go (``Batch.live``: the deliverer need not read them again)."""
        async with self.sessions() as session, session.begin():
            marked = await mark_on_wire(session, batch.all_ids, now)
        return replace(batch, live=tuple(i for i in batch.item_ids if i in marked))

    async def _back_already(self, now: datetime) -> bool:
        """While backing off: ask the channel (``getMe``); when it answers, the rows the
        outage put off are due again and sending resumes now."""
        if self.probe is None or self._stopping:
            return False
        try:
            alive = await self.probe()
        except Exception:  # noqa: BLE001 - a probe that fails is a "no"
            alive = False
        if not alive:
            return False
        log.info("the channel answers again: sending resumes")
        self._halted_until, self._outage_streak = None, 0
        async with self.sessions() as session, session.begin():
            await resume_postponed(session, now, self.backoff_cap)
        return True

    async def _record(
        self, batch: Batch, delivered: Delivered, sent_at: datetime, result: TickResult | None
    ) -> bool:
        """Mark sent and run the delivery's record, in one transaction shared with the
        marks of the messages answered meanwhile (``scheduler.record_group``); if that
        fails, alone: retried, then kept for the next pass. Never send it again."""
        try:
            await self._records.add((batch, delivered, sent_at))
        except Exception:  # noqa: BLE001 - one of the group may be the cause: each alone
            if not await self._record_alone(batch, delivered, sent_at):
                return False
        if result is not None:
            result.messages += 1
            result.folded += len(batch.folded_ids)
            result.sent += len(batch.sent_ids)
        return True

    async def _write_sent(self, group: list[tuple[Batch, Delivered, datetime]]) -> None:
        async with self.sessions() as session, session.begin():
            for batch, delivered, sent_at in group:
                await self._mark_sent(session, batch, delivered, sent_at)

    @staticmethod
    async def _mark_sent(
        session: AsyncSession, batch: Batch, delivered: Delivered, sent_at: datetime
    ) -> None:
        values = dict(sent_at=sent_at, channel=delivered.channel, message_id=delivered.message_id)
        for state, ids in ((FOLDED, batch.folded_ids), (SENT, batch.sent_ids)):
            if ids:
                await session.execute(
                    update(OutboxItem)
                    .where(OutboxItem.id.in_(ids), OutboxItem.state == SENDING)
                    .values(state=state, **values)
                )
        if delivered.record is not None:
            await delivered.record(session)

    async def _record_alone(self, batch: Batch, delivered: Delivered, sent_at: datetime) -> bool:
        for attempt in range(3):
            try:
                async with self.sessions() as session, session.begin():
                    await self._mark_sent(session, batch, delivered, sent_at)
                return True
            except Exception:  # noqa: BLE001 - the message is out; only the record is late
                log.exception("recording a sent reminder failed (try %s)", attempt + 1)
                await asyncio.sleep(0.2 * 2**attempt)
        self._unrecorded.append((batch, delivered, sent_at))
        return False

    async def _record_left_over(self, result: TickResult | None) -> None:
        waiting, self._unrecorded = self._unrecorded, []
        for batch, delivered, sent_at in waiting:
            await self._record(batch, delivered, sent_at, result)

    async def _give_back(
        self, ids: list[int], *, send_at: datetime | None = None, error: str | None = None
    ) -> None:
        if ids:
            async with self.sessions() as session, session.begin():
                await release(session, self.owner, ids, send_at=send_at)
                if error is not None:
                    await session.execute(
                        update(OutboxItem)
                        .where(OutboxItem.id.in_(ids), OutboxItem.state == PENDING)
                        .values(last_error=error)
                    )

    async def _attempts(self, batch: Batch) -> int:
        async with self.sessions() as session:
            return await most_attempts(session, batch.all_ids)

    async def _retry(self, batch: Batch, error: str, *, mark: str | None = None) -> None:
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            rows = list(
                await session.scalars(select(OutboxItem).where(OutboxItem.id.in_(batch.all_ids)))
            )
            attempts = max((row.attempts for row in rows), default=1)
            # Kept while useful: past ``useful_until`` the row goes into the next digest.
            when = now + backoff(attempts, self.backoff_base, self.backoff_cap)
            for row in rows:
                row.last_error = mark or error[:500]
                row.state, row.send_at, row.claimed_by = PENDING, when, None
                row.wire_at = None  # it did not leave (a refused connection, a 5xx)

    async def _maybe(
        self,
        batch: Batch,
        at: datetime,
        send_at: datetime | None,
        error: str,
        result: TickResult | None,
    ) -> None:
        """The send left and no answer is recorded: maybe sent, to go again once (marked
        as a possible repeat) unless the person answers meanwhile; never "delivered"."""
        async with self.sessions() as session, session.begin():
            await mark_maybe_sent(session, batch.all_ids, at, send_at=send_at, error=error)
        if result is not None:
            result.retried += 1
            result.maybe_repeated += 1

    async def _fail(self, batch: Batch, error: str) -> None:
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(OutboxItem)
                .where(OutboxItem.id.in_(batch.all_ids))
                .values(state=FAILED, last_error=error[:500], claimed_by=None)
            )
            await admin_notices(
                session, batch.recipient_id, "send_failed", self._notice_at(now), now=now
            )

    async def _unreachable(self, batch: Batch) -> None:
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            await mark_unreachable(
                session, batch.recipient_id, batch.all_ids, now, self._notice_at(now)
            )

    async def _expire(self, now: datetime) -> int:
        """Reminders tried and still unsent when their use ended are lost: counted for
        the operator, and named to the admins (one line per person)."""
        async with self.sessions() as session, session.begin():
            lost = await expire_unsendable(session, now)
            for person, labels in lost.items():
                detail = f"{person}|{', '.join(labels)}"
                await admin_notices(
                    session, person, "reminders_lost", self._notice_at(now), now=now, detail=detail
                )
        if lost:
            log.warning(
                "%s reminders lost (unsendable until no longer useful) for %s people",
                sum(len(v) for v in lost.values()),
                len(lost),
            )
        return sum(len(v) for v in lost.values())

    def _notice_at(self, now: datetime) -> datetime:
        return notice_moment(now, self.settings, self.calendar, self.timezone)
