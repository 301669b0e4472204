"""Benchmark: the storm of ``bench_reminders`` (5,000 reminders for 2,000 people due at
08:00) under faults, through the fake Bot API in a process of its own (Telegram's
limits: 30 messages/s overall, 1/s per chat). For each run: lost reminders, repeated
messages and the latest delivery. A measurement for ``make bench``, not a test.

* kill -9: a real ``dondoc run`` subprocess is killed at three moments of the storm
  (15 %, 50 %, 85 % of the people reached) and started again each time. "In flight" is
  what the Bot API delivered but the database had not recorded at the kill: the bound
  for the repeats (target: repeats ≤ in flight).
* outage: the Bot API answers 500 to every send for 10 minutes. Run in-process on the
  controlled clock: the clock jumps 20 s (one dispatcher interval) per tick while the
  outage lasts, then the sending runs in real time (target: 0 lost).
* slow acknowledgements: for 40 s the Bot API delivers at once but answers after 8 s;
  once with the reminder ack timeout (30 s, no repeat expected) and once with PTB's 5 s
  default (each timed-out message is repeated at most once: counted).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from bench.bench_reminders import AT, LIMIT, PEOPLE, REMINDERS, seed  # noqa: E402
from bot.channels.telegram import TelegramChannel  # noqa: E402
from bot.config import TelegramConfig  # noqa: E402
from bot.reminders import ReminderService  # noqa: E402
from handlers.context import Services  # noqa: E402
from handlers.conversation import Conversation  # noqa: E402
from models.db import open_database  # noqa: E402
from models.outbox import FOLDED, SENDING, SENT, OutboxItem  # noqa: E402
from models.people import Identity  # noqa: E402
from scheduler.clock import Clock  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FAKE = Path(__file__).with_name("fake_telegram_process.py")


class FakeServer:
    """The fake Bot API process, driven through its standard input."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(FAKE), "--global-rate", str(LIMIT)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.urls = json.loads(self.process.stdout.readline())

    def command(self, line: str) -> None:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def stats(self) -> dict:
        self.command("stats")
        return json.loads(self.process.stdout.readline())

    def read(self) -> object:
        """The JSON line a command printed (``marks``, ``count``, ``chats``…)."""
        return json.loads(self.process.stdout.readline())

    def close(self) -> dict:
        self.process.stdin.close()
        stats = json.loads(self.process.stdout.readline())
        self.process.wait(timeout=30)
        return stats


async def fresh_database(folder: str):  # noqa: ANN201
    url = f"sqlite+aiosqlite:///{folder}/faults.sqlite3"
    engine, sessions = await open_database(url)
    await seed(sessions)
    return url, engine, sessions


async def recorded_chats(sessions) -> set[str]:  # noqa: ANN001
    async with sessions() as s:
        rows = await s.execute(
            select(Identity.chat_id)
            .join(OutboxItem, OutboxItem.recipient_id == Identity.person_id)
            .where(OutboxItem.state.in_((SENT, FOLDED)))
            .distinct()
        )
        return {chat for (chat,) in rows}


async def outcome(sessions) -> tuple[int, int]:  # noqa: ANN001
    """(reminders not delivered, rows still claimed)."""
    async with sessions() as s:
        states = Counter(await s.scalars(select(OutboxItem.state)))
    return REMINDERS - states[SENT] - states[FOLDED], states[SENDING]


def report(name: str, stats: dict, lost: int, start: float, extra: str = "") -> int:
    repeated = sum(n - 1 for n in stats["per_chat"] if n > 1)
    latest = max(stats["send_times"]) - start if stats["send_times"] else 0.0
    print(f"{name}: thất lạc {lost}, lặp {repeated}, tin cuối sau {latest:.0f} s{extra}")
    return repeated


# -- kill -9 ------------------------------------------------------------------------------


def write_config(folder: str, urls: dict, url: str) -> Path:
    path = Path(folder) / "dondoc.toml"
    path.write_text(
        f'[database]\nurl = "{url}"\n[telegram]\ntoken = "{urls["token"]}"\n'
        f'base_url = "{urls["base_url"]}"\nbase_file_url = "{urls["base_file_url"]}"\n'
        "[reminders]\ndispatch_interval = 1\n",
        encoding="utf-8",
    )
    return path


def start_run(config: Path, started: float) -> subprocess.Popen:
    now = (AT + timedelta(seconds=time.monotonic() - started)).isoformat()
    env = {**os.environ, "DONDOC_CONFIG": str(config)}
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--now", now],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


async def kill_runs() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url, engine, sessions = await fresh_database(folder)
        server = FakeServer()
        config = write_config(folder, server.urls, url)
        started = time.monotonic()
        first_send = None
        in_flight_total = 0
        try:
            for fraction in (0.15, 0.50, 0.85):
                process = start_run(config, started)
                while len((stats := server.stats())["chats"]) < fraction * PEOPLE:
                    await asyncio.sleep(0.2)
                process.send_signal(signal.SIGKILL)
                process.wait()
                await asyncio.sleep(2.0)  # requests already on the wire still reach the server
                stats = server.stats()
                first_send = first_send or min(stats["send_times"])
                delivered = set(stats["chats"])
                in_flight = len(delivered - await recorded_chats(sessions))
                _, claimed = await outcome(sessions)
                in_flight_total += in_flight
                print(
                    f"  kill -9 khi {len(delivered)} người đã nhận: {in_flight} tin đã đi mà chưa ghi, "
                    f"{claimed} dòng đang giữ (được trả lại khi khởi động lại)"
                )
            process = start_run(config, started)
            deadline = time.monotonic() + 600
            while (await outcome(sessions))[0] and time.monotonic() < deadline:
                await asyncio.sleep(1)
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
        finally:
            stats = server.close()
        lost, _ = await outcome(sessions)
        await engine.dispose()
    repeated = report("kill -9 ×3", stats, lost, first_send or 0.0, f" (đang bay lúc kill: {in_flight_total})")
    ok = repeated <= in_flight_total and lost == 0
    print(f"  mục tiêu: lặp ≤ số tin đang bay, không thất lạc {'✓' if ok else '✗'}")


# -- in-process runs (outage, slow acknowledgements) --------------------------------------


async def in_process(name: str, *, outage: float = 0.0, slow: tuple[float, float] | None = None,
                     ack_timeout: float = 30.0) -> None:  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        _, engine, sessions = await fresh_database(folder)
        clock = Clock.starting_at(AT)
        services = Services(sessions=sessions, clock=clock)
        server = FakeServer()
        try:
            urls = server.urls
            config = TelegramConfig(token=urls["token"], base_url=urls["base_url"], base_file_url=urls["base_file_url"])
            channel = TelegramChannel(Conversation(services), config, reminder_ack_timeout=ack_timeout)
            app = channel.build()
            await app.initialize()
            service = ReminderService(services, {"telegram": channel.send_reminder}, exclusive=True)
            began = time.monotonic()
            if outage:
                server.command(f"outage {10**6}")
                # the outage lasts ``outage`` seconds of the controlled clock
                while clock.now() < AT + timedelta(seconds=outage):
                    await service.dispatcher.tick()
                    clock.move_to(clock.now() + timedelta(seconds=20))
                server.command("outage 0")
            resumed = None
            if slow:
                server.command(f"slow {slow[0]} {slow[1]}")
            result_messages = 0
            while (await outcome(sessions))[0]:
                moment = (clock.now() - AT).total_seconds()
                result = await service.dispatcher.tick()
                result_messages += result.messages
                if result.messages and resumed is None:
                    resumed = moment
                if not result.messages:  # waiting for a back-off: as the interval job would
                    clock.move_to(clock.now() + timedelta(seconds=20))
                    await asyncio.sleep(0.05)
            await service.close()
            await app.shutdown()
        finally:
            stats = server.close()
        lost, _ = await outcome(sessions)
        async with sessions() as s:
            unconfirmed = await s.scalar(select(func.count()).select_from(OutboxItem).where(OutboxItem.channel == "unconfirmed"))
        await engine.dispose()
    extra = ""
    if outage:
        real = max(stats["send_times"]) - min(stats["send_times"])
        resumed = resumed or 0.0
        extra = (f" (đồng hồ điều khiển: gửi lại được từ giây {resumed:.0f}, xong sau {resumed + real:.0f} s; "
                 f"{stats['requests_500']} lần trả 500; 429: {stats['requests_429']})")  # fmt: skip
        start = min(stats["send_times"]) - resumed
        report(name, stats, lost, start, extra)
        return
    extra = f" ({unconfirmed} dòng coi như đã gửi sau hai lần quá thời gian chờ; 429: {stats['requests_429']})"
    report(name, stats, lost, began, extra)


async def main() -> None:
    # The dispatcher's warnings (one per failed send) would drown the figures.
    logging.basicConfig(level=logging.CRITICAL)
    print(f"Bão nhắc việc dưới sự cố: {REMINDERS} lời nhắc cho {PEOPLE} người, Telegram giả lập ({LIMIT:.0f} tin/giây)")
    await kill_runs()
    await in_process("API trả 500 trong 10 phút", outage=600)
    await in_process("API trả lời chậm 8 s trong 40 s (chờ 30 s)", slow=(40, 8))
    await in_process("API trả lời chậm 8 s trong 40 s (chờ 5 s như PTB)", slow=(40, 8), ack_timeout=5)
    from bench.bench_faults_second import main as second_round

    await second_round()  # issue 23: the second round of faults


if __name__ == "__main__":
    asyncio.run(main())
