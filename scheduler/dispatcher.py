"""The dispatcher: one pass claims the outbox rows that are due, groups them per person
and moment (several reminders for one person at one moment go as one message), hands
each group to ``deliver`` (the bot composes and sends it on the person's channel), and
records the outcome. One APScheduler interval job runs ``tick`` (bot/reminders.py).

Missed rows (dondoc was down) are sent at start if still useful, that is before their
``useful_until``; the others go to each person as one "while I was offline" digest.
Errors: ``RateLimited`` waits ``retry_after`` and retries; ``TemporaryFailure`` (network
errors, 5xx) retries with backoff, then fails; ``Unreachable`` (the person blocked the
bot) marks the person, cancels their pending rows and tells the admins once.
Each outcome is committed right after its send, so a crash repeats at most one message.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.outbox import (
    CANCELLED,
    FAILED,
    FOLDED,
    PENDING,
    SENT,
    OutboxItem,
    Owed,
    claim_due,
    release_stuck,
    upsert,
)
from models.people import Membership, Person
from scheduler.clock import Clock

log = logging.getLogger(__name__)


class RateLimited(Exception):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited for {retry_after}s")
        self.retry_after = retry_after


class TemporaryFailure(Exception):
    """The channel could not send now (network, server error); try again later."""


class Unreachable(Exception):
    """The person cannot be reached on any channel (blocked the bot, no identity)."""


@dataclass(frozen=True)
class Batch:
    recipient_id: int
    item_ids: tuple[int, ...]
    offline_digest: bool  # missed while down and no longer useful on their own


# deliver(batch) -> (channel, message id); raises RateLimited / TemporaryFailure / Unreachable.
Deliver = Callable[[Batch], Awaitable[tuple[str, str | None]]]


@dataclass
class TickResult:
    sent: int = 0
    messages: int = 0
    folded: int = 0
    retried: int = 0
    failed: int = 0
    unreachable: list[int] = field(default_factory=list)


def group(items: list[OutboxItem], now: datetime, late_after: timedelta) -> list[Batch]:
    """One batch per person and moment; missed rows past their use, one digest per person."""
    on_time: dict[tuple[int, datetime], list[int]] = defaultdict(list)
    digests: dict[int, list[int]] = defaultdict(list)
    for item in items:
        missed = item.send_at < now - late_after
        if missed and item.useful_until is not None and item.useful_until <= now:
            digests[item.recipient_id].append(item.id)
        else:
            on_time[(item.recipient_id, item.send_at if not missed else now)].append(item.id)
    batches = [
        Batch(r, tuple(ids), False)
        for (r, _), ids in sorted(on_time.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]
    batches += [Batch(r, tuple(ids), True) for r, ids in sorted(digests.items())]
    return batches


class Dispatcher:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        deliver: Deliver,
        *,
        batch_size: int = 5000,
        concurrency: int = 64,
        late_after: timedelta = timedelta(minutes=15),
        max_attempts: int = 5,
    ) -> None:
        self.sessions, self.clock, self.deliver = sessions, clock, deliver
        self.batch_size, self.concurrency = batch_size, concurrency
        self.late_after, self.max_attempts = late_after, max_attempts
        self._paused_until: datetime | None = None
        self._lock = asyncio.Lock()

    async def tick(self) -> TickResult:
        """Send everything that is due now; safe to call concurrently (serialised here,
        and across processes by the claim)."""
        async with self._lock:
            result = TickResult()
            now = self.clock.now()
            async with self.sessions() as session, session.begin():
                await release_stuck(session, now - timedelta(minutes=10))
                items = await claim_due(session, now, self.batch_size)
            if not items:
                return result
            semaphore = asyncio.Semaphore(self.concurrency)
            per_person: dict[int, list[Batch]] = defaultdict(list)
            for batch in group(items, now, self.late_after):
                per_person[batch.recipient_id].append(batch)

            async def run(batches: list[Batch]) -> None:
                # One person's messages go one after the other, in order; people in parallel.
                async with semaphore:
                    for batch in batches:
                        await self._send(batch, result)

            await asyncio.gather(*(run(b) for b in per_person.values()))
            return result

    async def _wait_if_paused(self) -> None:
        if self._paused_until is not None:
            delay = (self._paused_until - self.clock.now()).total_seconds()
            if delay > 0:
                await asyncio.sleep(delay)

    async def _send(self, batch: Batch, result: TickResult) -> None:
        await self._wait_if_paused()
        try:
            channel, message_id = await self.deliver(batch)
        except RateLimited as limit:
            self._paused_until = self.clock.now() + timedelta(seconds=limit.retry_after)
            await self._reschedule(batch, timedelta(seconds=limit.retry_after), count_attempt=False)
            result.retried += 1
        except Unreachable:
            await self._unreachable(batch)
            result.unreachable.append(batch.recipient_id)
        except Exception as error:  # noqa: BLE001 - any other failure is retried, then given up
            log.warning("sending to person %s failed: %s", batch.recipient_id, error)
            if await self._retry_or_fail(batch, str(error)):
                result.retried += 1
            else:
                result.failed += 1
        else:
            async with self.sessions() as session, session.begin():
                await session.execute(
                    update(OutboxItem)
                    .where(OutboxItem.id.in_(batch.item_ids))
                    .values(
                        state=FOLDED if batch.offline_digest else SENT,
                        sent_at=self.clock.now(),
                        channel=channel,
                        message_id=message_id,
                    )
                )
            result.messages += 1
            if batch.offline_digest:
                result.folded += len(batch.item_ids)
            else:
                result.sent += len(batch.item_ids)

    async def _reschedule(self, batch: Batch, delay: timedelta, *, count_attempt: bool) -> None:
        async with self.sessions() as session, session.begin():
            values: dict[str, object] = {"state": PENDING, "send_at": self.clock.now() + delay}
            if not count_attempt:
                values["attempts"] = OutboxItem.attempts - 1
            await session.execute(
                update(OutboxItem).where(OutboxItem.id.in_(batch.item_ids)).values(**values)
            )

    async def _retry_or_fail(self, batch: Batch, error: str) -> bool:
        async with self.sessions() as session, session.begin():
            rows = list(
                await session.scalars(select(OutboxItem).where(OutboxItem.id.in_(batch.item_ids)))
            )
            attempts = max(row.attempts for row in rows)
            retry = attempts < self.max_attempts
            for row in rows:
                row.last_error = error[:500]
                if retry:
                    row.state = PENDING
                    row.send_at = self.clock.now() + timedelta(seconds=30 * 2 ** (attempts - 1))
                else:
                    row.state = FAILED
            return retry

    async def _unreachable(self, batch: Batch) -> None:
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            person = await session.get(Person, batch.recipient_id)
            if person is None:
                return
            person.unreachable_since = person.unreachable_since or now
            await session.execute(
                update(OutboxItem)
                .where(OutboxItem.id.in_(batch.item_ids))
                .values(state=FAILED, last_error="unreachable")
            )
            await session.execute(
                update(OutboxItem)
                .where(OutboxItem.recipient_id == person.id, OutboxItem.state == PENDING)
                .values(state=CANCELLED, last_error="unreachable")
            )
            orgs = await session.scalars(
                select(Membership.organization_id).where(Membership.person_id == person.id)
            )
            for org_id in set(orgs):
                admins = await session.scalars(
                    select(Membership.person_id).where(
                        Membership.organization_id == org_id,
                        Membership.role == "admin",
                        Membership.person_id != person.id,
                    )
                )
                await upsert(
                    session,
                    [
                        Owed(
                            org_id,
                            None,
                            "unreachable",
                            f"person{person.id}",
                            a,
                            now,
                            detail=str(person.id),
                        )
                        for a in set(admins)
                    ],
                )
