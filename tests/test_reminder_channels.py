"""The reminder-sending side of the channels maps each failure to what the dispatcher
does with it: timeouts and 5xx are retried (after a timeout the message may be out),
a refused message fails for good, a blocked chat is unreachable. Over real HTTP against
the fake Bot API in outage and slow-acknowledgement modes."""

from __future__ import annotations

import httpx
import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.channels.telegram import TelegramChannel, reminder_error
from bot.channels.zalo import dispatcher_error
from bot.channels.zalo_client import ZaloApiError
from handlers.messages import Outgoing
from scheduler.dispatcher import (
    MaybeSent,
    PermanentFailure,
    RateLimited,
    TemporaryFailure,
    Unreachable,
)
from tests.fakes.telegram_api import FakeTelegram
from tests.telegram_support import telegram_config


def _timed_out(cause: Exception) -> TimedOut:
    try:
        raise TimedOut() from cause
    except TimedOut as error:
        return error


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (RetryAfter(3), RateLimited),
        (Forbidden("Forbidden: bot was blocked by the user"), Unreachable),
        (BadRequest("Chat not found"), Unreachable),
        (BadRequest("Can't parse entities: unsupported start tag"), PermanentFailure),
        (NetworkError("Bad Gateway"), TemporaryFailure),
        (NetworkError("Internal Server Error (500)"), TemporaryFailure),
        (_timed_out(httpx.ConnectTimeout("connect")), TemporaryFailure),
        (_timed_out(httpx.ReadTimeout("read")), MaybeSent),
    ],
)
def test_telegram_errors_map_to_the_dispatcher(error: Exception, expected: type) -> None:
    mapped = reminder_error(error)
    assert type(mapped) is expected


def test_zalo_errors_map_to_the_dispatcher() -> None:
    assert isinstance(dispatcher_error(ZaloApiError(400, "bad request")), PermanentFailure)
    assert isinstance(dispatcher_error(ZaloApiError(403, "blocked")), Unreachable)
    assert type(dispatcher_error(ZaloApiError(0, "network"))) is TemporaryFailure
    assert type(dispatcher_error(ZaloApiError(503, "unavailable"))) is TemporaryFailure


async def test_outage_and_slow_acknowledgements_over_http(sessions, clock) -> None:  # noqa: ANN001
    from handlers.context import Services
    from handlers.conversation import Conversation

    async with FakeTelegram() as tg:
        config = telegram_config(tg, per_chat_interval=0)
        channel = TelegramChannel(Conversation(Services(sessions=sessions, clock=clock)), config, reminder_ack_timeout=0.5)
        app = channel.build()
        await app.initialize()
        try:
            tg.outage(5)
            with pytest.raises(TemporaryFailure) as down:
                await channel.send_reminder("42", Outgoing("Nhắc việc"))
            assert type(down.value) is TemporaryFailure and not tg.messages_to(42)
            tg.outage(0)
            tg.slow_acks(5, delay=1.5)  # delivered, answered after the bot stopped waiting
            with pytest.raises(MaybeSent):
                await channel.send_reminder("42", Outgoing("Nhắc việc"))
            assert len(tg.messages_to(42)) == 1  # it did arrive: hence "maybe sent"
        finally:
            await app.shutdown()
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
