"""A dispatcher process's liveness on PostgreSQL: an advisory lock held on a connection
of its own (autocommit, never returned to the pool) for as long as the process lives.
When the process is killed its connection closes and the lock goes with it, so the next
process's tick sees it gone (``models.outbox_processes.release_orphans``) and re-queues its claims
at once instead of after the heartbeat's minutes. On SQLite (one process per file, by
its lock file) there is nothing to hold."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from models.process_locks import hold_owner_lock, release_owner_lock

log = logging.getLogger(__name__)
VERIFY_EVERY = 5.0  # seconds between checks that the lock's connection still stands


class OwnerLock:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], owner: str) -> None:
        self.sessions, self.owner = sessions, owner
        self.connection: AsyncConnection | None = None
        self._checked = False
        self._verified = 0.0  # (the event loop's clock: an interval, not a moment)

    async def hold(self) -> None:
        """Take the lock once, and again when its connection was lost: a database
        restart ends the connection and the lock with it, and the other processes would
        take this one for dead and re-queue its claims at every tick. Cheap to call at
        every tick: the connection is checked every ``VERIFY_EVERY`` seconds."""
        if self.connection is not None:
            moment = asyncio.get_running_loop().time()
            if moment - self._verified < VERIFY_EVERY:
                return
            if await self._stands():
                self._verified = moment
                return
            log.warning("the dispatcher's lock connection was lost; taking the lock again")
            await self._drop()
        elif self._checked:
            return  # SQLite: nothing to hold
        self._checked = True
        engine = self.sessions.kw.get("bind")
        if engine is None or engine.dialect.name != "postgresql":
            return
        connection = await engine.connect()
        connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await hold_owner_lock(connection, self.owner)
        self.connection = connection
        self._verified = asyncio.get_running_loop().time()

    async def release(self) -> None:
        """At a graceful stop: give the lock and its connection back (a lost connection
        took the lock with it already)."""
        if self.connection is not None:
            try:
                await release_owner_lock(self.connection, self.owner)
            except SQLAlchemyError:
                log.info("the dispatcher's lock connection was already lost")
            await self._drop()
        self._checked = False

    async def _stands(self) -> bool:
        """Whether the lock's connection still answers (an invalidated connection
        would reconnect quietly, without the lock)."""
        connection = self.connection
        if connection is None or connection.invalidated:
            return False
        try:
            await connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    async def _drop(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            try:
                await connection.close()
            except SQLAlchemyError:
                pass  # closing a lost connection: nothing left to close
