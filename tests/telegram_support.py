"""A real python-telegram-bot channel polling the fake Bot API (``tests/fakes``), for the
channel tests: built from the conversation of a ``Harness``, started, and stopped after."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from bot.channels.telegram import TelegramChannel
from bot.config import TelegramConfig
from tests.fakes.telegram_api import FakeTelegram
from tests.harness import Harness


@contextlib.asynccontextmanager
async def polling(
    tg: FakeTelegram, harness: Harness, *, post_init: bool = False, **options: Any
) -> AsyncIterator[TelegramChannel]:
    """The channel polling ``tg``; ``options``: more ``[telegram]`` settings;
    ``post_init``: run the application's start-up hook (the menu, the planner's wake)."""
    config = TelegramConfig(
        token=tg.token, base_url=tg.base_url, base_file_url=tg.base_file_url, **options
    )
    channel = TelegramChannel(harness.conversation, config)
    app = channel.build()
    await app.initialize()
    if post_init:
        await app.post_init(app)
    await app.start()
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        yield channel
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
