"""The dispatcher: one pass claims the due outbox rows a few seconds' worth at a time
(pacing rate × ``claim_seconds``), groups them per person and moment (``group``),
hands each group to ``deliver`` (the bot composes and sends it) and records the outcome.
``scheduler.wake`` runs ``tick`` at the next send time or when work is queued.

Sent means recorded: right after a send one transaction marks the rows sent with the
message id and runs the delivery's ``record`` (reply mapping, chat focus); a database
error there is retried, never taken for a failed send. Missed rows obey working days
and quiet hours, wait for the person's next reminder of the same morning
(``join_within``), and go with the stale ones as one message, each task once. No send
starts in the quiet hours, even inside a storm (``scheduler.send_gate``): the rest wait
for the next working morning, with that morning's reminders.

Errors: ``RateLimited`` waits ``retry_after``. ``TemporaryFailure`` (network, 5xx) and
``MaybeSent`` (a timeout after the request left) are an outage: the first one halts the
pass, later passes wait with growing pauses (capped at ``backoff_cap``) and meanwhile
``probe`` the channel (``getMe``), so sending resumes within one interval of its return.
A timed-out row is "maybe sent" (``models.outbox_faults``), never taken as delivered: it
goes again once, marked as a possible repeat, unless the person answered meanwhile.
``Unreachable`` (blocked, chat not found) and ``PermanentFailure`` (a bad request) fail
the rows and tell the admins, one message for all the failures of a minute. Claims
carry the process's owner id: ``close`` stops every new send at once, waits (bounded)
for the sends on the wire, records the unanswered ones as maybe sent and gives back the
rest; a new process re-queues a dead one's claims at its first tick (those on the wire
as maybe sent).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.outbox import OutboxItem, claim_due, next_pending, release
from models.outbox_faults import OUTAGE, mark_maybe_sent, retire_answered
from models.outbox_processes import heartbeat, release_orphans, retire
from scheduler.clock import DEFAULT_TZ, Clock
from scheduler.dispatch_outcomes import DispatchOutcomes
from scheduler.dispatch_rules import Batch, backoff, group, join_until
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
from scheduler.record_group import RecordGroup
from scheduler.reminder_policy import ReminderSettings, next_send_moment
from scheduler.send_gate import Gate, Ticket, Withheld, close_ticket, open_ticket
from scheduler.workdays import WorkCalendar

log = logging.getLogger(__name__)


class Dispatcher(DispatchOutcomes):
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
        probe: Callable[[], Awaitable[bool]] | None = None,
        read_ahead: Callable[[list[Batch]], Awaitable[None]] | None = None,
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
        self.probe = probe  # while backing off: does the channel answer again (getMe)?
        # Given each claim's batches before they go: what they need, read once for all.
        self.read_ahead = read_ahead
        self.gate = Gate(quiet=self._quiet_now)
        self._tickets: set[Ticket] = set()  # sends started and not yet settled
        self._sending: set[asyncio.Future[None]] = set()
        self.owner = f"{uuid.uuid4().hex[:16]}"
        self._paused_until: datetime | None = None  # a 429 (seconds)
        self._halted_until: datetime | None = None  # an outage (grows, capped)
        self._outage_streak = 0
        self._halt = self._stopping = self._started = False
        self._unrecorded: list[tuple[Batch, Delivered, datetime]] = []
        # Marks of messages answered close together share one transaction.
        self._records = RecordGroup(self._write_sent, lambda: len(self._tickets))
        self._lock = asyncio.Lock()
        self.owner_lock = OwnerLock(sessions, self.owner)

    @property
    def busy(self) -> bool:
        """A pass is running (planning waits for it to end)."""
        return self._lock.locked()

    @property
    def resume_at(self) -> datetime | None:
        """When a pause (429) or an outage's back-off ends: the next pass is due then."""
        moments = [m for m in (self._paused_until, self._halted_until) if m is not None]
        return min(moments, default=None)

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
            result.lost = await self._expire(now)  # during an outage too: never silent
            if self._halted_until is not None and now < self._halted_until:
                if not await self._back_already(now):
                    return result
            # The next claim is taken while the previous one is still going out, so that
            # the pacer never waits for the database: at most two claims are held.
            semaphore = asyncio.Semaphore(self.concurrency)
            self._halt = False
            sending: set[asyncio.Future[None]] = set()
            seen: set[int] = set()  # rows claimed in this pass
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
                    if seen.issuperset(i.id for i in items):  # given back due: next pass
                        await self._give_back([i.id for i in items])
                        break
                    seen.update(i.id for i in items)
                    batches = await self._prepare(items, now, result)
                    future = asyncio.ensure_future(self._send_all(batches, result, semaphore))
                    sending.add(future)
                    self._sending.add(future)
                    future.add_done_callback(self._sending.discard)
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
        if allowed > now:  # with the next morning's reminders, as if owed then
            await self._give_back([i.id for i in items], send_at=self._next_morning(now))
            result.deferred += len(items)
            return []
        if any(i.maybe_at is not None for i in items):  # answered meanwhile: not again
            async with self.sessions() as session, session.begin():
                retired = set(await retire_answered(session, items))
            result.maybe_answered += len(retired)
            items = [i for i in items if i.id not in retired]
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
        if self.read_ahead is not None and batches:
            try:
                await self.read_ahead(batches)
            except Exception:  # noqa: BLE001 - only a saving: each message reads for itself
                log.exception("reading ahead for %s messages failed", len(batches))
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
            await self._give_back(
                [i for b in left for i in b.all_ids],
                send_at=send_at,
                error=OUTAGE + "halted" if self._halt else None,
            )

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
        now = self.clock.now()
        if self._quiet_now():  # a storm that runs into 18:00: the rest wait for morning
            await self._give_back(list(batch.all_ids), send_at=self._next_morning(now))
            result.deferred += len(batch.all_ids)
            return
        ticket = Ticket(self.gate, batch.all_ids)
        self._tickets.add(ticket)
        try:
            batch = await self._mark_wire(batch, now)
            open_ticket(ticket)
            try:
                delivered = await self.deliver(batch)
            finally:
                close_ticket()
        except Withheld:  # the gate closed before it left (a stop, the quiet hours)
            if ticket.on_wire:  # part of a long message left already
                await self._maybe(batch, now, None, "withheld after a part", result)
            elif self._stopping:
                await self._give_back(list(batch.all_ids))
            else:
                await self._give_back(list(batch.all_ids), send_at=self._next_morning(now))
                result.deferred += len(batch.all_ids)
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
        except MaybeSent as error:  # a hang is an outage, and the message maybe out
            log.warning("timeout for person %s: maybe sent (%s)", batch.recipient_id, error)
            self._outage()
            await self._maybe(batch, now, self._halted_until, OUTAGE + str(error), result)
        except TemporaryFailure as error:
            log.warning("sending to person %s failed for now: %s", batch.recipient_id, error)
            self._outage()
            await self._retry(batch, OUTAGE + str(error))
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
        finally:
            self._tickets.discard(ticket)

    def _outage(self) -> None:
        """The first temporary failure halts the pass; the next passes wait longer each time."""
        if self._halt:  # the other sends in flight of this pass fail with it: one step
            return
        self._outage_streak += 1
        pause = backoff(self._outage_streak, self.backoff_base, self.backoff_cap)
        self._halted_until = self.clock.now() + pause
        self._halt = True

    # -- stopping ---------------------------------------------------------------------------

    async def close(self, timeout: float = 10.0) -> None:
        """Stop: no send starts after this (the gate closes); the sends on the wire get
        up to ``timeout`` seconds to be answered and recorded; those still unanswered
        are recorded as maybe sent (as a kill -9 leaves them); every other claim of this
        process is given back."""
        self._stopping = True
        self.gate.closed = True
        try:
            await asyncio.wait_for(self._lock.acquire(), timeout)
        except TimeoutError:
            await self._cut_off(timeout)
        else:
            self._lock.release()
        await self._record_left_over(None)
        async with self.sessions() as session, session.begin():
            given = await release(session, self.owner)
            await retire(session, self.owner)
        await self.owner_lock.release()
        if given:
            log.info("gave back %s claimed reminders at stop", given)

    async def _cut_off(self, timeout: float) -> None:
        """The stop's limit passed with sends unanswered: stop waiting for them; those
        that left are maybe sent, the others go back to pending."""
        unanswered = [t for t in self._tickets if t.on_wire]
        for future in list(self._sending):
            future.cancel()
        if self._sending:
            await asyncio.wait(list(self._sending), timeout=2.0)
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            for ticket in unanswered:
                await mark_maybe_sent(session, ticket.ids, now)
        log.warning(
            "%s reminders unanswered after %s s: recorded as maybe sent", len(unanswered), timeout
        )
