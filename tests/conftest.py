"""Shared test fixtures: a migrated database on SQLite, and again on PostgreSQL when
``DONDOC_TEST_POSTGRES_URL`` is set (``.ci/run`` sets it), a frozen clock, the fake Bot
API and Zalo servers, dondoc with the sample plan polling the fake Bot API, the web
view, and a headless Chromium."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from models.db import make_engine, session_factory, upgrade
from scheduler.clock import Clock
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo

if TYPE_CHECKING:
    from tests.harness import Harness
    from tests.web_support import Site

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
POSTGRES_URL = os.environ.get("DONDOC_TEST_POSTGRES_URL")

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


async def _reset_postgres(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture(autouse=True)
def reading_takes_its_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plan files are read in a worker process with a 9 s limit (``documents.worker``),
    and the first read of a test process starts that worker: on a loaded machine the
    start alone passed 9 s and the sample plan was refused. Tests do not measure time,
    so reading has two minutes here; the tests of the limit set their own."""
    from documents import worker

    monkeypatch.setattr(worker, "TIMEOUT", 120.0)


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    backend = getattr(request, "param", "sqlite")
    if backend == "postgres":
        if not POSTGRES_URL:
            pytest.skip("DONDOC_TEST_POSTGRES_URL is not set (.ci/run sets it)")
        return POSTGRES_URL
    return f"sqlite+aiosqlite:///{tmp_path / 'dondoc.sqlite3'}"


@pytest.fixture
async def empty_engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on an empty database (no tables)."""
    engine = make_engine(database_url)
    if database_url.startswith("postgresql"):
        await _reset_postgres(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
async def engine(empty_engine: AsyncEngine) -> AsyncEngine:
    await upgrade(empty_engine)
    return empty_engine


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return session_factory(engine)


@pytest.fixture
def clock() -> Clock:
    return Clock.starting_at(datetime(2026, 1, 5, 9, 0, tzinfo=TZ), frozen=True)


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    """The fake Bot API with Telegram's default limits (a test file may define its own)."""
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZalo]:
    """The fake Zalo Bot API (a test file may define its own)."""
    async with FakeZalo() as fake:
        yield fake


@pytest.fixture
async def running(tg: FakeTelegram, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> AsyncIterator[Harness]:
    """dondoc with the sample plan, its Telegram channel polling ``tg`` (started as a run
    starts it, no pause between two messages to one chat)."""
    # imported here: the harness and the channel helpers import this module
    from tests.harness import Harness
    from tests.telegram_support import polling

    harness = Harness(sessions, clock, channel="telegram")
    await harness.import_sample()
    async with polling(tg, harness, post_init=True, per_chat_interval=0):
        yield harness


@pytest.fixture
async def browser() -> AsyncIterator[object]:
    """Chromium through Playwright (``tests/browser_support.py``; a module using it is
    skipped without them)."""
    from tests.browser_support import chromium  # imported here: it skips without Playwright

    async with chromium() as found:
        yield found


@pytest.fixture
async def site(sessions: async_sessionmaker[AsyncSession], clock: Clock) -> AsyncIterator[Site]:
    """The web view over the sample commune (``tests/web_support.py``); closed after."""
    from tests.web_support import (
        build_site,  # imported here: it imports the harness, which imports this
    )

    built = await build_site(sessions, clock)
    yield built
    await built.client.close()
