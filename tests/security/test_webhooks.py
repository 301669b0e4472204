"""Issue 12, item 11: webhook secrets. The Telegram secret is checked by dondoc in
constant time before python-telegram-bot sees the request; a missing and a wrong secret
get the same 403; garbage with the right secret gets a 400, not a 500. The same for Zalo.
"""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator
from datetime import datetime

import aiohttp
import pytest

from bot.channels.zalo import ZaloChannel
from scheduler.clock import Clock
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo
from tests.test_runner import TZ, on_webhook, seed
from tests.test_zalo_channel import STRANGER, harness, webhook  # noqa: F401  (fixtures)
from tests.zalo_support import SECRET as ZALO_SECRET

SECRET = "webhook-secret-of-the-commune-0123456789"  # ≥ 32 characters
GARBAGE = [b"{not json", b"\xff\xfe\x00", b"[1, 2, 3]", b'{"update_id": "x"}',
           b'{"update_id": 5, "message": 7}', b'{"message": {"from": "x"}}']  # fmt: skip


async def post(url: str, header: str, secret: str | None, body: bytes) -> tuple[int, str]:
    headers = {"Content-Type": "application/json", **({header: secret} if secret is not None else {})}
    async with aiohttp.ClientSession() as session, session.post(url, data=body, headers=headers) as answer:
        return answer.status, await answer.text()


@pytest.fixture
async def telegram_webhook(sessions, database_url) -> AsyncIterator[tuple[FakeTelegram, str]]:  # noqa: ANN001
    clock = Clock.starting_at(datetime(2026, 1, 5, 9, 0, tzinfo=TZ), frozen=True)
    await seed(sessions, clock, telegram_ids={})
    async with FakeTelegram() as tg, on_webhook(tg, database_url, clock, SECRET) as url:
        yield tg, url


async def test_telegram_webhook_secret(
    telegram_webhook: tuple[FakeTelegram, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    tg, url = telegram_webhook
    assert tg.webhook["secret_token"] == SECRET
    compared: list[bytes] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append(a)
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    header = "X-Telegram-Bot-Api-Secret-Token"
    update = b'{"update_id": 1, "message": {"message_id": 1, "date": 0, "chat": {"id": 7, "type": "private"}, "from": {"id": 7, "is_bot": false, "first_name": "A"}, "text": "/start"}}'  # noqa: E501
    missing = await post(url, header, None, update)
    wrong = await post(url, header, SECRET[:-1] + "x", update)
    assert missing[0] == wrong[0] == 403 and missing[1] == wrong[1]
    assert SECRET[:-1].encode() + b"x" in compared  # checked in constant time, by dondoc
    for body in GARBAGE:
        assert (await post(url, header, SECRET, body))[0] == 400, body
    assert not tg.messages_to(7)
    assert (await post(url, header, SECRET, update))[0] == 200
    reply = await tg.wait_for(lambda m: m.chat_id == 7, timeout=10)
    assert "/dangky" in reply.text


async def test_zalo_webhook_secret(zalo: FakeZalo, webhook: ZaloChannel) -> None:  # noqa: F811
    url = f"http://127.0.0.1:{webhook.webhook_port}/zalo/webhook"
    header = "X-Bot-Api-Secret-Token"
    good = zalo.update(STRANGER, text="/tiendo")
    missing = await post(url, header, None, b"{}")
    wrong = await post(url, header, ZALO_SECRET + "x", b"{}")
    assert missing[0] == wrong[0] == 403 and missing[1] == wrong[1]
    # (an event dondoc does not handle is answered 200 and ignored, so Zalo does not retry it)
    for body in [*GARBAGE[:3], b'{"message": {"from": "x"}}', b'{"message": {"from": {"id": 1}, "chat": 2}}']:
        assert (await post(url, header, ZALO_SECRET, body))[0] == 400, body
    assert await zalo.post_webhook(url, ZALO_SECRET, good) == 200
