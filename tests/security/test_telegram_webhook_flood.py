"""The Telegram webhook under a flood (issue 25, small ones): the webhook endpoint
(``bot.channels.telegram_webhook``, dondoc's own aiohttp server in front of
python-telegram-bot) has the same limits as the download server (``bot.http_guard``):
idle, half-sent connections are capped per client and closed after the header timeout,
a good update from Telegram still gets through and is answered, the secret token header
is still checked, and the log stays a few lines. Fails on the main of this change (the
webhook used a plain ``web.TCPSite``: every idle connection stayed open)."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import pytest

from bot import http_guard
from tests.fakes.telegram_api import FakeTelegram
from tests.security.test_webhooks import SECRET, telegram_webhook  # noqa: F401  (fixture)

HEADER = "X-Telegram-Bot-Api-Secret-Token"
IDLE = 40  # twice the limit of one client (http_guard.PER_CLIENT = 20): bounded


def start_update(update_id: int, user_id: int) -> dict:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "chat": {"id": user_id, "type": "private"},
        "from": {"id": user_id, "is_bot": False, "first_name": "A"}, "text": "/start"}}  # fmt: skip


async def post_from(address: str, url: str, secret: str | None, update: dict) -> int:
    """A POST from another local address (Telegram is not the flooding client)."""
    connector = aiohttp.TCPConnector(local_addr=(address, 0))
    headers = {HEADER: secret} if secret is not None else {}
    async with aiohttp.ClientSession(connector=connector) as session, session.post(
        url, json=update, headers=headers, timeout=aiohttp.ClientTimeout(total=5)
    ) as answer:
        return answer.status


@pytest.fixture(autouse=True)
def short_header_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http_guard, "HEADER_TIMEOUT", 1.0)


async def test_idle_connections_do_not_stop_the_webhook(
    telegram_webhook: tuple[FakeTelegram, str], caplog: pytest.LogCaptureFixture  # noqa: F811
) -> None:
    tg, url = telegram_webhook
    port = int(url.rsplit(":", 1)[1].strip("/"))
    opened: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    try:
        with caplog.at_level(logging.INFO):
            for _ in range(IDLE):  # a slow-loris flood from one address
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(b"POST / HTTP/1.1\r\nHost: x\r\n")
                opened.append((reader, writer))
            await asyncio.sleep(0.2)
            assert await post_from("127.0.0.2", url, None, start_update(1, 7)) == 403
            assert await post_from("127.0.0.2", url, SECRET[:-1] + "x", start_update(2, 7)) == 403
            assert await post_from("127.0.0.2", url, SECRET, start_update(3, 7)) == 200
            reply = await tg.wait_for(lambda m: m.chat_id == 7, timeout=10)
            assert "/dangky" in reply.text
            # the header timeout closes the rest: each read ends when the server closes it
            eof = await asyncio.wait_for(asyncio.gather(*(r.read() for r, _w in opened)), 10)
        assert all(not answer.startswith(b"HTTP/1.1 200") for answer in eof)
        assert len(tg.messages_to(7)) == 1  # only the update with the right secret was handled
        guard_lines = [r for r in caplog.records if r.name == "bot.http_guard"]
        assert 1 <= len(guard_lines) <= 4, [r.getMessage() for r in guard_lines]
        said = " ".join(r.getMessage() for r in guard_lines)
        assert "refusing more" in said and "too slow" in said  # over the limit; timed out
    finally:
        for _r, writer in opened:
            writer.close()
