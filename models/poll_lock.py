"""Which process receives a polled channel, on PostgreSQL: the one that holds the
channel's session-level advisory lock (``pg_try_advisory_lock``) on a connection of its
own. The lock dies with that connection, so a killed process hands it on by itself.

The key is derived from the channel and a hash of its token: two bots on one database
poll independently, and the token itself is never written anywhere.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection


def poll_key(channel: str, token: str) -> int:
    """The advisory-lock key of polling ``channel`` with ``token`` (a signed 64-bit int)."""
    secret = hashlib.sha256(token.encode()).hexdigest()
    digest = hashlib.sha256(f"dondoc:poll:{channel}:{secret}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


async def try_poll_lock(connection: AsyncConnection, key: int) -> bool:
    """Take the lock on ``connection`` if nobody holds it; never waits."""
    return bool(await connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}))


async def release_poll_lock(connection: AsyncConnection, key: int) -> None:
    await connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})


async def still_connected(connection: AsyncConnection) -> None:
    """Raises when the connection (and so the lock it holds) is gone."""
    await connection.execute(text("SELECT 1"))


async def poll_lock_held(connection: AsyncConnection, key: int) -> bool:
    """Whether some session holds the lock (for ``dondoc status``, from outside).
    PostgreSQL shows a bigint advisory key as its high and low halves, ``objsubid`` 1."""
    unsigned = key & 0xFFFFFFFFFFFFFFFF
    held = await connection.scalar(
        text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND classid = :high AND objid = :low AND objsubid = 1"
        ),
        {"high": unsigned >> 32, "low": unsigned & 0xFFFFFFFF},
    )
    return bool(held)
