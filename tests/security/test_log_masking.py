"""Issue 12, item 6: no token or webhook secret in any log line, dondoc's or the
libraries', at DEBUG, tracebacks included; a rejected token gets one clear line."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Iterator
from datetime import datetime

import pytest

from bot import runner as runner_module
from bot.config import Config
from bot.runner import run_bot
from scheduler.clock import Clock
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo
from tests.test_runner import TZ, config_for, on_webhook, seed

TOKEN = "7355608123:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"  # Telegram's shape
SECRET = "the-webhook-secret-of-xa-nguyen-binh-khiem"
LOUD = ("", "telegram", "httpx", "httpcore", "apscheduler", "aiohttp", "dondoc", "bot")


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """Every record that reaches the root logger, at DEBUG for every library."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    levels = {name: logging.getLogger(name).level for name in LOUD}
    real = runner_module.configure_logging

    def at_debug(*args: object) -> None:  # what an operator chasing a problem would do
        real(*args)
        for name in LOUD:
            logging.getLogger(name).setLevel(logging.DEBUG)

    monkeypatch.setattr(runner_module, "configure_logging", at_debug)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


async def test_a_run_at_debug_logs_no_token_and_no_secret(
    sessions, database_url, captured: io.StringIO  # noqa: ANN001
) -> None:
    clock = Clock.starting_at(datetime(2026, 1, 5, 9, 0, tzinfo=TZ), frozen=True)
    await seed(sessions, clock, telegram_ids={})
    async with FakeTelegram(token=TOKEN) as tg, on_webhook(tg, database_url, clock, SECRET) as url:
        update = {"update_id": 1, "message": {"message_id": 1, "date": 0, "chat": {"id": 7, "type": "private"},
                  "from": {"id": 7, "is_bot": False, "first_name": "A"}, "text": "/start"}}  # fmt: skip
        assert await tg.post_webhook(url, SECRET, update) == 200
        await tg.wait_for(lambda m: m.chat_id == 7, timeout=10)
        # a library's error with the token in its traceback
        try:
            raise RuntimeError(f"POST http://127.0.0.1/bot{TOKEN}/sendMessage failed")
        except RuntimeError:
            logging.getLogger("httpx").exception("request to %s failed", f"/bot{TOKEN}/x")
    log = captured.getvalue()
    assert "getMe" in log and "setWebhook" in log  # the libraries' DEBUG lines are there
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    assert SECRET not in log
    assert "Traceback" in log and "/bot***/sendMessage" in log


async def test_rejected_telegram_token_is_one_line(sessions, database_url, captured: io.StringIO) -> None:  # noqa: ANN001
    async with FakeTelegram(token=TOKEN) as tg:
        config = config_for(tg, database_url)
        config.telegram.token = "7355608123:AAWRONGcvCH1vGWJxfSeofSAs0K5PALDsaw1"
        assert await asyncio.wait_for(run_bot(config, Clock()), 20) != 0
    log = captured.getvalue()
    assert "Telegram từ chối token: kiểm tra DONDOC_TELEGRAM_TOKEN" in log
    assert "Traceback" not in log and "AAWRONG" not in log


async def test_rejected_zalo_token_is_one_line(database_url, captured: io.StringIO) -> None:  # noqa: ANN001
    async with FakeZalo() as zalo:
        config = Config()
        config.database.url = database_url
        config.zalo.token, config.zalo.base_url = "3141592653:WRONG-zalo-bot-token", zalo.base_url
        assert await asyncio.wait_for(run_bot(config, Clock()), 20) != 0
    log = captured.getvalue()
    assert "Zalo từ chối token: kiểm tra DONDOC_ZALO_TOKEN" in log
    assert "Traceback" not in log and "WRONG-zalo-bot-token" not in log


def test_mask_covers_args_tracebacks_and_encoded_forms() -> None:
    from bot.log_masking import SecretMask

    mask = SecretMask([SECRET, "a/b secret+1"])
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "url %s and %r", (TOKEN, SECRET), None)
    assert mask.filter(record) and record.getMessage() == "url *** and '***'"
    assert mask.mask("q=a%2Fb%20secret%2B1") == "q=***"
    assert mask.mask("no secret here") == "no secret here"
