"""The real Zalo channel against the fake Zalo Bot API (``tests/fakes``), for the channel
tests: its settings, started for a ``Harness`` and stopped after, and one person saying
one thing and reading the answer."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from bot.channels.zalo import ZaloChannel
from bot.config import ZaloConfig
from tests.fakes.zalo_api import FakeZalo
from tests.harness import Harness

SECRET = "bi-mat-cua-xa-nguyen-binh-khiem"


def config(zalo: FakeZalo, **overrides: Any) -> ZaloConfig:
    """The ``[zalo]`` settings that point at ``zalo`` (polling); ``overrides``: others."""
    settings: dict[str, Any] = {
        "token": zalo.token, "base_url": zalo.base_url, "poll_timeout": 1,
        "webhook_secret": SECRET, "webhook_port": 0,
    }  # fmt: skip
    return ZaloConfig(**{**settings, **overrides})


@contextlib.asynccontextmanager
async def serving(harness: Harness, settings: ZaloConfig, **options: Any) -> AsyncIterator[ZaloChannel]:
    """The Zalo channel of ``harness`` started with ``settings`` (polling or a webhook);
    ``options``: the channel's own (``max_download``, ``downloads``); stopped after."""
    channel = ZaloChannel(harness.conversation, settings, **options)
    await channel.start()
    try:
        yield channel
    finally:
        await channel.stop()


async def say(zalo: FakeZalo, user: str, text: str, **kwargs: Any) -> str:
    """Send ``text`` as ``user``; the text of the first answer."""
    mark = len(zalo.sent)
    zalo.send_text(user, text, **kwargs)
    return (await zalo.wait_for(lambda m: m.chat_id == user, since=mark)).text or ""
