"""Chat lanes: the messages of different chats are handled at the same time, those of one
chat one after another, in the order they came.

Each chat with work waiting has a lane (a queue and one worker task); the worker ends when
its queue is empty, so an idle chat costs nothing. What a lane's job does is the channel's
business; the lanes give it two bounded pools to do the handling in (``handling``): at most
``handlers`` messages handled at once overall (database connections, CPU), and of them at
most ``heavy`` heavy ones (reports, charts, files), so ten ``/baocao`` never take every
place. Sending the answers (paced per chat by the channel) happens outside those pools,
still in the lane: a chat's answers keep their order and hold no one else up.

A person who floods: when ``busy_after`` messages wait in their lane, ``on_busy`` is told
once (the channel says "đang xử lý" politely); beyond ``max_waiting`` the new messages are
not queued and ``on_dropped`` is told once (the channel asks to send them again later).
Both reset when the lane has drained.

A stop (``close``): no job starts any more; those running get a grace, then are
cancelled; the jobs still queued are never run (the channel kept their updates, which
the next start hands over again: ``bot.channels.inbox``). ``reopen`` takes work again
(a poller that stopped and later polls again).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[None]]
Notice = Callable[[str], Awaitable[None]]

HANDLERS = 8  # messages handled at once (under SQLAlchemy's pool of 5 + 10 connections)
HEAVY = 2  # of which files, charts and reports (on 2 cores, more only queue for the CPU)
BUSY_AFTER = 3  # messages waiting in one chat before "đang xử lý"
MAX_WAITING = 50  # messages waiting in one chat; more are refused with a message


class ChatLanes:
    def __init__(
        self,
        *,
        handlers: int = HANDLERS,
        heavy: int = HEAVY,
        busy_after: int = BUSY_AFTER,
        max_waiting: int = MAX_WAITING,
        on_busy: Notice | None = None,
        on_dropped: Notice | None = None,
    ) -> None:
        self.busy_after, self.max_waiting = busy_after, max_waiting
        self.on_busy, self.on_dropped = on_busy, on_dropped
        self._handling = asyncio.Semaphore(max(handlers, 1))
        self._heavy = asyncio.Semaphore(max(heavy, 1))
        self._lanes: dict[str, deque[Job]] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._told_busy: set[str] = set()
        self._told_dropped: set[str] = set()
        self._notices: set[asyncio.Task[None]] = set()
        self.closed = False  # stopping: nothing new starts (``close``)

    def waiting(self, chat: str) -> int:
        """Messages of ``chat`` queued behind the one being handled."""
        return len(self._lanes.get(chat, ()))

    @property
    def busy_chats(self) -> int:
        return len(self._workers)

    def submit(self, chat: str, job: Job) -> bool:
        """Queue ``job`` in ``chat``'s lane; False if the lane is full or the lanes are
        closed (the job is not run; only a full lane tells the chat)."""
        if self.closed:
            return False
        lane = self._lanes.setdefault(chat, deque())
        if len(lane) >= self.max_waiting:
            if chat not in self._told_dropped:
                self._told_dropped.add(chat)
                self._notify(self.on_dropped, chat)
            return False
        lane.append(job)
        if len(lane) >= self.busy_after and chat not in self._told_busy:
            self._told_busy.add(chat)
            self._notify(self.on_busy, chat)
        if chat not in self._workers:
            self._workers[chat] = asyncio.get_running_loop().create_task(
                self._work(chat, lane), name=f"lane-{chat}"
            )
        return True

    @contextlib.asynccontextmanager
    async def handling(self, *, heavy: bool = False) -> AsyncIterator[None]:
        """A place in the handling pool (and in the heavy one first, for heavy work)."""
        if heavy:
            async with self._heavy, self._handling:
                yield
        else:
            async with self._handling:
                yield

    async def _work(self, chat: str, lane: deque[Job]) -> None:
        try:
            while lane and not self.closed:  # closed: the queued jobs wait for the next start
                job = lane.popleft()
                try:
                    await job()
                except Exception:  # one bad message never stops the chat's lane
                    log.exception("a message of chat %s failed", chat)
        finally:
            self._lanes.pop(chat, None)
            self._workers.pop(chat, None)
            self._told_busy.discard(chat)
            self._told_dropped.discard(chat)

    def _notify(self, notice: Notice | None, chat: str) -> None:
        if notice is None:
            return

        async def run() -> None:
            try:
                await notice(chat)
            except Exception:  # a courtesy: never in the way of the messages themselves
                log.warning("could not tell chat %s it is waiting", chat, exc_info=True)

        task = asyncio.get_running_loop().create_task(run())
        self._notices.add(task)
        task.add_done_callback(self._notices.discard)

    async def close(self, grace: float = 5.0) -> None:
        """Start nothing more; let the jobs running finish for ``grace`` seconds, then
        cancel them. The queued jobs are dropped unrun."""
        self.closed = True
        running = [*self._workers.values(), *self._notices]
        if not running:
            return
        _, late = await asyncio.wait(running, timeout=grace)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)

    async def idle(self) -> None:
        """Wait until every lane has drained (tests, benches)."""
        while self._workers:
            await asyncio.gather(*self._workers.values(), return_exceptions=True)

    def reopen(self) -> None:
        self.closed = False
