"""Files that hold codes and documents are private (issue 25, point 8): the SQLite
database and its WAL and shared-memory files 0600, evidence folders 0700 and files 0600,
and ``dondoc run`` warns when its config file is readable by others. The database and
folder cases fail on the main of issue 25 (0644 and 0755 under the usual umask)."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.config import load_config
from bot.config_file_mode import readable_by_others
from bot.runner import run_bot
from models.db import make_engine
from models.evidence_store import stored_name, write
from scheduler.clock import Clock


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> None:
    old = os.umask(0o022)
    yield
    os.umask(old)


async def test_the_database_and_its_wal_are_private(tmp_path: Path) -> None:
    path = tmp_path / "var" / "dondoc.db"
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (x)"))
        await conn.execute(text("INSERT INTO t VALUES (1)"))
        wal, shm = (path.with_name(path.name + suffix) for suffix in ("-wal", "-shm"))
        assert wal.exists() and shm.exists()
        assert (mode(path), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)
    await engine.dispose()


async def test_an_existing_world_readable_database_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "dondoc.db"
    path.touch(mode=0o644)
    path.chmod(0o644)
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    async with engine.begin() as conn:
        await conn.execute(text("SELECT 1"))
    await engine.dispose()
    assert mode(path) == 0o600


def test_evidence_is_private(tmp_path: Path) -> None:
    folder = tmp_path / "evidence"
    relative = stored_name(7, "ab" + "0" * 62, ".pdf")
    write(folder, relative, b"%PDF-1.4")
    stored = folder / relative
    assert mode(stored) == 0o600
    assert [mode(p) for p in (folder, stored.parent.parent, stored.parent)] == [0o700] * 3


async def test_run_warns_once_of_a_readable_config(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    file = tmp_path / "config.toml"
    file.write_text('[database]\nurl = "sqlite+aiosqlite:///%s"\n' % (tmp_path / "d.db"))
    file.chmod(0o644)
    assert "chmod 600" in readable_by_others(file)
    with caplog.at_level(logging.WARNING):
        assert await run_bot(load_config(file), Clock()) == 2  # no token: stops at once
    assert [r.getMessage() for r in caplog.records].count(readable_by_others(file)) == 1
    file.chmod(0o600)
    assert readable_by_others(file) is None
