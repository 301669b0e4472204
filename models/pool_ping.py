"""PostgreSQL connections checked before use only when they have sat idle.

SQLAlchemy's ``pool_pre_ping`` checks every checkout, and on asyncpg a check is three
round trips (BEGIN, an empty query, ROLLBACK): more than a commune's ``/tiendo`` spends
on its own statements. A connection that was in use a moment ago is alive unless the
server restarted in that moment, so only one idle for ``IDLE_PING_SECONDS`` is pinged;
a dead one is replaced before the request sees it (the pool's documented
``DisconnectionError`` retry). A server that restarted within that moment fails the
statement instead, SQLAlchemy then invalidates the pool's older connections, and the
work is done again on a fresh one (``again_if_lost``: a message's transaction, the
shared send budget's statements).

The pool hands out its most recently used connection first (``use_lifo``), so under a
steady load the connections in use stay fresh and a quiet pool's extras are the ones
pinged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)
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


async def again_if_lost(work: Callable[[], Awaitable[T]]) -> T:
    """``work`` (a transaction, or one statement that is atomic alone), done again on a
    fresh connection when its connection was lost, up to ``ATTEMPTS`` times. (A loss
    at the very commit cannot be told from one before it: done again, as the person
    would send the message again after an error.)"""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await work()
        except DBAPIError as error:
            if attempt == ATTEMPTS or not error.connection_invalidated:
                raise
            log.warning("the database connection was lost; doing the work again")
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
