"""Pacing Telegram's sends: at most ``rate`` a rolling second overall (``GlobalPacer``,
applied in PTB's HTTP layer right before a message leaves: ``PacedRequest``) and one a
second per chat (``ChatPacer``), which AIORateLimiter does not do for private chats.
Several processes on one PostgreSQL share the two budgets (``SharedBudget``, slots and
places taken in ``models.send_budget``) so that together they stay under Telegram's limits.
Right before a request leaves, ``scheduler.send_gate.may_send`` may still hold a
reminder back (a stop, the quiet hours)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict, deque
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
        self._lock = asyncio.Lock()

    async def wait(self) -> list[float | None]:
        """Wait for a free place; returns the slot to hand to ``done`` after the send."""
        slot: list[float | None] = [None]
        if self.capacity <= 0:
            return slot
        async with self._lock:  # held while sleeping: releases happen one at a time
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
        held = None
        if self.shared is not None:  # the other processes' sends count too
            held = await self.shared.overall()
        try:
            slot = await self.pacer.wait()
            try:
                may_send()  # a reminder: not after a stop, nor in the quiet hours
                return await super().do_request(url, method, *args, **kwargs)
            finally:
                self.pacer.done(slot)
        finally:
            if held is not None:
                await self.shared.done(held)


class ChatPacer:
    """At most one message per ``interval`` seconds to each chat (monotonic time)."""

    def __init__(self, interval: float, shared: SharedBudget | None = None) -> None:
        self.interval, self.shared = interval, shared
        self._next: dict[str, float] = {}
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def wait(self, chat_id: str) -> None:
        if self.interval <= 0:
            return
        async with self._locks[chat_id]:
            loop = asyncio.get_running_loop()
            now = loop.time()
            ready = self._next.get(chat_id, now)
            if ready > now:
                await asyncio.sleep(ready - now)
            self._next[chat_id] = max(ready, now) + self.interval
            if self.shared is not None:
                await self.shared.chat(chat_id)
