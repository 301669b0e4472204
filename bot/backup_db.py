"""The database part of a backup: a consistent copy, and figures to check it by.

SQLite is copied with its online backup API (``sqlite3.Connection.backup``) in one
step, which reads one consistent state while ``dondoc run`` goes on writing (WAL).
PostgreSQL is dumped by ``pg_dump`` in its custom format, inside a snapshot exported
by the same transaction that counts the rows, so the dump and the figures agree.
The figures are, per table, the row count and a SHA-256 of the rows in key order.
"""

from __future__ import annotations

import asyncio
import glob
import hashlib
import json
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, Table, select, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncConnection

from models.db import BUSY_TIMEOUT_MS

Figures = dict[str, dict[str, Any]]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Vietnamese."""


def _table_figures(connection: Connection) -> Figures:
    meta = MetaData()
    meta.reflect(connection)
    figures: Figures = {}
    for name in sorted(meta.tables):
        table: Table = meta.tables[name]
        order = list(table.primary_key.columns) or list(table.columns)
        digest, rows = hashlib.sha256(), 0
        for row in connection.execute(select(table).order_by(*order)):
            digest.update(json.dumps(list(row), default=str, ensure_ascii=False).encode())
            digest.update(b"\n")
            rows += 1
        figures[name] = {"rows": rows, "sha256": digest.hexdigest()}
    return figures


async def table_figures(connection: AsyncConnection) -> Figures:
    return await connection.run_sync(_table_figures)


def sqlite_copy(source: Path, target: Path) -> None:
    """Copy a live SQLite database to ``target`` in one consistent step."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # pages=-1: all at once, one read transaction
    finally:
        dst.close()
        src.close()


def pg_tool(name: str) -> str | None:
    """``pg_dump`` / ``pg_restore``: on the PATH, else the newest of Debian's."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return versions[-1] if versions else None


def libpq_target(url: str) -> tuple[str, dict[str, str]]:
    """The libpq address of a SQLAlchemy PostgreSQL URL, without its password, and the
    environment that carries the password (never on a command line)."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    dsn = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return dsn, env


async def run_tool(args: list[str], env: dict[str, str]) -> None:
    process = await asyncio.create_subprocess_exec(
        *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    _, err = await process.communicate()
    if process.returncode != 0:
        lines = err.decode(errors="replace").strip().splitlines()
        raise BackupError(f"{Path(args[0]).name} thất bại: {lines[-1] if lines else process.returncode}")


def missing_tool(name: str) -> BackupError:
    return BackupError(
        f"Không tìm thấy {name} (cần cho PostgreSQL): cài gói postgresql-client "
        "(apt-get install postgresql-client), cùng phiên bản chính với máy chủ hoặc mới hơn, rồi chạy lại"
    )


async def pg_dump_consistent(connection: AsyncConnection, url: str, target: Path) -> Figures:
    """Dump the database to ``target`` (custom format) and count its rows, both in one
    snapshot. ``connection`` must not be in a transaction yet."""
    tool = pg_tool("pg_dump")
    if tool is None:
        raise missing_tool("pg_dump")
    dsn, env = libpq_target(url)
    connection = await connection.execution_options(isolation_level="REPEATABLE READ")
    async with connection.begin():
        snapshot = await connection.scalar(text("SELECT pg_export_snapshot()"))
        await run_tool(
            [tool, "--format=custom", "--no-owner", "--no-privileges",
             f"--snapshot={snapshot}", f"--file={target}", f"--dbname={dsn}"],
            env,
        )  # fmt: skip
        return await table_figures(connection)


async def pg_restore_into(url: str, source: Path) -> None:
    tool = pg_tool("pg_restore")
    if tool is None:
        raise missing_tool("pg_restore")
    dsn, env = libpq_target(url)
    await run_tool(
        [tool, "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={dsn}", str(source)],
        env,
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
