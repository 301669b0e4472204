"""Telegram's budgets (30 messages a second overall, one a second per chat) shared by
every dondoc process on one PostgreSQL database: one row per budget (``send_pace``)
holds the moment its next message may leave. Taking a place is one atomic statement
(``INSERT … ON CONFLICT DO UPDATE … RETURNING``: the row lock serialises the
processes), timed by the database server's clock, the one clock all the processes
share; the caller then waits until its place comes. On SQLite there is one process.
"""

from __future__ import annotations

from sqlalchemy import Float, String, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


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
