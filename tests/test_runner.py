"""``dondoc run`` end to end against the fake Bot API server: the clock set by --now,
the reminder scheduler started from the bot's lifecycle, a reminder that arrives; the
webhook refusing a wrong secret; a 429 and a blocked user on the way out."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.config import Config
from bot.runner import run_bot
from models.outbox import OutboxItem
from models.people import Identity, Membership, Person
from models.plan_store import find_organization, resolve_unit
from scheduler.clock import Clock
from tests.fakes.telegram_api import FakeTelegram
from tests.harness import ORG, Harness

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def seed(sessions, clock, *, telegram_ids: dict[int, tuple[str, str | None]]) -> None:  # noqa: ANN001
    """Import the sample plan and register Telegram users: id → (role, unit)."""
    harness = Harness(sessions, clock)
    await harness.import_sample()
    async with sessions() as session, session.begin():
        org = await find_organization(session, ORG)
        for user_id, (role, unit_name) in telegram_ids.items():
            person = Person(display_name=f"Người {user_id}", language="vi", created_at=clock.now(), last_channel="telegram")
            session.add(person)
            await session.flush()
            session.add(Identity(person_id=person.id, channel="telegram", external_id=str(user_id), chat_id=str(user_id)))
            unit = await resolve_unit(session, org, unit_name) if unit_name else None
            session.add(Membership(person_id=person.id, organization_id=org.id, unit_id=unit.id if unit else None, role=role))


async def listening(port: int, timeout: float = 10.0) -> None:
    """Wait until something accepts connections on ``port``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            if loop.time() > deadline:
                raise
            await asyncio.sleep(0.05)


def config_for(tg: FakeTelegram, database_url: str, **telegram: object) -> Config:
    config = Config()
    config.database.url = database_url
    config.telegram.token = tg.token
    config.telegram.base_url = tg.base_url
    config.telegram.base_file_url = tg.base_file_url
    config.telegram.per_chat_interval = 0
    config.reminders.dispatch_interval = 1
    for key, value in telegram.items():
        setattr(config.telegram, key, value)
    return config


@contextlib.asynccontextmanager
async def on_webhook(tg: FakeTelegram, database_url: str, clock: Clock, secret: str) -> AsyncIterator[str]:
    """``run_bot`` taking Telegram's updates on a webhook (a free port, ``secret``); yields
    its URL once the webhook is set and the port listens; stopped after, cleanly (0)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    config = config_for(tg, database_url, mode="webhook", webhook_url=url, webhook_port=port, webhook_secret=secret)
    stop = asyncio.Event()
    runner = asyncio.create_task(run_bot(config, clock, stop=stop))
    try:
        await tg.wait_until(lambda: tg.webhook, timeout=10, what="setWebhook")
        await listening(port)
        yield url
    finally:
        stop.set()
        code = await asyncio.wait_for(runner, 20)
    assert code == 0


async def test_run_with_now_sends_the_reminder_due_then(sessions, database_url) -> None:  # noqa: ANN001
    start = Clock.starting_at(datetime(2026, 1, 2, 9, 0, tzinfo=TZ), frozen=True)
    await seed(sessions, start, telegram_ids={42: ("officer", "Phòng Văn hóa - Xã hội")})
    async with FakeTelegram() as tg:
        stop = asyncio.Event()
        clock = Clock.starting_at(datetime(2026, 1, 13, 8, 0, tzinfo=TZ))  # as --now would
        runner = asyncio.create_task(run_bot(config_for(tg, database_url), clock, stop=stop))
        try:
            reminder = await tg.wait_for(lambda m: m.chat_id == 42 and "Nhiệm vụ 1" in (m.text or ""), timeout=15)
            assert "Hạn 14/01/2026 — còn 1 ngày làm việc" in reminder.text
            assert {b["text"] for row in reminder.reply_markup["inline_keyboard"] for b in row} >= {"Hoàn thành"}
            assert [c["command"] for c in tg.commands][0] == "viec"
            # the reply to the reminder maps back to its task
            tg.send_text(42, "Hoàn thành, QĐ số 3/QĐ-UBND ngày 12/01/2026", reply_to_message_id=reminder.message_id)
            done = await tg.wait_for(lambda m: m.chat_id == 42 and "Đã ghi nhận nhiệm vụ 1" in (m.text or ""), timeout=10)
            assert "QĐ số 3/QĐ-UBND" in done.text
        finally:
            stop.set()
            assert await asyncio.wait_for(runner, 20) == 0


async def test_webhook_refuses_a_wrong_secret(sessions, database_url) -> None:  # noqa: ANN001
    clock = Clock.starting_at(datetime(2026, 1, 5, 9, 0, tzinfo=TZ), frozen=True)
    await seed(sessions, clock, telegram_ids={})
    async with FakeTelegram() as tg, on_webhook(tg, database_url, clock, "s3cret-token") as url:
        assert tg.webhook["secret_token"] == "s3cret-token"
        update = {"update_id": 1, "message": {"message_id": 1, "date": 0, "chat": {"id": 7, "type": "private"}, "from": {"id": 7, "is_bot": False, "first_name": "A"}, "text": "/start"}}
        assert await tg.post_webhook(url, "wrong", update) == 403
        assert await tg.post_webhook(url, None, update) == 403
        assert await tg.post_webhook(url, "s3cret-token", update) == 200
        reply = await tg.wait_for(lambda m: m.chat_id == 7, timeout=10)
        assert "/dangky" in reply.text
        # one chat is answered in order: a refused update handled after all would
        # have been answered before this one
        assert tg.messages_to(7) == [reply]


async def test_429_waits_and_blocked_user_is_reported_to_admin(sessions, database_url) -> None:  # noqa: ANN001
    start = Clock.starting_at(datetime(2026, 1, 2, 9, 0, tzinfo=TZ), frozen=True)
    await seed(sessions, start, telegram_ids={42: ("officer", "Phòng Văn hóa - Xã hội"), 43: ("officer", "Phòng Văn hóa - Xã hội"), 9: ("admin", None)})
    async with FakeTelegram() as tg:
        tg.fail_next("sendMessage", status=429, retry_after=1)
        tg.block_user(43)
        stop = asyncio.Event()
        clock = Clock.starting_at(datetime(2026, 1, 13, 8, 0, tzinfo=TZ))
        runner = asyncio.create_task(run_bot(config_for(tg, database_url), clock, stop=stop))
        try:
            await tg.wait_for(lambda m: m.chat_id == 42 and "Nhiệm vụ 1" in (m.text or ""), timeout=20)
            # the admins hear of failures a minute later, all in one message
            for _ in range(200):  # until the block is recorded
                async with sessions() as session:
                    if await session.scalar(select(Person.unreachable_since).join(Identity).where(Identity.external_id == "43")):
                        break
                await asyncio.sleep(0.1)
            clock.move_to(clock.now() + timedelta(minutes=2))
            notice = await tg.wait_for(lambda m: m.chat_id == 9 and "đã chặn dondoc" in (m.text or ""), timeout=20)
            assert "Người 43" in notice.text
            # the 429 was waited out and the reminder went once
            assert len([m for m in tg.messages_to(42) if "Nhiệm vụ 1" in (m.text or "")]) == 1
        finally:
            stop.set()
            await asyncio.wait_for(runner, 20)
        async with sessions() as session:
            blocked = await session.scalar(select(Person).join(Identity).where(Identity.external_id == "43"))
            assert blocked.unreachable_since is not None
            states = set(await session.scalars(select(OutboxItem.state).where(OutboxItem.recipient_id == blocked.id)))
            assert "pending" not in states


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
