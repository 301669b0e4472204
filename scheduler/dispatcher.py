"""The dispatcher: one pass claims the due outbox rows a few seconds' worth at a time
(pacing rate × ``claim_seconds``), groups them per person and moment (``group``),
hands each group to ``deliver`` (the bot composes and sends it) and records the outcome.
One APScheduler interval job runs ``tick`` (bot/reminders.py).

Sent means recorded: right after a send one transaction marks the rows sent with the
message id and runs the delivery's ``record`` (reply mapping, chat focus); a database
error there is retried, never taken for a failed send. Missed rows obey working days
and quiet hours, wait for the person's next reminder of the same morning
(``join_within``), and go with the stale ones as one message, each task once.

Errors: ``RateLimited`` waits ``retry_after``. ``TemporaryFailure`` (network, 5xx,
timeouts) backs off, capped at ``backoff_cap``, and keeps trying; the first one halts
the pass (an outage concerns everyone) and later passes probe with growing pauses.
``MaybeSent`` (a timeout after the request left) is retried once and counted; a second
one is taken as delivered. ``Unreachable`` (blocked, chat not found) and
``PermanentFailure`` (a bad request) fail the rows and tell the admins, one message
for all the failures of a minute. Claims carry the process's owner id: ``close`` stops
claiming, waits (bounded) for the sends in flight and gives back the rest; a new
process re-queues a dead one's claims at its first tick.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.outbox import (
    FAILED,
    FOLDED,
    PENDING,
    SENDING,
    SENT,
    OutboxItem,
    claim_due,
    heartbeat,
    most_attempts,
    next_pending,
    release,
    release_orphans,
    retire,
)
from scheduler.clock import DEFAULT_TZ, Clock
from scheduler.dispatch_rules import (
    Batch,
    admin_notices,
    backoff,
    group,
    join_until,
    mark_unreachable,
    notice_moment,
)
from scheduler.dispatch_types import (
    Deliver,
    Delivered,
    MaybeSent,
    PermanentFailure,
    RateLimited,
    TemporaryFailure,
    TickResult,
    Unreachable,
)  # fmt: skip
from scheduler.owner_lock import OwnerLock
from scheduler.reminder_policy import ReminderSettings, next_send_moment
from scheduler.workdays import WorkCalendar

log = logging.getLogger(__name__)


class Dispatcher:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        deliver: Deliver,
        *,
        rate: float = 30.0,
        claim_seconds: float = 5.0,
        concurrency: int = 64,
        late_after: timedelta = timedelta(minutes=15),
        join_within: timedelta = timedelta(hours=2),
        max_attempts: int = 5,
        backoff_base: timedelta = timedelta(seconds=30),
        backoff_cap: timedelta = timedelta(minutes=5),
        stale_after: timedelta = timedelta(minutes=2),
        exclusive: bool = False,
        settings: ReminderSettings | None = None,
        calendar: WorkCalendar | None = None,
        timezone: str = DEFAULT_TZ,
        before_claim: Callable[[], Awaitable[list[int]]] | None = None,
    ) -> None:
        self.sessions, self.clock, self.deliver = sessions, clock, deliver
        self.claim_size, self.concurrency = max(1, int(rate * claim_seconds)), concurrency
        self.late_after, self.join_within, self.max_attempts = late_after, join_within, max_attempts
        self.backoff_base, self.backoff_cap = backoff_base, backoff_cap
        self.stale_after, self.exclusive = stale_after, exclusive
        self.settings, self.timezone = settings or ReminderSettings(), timezone
        self.calendar = calendar or WorkCalendar()
        # Called before each claim: re-plans what changed; returns organizations to skip.
        self.before_claim = before_claim
        self.owner = f"{uuid.uuid4().hex[:16]}"
        self._paused_until: datetime | None = None  # a 429 (seconds)
        self._halted_until: datetime | None = None  # an outage (grows, capped)
        self._outage_streak = 0
        self._halt = self._stopping = self._started = False
        self._unrecorded: list[tuple[Batch, Delivered, datetime]] = []
        self._lock = asyncio.Lock()
        self.owner_lock = OwnerLock(sessions, self.owner)

    async def tick(self) -> TickResult:
        """Send everything that is due now, a few seconds' worth of rows per claim; safe to
        call concurrently (serialised here, and across processes by the claim)."""
        async with self._lock:
            result = TickResult()
            if self._stopping:
                return result
            await self._record_left_over(result)
            now = self.clock.now()
            await self.owner_lock.hold()
            async with self.sessions() as session, session.begin():
                await heartbeat(session, self.owner, now)
                released = await release_orphans(
                    session,
                    self.owner,
                    now,
                    stale_after=self.stale_after,
                    exclusive=self.exclusive and not self._started,
                )
            if released:
                log.info("re-queued %s reminders claimed by a process that is gone", released)
            self._started = True
            if self._halted_until is not None and now < self._halted_until:
                return result
            # The next claim is taken while the previous one is still going out, so that
            # the pacer never waits for the database: at most two claims are held.
            semaphore = asyncio.Semaphore(self.concurrency)
            self._halt = False
            sending: set[asyncio.Future[None]] = set()
            try:
                while not self._stopping and not self._halt:
                    skip = await self.before_claim() if self.before_claim is not None else []
                    now = self.clock.now()
                    async with self.sessions() as session, session.begin():
                        await heartbeat(session, self.owner, now)
                        items = await claim_due(
                            session, now, self.claim_size, self.owner, skip_organizations=skip
                        )
                    if not items:
                        break
                    batches = await self._prepare(items, now, result)
                    sending.add(asyncio.ensure_future(self._send_all(batches, result, semaphore)))
                    if len(sending) >= 2:
                        _, sending = await asyncio.wait(
                            sending, return_when=asyncio.FIRST_COMPLETED
                        )
            finally:
                if sending:
                    await asyncio.gather(*sending)
            return result

    async def _prepare(
        self, items: list[OutboxItem], now: datetime, result: TickResult
    ) -> list[Batch]:
        """Hold back what may not go now (quiet hours, days off; missed rows that join
        the person's next reminder this morning); group the rest."""
        allowed = next_send_moment(now, self.settings, self.calendar, self.timezone)
        if allowed > now:
            await self._give_back([i.id for i in items], send_at=allowed)
            result.deferred += len(items)
            return []
        missed_people = {i.recipient_id for i in items if i.send_at < now - self.late_after}
        if missed_people:  # each one's next reminder within ``join_within`` the same day
            async with self.sessions() as session:
                until = join_until(now, self.join_within, self.timezone)
                joins = await next_pending(session, missed_people, now, until)
            held = [i for i in items if i.recipient_id in joins]
            for person, moment in joins.items():
                await self._give_back(
                    [i.id for i in held if i.recipient_id == person], send_at=moment
                )
            result.deferred += len(held)
            items = [i for i in items if i.recipient_id not in joins]
        return group(items, now, self.late_after)

    async def _send_all(
        self, batches: list[Batch], result: TickResult, semaphore: asyncio.Semaphore
    ) -> None:
        per_person: dict[int, list[Batch]] = defaultdict(list)
        for batch in batches:
            per_person[batch.recipient_id].append(batch)
        left: list[Batch] = []

        async def run(mine: list[Batch]) -> None:
            # One person's messages go one after the other, in order; people in parallel.
            async with semaphore:
                for batch in mine:
                    if self._stopping or self._halt:
                        left.append(batch)
                    else:
                        await self._send(batch, result)

        await asyncio.gather(*(run(b) for b in per_person.values()))
        if left:  # stopping, or an outage: not sent, not an attempt
            send_at = self._halted_until if self._halt else None
            await self._give_back([i for b in left for i in b.all_ids], send_at=send_at)

    async def _wait_if_paused(self) -> None:
        if self._paused_until is not None:
            delay = (self._paused_until - self.clock.now()).total_seconds()
            if delay > 0:
                await asyncio.sleep(delay)

    async def _send(self, batch: Batch, result: TickResult) -> None:
        await self._wait_if_paused()
        if self._stopping or self._halt:
            await self._give_back(list(batch.all_ids))
            return
        try:
            delivered = await self.deliver(batch)
        except RateLimited as limit:
            self._paused_until = self.clock.now() + timedelta(seconds=limit.retry_after)
            await self._give_back(list(batch.all_ids), send_at=self._paused_until)
            result.retried += 1
        except Unreachable:
            await self._unreachable(batch)
            result.unreachable.append(batch.recipient_id)
        except PermanentFailure as error:
            log.warning(
                "the channel refused the message to person %s: %s", batch.recipient_id, error
            )
            await self._fail(batch, str(error))
            result.failed += 1
        except MaybeSent as error:
            await self._maybe_sent(batch, str(error), result)
        except TemporaryFailure as error:
            log.warning("sending to person %s failed for now: %s", batch.recipient_id, error)
            self._outage()
            await self._retry(batch, str(error))
            result.retried += 1
        except Exception as error:  # noqa: BLE001 - unknown: retried a few times, then failed
            log.exception("sending to person %s failed", batch.recipient_id)
            if await self._attempts(batch) < self.max_attempts:
                await self._retry(batch, str(error))
                result.retried += 1
            else:
                await self._fail(batch, str(error))
                result.failed += 1
        else:
            if delivered is None:  # its rows were cancelled meanwhile (a re-plan)
                await self._give_back(list(batch.all_ids))
                return
            if isinstance(delivered, tuple):
                delivered = Delivered(*delivered)
            self._outage_streak, self._halted_until = 0, None
            await self._record(batch, delivered, self.clock.now(), result)

    # -- outcomes ---------------------------------------------------------------------------

    async def _record(
        self, batch: Batch, delivered: Delivered, sent_at: datetime, result: TickResult | None
    ) -> bool:
        """Mark sent and run the delivery's record, in one transaction; on a database
        error retry, then keep it for the next pass. Never send it again."""
        for attempt in range(3):
            try:
                async with self.sessions() as session, session.begin():
                    values = dict(
                        sent_at=sent_at, channel=delivered.channel, message_id=delivered.message_id
                    )
                    for state, ids in ((FOLDED, batch.folded_ids), (SENT, batch.sent_ids)):
                        if ids:
                            await session.execute(
                                update(OutboxItem)
                                .where(OutboxItem.id.in_(ids), OutboxItem.state == SENDING)
                                .values(state=state, **values)
                            )
                    if delivered.record is not None:
                        await delivered.record(session)
                break
            except Exception:  # noqa: BLE001 - the message is out; only the record is late
                log.exception("recording a sent reminder failed (try %s)", attempt + 1)
                await asyncio.sleep(0.2 * 2**attempt)
        else:
            self._unrecorded.append((batch, delivered, sent_at))
            return False
        if result is not None:
            result.messages += 1
            result.folded += len(batch.folded_ids)
            result.sent += len(batch.sent_ids)
        return True

    async def _record_left_over(self, result: TickResult | None) -> None:
        waiting, self._unrecorded = self._unrecorded, []
        for batch, delivered, sent_at in waiting:
            await self._record(batch, delivered, sent_at, result)

    async def _give_back(self, ids: list[int], *, send_at: datetime | None = None) -> None:
        if ids:
            async with self.sessions() as session, session.begin():
                await release(session, self.owner, ids, send_at=send_at)

    async def _attempts(self, batch: Batch) -> int:
        async with self.sessions() as session:
            return await most_attempts(session, batch.all_ids)

    def _outage(self) -> None:
        """The first temporary failure halts the pass; the next passes wait longer each time."""
        if self._halt:  # the other sends in flight of this pass fail with it: one step
            return
        self._outage_streak += 1
        pause = backoff(self._outage_streak, self.backoff_base, self.backoff_cap)
        self._halted_until = self.clock.now() + pause
        self._halt = True

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

    async def _maybe_sent(self, batch: Batch, error: str, result: TickResult) -> None:
        """After a timeout the message may be out: one repeat is accepted and counted; a
        second timeout on the same rows is taken as delivered (no third copy)."""
        async with self.sessions() as session:
            marks = set(
                await session.scalars(
                    select(OutboxItem.last_error).where(OutboxItem.id.in_(batch.all_ids))
                )
            )
        if "maybe_sent" in marks:
            log.warning("second timeout for person %s: taken as delivered", batch.recipient_id)
            await self._record(batch, Delivered("unconfirmed", None), self.clock.now(), result)
            return
        log.warning(
            "timeout for person %s (%s): one retry, maybe a repeat", batch.recipient_id, error
        )
        self._outage()
        await self._retry(batch, error, mark="maybe_sent")
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

    def _notice_at(self, now: datetime) -> datetime:
        return notice_moment(now, self.settings, self.calendar, self.timezone)

    # -- stopping ---------------------------------------------------------------------------

    async def close(self, timeout: float = 10.0) -> None:
        """Stop claiming, wait up to ``timeout`` seconds for the sends in flight to finish
        and be recorded, then give back every claim of this process."""
        self._stopping = True
        try:
            await asyncio.wait_for(self._lock.acquire(), timeout)
        except TimeoutError:
            log.warning(
                "reminders still in flight after %s s; their claims are given back", timeout
            )
        else:
            self._lock.release()
        await self._record_left_over(None)
        async with self.sessions() as session, session.begin():
            given = await release(session, self.owner)
            await retire(session, self.owner)
        await self.owner_lock.release()
        if given:
            log.info("gave back %s claimed reminders at stop", given)
