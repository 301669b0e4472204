"""Pacing Telegram's sends: at most ``rate`` a rolling second overall (``GlobalPacer``,
applied in PTB's HTTP layer right before a message leaves: ``PacedRequest``) and one a
second per chat (``ChatPacer``), which AIORateLimiter does not do for private chats.
Several processes on one PostgreSQL share the two budgets (``SharedBudget``, slots and
places taken in ``models.send_budget``) so that together they stay under Telegram's limits.
Right before a request leaves, ``scheduler.send_gate.may_send`` may still hold a
reminder back (a stop, the quiet hours).

When more is waiting than Telegram takes (a flood of strangers answered one a second
each), the overall places go by priority, then in order (``priority``): an answer to
someone waiting on one message first, reminders next, the answers in a chat that has more
messages queued behind them last; so a leader's ``/viec`` never waits behind a flood."""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Iterator
from contextvars import ContextVar
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.request import HTTPXRequest

from models.send_budget import free_slot, prune, take_place, take_slot
from scheduler.send_gate import may_send

log = logging.getLogger(__name__)
PRUNE_EVERY = 300.0  # seconds between two prunes of the shared budgets' rows by a process
KEY = "telegram:all"  # the overall budget's slots: telegram:all#0 …
# Seconds between two asks when every overall slot is in flight: an answered slot is
# takable at once but frees a window later, so asking within the window loses nothing.
BUSY_POLL = 0.2


URGENT, NORMAL, BACKLOG = 0, 1, 2  # who gets the next overall place first (lowest first)
_priority: ContextVar[int] = ContextVar("telegram_send_priority", default=NORMAL)


@contextlib.contextmanager
def priority(level: int) -> Iterator[None]:
    """The sends made inside (in this task) take overall places with this priority."""
    token = _priority.set(level)
    try:
        yield
    finally:
        _priority.reset(token)


class Turns:
    """One at a time, the lowest priority first, then first come first served (an
    ``asyncio.Lock`` that lets the urgent through before those already waiting)."""

    def __init__(self) -> None:
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._held = False

    @contextlib.asynccontextmanager
    async def turn(self, level: int) -> AsyncIterator[None]:
        if self._held or self._waiting:
            handed = asyncio.get_running_loop().create_future()
            heapq.heappush(self._waiting, (level, next(self._order), handed))
            try:
                await handed
            except asyncio.CancelledError:
                if handed.done() and not handed.cancelled():
                    self._hand_on()  # it was ours already: the next one's now
                raise
        self._held = True
        try:
            yield
        finally:
            self._hand_on()

    def _hand_on(self) -> None:
        while self._waiting:
            _, _, handed = heapq.heappop(self._waiting)
            if not handed.done():
                handed.set_result(None)  # still held: the turn passes straight on
                return
        self._held = False


class SharedBudget:
    """Telegram's budgets kept in PostgreSQL for all the processes: ``rate`` slots
    overall, each held from a send's release until ``window`` after its answer (as
    ``GlobalPacer`` counts, so that late sends cannot bunch: ``models.send_budget``),
    and places ``interval`` apart per chat."""

    def __init__(
        self, engine: AsyncEngine, rate: float, interval: float, window: float = 1.0,
        margin: float = 0.01,
    ) -> None:  # fmt: skip
        self.engine = engine
        self.capacity = int(rate) if rate > 0 else 0
        self.window = window + margin
        self.interval = interval * 1.05 if interval > 0 else 0.0
        self._pruned_at = 0.0  # monotonic time of the last prune
        self._lock = asyncio.Lock()

    async def overall(self) -> tuple[str, float] | None:
        """Wait for a slot of the overall budget; hand it to ``done`` after the send."""
        held = None
        if self.capacity:
            async with self._lock:  # one taker a process: the others wait here, not in SQL
                while (
                    taken := await take_slot(self.engine, KEY, self.capacity, self.window)
                ) is None:
                    await asyncio.sleep(BUSY_POLL)  # every slot in flight: one frees soon
                held, wait = taken
                try:
                    await asyncio.sleep(wait)
                except asyncio.CancelledError:  # never sent: the slot is not kept for HOLD
                    await self.done(held)
                    raise
        if time.monotonic() - self._pruned_at >= PRUNE_EVERY:  # idle chats' rows go
            self._pruned_at = time.monotonic()
            try:
                await prune(self.engine)
            except Exception:  # noqa: BLE001 - housekeeping, never in the way of a send
                log.warning("pruning send_pace failed", exc_info=True)
        return held

    async def done(self, held: tuple[str, float] | None) -> None:
        """The send answered or failed: its slot frees ``window`` from now."""
        if held is None:
            return
        try:
            await free_slot(self.engine, held, self.window)
        except Exception:  # noqa: BLE001 - the slot then frees after HOLD, slower but safe
            log.warning("freeing a send_pace slot failed", exc_info=True)

    async def chat(self, chat_id: str) -> None:
        if self.interval:
            await asyncio.sleep(await take_place(self.engine, f"telegram:{chat_id}", self.interval))


class GlobalPacer:
    """At most ``rate`` sends in any rolling second, overall, as Telegram counts them.

    AIORateLimiter's leaky bucket lets a burst through first, which Telegram's sliding
    window answers with 429. Here a send counts from the moment it is released until a
    second after its answer came back: it reached Telegram somewhere in between, so the
    send ``rate`` places later cannot leave before a full second after it arrived. A busy
    event loop or a slow network may then slow sending down, but can never bunch sends
    past Telegram's window (the storm bench beside a CPU-heavy process measures it)."""

    def __init__(self, rate: float, window: float = 1.0, margin: float = 0.01) -> None:
        self.capacity = int(rate)
        self.window = window + margin
        self.gap = window / (1.25 * rate) if rate > 0 else 0.0
        # One entry per send in the window: None while in flight, else when it answered.
        self._slots: deque[list[float | None]] = deque()
        self._last_release = float("-inf")
        self._turns = Turns()

    async def wait(self, level: int | None = None) -> list[float | None]:
        """Wait for a free place; returns the slot to hand to ``done`` after the send.
        ``level``: the priority (else the one set by ``priority`` around the send)."""
        slot: list[float | None] = [None]
        if self.capacity <= 0:
            return slot
        # One turn at a time, held while sleeping: releases happen one at a time.
        async with self._turns.turn(_priority.get() if level is None else level):
            loop = asyncio.get_running_loop()
            while True:
                now = loop.time()
                while (
                    self._slots
                    and self._slots[0][0] is not None
                    and self._slots[0][0] <= now - self.window
                ):
                    self._slots.popleft()
                delay = max(0.0, self._last_release + self.gap - now)
                if len(self._slots) >= self.capacity:
                    oldest = self._slots[0][0]
                    # In flight still: it may arrive any moment, so wait for its answer.
                    delay = max(
                        delay, (oldest + self.window - now) if oldest is not None else self.gap
                    )
                if delay <= 0:
                    break
                await asyncio.sleep(delay)
            self._slots.append(slot)
            self._last_release = loop.time()
        return slot

    def done(self, slot: list[float | None]) -> None:
        """The send answered (or failed): its second starts counting down now."""
        slot[0] = asyncio.get_running_loop().time()


class PacedRequest(HTTPXRequest):
    """PTB's HTTP layer with the overall pacing applied right before each message leaves,
    so that nothing between the pacer and the network can bunch messages together."""

    PACED = ("send", "edit", "copy", "forward")

    def __init__(
        self, pacer: GlobalPacer, *, shared: SharedBudget | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.pacer, self.shared = pacer, shared

    async def do_request(
        self, url: str, method: str, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        if not url.rsplit("/", 1)[-1].startswith(self.PACED):
            return await super().do_request(url, method, *args, **kwargs)
        # This process's turn first (by priority: a waiting person's answer before a
        # flood's), then the place the other processes' sends leave (in that order).
        slot = await self.pacer.wait()
        try:
            held = await self.shared.overall() if self.shared is not None else None
            try:
                may_send()  # a reminder: not after a stop, nor in the quiet hours
                return await super().do_request(url, method, *args, **kwargs)
            finally:
                if held is not None:
                    await self.shared.done(held)
        finally:
            self.pacer.done(slot)


class ChatPacer:
    """At most one message per ``interval`` seconds to each chat (monotonic time),
    counted from the previous one's answer: it arrived before that, and a message may
    wait for an overall place (or upload a file) after its own turn came, so counting
    from the turn would bunch two of them in Telegram's second."""

    def __init__(self, interval: float, shared: SharedBudget | None = None) -> None:
        self.interval, self.shared = interval, shared
        self._next: dict[str, float] = {}
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    @contextlib.asynccontextmanager
    async def place(self, chat_id: str) -> AsyncIterator[None]:
        """Send one message to ``chat_id`` inside: the chat's next waits for its answer."""
        if self.interval <= 0:
            yield
            return
        async with self._locks[chat_id]:
            loop = asyncio.get_running_loop()
            delay = self._next.get(chat_id, 0.0) - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            if self.shared is not None:
                await self.shared.chat(chat_id)
            try:
                yield
            finally:
                self._next[chat_id] = loop.time() + self.interval
