"""A dispatcher process's liveness on PostgreSQL: an advisory lock held on a connection
of its own (autocommit, never returned to the pool) for as long as the process lives.
When the process is killed its connection closes and the lock goes with it, so the next
process's tick sees it gone (``models.outbox_processes.release_orphans``) and re-queues its claims
at once instead of after the heartbeat's minutes. On SQLite (one process per file, by
its lock file) there is nothing to hold."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from models.process_locks import hold_owner_lock, release_owner_lock


class OwnerLock:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], owner: str) -> None:
        self.sessions, self.owner = sessions, owner
        self.connection: AsyncConnection | None = None
        self._checked = False

    async def hold(self) -> None:
        """Take the lock once (cheap to call at every tick)."""
        if self._checked:
            return
        self._checked = True
        engine = self.sessions.kw.get("bind")
        if engine is None or engine.dialect.name != "postgresql":
            return
        connection = await engine.connect()
        connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await hold_owner_lock(connection, self.owner)
        self.connection = connection

    async def release(self) -> None:
        """At a graceful stop: give the lock and its connection back."""
        if self.connection is not None:
            await release_owner_lock(self.connection, self.owner)
            await self.connection.close()
            self.connection = None
        self._checked = False
