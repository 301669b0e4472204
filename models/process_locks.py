"""PostgreSQL advisory locks that tell whether a dispatcher process is alive: each holds
its owner's lock on a connection of its own (``scheduler.owner_lock``); a killed
process's lock goes with its connection, which ``lock_is_free`` sees."""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession


def owner_key(owner: str) -> int:
    """The PostgreSQL advisory-lock key of a dispatcher process (a signed 64-bit int)."""
    return int.from_bytes(
        hashlib.sha256(f"dondoc:{owner}".encode()).digest()[:8], "big", signed=True
    )


async def hold_owner_lock(connection: AsyncConnection, owner: str) -> None:
    """Take this process's owner lock on ``connection``, held while the process lives."""
    await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": owner_key(owner)})


async def release_owner_lock(connection: AsyncConnection, owner: str) -> None:
    await connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": owner_key(owner)})


async def lock_is_free(session: AsyncSession, owner: str) -> bool:
    key = {"key": owner_key(owner)}
    if await session.scalar(text("SELECT pg_try_advisory_lock(:key)"), key):
        await session.execute(text("SELECT pg_advisory_unlock(:key)"), key)
        return True
    return False
