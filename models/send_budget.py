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
"""

from __future__ import annotations

from sqlalchemy import Float, String, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base

PRUNE_AFTER = 60.0  # seconds a budget's moment has passed before its row goes


class SendPace(Base):
    __tablename__ = "send_pace"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    next_at: Mapped[float] = mapped_column(Float)  # seconds since the epoch, server clock


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
    async with engine.begin() as connection:
        wait = (await connection.execute(_TAKE, {"key": key[:80], "gap": gap})).scalar_one()
    return max(0.0, float(wait))


_PRUNE = text(
    "DELETE FROM send_pace WHERE next_at < extract(epoch from clock_timestamp()) - :after"
)


async def prune(engine: AsyncEngine, after: float = PRUNE_AFTER) -> int:
    """Delete the budgets idle for ``after`` seconds; returns how many."""
    async with engine.begin() as connection:
        result = await connection.execute(_PRUNE, {"after": after})
    return result.rowcount or 0
