"""The Mini App on Telegram, over the real python-telegram-bot Application and the fake
Bot API: at start the bot's menu button opens the Mini App (``setChatMenuButton`` with
a ``web_app`` button) when the web view is served over https, and /web's answer carries
an inline ``web_app`` button; over plain http (Telegram refuses it) neither appears."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot, MenuButtonDefault, MenuButtonWebApp, WebAppInfo
from telegram.error import BadRequest

from tests.fakes.telegram_api import FakeTelegram
from tests.harness import Harness
from tests.telegram_support import polling, register
from web.gate import Gate, WebSettings

SECRET = b"m" * 32


async def running(tg: FakeTelegram, sessions, clock, public_url: str) -> AsyncIterator[Harness]:  # noqa: ANN001
    harness = Harness(sessions, clock, channel="telegram")
    await harness.import_sample()
    services = harness.conversation.services
    services.web = Gate(WebSettings(public_url, SECRET, tg.token), services.sessions, services.clock)
    async with polling(tg, harness, post_init=True, per_chat_interval=0):
        yield harness


@pytest.fixture
async def https(tg: FakeTelegram, sessions, clock) -> AsyncIterator[Harness]:  # noqa: ANN001
    async for harness in running(tg, sessions, clock, "https://dondoc.example.vn"):
        yield harness


@pytest.fixture
async def plain(tg: FakeTelegram, sessions, clock) -> AsyncIterator[Harness]:  # noqa: ANN001
    async for harness in running(tg, sessions, clock, "http://127.0.0.1:8080"):
        yield harness


async def test_over_https_the_menu_and_web_open_the_mini_app(tg: FakeTelegram, https: Harness) -> None:
    assert tg.menu_buttons[""] == {
        "type": "web_app", "text": "dondoc", "web_app": {"url": "https://dondoc.example.vn/web/app"},
    }  # fmt: skip
    await register(tg, https, 42, "leader", name="Hùng")
    mark = len(tg.sent)
    tg.send_text(42, "/web")
    answer = await tg.wait_for("Mở trang tiến độ: https://dondoc.example.vn/web/vao/", since=mark)
    rows = answer.reply_markup["inline_keyboard"]
    assert rows == [[{"text": "Mở trong Telegram", "web_app": {"url": "https://dondoc.example.vn/web/app"}}]]


async def test_over_http_there_is_no_mini_app(tg: FakeTelegram, plain: Harness) -> None:
    assert tg.menu_buttons[""] == {"type": "default"}
    await register(tg, plain, 42, "leader", name="Hùng")
    mark = len(tg.sent)
    tg.send_text(42, "/web")
    answer = await tg.wait_for("Mở trang tiến độ: http://127.0.0.1:8080/web/vao/", since=mark)
    assert not (answer.reply_markup or {}).get("inline_keyboard")


async def test_the_fake_bot_api_refuses_a_mini_app_over_http(tg: FakeTelegram) -> None:
    async with Bot(tg.token, base_url=tg.base_url) as bot:
        with pytest.raises(BadRequest, match="(?i)only https links are allowed"):
            await bot.set_chat_menu_button(menu_button=MenuButtonWebApp("dondoc", WebAppInfo("http://x.vn/web/app")))
        assert await bot.get_chat_menu_button() == MenuButtonDefault()
