"""A real python-telegram-bot channel polling the fake Bot API (``tests/fakes``), for the
channel tests: built from the conversation of a ``Harness``, started, and stopped after;
and the few steps every channel test takes on it (an officer registering, the buttons of
a message by their labels)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from telegram.ext import Application

from bot.channels.telegram import TelegramChannel
from bot.config import TelegramConfig
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_types import SentMessage
from tests.harness import Harness


@contextlib.asynccontextmanager
async def started(app: Application, *, post_init: bool = False) -> AsyncIterator[Application]:
    """``app`` initialized, started and long-polling; stopped and shut down after.
    ``post_init``: run the application's start-up hook (the menu, the planner's wake)."""
    await app.initialize()
    if post_init:
        await app.post_init(app)
    await app.start()
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


def telegram_config(tg: FakeTelegram, **options: Any) -> TelegramConfig:
    """The ``[telegram]`` settings that point at ``tg``; ``options``: more settings."""
    return TelegramConfig(token=tg.token, base_url=tg.base_url, base_file_url=tg.base_file_url, **options)


@contextlib.asynccontextmanager
async def polling(
    tg: FakeTelegram, harness: Harness, *, post_init: bool = False, **options: Any
) -> AsyncIterator[TelegramChannel]:
    """The channel polling ``tg``; ``options``: more ``[telegram]`` settings."""
    channel = TelegramChannel(harness.conversation, telegram_config(tg, **options))
    async with started(channel.build(), post_init=post_init):
        yield channel


def buttons(message: SentMessage) -> dict[str, str]:
    """The inline buttons of ``message``: label → callback data."""
    return {b["text"]: b["callback_data"] for b in message.buttons}


async def register(
    tg: FakeTelegram, harness: Harness, chat: int, role: str, unit: str | None = None, name: str = "Test"
) -> SentMessage:
    """``chat`` registers with a fresh invite for ``role`` (in ``unit``) as ``name``;
    returns dondoc's welcome."""
    code = await harness.invite(role, unit)
    mark = len(tg.sent)
    tg.send_text(chat, f"/dangky {code}", first_name=name)
    return await tg.wait_for(lambda m: m.chat_id == chat and "Đăng ký thành công" in (m.text or ""), since=mark)
