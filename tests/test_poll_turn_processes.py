"""Real ``dondoc run`` processes (three) on one PostgreSQL database against the fake Bot
API (which answers 409 to an older long poll when a newer one comes, as Telegram does):
only one long-polls getUpdates at a time, officers' messages are answered once, and when
the poller stops (SIGTERM) or is killed (kill -9) another takes over and answers the
next message. The retry interval is moved to half a second by the config: seconds."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import datetime
from pathlib import Path

import pytest

from scheduler.clock import Clock
from tests.fakes.telegram_api import FakeTelegram
from tests.test_runner import TZ, seed

ROOT = Path(__file__).resolve().parent.parent
OFFICERS = {42 + n: ("officer", "Phòng Văn hóa - Xã hội") for n in range(4)}
WON = "nhận tin nhắn telegram (polling)"
STANDBY = "Tiến trình khác đang nhận tin nhắn Telegram; tiến trình này chỉ gửi nhắc việc."
INTERVAL = 0.5  # [telegram] takeover_interval: a takeover within one to two of these

pytestmark = [
    pytest.mark.parametrize("database_url", ["postgres"], indirect=True),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]


def write_config(folder: Path, tg: FakeTelegram, database_url: str) -> Path:
    path = folder / "dondoc.toml"
    path.write_text(
        f'[database]\nurl = "{database_url}"\n'
        f'[telegram]\ntoken = "{tg.token}"\nbase_url = "{tg.base_url}"\n'
        f'base_file_url = "{tg.base_file_url}"\nper_chat_interval = 0\ntakeover_interval = {INTERVAL}\n'
        "[reminders]\ndispatch_interval = 1\n",
        encoding="utf-8",
    )
    return path


class Run:
    """One ``dondoc run`` with its log in a file (read while it runs)."""

    def __init__(self, config: Path, log: Path) -> None:
        self.config, self.log = config, log
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        env = {**os.environ, "DONDOC_CONFIG": str(self.config)}
        env.pop("DONDOC_TELEGRAM_TOKEN", None)
        with self.log.open("wb") as out:  # at 20:00 no reminder is due: only answers are sent
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.cli", "run", "--now", "2026-01-13T20:00",
                cwd=ROOT, env=env, stdout=out, stderr=out,
            )  # fmt: skip

    def said(self, text: str) -> bool:
        return text in self.log.read_text(encoding="utf-8", errors="replace")

    async def end(self) -> int | None:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                return await asyncio.wait_for(self.process.wait(), 20)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
                return None
        return self.process.returncode


async def until(condition, timeout: float = 30.0) -> None:  # noqa: ANN001
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def answered(tg: FakeTelegram, user: int, text: str) -> int:
    """``user`` writes ``text``; the number of messages that answer it, once quiet."""
    before = len(tg.messages_to(user))
    tg.send_text(user, text)
    await until(lambda: len(tg.messages_to(user)) > before)
    await asyncio.sleep(4 * INTERVAL)  # time for a second process to answer it again
    return len(tg.messages_to(user)) - before


def poller_of(runs: list[Run]) -> Run:
    """The one live run that said it receives (after its last standby line)."""
    live = [r for r in runs if r.process is not None and r.process.returncode is None]
    won = [r for r in live if r.said(WON)]
    assert len(won) == 1, [r.log.name for r in won]
    return won[0]


async def test_one_process_polls_and_another_takes_over_at_a_stop_or_a_kill(
    sessions, database_url, engine, tmp_path  # noqa: ANN001
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("one poller among processes is for PostgreSQL")
    await seed(sessions, Clock.starting_at(datetime(2026, 1, 2, 9, 0, tzinfo=TZ), frozen=True), telegram_ids=OFFICERS)
    users = list(OFFICERS)
    async with FakeTelegram() as tg:
        config = write_config(tmp_path, tg, database_url)
        runs = [Run(config, tmp_path / f"{name}.log") for name in "abc"]
        try:
            for run in runs:
                await run.start()
            await until(lambda: sum(r.said(WON) for r in runs) == 1 and sum(r.said(STANDBY) for r in runs) == 2)
            first = poller_of(runs)
            assert not first.said(STANDBY)
            await asyncio.sleep(6 * INTERVAL)  # several tries of the lock while one polls
            # officers write: each message is answered once, by the one poller
            counts = [await answered(tg, user, "/trogiup") for user in users[:2]]
            assert counts[0] >= 1 and counts == [counts[0]] * 2, counts
            assert (tg.poll_overlaps, tg.poll_conflicts) == (0, 0)
            # SIGTERM the poller: it stops cleanly, confirms what it took, then another polls
            assert await first.end() == 0
            await until(lambda: sum(r.said(WON) for r in runs if r is not first) == 1, timeout=15)
            second = poller_of(runs)
            assert await answered(tg, users[2], "/trogiup") == counts[0]
            assert (tg.poll_overlaps, tg.poll_conflicts) == (0, 0)
            # kill -9 the new poller: the last one takes over and answers the next message,
            # and not the earlier ones again (the dead poller's offsets were confirmed)
            earlier = {user: len(tg.messages_to(user)) for user in users}
            assert second.process is not None
            second.process.kill()
            await second.process.wait()
            last = next(r for r in runs if r is not first and r is not second)
            await until(lambda: last.said(WON), timeout=15)
            assert await answered(tg, users[3], "/trogiup") == counts[0]
            assert {user: len(tg.messages_to(user)) - earlier[user] for user in users[:3]} == dict.fromkeys(users[:3], 0)
            assert (tg.poll_overlaps, tg.poll_conflicts) == (0, 0)
            assert await last.end() == 0  # SIGTERM still stops cleanly
        finally:
            for run in runs:
                if run.process is not None and run.process.returncode is None:
                    run.process.kill()
                    await run.process.wait()
        logs = "".join(r.log.read_text(encoding="utf-8", errors="replace") for r in runs)
    assert "Conflict" not in logs and "Traceback" not in logs, logs[-3000:]
    assert last.log.read_text(encoding="utf-8").count(STANDBY) == 1  # said once, not at every try
