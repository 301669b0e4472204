"""Telegram's budgets (30 messages a second overall, one a second per chat) shared by
every dondoc process on one PostgreSQL database: one row per budget (``send_pace``)
holds the moment its next message may leave. Taking a place is one atomic statement
(``INSERT … ON CONFLICT DO UPDATE … RETURNING``: the row lock serialises the
processes), timed by the database server's clock, the one clock all the processes
share; the caller then waits until its place comes. On SQLite there is one process.
A row whose moment has passed says no more than no row (``greatest`` with the clock),
so rows idle for ``PRUNE_AFTER`` are deleted (``prune``): one row per chat ever written
to would otherwise stay for good. The delete re-checks its condition on a row another
process just moved forward (PostgreSQL's read committed), so it never drops a place.

The overall budget is kept as ``capacity`` slots instead (rows ``<key>#0`` …): places a
fixed gap apart are exact only at the database, while a message reaches Telegram after
a sleep and a trip that vary (a busy event loop sends late, then beside on-time ones:
the storm bench saw 31 in a second with places 1/24 s apart). A slot is held from its
taking until ``window`` after its send answered (``free_slot``), so each slot lets at
most one message arrive in any window, whatever the delays: ``capacity`` a window in
all. Slot rows are few and fixed, so pruning leaves them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import Float, Row, String, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.pool_ping import again_if_lost

PRUNE_AFTER = 60.0  # seconds a budget's moment has passed before its row goes


class SendPace(Base):
    __tablename__ = "send_pace"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    next_at: Mapped[float] = mapped_column(Float)  # seconds since the epoch, server clock


@asynccontextmanager
async def _autocommit(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection whose statements commit each on its own: every statement here is
    atomic alone, and a storm's three a message then cost no BEGIN and COMMIT trips."""
    async with engine.connect() as connection:
        yield await connection.execution_options(isolation_level="AUTOCOMMIT")


_TAKE = text(
    """
    INSERT INTO send_pace (key, next_at)
    VALUES (:key, extract(epoch from clock_timestamp()) + :gap)
    ON CONFLICT (key) DO UPDATE
    SET next_at = greatest(send_pace.next_at, extract(epoch from clock_timestamp())) + :gap
    RETURNING next_at - :gap - extract(epoch from clock_timestamp())
    """
)


async def take_place(engine: AsyncEngine, key: str, gap: float) -> float:
    """Take the next place of budget ``key`` (places ``gap`` seconds apart); returns
    how many seconds to wait before sending (0 or more)."""

    async def take() -> float:
        async with _autocommit(engine) as connection:
            return (await connection.execute(_TAKE, {"key": key[:80], "gap": gap})).scalar_one()

    return max(0.0, float(await again_if_lost(take)))


_PRUNE = text(
    "DELETE FROM send_pace WHERE next_at < extract(epoch from clock_timestamp()) - :after"
    " AND strpos(key, '#') = 0"
)
HOLD = 60.0  # seconds a slot stays taken when its process never says the send ended (a crash)

_TAKE_SLOT = text(
    """
    WITH free AS (
        SELECT key, next_at FROM send_pace
        WHERE key LIKE :pattern AND next_at <= extract(epoch from clock_timestamp()) + :horizon
        ORDER BY next_at LIMIT 1 FOR UPDATE SKIP LOCKED)
    UPDATE send_pace SET next_at = greatest(free.next_at, extract(epoch from clock_timestamp())) + :hold
    FROM free WHERE send_pace.key = free.key
    RETURNING send_pace.key, send_pace.next_at, free.next_at - extract(epoch from clock_timestamp())
    """
)
_SLOTS = text("SELECT count(*) FROM send_pace WHERE key LIKE :pattern")
_MAKE_SLOT = text("INSERT INTO send_pace (key, next_at) VALUES (:key, 0) ON CONFLICT DO NOTHING")
_FREE_SLOT = text(
    """
    UPDATE send_pace SET next_at = extract(epoch from clock_timestamp()) + :window
    WHERE key = :key AND abs(next_at - :held) < 1e-6
    """
)


async def take_slot(
    engine: AsyncEngine, key: str, capacity: int, horizon: float
) -> tuple[tuple[str, float], float] | None:
    """Take the slot of budget ``key`` (``capacity`` slots; ``key`` without ``%``, ``_``
    or ``#``) that frees first, if it frees within ``horizon`` seconds (a slot whose
    send is still in flight does not: None, ask again soon). Returns the slot (for
    ``free_slot``) and how many seconds to wait before sending (0 or more)."""
    pattern = key[:70] + "#%"

    async def take() -> Row | None:
        async with _autocommit(engine) as connection:
            found = {"pattern": pattern, "horizon": horizon, "hold": HOLD}
            row = (await connection.execute(_TAKE_SLOT, found)).first()
            if row is None and (await connection.scalar(_SLOTS, {"pattern": pattern})) < capacity:
                rows = [{"key": f"{key[:70]}#{n}"} for n in range(capacity)]  # the first use
                await connection.execute(_MAKE_SLOT, rows)
                row = (await connection.execute(_TAKE_SLOT, found)).first()
        return row

    # (a slot taken by a try whose answer was lost frees itself after ``HOLD``)
    row = await again_if_lost(take)
    if row is None:
        return None
    slot, held, wait = row
    return (slot, float(held)), max(0.0, float(wait))


async def free_slot(engine: AsyncEngine, slot: tuple[str, float], window: float) -> None:
    """The send of ``slot`` answered (or failed): the slot is free ``window`` seconds
    from now (unless it was given to another send meanwhile, after ``HOLD``)."""
    key, held = slot

    async def free() -> None:
        async with _autocommit(engine) as connection:
            await connection.execute(_FREE_SLOT, {"key": key, "held": held, "window": window})

    await again_if_lost(free)


async def prune(engine: AsyncEngine, after: float = PRUNE_AFTER) -> int:
    """Delete the budgets idle for ``after`` seconds; returns how many."""
    async with _autocommit(engine) as connection:
        result = await connection.execute(_PRUNE, {"after": after})
    return result.rowcount or 0
