"""The Zalo Bot API client against the fake Zalo server over real HTTP: results and
errors, backoff on 429/5xx/network errors, the token kept out of messages and logs, long
polling, webhooks, and long texts split on line boundaries."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator

import pytest

from bot.channels.zalo_client import MAX_TEXT, NETWORK_ERROR, ZaloApiError, ZaloClient
from tests.fakes.zalo_api import FakeZalo


class Sleeps:
    """Records the backoff delays instead of sleeping."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


@pytest.fixture
async def client(zalo: FakeZalo) -> AsyncIterator[tuple[ZaloClient, Sleeps]]:
    sleeps = Sleeps()
    async with ZaloClient(zalo.token, zalo.base_url, sleep=sleeps) as api:
        yield api, sleeps


async def test_get_me_and_ok_false_raises(zalo: FakeZalo, client) -> None:  # noqa: ANN001
    api, sleeps = client
    assert (await api.get_me())["id"] == zalo.bot_id
    with pytest.raises(ZaloApiError) as refused:
        await api.call("sendMessage", {"chat_id": "u1", "text": "x" * (MAX_TEXT + 1)})
    assert refused.value.error_code == 400 and "2000" in refused.value.description
    with pytest.raises(ZaloApiError) as unknown:
        await api.call("sendSticker", {"chat_id": "u1"})
    assert unknown.value.error_code == 404
    assert sleeps.delays == []  # a refusal is not retried


async def test_wrong_token_is_401_and_never_shown(zalo: FakeZalo, caplog) -> None:  # noqa: ANN001
    secret = "999:WRONG-secret-token"
    with caplog.at_level(logging.DEBUG), caplog.at_level(logging.DEBUG, logger="httpx"):
        async with ZaloClient(secret, zalo.base_url) as api:
            with pytest.raises(ZaloApiError) as refused:
                await api.get_me()
            assert secret not in repr(api)
    assert refused.value.error_code == 401
    assert secret not in str(refused.value) and secret not in caplog.text
    assert "getMe" in caplog.text  # httpx logged the request, with the token masked


async def test_backoff_on_429_and_500_then_success(zalo: FakeZalo, client) -> None:  # noqa: ANN001
    api, sleeps = client
    zalo.fail_next("sendMessage", status=429, times=2)
    zalo.fail_next("getMe", status=500)
    assert len(await api.send_message("u1", "Chào anh")) == 1
    await api.get_me()
    assert sleeps.delays == [0.5, 1.0, 0.5]
    assert [m.text for m in zalo.sent] == ["Chào anh"]  # sent once, after the refusals


async def test_retry_after_header_is_honoured(zalo: FakeZalo, client) -> None:  # noqa: ANN001
    api, sleeps = client
    zalo.fail_next("sendMessage", status=429, retry_after=3)
    await api.send_message("u1", "Chào anh")
    assert sleeps.delays == [3.0]


async def test_gives_up_after_four_retries(zalo: FakeZalo, client) -> None:  # noqa: ANN001
    api, sleeps = client
    zalo.fail_next("getMe", status=502, times=5)
    with pytest.raises(ZaloApiError) as failed:
        await api.get_me()
    assert failed.value.error_code == 502
    assert sleeps.delays == [0.5, 1.0, 2.0, 4.0]


async def test_network_error_backs_off_then_raises_without_the_token(caplog) -> None:  # noqa: ANN001
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    token, sleeps = "424242:NETWORK-secret", Sleeps()
    with caplog.at_level(logging.DEBUG):
        async with ZaloClient(token, f"http://127.0.0.1:{port}", sleep=sleeps) as api:
            with pytest.raises(ZaloApiError) as failed:
                await api.get_me()
    assert failed.value.error_code == NETWORK_ERROR and sleeps.delays == [0.5, 1.0, 2.0, 4.0]
    assert failed.value.__cause__ is None and failed.value.__suppress_context__
    assert token not in str(failed.value) and token not in caplog.text


async def test_long_text_is_split_on_a_line_boundary(zalo: FakeZalo, client) -> None:  # noqa: ANN001
    api, _ = client
    lines = [f"{i:02d}. " + "nhiệm vụ " * 5 for i in range(50)]  # 49 characters each
    lines[-1] += "."
    text = "\n".join(lines)
    assert len(text) == 2500
    ids = await api.send_message("u1", text)
    assert len(ids) == 2 and len(set(ids)) == 2
    pieces = [m.text for m in zalo.messages_to("u1")]
    assert [m.message_id for m in zalo.messages_to("u1")] == ids
    assert all(len(p) <= MAX_TEXT for p in pieces)
    assert all(line in lines for piece in pieces for line in piece.split("\n"))  # whole lines
    assert "\n".join(pieces) == text
    assert await api.send_message("u1", "  ") == []  # nothing to send


async def test_get_updates_long_polls_one_update_at_a_time(zalo: FakeZalo, client) -> None:  # noqa: ANN001
    api, sleeps = client
    assert await api.get_updates(timeout=0) == []  # Zalo's idle answer: 408 "Request timeout"
    zalo.empty_poll = (200, {"ok": True, "result": None})
    assert await api.get_updates(timeout=0) == []
    zalo.send_text("u1", "một", display_name="Lan")
    zalo.send_text("u1", "hai")
    (first,) = await api.get_updates(timeout=1)
    assert first["event_name"] == "message.text.received"
    message = first["message"]
    assert message["text"] == "một" and message["from"] == {
        "id": "u1",
        "display_name": "Lan",
        "is_bot": False,
    }
    assert message["chat"] == {"id": "u1", "chat_type": "PRIVATE"}
    assert int(message["message_id"], 16) and message["date"] > 10**12  # hex id, milliseconds
    assert [u["message"]["text"] for u in await api.get_updates(timeout=1)] == ["hai"]

    waiting = asyncio.create_task(api.get_updates(timeout=5))
    await zalo.wait_until(lambda: [c for c, _ in zalo.calls].count("getUpdates") == 5)
    zalo.send_text("u2", "ba")  # arrives during the long poll: answered at once
    assert [u["message"]["text"] for u in await asyncio.wait_for(waiting, 2)] == ["ba"]
    assert sleeps.delays == []


async def test_webhook_methods(zalo: FakeZalo, client) -> None:  # noqa: ANN001
    api, _ = client
    assert await api.get_webhook_info() is None  # Zalo: 404 when none is set
    with pytest.raises(ZaloApiError):
        await api.set_webhook("https://dondoc.example/zalo/webhook", "short")
    await api.set_webhook("https://dondoc.example/zalo/webhook", "a-long-enough-secret")
    assert (await api.get_webhook_info())["url"] == "https://dondoc.example/zalo/webhook"
    assert zalo.webhook["secret_token"] == "a-long-enough-secret"
    await api.delete_webhook()
    assert await api.get_webhook_info() is None


async def test_chat_action_and_photo(zalo: FakeZalo, client) -> None:  # noqa: ANN001
    api, sleeps = client
    await api.send_chat_action("u1", "typing")
    assert zalo.chat_actions == [("u1", "typing")]
    zalo.fail_next("sendChatAction", status=429)
    with pytest.raises(ZaloApiError):
        await api.send_chat_action("u1")  # cosmetic: never retried
    assert sleeps.delays == []
    message_id = await api.send_photo("u1", "https://dondoc.example/chart.png", caption="Tiến độ")
    assert (
        zalo.sent[-1].photo == "https://dondoc.example/chart.png"
        and zalo.sent[-1].message_id == message_id
    )


async def test_a_send_that_times_out_after_leaving_is_not_resent_blindly() -> None:
    """Issue 11: the message may have arrived; the dispatcher decides (maybe-sent)."""
    import httpx as _httpx

    from bot.channels.zalo import dispatcher_error
    from bot.channels.zalo_client import MAYBE_SENT, ZaloApiError, ZaloClient
    from scheduler.dispatcher import MaybeSent

    calls: list[str] = []

    def handler(request: _httpx.Request) -> _httpx.Response:
        calls.append(request.url.path)
        raise _httpx.ReadTimeout("the answer did not come", request=request)

    async def no_sleep(_delay: float) -> None:
        return None

    http = _httpx.AsyncClient(transport=_httpx.MockTransport(handler))
    client = ZaloClient("123:abc", "http://zalo.test", http=http, sleep=no_sleep)
    try:
        await client.send_message("u1", "Nhắc việc")
    except ZaloApiError as err:
        assert err.error_code == MAYBE_SENT
        assert isinstance(dispatcher_error(err), MaybeSent)
    else:
        raise AssertionError("a timed-out send must be reported")
    assert len(calls) == 1  # sent once, not four times
    calls.clear()
    try:
        await client.call("getMe")
    except ZaloApiError as err:
        assert err.error_code != MAYBE_SENT
    assert len(calls) == 5  # other calls are still retried
    await http.aclose()
