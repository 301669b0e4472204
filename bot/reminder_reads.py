"""The reads of a claim's messages, done once for the claim (issue 24): the people with
their identities, the tasks the reminders name, "several plans?" per organization. The
dispatcher hands each claim's batches to ``ReadAhead.read`` before sending them;
``ReminderService.deliver`` takes its batch's part (``take``) and reads only what is
left: what the other kinds of notice need. Which rows are still to go is checked just
before each send, by the statement that marks them on the wire (``Batch.live``), so a
task done or re-planned meanwhile (its rows cancelled) is not reminded of.

At most ``keep`` claims are held (two are in flight at a time); a batch given back
unsent leaves its part to be dropped with its claim."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from handlers.reminders.known import KnownReads, read_ahead
from models.outbox import OutboxItem
from models.people import Person
from scheduler.dispatch_rules import Batch


@dataclass(frozen=True)
class Ahead:
    person: Person | None  # with identities; None: not found then, read again
    items: tuple[OutboxItem, ...]  # the batch's rows as claimed, by id
    known: KnownReads

    def live(self, ids: Sequence[int]) -> list[OutboxItem]:
        """The rows among ``ids`` (those still to go, ``Batch.live``), by id."""
        wanted = set(ids)
        return [item for item in self.items if item.id in wanted]


class ReadAhead:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], keep: int = 4) -> None:
        self.sessions, self.keep = sessions, keep
        self._claims: OrderedDict[int, dict[tuple[int, ...], Ahead]] = OrderedDict()
        self._count = 0

    async def read(self, batches: Sequence[Batch], today: date) -> None:
        """Read what ``batches`` need, in one session and a few statements."""
        if not batches:
            return
        people = sorted({b.recipient_id for b in batches})
        ids = sorted({i for b in batches for i in b.item_ids})
        async with self.sessions() as session:
            found = await session.scalars(
                select(Person).where(Person.id.in_(people)).options(selectinload(Person.identities))
            )
            persons = {p.id: p for p in found}
            items = list(
                await session.scalars(
                    select(OutboxItem).where(OutboxItem.id.in_(ids)).order_by(OutboxItem.id)
                )
            )
            known = await read_ahead(session, items, today)
        self._count += 1
        by_id = {item.id: item for item in items}
        self._claims[self._count] = {
            b.item_ids: Ahead(
                persons.get(b.recipient_id),
                tuple(by_id[i] for i in sorted(b.item_ids) if i in by_id),
                known,
            )
            for b in batches
        }
        while len(self._claims) > self.keep:
            self._claims.popitem(last=False)

    def take(self, batch: Batch) -> Ahead | None:
        """The batch's part of a claim read ahead (once), or None."""
        for claim in reversed(self._claims.values()):
            if (ahead := claim.pop(batch.item_ids, None)) is not None:
                return ahead
        return None
