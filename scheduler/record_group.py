"""Group commit of "sent" (issue 24): in a storm, the marks of messages answered close
together are written in one transaction instead of one each, so a message costs a
fraction of a session (and of a connection checkout, with its pre-ping on PostgreSQL).

A send still waits for its own mark to be written before it counts as recorded: the
rule does not change (claimed before the send, on the wire before it, sent after the
answer; a crash in between leaves it "maybe sent", sent again marked as such). What
changes is only how long an answered message may wait for its mark: while other sends
are in flight, up to ``linger`` seconds (or until ``size`` marks wait, or every send in
flight is waiting), so that they share one write. Alone, it is written at once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

Entry = TypeVar("Entry")


class RecordGroup(Generic[Entry]):
    def __init__(
        self,
        write: Callable[[list[Entry]], Awaitable[None]],
        in_flight: Callable[[], int],
        *,
        linger: float = 0.25,
        size: int = 32,
    ) -> None:
        self.write, self.in_flight = write, in_flight
        self.linger, self.size = linger, size
        self._waiting: list[tuple[Entry, asyncio.Future[None]]] = []
        self._flusher: asyncio.Future[None] | None = None
        self._ready = asyncio.Event()

    async def add(self, entry: Entry) -> None:
        """Returns once ``entry`` is written (with the others waiting then); raises the
        write's error (then none of that group was written: the caller writes it alone)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((entry, done))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.ensure_future(self._flush())
        elif self._enough():
            self._ready.set()
        await asyncio.shield(done)  # a cancelled sender does not cancel the others' write

    def _enough(self) -> bool:
        return len(self._waiting) >= min(self.size, max(1, self.in_flight()))

    async def _flush(self) -> None:
        while self._waiting:
            if self.linger > 0 and not self._enough():
                self._ready.clear()
                try:
                    await asyncio.wait_for(self._ready.wait(), self.linger)
                except TimeoutError:
                    pass
            group, self._waiting = self._waiting[: self.size], self._waiting[self.size :]
            try:
                await self.write([entry for entry, _done in group])
            except Exception as error:  # noqa: BLE001 - handed to each waiting sender
                for _entry, done in group:
                    if not done.done():
                        done.set_exception(error)
            else:
                for _entry, done in group:
                    if not done.done():
                        done.set_result(None)
