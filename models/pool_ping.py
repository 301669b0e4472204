"""PostgreSQL connections checked before use only when they have sat idle.

SQLAlchemy's ``pool_pre_ping`` checks every checkout, and on asyncpg a check is three
round trips (BEGIN, an empty query, ROLLBACK): more than a commune's ``/tiendo`` spends
on its own statements. A connection that was in use a moment ago is alive unless the
server restarted in that moment, so only one idle for ``IDLE_PING_SECONDS`` is pinged;
a dead one is replaced before the request sees it (the pool's documented
``DisconnectionError`` retry). A server that restarted within that moment fails the
statement instead, SQLAlchemy then invalidates the pool's older connections, and the
conversation answers the message again on a fresh one (``is_disconnect``); the
statements of the shared send budget do the same (``again_if_lost``).

The pool hands out its most recently used connection first (``use_lifo``), so under a
steady load the connections in use stay fresh and a quiet pool's extras are the ones
pinged.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine

IDLE_PING_SECONDS = 2.0
ATTEMPTS = 3  # connections lost at once are found one by one by concurrent work
T = TypeVar("T")
_RETURNED = "dondoc_returned_at"  # when the connection last went back to the pool


def ping_when_idle(engine: AsyncEngine) -> None:
    """Ping ``engine``'s connections at checkout only after ``IDLE_PING_SECONDS`` idle."""
    pool = engine.sync_engine.pool
    event.listen(pool, "connect", _fresh)
    event.listen(pool, "checkin", _returned)
    event.listen(pool, "checkout", _checked_out)


def is_disconnect(error: BaseException) -> bool:
    """Whether ``error`` is a lost database connection (the pool has dropped it)."""
    return isinstance(error, DBAPIError) and error.connection_invalidated


async def again_if_lost(work: Callable[[], Awaitable[T]]) -> T:
    """``work`` (a transaction, or one statement that is atomic alone), done again on a
    fresh connection when its connection was lost, up to ``ATTEMPTS`` times."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await work()
        except DBAPIError as error:
            if attempt == ATTEMPTS or not error.connection_invalidated:
                raise
    raise AssertionError("unreachable")


def _fresh(dbapi_connection: object, record: object) -> None:
    record.info[_RETURNED] = time.monotonic()  # type: ignore[attr-defined]  # just opened


def _returned(dbapi_connection: object, record: object) -> None:
    if dbapi_connection is not None:
        record.info[_RETURNED] = time.monotonic()  # type: ignore[attr-defined]


def _checked_out(dbapi_connection: object, record: object, proxy: object) -> None:
    returned = record.info.get(_RETURNED)  # type: ignore[attr-defined]
    if returned is not None and time.monotonic() - returned < IDLE_PING_SECONDS:
        return
    try:
        dbapi_connection.ping()  # type: ignore[attr-defined]  # (runs in SQLAlchemy's greenlet)
    except Exception as error:
        raise DisconnectionError("the connection did not answer a ping") from error
