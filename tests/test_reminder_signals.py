"""A real ``dondoc run`` process against the fake Bot API: SIGTERM or SIGINT while a
reminder is in flight (the answer comes late) leaves it recorded, with its reply mapping,
and gives back the claims it did not send; a second ``dondoc run`` on the same SQLite
file is refused with a clear line. Seconds, not minutes: the long fault runs are in
``bench/``."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from handlers.context import Services
from handlers.conversation import Conversation
from handlers.messages import Incoming
from models.conversation import SentMessage
from models.outbox import SENDING, SENT, OutboxItem
from models.plans import Task
from scheduler.clock import Clock
from tests.fakes.telegram_api import FakeTelegram
from tests.test_runner import TZ, seed

ROOT = Path(__file__).resolve().parent.parent
OFFICERS = {42: ("officer", "Phòng Văn hóa - Xã hội"), 43: ("officer", "Phòng Văn hóa - Xã hội"), 44: ("officer", "Phòng Văn hóa - Xã hội")}


def write_config(folder: Path, tg: FakeTelegram, database_url: str) -> Path:
    path = folder / "dondoc.toml"
    path.write_text(
        f'[database]\nurl = "{database_url}"\n'
        f'[telegram]\ntoken = "{tg.token}"\nbase_url = "{tg.base_url}"\nbase_file_url = "{tg.base_file_url}"\nper_chat_interval = 0\n'
        "[reminders]\ndispatch_interval = 1\n",
        encoding="utf-8",
    )
    return path


async def start_run(config: Path, now: str) -> asyncio.subprocess.Process:
    env = {**os.environ, "DONDOC_CONFIG": str(config)}
    env.pop("DONDOC_TELEGRAM_TOKEN", None)
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", "--now", now,
        cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_a_stop_while_a_reminder_is_in_flight_records_it(sessions, database_url, tmp_path, sig) -> None:  # noqa: ANN001
    if not database_url.startswith("sqlite"):
        pytest.skip("one SQLite file shared with the subprocess")
    await seed(sessions, Clock.starting_at(datetime(2026, 1, 2, 9, 0, tzinfo=TZ), frozen=True), telegram_ids=OFFICERS)
    async with FakeTelegram() as tg:
        tg.slow_acks(60, delay=2.0)  # delivered at once, answered 2 s later
        process = await start_run(write_config(tmp_path, tg, database_url), "2026-01-13T08:00")
        try:
            first = await tg.wait_for(lambda m: m.chat_id in OFFICERS and "Nhiệm vụ 1" in (m.text or ""), timeout=30)
            process.send_signal(sig)  # right after the send, before its answer
            code = await asyncio.wait_for(process.wait(), 20)
        finally:
            if process.returncode is None:
                process.kill()
        _, err = await process.communicate()
        assert code == 0, err.decode()[-2000:]
        delivered = [m for m in tg.sent if m.chat_id in OFFICERS]
    async with sessions() as session:
        assert not list(await session.scalars(select(OutboxItem).where(OutboxItem.state == SENDING)))
        sent = {(r.recipient_id, r.message_id) for r in await session.scalars(select(OutboxItem).where(OutboxItem.state == SENT, OutboxItem.channel == "telegram"))}
        mapped = {(m.chat_id, m.message_id): m.task_id for m in await session.scalars(select(SentMessage))}
        task1 = await session.scalar(select(Task.id).where(Task.number == "1"))
    assert len(sent) >= len({m.chat_id for m in delivered})  # every delivered message is recorded
    assert mapped[(str(first.chat_id), str(first.message_id))] == task1
    # the officer answers that reminder after the restart: it lands on task 1
    clock = Clock.starting_at(datetime(2026, 1, 13, 8, 5, tzinfo=TZ), frozen=True)
    conversation = Conversation(Services(sessions=sessions, clock=clock))
    replies = await conversation.handle(Incoming(
        channel="telegram", user_id=str(first.chat_id), chat_id=str(first.chat_id), display_name="A",
        text="Hoàn thành, QĐ số 12/QĐ-UBND ngày 09/01/2026", chat_type="private", message_id="900",
        reply_to=str(first.message_id),
    ))  # fmt: skip
    assert "Đã ghi nhận nhiệm vụ 1" in replies[0].text


async def test_a_second_run_on_one_sqlite_file_is_refused(sessions, database_url, tmp_path) -> None:  # noqa: ANN001
    if not database_url.startswith("sqlite"):
        pytest.skip("the lock file is for SQLite")
    await seed(sessions, Clock.starting_at(datetime(2026, 1, 2, 9, 0, tzinfo=TZ), frozen=True), telegram_ids={42: OFFICERS[42]})
    async with FakeTelegram() as tg:
        config = write_config(tmp_path, tg, database_url)
        process = await start_run(config, "2026-01-13T08:00")
        try:
            await tg.wait_for(lambda m: m.chat_id == 42, timeout=30)
            second = await start_run(config, "2026-01-13T08:00")
            _, err = await asyncio.wait_for(second.communicate(), 30)
            assert second.returncode == 3
            assert "đang được một dondoc khác dùng" in err.decode() and "PostgreSQL" in err.decode()
            process.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(process.wait(), 20) == 0
        finally:
            if process.returncode is None:
                process.kill()
            await process.communicate()
    assert len(tg.messages_to(42)) == 1


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
