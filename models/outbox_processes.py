"""Which dispatching processes are alive, and what becomes of the claims of those that
are gone: each process beats a heartbeat row; at start and on every tick the claims of
dead processes go back to pending (what was on the wire when one died: maybe sent)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.outbox import PENDING, SENDING, DispatcherProcess, OutboxItem
from models.process_locks import lock_is_free


async def heartbeat(session: AsyncSession, owner: str, now: datetime) -> None:
    """Show that ``owner`` is alive (and register it the first time, or again if its row
    went: one statement, so a row deleted meanwhile never fails the beat)."""
    beat = await session.execute(
        update(DispatcherProcess)
        .where(DispatcherProcess.owner == owner)
        .values(heartbeat_at=now)
        .execution_options(synchronize_session=False)
    )
    if not beat.rowcount:
        session.add(DispatcherProcess(owner=owner, started_at=now, heartbeat_at=now))
        await session.flush()


async def release_orphans(
    session: AsyncSession, owner: str, now: datetime, *, stale_after: timedelta, exclusive: bool
) -> int:
    """Claims of processes that are gone go back to pending: at once when this process
    is the only one (``exclusive``: SQLite, guarded by its lock file), on PostgreSQL those
    of processes whose owner lock is free (killed), else those whose heartbeat is older
    than ``stale_after``."""
    if exclusive:
        alive = [owner]
    else:
        alive = list(
            await session.scalars(
                select(DispatcherProcess.owner).where(
                    or_(
                        DispatcherProcess.owner == owner,
                        DispatcherProcess.heartbeat_at >= now - stale_after,
                    )
                )
            )
        )
        if session.bind.dialect.name == "postgresql":
            # A live process holds its owner lock; a killed one's lock went with its
            # connection, so its claims come back at once, not after ``stale_after``.
            alive = [o for o in alive if o == owner or not await lock_is_free(session, o)]
    await session.execute(delete(DispatcherProcess).where(DispatcherProcess.owner.not_in(alive)))
    orphan = (
        OutboxItem.state == SENDING,
        or_(OutboxItem.claimed_by.is_(None), OutboxItem.claimed_by.not_in(alive)),
    )
    # What was on the wire when its process died may have been delivered: maybe sent.
    await session.execute(
        update(OutboxItem)
        .where(*orphan, OutboxItem.wire_at.is_not(None))
        .values(state=PENDING, claimed_by=None, maybe_at=OutboxItem.wire_at, wire_at=None)
        .execution_options(synchronize_session=False)
    )
    result = await session.execute(
        update(OutboxItem)
        .where(*orphan)
        .values(state=PENDING, claimed_by=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


async def retire(session: AsyncSession, owner: str) -> None:
    """A process that stops cleanly leaves no trace."""
    await session.execute(delete(DispatcherProcess).where(DispatcherProcess.owner == owner))
