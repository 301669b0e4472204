"""A PostgreSQL connection lost under the pool (the server restarted, or an operator
ended the session) never fails a person's message: an idle connection is pinged and
replaced before use, and one lost while in use a moment ago makes the conversation
answer the message again on a fresh connection (``models.pool_ping``). Connections are
ended for real with ``pg_terminate_backend``; nothing is timed."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from models import pool_ping
from tests.harness import Harness, text_of


async def end_other_sessions(engine: AsyncEngine) -> int:
    """End every other session of this database, as a restart would; how many. (From a
    connection of its own: the pool would hand out the very connection to end.)"""
    outside = create_async_engine(engine.url, poolclass=NullPool)
    async with outside.connect() as conn:
        ended = await conn.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    await outside.dispose()
    return int(ended or 0)


@pytest.fixture
def pings(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The liveness checks the pool makes (asyncpg's adapted connection's ``ping``)."""
    seen: list[object] = []
    kind = AsyncAdapt_asyncpg_connection
    original = kind.ping

    def counted(self) -> None:  # noqa: ANN001
        seen.append(self)
        original(self)

    monkeypatch.setattr(kind, "ping", counted)
    return seen


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_connection_lost_a_moment_after_use_is_answered_again(
    engine, sessions, clock, caplog, monkeypatch  # noqa: ANN001
) -> None:
    monkeypatch.setattr(pool_ping, "IDLE_PING_SECONDS", 3600.0)  # never idle long enough
    bot = Harness(sessions, clock)
    await bot.import_sample()
    await bot.register("trinh", "leader")
    assert "Hoàn thành" in text_of(await bot.say("trinh", "/tiendo"))
    # The pooled connection is ended from another one (its checkout is not pinged,
    # and it goes back to the pool when this returns): the next message's first
    # statement fails on it.
    assert await end_other_sessions(engine) >= 1
    with caplog.at_level(logging.WARNING):
        answer = text_of(await bot.say("trinh", "/tiendo"))
    assert "Hoàn thành" in answer and "Xin lỗi" not in answer, answer
    assert "the database connection was lost" in caplog.text


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_an_idle_connection_is_pinged_and_replaced_before_use(
    engine, sessions, clock, caplog, pings, monkeypatch  # noqa: ANN001
) -> None:
    bot = Harness(sessions, clock)
    await bot.import_sample()
    await bot.register("trinh", "leader")
    await bot.say("trinh", "/tiendo")
    assert pings == []  # in use a moment ago: no check
    monkeypatch.setattr(pool_ping, "IDLE_PING_SECONDS", 0.0)  # now every connection is idle
    assert await end_other_sessions(engine) >= 1
    with caplog.at_level(logging.WARNING):
        answer = text_of(await bot.say("trinh", "/tiendo"))
    assert "Hoàn thành" in answer, answer
    assert pings, "the idle connection was not checked"
    assert "the database connection was lost" not in caplog.text  # replaced before use
