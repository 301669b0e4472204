"""SQLite under the async engine in one trip per statement.

aiosqlite runs every DB-API call in the connection's own thread. SQLAlchemy's adapter
makes four trips per statement (open a cursor, execute, fetch the rows, close), each a
handover of the GIL between the event loop and that thread; measured on a commune's
``/tiendo`` (five statements), the handovers were a quarter of the time of the event
loop, more on a busy machine. ``OneTripConnection`` (an aiosqlite ``Connection``) does
the four in one trip: its cursor opens, executes, fetches and closes in the thread and
keeps the rows, ``description``, ``rowcount`` and ``lastrowid`` for SQLAlchemy to read.
A commit or rollback with no transaction open (a request that only read) makes no trip.
Everything else (commit, rollback, close, the thread) is aiosqlite's.

Written by hand because neither library offers it; ``async_creator`` is SQLAlchemy's
documented way to hand it a connection (``connector``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import Any

import aiosqlite
from sqlalchemy.engine import make_url

Row = tuple[Any, ...]


class OneTripCursor:
    """A DB-API cursor whose ``execute`` runs in one trip to the connection's thread."""

    arraysize = 1

    def __init__(self, connection: OneTripConnection) -> None:
        self._connection = connection
        self._rows: list[Row] = []
        self.description: Sequence[Any] | None = None
        self.rowcount = -1
        self.lastrowid: int | None = None

    async def __aenter__(self) -> OneTripCursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self._rows = []

    async def execute(self, sql: str, parameters: Any = None) -> OneTripCursor:
        run = partial(_run, "execute", sql, () if parameters is None else parameters)
        self._take(await self._connection.in_thread(run))
        return self

    async def executemany(self, sql: str, parameters: Any) -> OneTripCursor:
        self._take(await self._connection.in_thread(partial(_run, "executemany", sql, parameters)))
        return self

    def _take(self, result: tuple[list[Row], Any, int, int | None]) -> None:
        self._rows, self.description, self.rowcount, self.lastrowid = result

    async def fetchall(self) -> list[Row]:
        rows, self._rows = self._rows, []
        return rows

    async def fetchone(self) -> Row | None:
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Row]:
        size = size or self.arraysize
        rows, self._rows = self._rows[:size], self._rows[size:]
        return rows

    async def close(self) -> None:
        self._rows = []

    async def setinputsizes(self, *_sizes: object) -> None:
        return None


def _run(
    method: str, sql: str, parameters: Any, connection: sqlite3.Connection
) -> tuple[list[Row], Any, int, int | None]:
    """In the connection's thread: the statement run, its rows read, the cursor closed."""
    cursor = connection.cursor()
    try:
        getattr(cursor, method)(sql, parameters)
        rows = cursor.fetchall() if cursor.description else []
        return rows, cursor.description, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneTripConnection(aiosqlite.Connection):
    """aiosqlite's connection with ``OneTripCursor`` cursors."""

    def cursor(self) -> OneTripCursor:  # type: ignore[override]
        return OneTripCursor(self)

    async def commit(self) -> None:
        if not self._idle():  # a read-only request opened no transaction: no trip
            await super().commit()

    async def rollback(self) -> None:
        if not self._idle():  # the pool's reset after a commit: no trip
            await super().rollback()

    def _idle(self) -> bool:
        """Open and in no transaction. Nothing else runs on this connection meanwhile
        (SQLAlchemy awaits each call), and SQLite answers this from any thread."""
        connection = self._connection
        return connection is not None and not connection.in_transaction

    async def in_thread(self, run: Callable[[sqlite3.Connection], Any]) -> Any:
        """``run(sqlite3 connection)`` in the connection's thread, in one trip."""
        return await self._execute(lambda: run(self._conn))


def connector(url: str) -> Callable[[], Awaitable[OneTripConnection]]:
    """What ``create_async_engine(url, async_creator=…)`` calls for a new connection:
    the arguments sqlite3 gets are the ones SQLAlchemy's dialect gives for ``url``."""
    parsed = make_url(url)
    args, kwargs = parsed.get_dialect()().create_connect_args(parsed)

    async def connect() -> OneTripConnection:
        connection = OneTripConnection(partial(sqlite3.connect, *args, **kwargs), 64)
        connection._thread.daemon = True  # as SQLAlchemy does: never holds the exit
        return await connection

    return connect
