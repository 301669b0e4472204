"""When the dispatcher runs: at once at start, then at the next moment something is due
(the earliest pending reminder, the end of a pause or back-off, the next planning
pass), or at once when new work is queued (``wake``: a registration, a notice, a
re-plan request committed). ``cap`` bounds the wait, for work another process queued on
a shared database, which sends no signal here.

The waits are measured on the one clock (``Clock``): a clock started at a chosen moment
runs at normal speed, so the wait until 08:00 by that clock is the wait in real
seconds. Tests replace ``wait`` to move a frozen clock instead and count the runs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from scheduler.clock import Clock

log = logging.getLogger(__name__)

FLOOR = 0.01  # seconds: never a busy loop
HELD_WAIT = 5.0  # rows due before the run began and still pending were held back by it


class WakeLoop:
    def __init__(
        self,
        clock: Clock,
        job: Callable[[], Awaitable[None]],
        next_at: Callable[[], Awaitable[datetime | None]],
        *,
        cap: float,
    ) -> None:
        self.clock, self.job, self.next_at, self.cap = clock, job, next_at, cap
        self.runs = 0
        self._event: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self._began: datetime | None = None  # when the last run began, by the clock

    def wake(self) -> None:
        """New work was queued: run now (or right after the run going on)."""
        if self._event is not None:
            self._event.set()

    async def delay(self) -> float:
        """Seconds until the next run: to the next due moment, at most ``cap``."""
        moment = await self.next_at()
        if moment is None:
            return self.cap
        if self._began is not None and moment <= self._began:  # the run saw it, kept it
            return min(HELD_WAIT, self.cap)  # (a re-plan that failed): look again later
        seconds = (moment - self.clock.now()).total_seconds()  # due during the run: now
        return min(max(seconds, FLOOR), self.cap)

    async def wait(self, seconds: float) -> None:
        """Sleep ``seconds`` unless woken first."""
        assert self._event is not None
        try:
            await asyncio.wait_for(self._event.wait(), seconds)
        except TimeoutError:
            pass

    async def run(self) -> None:
        self._event = self._event or asyncio.Event()
        while not self._closing:
            self._event.clear()
            self.runs += 1
            self._began = self.clock.now()
            try:
                await self.job()
                seconds = await self.delay()
            except Exception:  # the loop must survive a bad run; the next one retries
                log.exception("reminder run failed")
                seconds = self.cap
            if self._closing:
                break
            await self.wait(seconds)

    def start(self) -> None:
        if self._task is None:
            self._event = asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(self.run())

    @property
    def task(self) -> asyncio.Task[None] | None:
        return self._task

    def stop(self) -> None:
        """No further run; the one going on ends by itself (the dispatcher is closed)."""
        self._closing = True
        self.wake()
