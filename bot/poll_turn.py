"""One receiver per polled channel when several ``dondoc run`` share a PostgreSQL
database. Telegram answers a second long poll with 409 "terminated by other getUpdates
request" (and Zalo would split one chat's messages between processes, out of order), so
only the process holding the channel's advisory lock (``models.poll_lock``) polls; the
others keep sending reminders and serving their web pages, and try the lock again every
``interval`` seconds. A killed poller's connection closes, PostgreSQL frees its lock and
another process starts polling at its next try.

The holder checks its connection twice per interval: a lock it can no longer prove it
holds (the database restarted, the session was ended) stops its polling. A process that
wins the lock waits one interval before polling, so a holder that lost its session
without dying has noticed and stopped by then; a takeover takes one to two intervals.
A graceful stop stops polling first and frees the lock after, so two processes never
poll at once on the way out either. The ``stop`` given also ends the handling (the
messages being handled get a grace; ``bot.channels.inbox`` keeps the others), so the
next poller, which handles first what was kept and not handled, never handles one this
process is still handling.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from models.poll_lock import poll_key, release_poll_lock, still_connected, try_poll_lock

log = logging.getLogger("dondoc")

POLLER, STANDBY, STARTING = "poller", "standby", "starting"
CHECK_TIMEOUT = 10.0  # seconds: a database that does not answer the check for longer counts as lost


def standby_text(channel: str) -> str:
    """The operator's line (the log, in Vietnamese like the other operator lines)."""
    name = {"telegram": "Telegram", "zalo": "Zalo"}.get(channel, channel)
    return f"Tiến trình khác đang nhận tin nhắn {name}; tiến trình này chỉ gửi nhắc việc."


class PollTurn:
    """Poll ``channel`` (``start``/``stop`` its polling) only while holding its lock."""

    def __init__(
        self,
        engine: AsyncEngine,
        channel: str,
        token: str,
        *,
        start: Callable[[], Awaitable[None]],
        stop: Callable[[], Awaitable[None]],
        interval: float = 5.0,
        on_role: Callable[[str], None] | None = None,
    ) -> None:
        self.engine, self.channel, self.key = engine, channel, poll_key(channel, token)
        self._start, self._stop, self.interval = start, stop, interval
        self._on_role = on_role
        self.role = STARTING
        self.polling = False
        self._connection: AsyncConnection | None = None
        self._task: asyncio.Task[None] | None = None
        self._said_standby = False

    def begin(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(
                self._run(), name=f"poll-turn-{self.channel}"
            )

    async def end(self) -> None:
        """Stop polling, then free the lock (a graceful stop: SIGTERM, Ctrl-C)."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        await self._stop_polling()
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                if self.role == POLLER:
                    await asyncio.wait_for(release_poll_lock(connection, self.key), CHECK_TIMEOUT)
                await connection.close()
            except Exception:  # noqa: BLE001 - gone already: PostgreSQL freed the lock
                await _drop(connection)
        self._set_role(STANDBY)

    # -- the loop ---------------------------------------------------------------------------

    async def _run(self) -> None:
        while True:
            try:
                await self._turn()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - the next turn tries again
                log.warning("%s: thử nhận tin nhắn không được (%s)", self.channel, _brief(error))
            await asyncio.sleep(self.interval / 2 if self.role == POLLER else self.interval)

    async def _turn(self) -> None:
        if self.role == POLLER:
            if not await self._still_held():
                await self._lose()
                return
        else:
            if not await self._take():
                self._set_role(STANDBY)
                if not self._said_standby:  # once, not at every try
                    log.info("%s", standby_text(self.channel))
                    self._said_standby = True
                return
            self._said_standby = False
            self._set_role(POLLER)
            # the former holder, if its session ended under it, stops within this wait
            await asyncio.sleep(self.interval)
            if not await self._still_held():
                await self._lose()
                return
            log.info("Tiến trình này nhận tin nhắn %s (polling).", self.channel)
        if not self.polling:
            await self._start()
            self.polling = True

    async def _take(self) -> bool:
        try:
            if self._connection is None:
                self._connection = await self.engine.connect()  # kept across tries
                await self._connection.execution_options(isolation_level="AUTOCOMMIT")
            return await asyncio.wait_for(try_poll_lock(self._connection, self.key), CHECK_TIMEOUT)
        except Exception:
            await self._forget_connection()
            raise

    async def _still_held(self) -> bool:
        assert self._connection is not None
        try:
            await asyncio.wait_for(still_connected(self._connection), CHECK_TIMEOUT)
        except Exception as error:  # noqa: BLE001 - cannot prove it: let go
            log.warning(
                "Mất kết nối giữ quyền nhận tin nhắn %s (%s): ngừng nhận, thử lại sau.",
                self.channel,
                _brief(error),
            )
            return False
        return True

    async def _lose(self) -> None:
        await self._stop_polling()
        await self._forget_connection()
        self._set_role(STANDBY)

    async def _stop_polling(self) -> None:
        if self.polling:
            self.polling = False
            try:
                await self._stop()
            except Exception as error:  # noqa: BLE001 - stopping goes on
                log.warning("%s: dừng nhận tin nhắn lỗi (%s)", self.channel, _brief(error))

    async def _forget_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            await _drop(connection)

    def _set_role(self, role: str) -> None:
        if role != self.role:
            self.role = role
            if self._on_role is not None:
                self._on_role(role)


async def _drop(connection: AsyncConnection) -> None:
    """Throw a connection away, never back to the pool: it may still hold the lock."""
    with contextlib.suppress(Exception):
        await connection.invalidate()
    with contextlib.suppress(Exception):
        await connection.close()


def _brief(error: BaseException) -> str:
    first = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {first}"[:200]
