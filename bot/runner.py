"""``dondoc run``: start the configured channels over one database and one clock, and
stop cleanly on Ctrl-C or SIGTERM. The token is never logged (httpx logs request URLs,
which contain it, so its logger is kept at WARNING)."""

from __future__ import annotations

import asyncio
import logging
import signal

from bot.channels.telegram import TelegramChannel
from bot.config import Config
from bot.reminders import ReminderService
from bot.wiring import build_services
from handlers.router import Conversation
from models.db import open_database
from scheduler.clock import Clock

log = logging.getLogger("dondoc")


def configure_logging() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


async def run_bot(config: Config, clock: Clock, *, stop: asyncio.Event | None = None) -> int:
    configure_logging()
    if not config.telegram.token:
        log.error(
            "Chưa có token Telegram: đặt DONDOC_TELEGRAM_TOKEN hoặc [telegram] token trong tệp cấu hình."
        )
        return 2
    engine, sessions = await open_database(config.database.url)
    services = build_services(config, clock, sessions)
    conversation = Conversation(services)
    reminders = ReminderService(services, {}, interval=config.reminders.dispatch_interval)
    channel = TelegramChannel(conversation, config.telegram, on_start=reminders.start)
    reminders.senders["telegram"] = channel.send_reminder
    app = channel.build()
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass
    try:
        await app.initialize()
        if app.post_init:
            await app.post_init(app)
        await app.start()
        tg = config.telegram
        if tg.mode == "webhook":
            await app.updater.start_webhook(
                listen=tg.webhook_listen,
                port=tg.webhook_port,
                webhook_url=tg.webhook_url or None,
                secret_token=tg.webhook_secret or None,
            )
        else:
            await app.updater.start_polling(drop_pending_updates=False)
        log.info("dondoc đang chạy (%s)", tg.mode)
        await stop.wait()
    finally:
        reminders.stop()
        if app.updater and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        await engine.dispose()
    return 0
