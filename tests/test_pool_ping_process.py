"""A real ``dondoc run`` on PostgreSQL whose database sessions are all ended, again and
again, as a server restart ends them (``pg_terminate_backend``), while officers write:
every message is answered once and none with the apology — an idle connection is
pinged and replaced, one lost a moment after use makes the message handled again
(``models.pool_ping``), and the poll lock is taken again."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from scheduler.clock import Clock
from tests.fakes.telegram_api import FakeTelegram
from tests.test_poll_turn_processes import WON, Run, until, write_config
from tests.test_runner import TZ, seed

OFFICERS = {70 + n: ("officer", "Phòng Văn hóa - Xã hội") for n in range(3)}
APOLOGY = "dondoc gặp lỗi"

pytestmark = [
    pytest.mark.parametrize("database_url", ["postgres"], indirect=True),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]


async def end_sessions(url: object) -> int:
    """End every other session of the database (the running process's); how many."""
    outside = create_async_engine(url, poolclass=NullPool)
    try:
        async with outside.connect() as conn:
            ended = await conn.scalar(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
    finally:
        await outside.dispose()
    return int(ended or 0)


async def test_messages_are_answered_once_while_the_database_ends_every_session(
    sessions, database_url, engine, tmp_path  # noqa: ANN001
) -> None:
    await seed(sessions, Clock.starting_at(datetime(2026, 1, 2, 9, 0, tzinfo=TZ), frozen=True), telegram_ids=OFFICERS)
    users = list(OFFICERS)
    async with FakeTelegram() as tg:
        run = Run(write_config(tmp_path, tg, database_url), tmp_path / "run.log")
        try:
            await run.start()
            await until(lambda: run.said(WON))
            for user in users:  # every connection now a moment from its last use
                tg.send_text(user, "/tiendo")
            await until(lambda: all(tg.messages_to(u) for u in users))
            ended = 0
            for round_ in range(1, 5):
                ended += await end_sessions(engine.url)
                if round_ % 2 == 0:
                    await asyncio.sleep(2.5)  # idle past the ping's threshold: pinged, replaced
                for user in users:
                    tg.send_text(user, "/tiendo")
                await until(lambda r=round_: all(len(tg.messages_to(u)) >= r + 1 for u in users), timeout=60)
            await asyncio.sleep(1.5)  # time for a message to be answered twice
            replies = {u: [m.text or "" for m in tg.messages_to(u) if m.method == "sendMessage"] for u in users}
            charts = {u: sum(m.method == "sendPhoto" for m in tg.messages_to(u)) for u in users}
        finally:
            code = await run.end()
    assert ended >= 4, ended  # each round ended the process's sessions
    assert {u: len(r) for u, r in replies.items()} == dict.fromkeys(users, 5), replies
    assert charts == dict.fromkeys(users, 5)  # each answer's chart, once
    assert not [t for r in replies.values() for t in r if APOLOGY in t], replies
    assert all("Hoàn thành" in t for r in replies.values() for t in r), replies
    assert code == 0
    log = run.log.read_text(encoding="utf-8")
    assert "Traceback" not in log and "handling a message failed" not in log, log[-3000:]
