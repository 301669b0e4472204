"""The database: engine and session factory for a URL, and migrations to the newest
schema with Alembic. The same code serves ``sqlite+aiosqlite`` (the embedded default)
and ``postgresql+asyncpg``.

SQLite runs through ``models.sqlite_driver`` (one trip to aiosqlite's thread per
statement), in WAL mode (readers never wait for the writer) with a busy timeout longer
than any write dondoc makes (planning writes in short batches), and one ``dondoc run``
per file: ``SingleRunner`` locks the database file itself (by its identity, not its
path) and refuses a second process. PostgreSQL is the answer for several processes.
"""

from __future__ import annotations

import fcntl
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from models.pool_ping import ping_when_idle
from models.sqlite_driver import connector

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_REVISION = re.compile(r'^(down_revision|revision)\s*=\s*"([^"]+)"', re.M)
BUSY_TIMEOUT_MS = 20_000  # waits for another writer this long before "database is locked"


class DatabaseInUse(Exception):
    """Another dondoc process already runs on this SQLite file."""


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def make_engine(url: str) -> AsyncEngine:
    """An engine for ``url``; a SQLite file's folder is created if missing."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if (
            parsed.database
            and parsed.database != ":memory:"
            and not parsed.database.startswith("file:")
        ):
            private_file(Path(parsed.database))  # (a "file:" URI is the operator's own)
        engine = create_async_engine(url, async_creator=connector(url))
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    # A storm's senders and the shared pacing hold many connections at once: kept in
    # the pool (12), not opened and closed again as overflow on every send (a new
    # asyncpg connection each time). Idle connections are pinged before use
    # (``models.pool_ping``), the most recently used handed out first.
    engine = create_async_engine(url, pool_size=12, max_overflow=8, pool_use_lifo=True)
    ping_when_idle(engine)
    return engine


def private_file(path: Path) -> None:
    """The database file made (or kept) readable by its owner only, before SQLite
    opens it: it holds live invite and link codes. SQLite gives its ``-wal`` and
    ``-shm`` files the database file's permissions; existing ones are tightened too."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    except OSError:
        return  # unwritable: SQLite says so itself, in one line (bot.cli)
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if file.exists() and file.stat().st_mode & 0o077:
                file.chmod(0o600)
        except OSError:
            pass  # not ours to change: left as it is


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def shipped_head() -> str | None:
    """The newest migration shipped, read from the files' ``revision`` and
    ``down_revision`` lines (the one no other revises); None if that is unclear."""
    revisions, revised = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for name, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            (revisions if name == "revision" else revised).add(value)
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 else None


async def current_revision(engine: AsyncEngine) -> str | None:
    """The database's Alembic revision, None when it has none (or no table yet)."""
    try:
        async with engine.connect() as conn:
            return await conn.scalar(text("SELECT version_num FROM alembic_version"))
    except Exception:  # noqa: BLE001 - no table yet: Alembic will make it
        return None


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (the newest by default). A database already at
    the newest is left without loading Alembic (about 10 MB a running process need
    not hold, issue 24)."""
    if revision == "head" and (head := shipped_head()) and await current_revision(engine) == head:
        return
    from alembic import command

    async with engine.begin() as conn:
        await conn.run_sync(lambda sync: command.upgrade(alembic_config(sync), revision))


async def downgrade(engine: AsyncEngine, revision: str = "base") -> None:
    from alembic import command

    async with engine.begin() as conn:
        await conn.run_sync(lambda sync: command.downgrade(alembic_config(sync), revision))


async def open_database(url: str) -> tuple[AsyncEngine, async_sessionmaker[AsyncSession]]:
    """Engine and session factory for ``url``, with the schema brought up to date."""
    engine = make_engine(url)
    await upgrade(engine)
    return engine, session_factory(engine)


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for PostgreSQL or an in-memory database."""
    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    return Path(parsed.database)


class SingleRunner:
    """One ``dondoc run`` per database *file*, whatever path names it (a symlink, a hard
    link, a relative path): an exclusive, non-blocking ``flock`` on the database file
    itself, opened through its resolved path, held for the process's lifetime; the
    operating system drops it when the process dies, even by kill -9. (``flock`` and
    SQLite's own ``fcntl`` locks do not meet on a local disk; the descriptor stays open
    until the engine is gone, so closing it never drops SQLite's locks.) The holder's
    process id is written beside it, in ``<database>.lock``, for the refusal message."""

    def __init__(self, url: str) -> None:
        self.path = sqlite_path(url)
        self._fd: int | None = None

    def acquire(self) -> None:
        if self.path is None:
            return
        path = self.path.resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)  # an empty file is an empty database
        note = path.with_name(path.name + ".lock")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            try:
                holder = note.read_text(encoding="utf-8").strip() or "?"
            except OSError:
                holder = "?"
            raise DatabaseInUse(
                f"{self.path} đang được một dondoc khác dùng (tiến trình {holder}). "
                "Mỗi tệp SQLite chỉ chạy một dondoc; muốn chạy nhiều tiến trình, dùng PostgreSQL."
            ) from None
        note.write_text(str(os.getpid()), encoding="utf-8")
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
