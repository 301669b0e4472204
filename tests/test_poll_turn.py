"""One poller per channel on PostgreSQL (``bot.poll_turn``): the process holding the
channel's advisory lock polls, the others stand by and take over within a retry when
its connection goes (a killed process); never two pollers at once. In one process here
(two turns, two engines); the real ``dondoc run`` processes are in
``test_poll_turn_processes``."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import text

from bot.poll_turn import POLLER, STANDBY, PollTurn, standby_text
from models.db import make_engine
from models.poll_lock import poll_key

pytestmark = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


class Receiver:
    """A channel's polling as the turn sees it; records who polls, and any overlap."""

    def __init__(self, name: str, log: list[str], polling: set[str]) -> None:
        self.name, self.log, self.polling = name, log, polling

    async def start(self) -> None:
        if self.polling:  # somebody else polls already: the fault this module prevents
            self.log.append(f"overlap:{self.name}")
        self.polling.add(self.name)
        self.log.append(f"start:{self.name}")

    async def stop(self) -> None:
        self.polling.discard(self.name)
        self.log.append(f"stop:{self.name}")


async def until(condition, timeout: float = 10.0) -> None:  # noqa: ANN001
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


def skip_unless_postgres(engine) -> None:  # noqa: ANN001
    if engine.dialect.name != "postgresql":
        pytest.skip("one poller among processes is for PostgreSQL")


async def test_one_polls_the_other_takes_over_when_its_connection_dies(engine, database_url, caplog) -> None:  # noqa: ANN001
    skip_unless_postgres(engine)
    caplog.set_level(logging.INFO, logger="dondoc")
    log: list[str] = []
    polling: set[str] = set()
    engines = [make_engine(database_url), make_engine(database_url)]
    a_recv, b_recv = Receiver("a", log, polling), Receiver("b", log, polling)
    a = PollTurn(engines[0], "telegram", "123:TEST", start=a_recv.start, stop=a_recv.stop, interval=0.4)
    b = PollTurn(engines[1], "telegram", "123:TEST", start=b_recv.start, stop=b_recv.stop, interval=0.4)
    try:
        a.begin()
        await until(lambda: a.role == POLLER and "start:a" in log)
        b.begin()
        await until(lambda: b.role == STANDBY)
        await asyncio.sleep(1.0)  # several tries: b never polls while a holds the lock
        assert log == ["start:a"] and polling == {"a"}
        messages = [r.getMessage() for r in caplog.records]
        assert messages.count(standby_text("telegram")) == 1  # said once, not at every try
        assert standby_text("telegram") == (
            "Tiến trình khác đang nhận tin nhắn Telegram; tiến trình này chỉ gửi nhắc việc."
        )
        # a's session ends under it (what a kill -9 does to its connection)
        async with engine.connect() as conn:
            ended = await conn.scalar(text(
                "SELECT count(pg_terminate_backend(l.pid)) FROM pg_locks l WHERE l.locktype = 'advisory' "
                "AND l.granted AND l.objid = :low"
            ), {"low": poll_key("telegram", "123:TEST") & 0xFFFFFFFF})  # fmt: skip
        assert ended == 1
        await until(lambda: b.role == POLLER and "start:b" in log)
        assert log.index("stop:a") < log.index("start:b")  # a let go before b began
        assert a.role == STANDBY and polling == {"b"}
        # a graceful end of b: its polling stops, then a takes the lock
        await b.end()
        await until(lambda: a.role == POLLER and polling == {"a"})
        assert not [entry for entry in log if entry.startswith("overlap")]
    finally:
        await a.end()
        await b.end()
        for e in engines:
            await e.dispose()
    assert polling == set()


async def test_each_channel_and_bot_has_its_own_lock(engine, database_url) -> None:  # noqa: ANN001
    skip_unless_postgres(engine)
    log: list[str] = []
    engines = [make_engine(database_url) for _ in range(3)]
    receivers = [Receiver(name, log, set()) for name in ("tg", "zalo", "tg2")]
    turns = [
        PollTurn(e, channel, token, start=r.start, stop=r.stop, interval=0.1)
        for e, r, (channel, token) in zip(
            engines, receivers, [("telegram", "1:A"), ("zalo", "1:A"), ("telegram", "2:B")], strict=True
        )
    ]
    try:
        for turn in turns:
            turn.begin()
        await until(lambda: all(t.polling for t in turns))
        assert sorted(log) == ["start:tg", "start:tg2", "start:zalo"]
    finally:
        for turn in turns:
            await turn.end()
        for e in engines:
            await e.dispose()
    assert poll_key("telegram", "1:A") != poll_key("telegram", "2:B") != poll_key("zalo", "2:B")


async def test_a_failed_start_is_tried_again_while_holding(engine, database_url) -> None:  # noqa: ANN001
    skip_unless_postgres(engine)
    tries: list[int] = []

    async def start() -> None:
        tries.append(1)
        if len(tries) < 3:
            raise OSError("Telegram unreachable")

    async def stop() -> None:
        tries.append(-1)

    other = make_engine(database_url)
    turn = PollTurn(other, "telegram", "9:X", start=start, stop=stop, interval=0.05)
    try:
        turn.begin()
        await until(lambda: turn.polling)
        assert tries == [1, 1, 1] and turn.role == POLLER
    finally:
        await turn.end()
        await other.dispose()
    assert tries == [1, 1, 1, -1]  # stopped once, at the end


async def test_status_and_healthz_say_who_receives(engine, database_url, tmp_path) -> None:  # noqa: ANN001
    skip_unless_postgres(engine)
    from datetime import UTC, datetime

    from bot.channel_watch import ChannelWatch
    from bot.config import Config
    from bot.health import check_health, health_text

    config = Config()
    config.database.url, config.telegram.token = database_url, "123:TEST"
    config.monitoring.min_free_mb, config.evidence.folder = 0, str(tmp_path)
    now = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
    watch = ChannelWatch(lambda: now, [])
    receiver = Receiver("a", [], set())
    other = make_engine(database_url)
    turn = PollTurn(other, "telegram", "123:TEST", start=receiver.start, stop=receiver.stop,
                    interval=0.05, on_role=lambda role: watch.set_role("telegram", role))  # fmt: skip
    try:
        turn.begin()
        await until(lambda: turn.polling)
        # the running process (/healthz): its own role; dondoc status: someone polls
        mine = await check_health(config, now, watch, engine=engine, probe_channels=False)
        assert mine["channels"]["telegram"]["role"] == "poller" and mine["channels"]["telegram"]["polled"]
        assert "tiến trình này nhận tin nhắn" in health_text(mine)
        outside = await check_health(config, now, ChannelWatch(lambda: now, []), probe_channels=False)
        assert outside["channels"]["telegram"]["polled"] is True
        assert "role" not in outside["channels"]["telegram"]
        assert "có một tiến trình đang nhận tin nhắn" in health_text(outside)
    finally:
        await turn.end()
        await other.dispose()
    gone = await check_health(config, now, ChannelWatch(lambda: now, []), probe_channels=False)
    assert gone["channels"]["telegram"]["polled"] is False
    assert "chưa tiến trình nào nhận tin nhắn" in health_text(gone)
    watch.set_role("telegram", "standby")
    standby = await check_health(config, now, watch, engine=engine, probe_channels=False)
    assert "tiến trình khác nhận tin nhắn, tiến trình này chỉ gửi nhắc việc" in health_text(standby)


async def test_zalo_is_polled_by_one_channel_at_a_time(engine, database_url, sessions, clock) -> None:  # noqa: ANN001
    """Zalo hands each update to one getUpdates call: two pollers would split one chat's
    messages between processes, out of order. One polls; the other takes over."""
    skip_unless_postgres(engine)
    from bot.channels.zalo import ZaloChannel
    from tests.fakes.zalo_api import FakeZalo
    from tests.harness import Harness
    from tests.zalo_support import config

    harness = Harness(sessions, clock, channel="zalo")
    inside: dict[str, int] = {"a": 0, "b": 0}
    calls: dict[str, int] = {"a": 0, "b": 0}
    overlaps: list[str] = []

    def counted(name: str, channel: ZaloChannel) -> None:
        get_updates = channel.client.get_updates

        async def wrapped(timeout: int = 30) -> list:
            calls[name] += 1
            if any(inside[other] for other in inside if other != name):
                overlaps.append(name)
            inside[name] += 1
            try:
                return await get_updates(timeout)
            finally:
                inside[name] -= 1

        channel.client.get_updates = wrapped  # type: ignore[method-assign]

    engines = [make_engine(database_url), make_engine(database_url)]
    async with FakeZalo() as zalo:
        channels = {name: ZaloChannel(harness.conversation, config(zalo)) for name in ("a", "b")}
        turns = {}
        for (name, channel), e in zip(channels.items(), engines, strict=True):
            counted(name, channel)
            await channel.start(poll=False)
            turns[name] = PollTurn(e, "zalo", zalo.token, start=channel.start_polling,
                                   stop=channel.stop_polling, interval=0.4)  # fmt: skip
        try:
            turns["a"].begin()
            await until(lambda: turns["a"].polling)
            turns["b"].begin()
            await until(lambda: turns["b"].role == STANDBY)
            zalo.send_text("0f0e0d0c0b0a0908", "/trogiup")
            await zalo.wait_for(lambda m: m.chat_id == "0f0e0d0c0b0a0908", timeout=10)
            assert calls["b"] == 0 and calls["a"] >= 1
            async with engine.connect() as conn:  # a's session ends under it
                await conn.execute(text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                    "AND objid = :low"
                ), {"low": poll_key("zalo", zalo.token) & 0xFFFFFFFF})  # fmt: skip
            await until(lambda: turns["b"].polling and not turns["a"].polling)
            before = len(zalo.sent)
            zalo.send_text("0f0e0d0c0b0a0909", "/trogiup")
            await until(lambda: len(zalo.sent) > before)
            assert calls["b"] >= 1 and not overlaps
        finally:
            for name in turns:
                await turns[name].end()
            for channel in channels.values():
                await channel.stop()
            for e in engines:
                await e.dispose()
