"""Updates a channel took from its platform, kept before the platform is told they were
received (``bot.channels.inbox``): a stop or a crash never loses a person's message that
was fetched but not yet handled, and an update the platform delivers again is not
handled twice.

One row per update (``source``: the channel and its bot; ``key``: the platform's id of
the update); ``handled_at`` is set when it was handled (or refused with a word to the
person). Rows not handled are handled first after a restart, in the order they came
(``id``). Handled rows stay ``KEEP_HANDLED`` for recognising a repeat, then go.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Index, String, Text, UniqueConstraint, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime

KEEP_HANDLED = timedelta(days=2)  # a platform re-delivers within minutes; days is ample


class InboxUpdate(Base):
    __tablename__ = "inbox_update"
    __table_args__ = (
        UniqueConstraint("source", "key"),
        Index("ix_inbox_update_source_handled", "source", "handled_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(80))
    chat: Mapped[str] = mapped_column(String(80))
    payload: Mapped[str] = mapped_column(Text)  # the update as the platform sent it (JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


async def keep_updates(
    session: AsyncSession, source: str, rows: list[tuple[str, str, str]], now: datetime
) -> set[str]:
    """Keep a batch of updates (key, chat, payload) in one statement; the keys that were
    new (the others are repeats)."""
    if not rows:
        return set()
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    values = [
        {"source": source, "key": key, "chat": chat, "payload": payload, "received_at": now}
        for key, chat, payload in rows
    ]
    statement = (
        insert(InboxUpdate)
        .values(values)
        .on_conflict_do_nothing(index_elements=["source", "key"])
        .returning(InboxUpdate.key)
    )
    return set((await session.scalars(statement)).all())


async def mark_handled(session: AsyncSession, source: str, key: str, now: datetime) -> None:
    await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.source == source, InboxUpdate.key == key)
        .values(handled_at=now)
    )


async def unhandled_updates(session: AsyncSession, source: str) -> list[str]:
    """The payloads of ``source``'s updates not handled yet, in the order they came."""
    rows = await session.scalars(
        select(InboxUpdate.payload)
        .where(InboxUpdate.source == source, InboxUpdate.handled_at.is_(None))
        .order_by(InboxUpdate.id)
    )
    return list(rows)


async def prune_handled(session: AsyncSession, source: str, now: datetime) -> int:
    result = await session.execute(
        delete(InboxUpdate).where(
            InboxUpdate.source == source, InboxUpdate.handled_at < now - KEEP_HANDLED
        )
    )
    return int(result.rowcount or 0)
