"""``dondoc run``: start the configured channels (Telegram, Zalo, or both) over one
database, one clock and one reminder scheduler, and stop cleanly on Ctrl-C or SIGTERM.

The scheduler starts from the channels' lifecycle (Telegram's post_init), never at
import. Tokens are never logged: httpx logs request URLs, which contain them, so its
loggers are kept at WARNING, and every record is masked (bot/log_masking.py). A token
the platform rejects ends the run with one line and exit code 3, not a traceback.

A stop (Ctrl-C, SIGTERM) closes the reminders first, while the channels can still send:
no new send starts, the sends on the wire get ``[reminders] stop_timeout`` seconds to be
answered and recorded (the others are recorded as maybe sent), the rest given back.
Then the channels stop receiving; the messages being handled get a few seconds' grace,
and those taken but not handled stay kept (``bot.channels.inbox``) and are handled
first at the next start: a stop during a flood takes seconds, not the flood's length. On
SQLite a lock on the database file refuses a second ``dondoc run`` on it, whatever path
leads there. A platform unreachable at start is waited for (``bot.patient_start``);
on PostgreSQL the processes share Telegram's budgets (``SharedBudget``), and a polled
channel is polled by one of them at a time (``bot.poll_turn``); the others send.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from collections.abc import Awaitable, Callable, Iterable
from functools import partial

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.error import Conflict, InvalidToken, NetworkError, TelegramError

from bot import log_masking, logs
from bot.channel_watch import ChannelWatch
from bot.channels.telegram import TelegramChannel
from bot.channels.telegram_pacing import SharedBudget
from bot.channels.telegram_webhook import TelegramWebhook
from bot.channels.zalo import ZaloChannel
from bot.channels.zalo_client import ZaloApiError
from bot.config import Config
from bot.config_file_mode import readable_by_others
from bot.config_ops import LoggingConfig
from bot.file_server import FileServer, add_download_routes
from bot.operations import Operations
from bot.patient_start import start_patiently
from bot.poll_turn import PollTurn
from bot.reminders import ReminderService
from bot.wiring import build_services, download_shelf, web_gate, web_shelf
from handlers.conversation import Conversation
from models.db import DatabaseInUse, SingleRunner, open_database, sqlite_path
from scheduler.clock import Clock

log = logging.getLogger("dondoc")
Starter = Callable[[], Awaitable[None]]


def configure_logging(secrets: Iterable[str] = (), settings: LoggingConfig | None = None) -> None:
    """Log one line per event (text or JSON lines, ``[logging]``), with ``secrets``
    (tokens, webhook secrets) masked in every record that reaches the root handlers,
    whatever library wrote it."""
    logs.configure(settings or LoggingConfig())
    for noisy in ("httpx", "httpcore", "apscheduler.executors.default"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    log_masking.install(secrets)


def secrets_of(config: Config) -> list[str]:
    tg, zalo = config.telegram, config.zalo
    password = make_url(config.database.url).password  # asyncpg errors may quote the URL
    return [tg.token, tg.webhook_secret, zalo.token, zalo.webhook_secret, config.downloads.secret,
            config.web.secret, str(password or "")]  # fmt: skip


# The one line an operator gets for a token the platform refuses (no traceback).
TELEGRAM_REJECTED = "Telegram từ chối token: kiểm tra DONDOC_TELEGRAM_TOKEN"
ZALO_REJECTED = "Zalo từ chối token: kiểm tra DONDOC_ZALO_TOKEN"


class TelegramRunner:
    """The Telegram channel's lifecycle: initialize, post_init (menu, scheduler), start,
    polling or webhook; and the reverse."""

    def __init__(
        self, channel: TelegramChannel, config: Config, turn: PollTurnMaker | None = None
    ) -> None:
        self.channel, self.config = channel, config.telegram
        self.app = channel.build()
        self.webhook: TelegramWebhook | None = None
        # On PostgreSQL: poll only while this process holds the lock (bot.poll_turn)
        self.turn = None
        if turn is not None and self.config.mode != "webhook":
            self.turn = turn("telegram", self.config.token, self._poll, self._stop_polling)

    async def start(self) -> None:
        app, tg = self.app, self.config
        await app.initialize()
        if app.post_init:
            await app.post_init(app)
        await app.start()
        if tg.mode == "webhook":  # our endpoint checks the secret (telegram_webhook.py)
            await self.channel.resume()
            self.webhook = TelegramWebhook(
                app, secret=tg.webhook_secret, listen=tg.webhook_listen, port=tg.webhook_port
            )
            await self.webhook.start(tg.webhook_url or None)
        elif self.turn is not None:
            self.turn.begin()
        else:
            await self._poll()

    async def _poll(self) -> None:
        assert self.app.updater is not None
        if not self.app.updater.running:
            await self.channel.resume()  # what a stop left unhandled goes first
            await self.app.updater.start_polling(
                drop_pending_updates=False, error_callback=_polling_error
            )

    async def _stop_polling(self) -> None:
        """Stop polling, then handling: PTB's last getUpdates confirms what this process
        took (all of it kept), the updates being handled get a grace, the others stay
        kept for the next poller; only then may the lock go (``bot.poll_turn``)."""
        if self.app.updater and self.app.updater.running:
            await self.app.updater.stop()
        await self.channel.stop_handling()

    async def quiet(self) -> None:
        """Stop receiving and handling, bounded whatever the backlog: what is handled
        gets a grace, the rest stays kept for the next start."""
        if self.turn is not None:  # polling and handling stop before the lock goes
            await self.turn.end()
        if self.webhook is not None:
            await self.webhook.stop()
            self.webhook = None
        await self._stop_polling()

    async def stop(self) -> None:
        """After ``quiet``: PTB's ``Application.stop`` waits for every update queued,
        and finds them all let go."""
        app = self.app
        await self.quiet()
        if app.running:
            await app.stop()
        await app.shutdown()


def _polling_error(error: TelegramError) -> None:
    if isinstance(error, Conflict):  # another poller (not ours, or a webhook): one line
        log.warning("Telegram getUpdates: %s", error)
    else:
        log.error("Telegram getUpdates failed: %s", error)


class PollTurnMaker:
    """Makes a channel's ``PollTurn`` on a shared PostgreSQL database."""

    def __init__(self, engine: AsyncEngine, config: Config, watch: ChannelWatch) -> None:
        self.engine, self.config, self.watch = engine, config, watch

    def __call__(self, channel: str, token: str, start: Starter, stop: Starter) -> PollTurn:
        section = self.config.telegram if channel == "telegram" else self.config.zalo
        return PollTurn(
            self.engine, channel, token, start=start, stop=stop,
            interval=section.takeover_interval,
            on_role=lambda role: self.watch.set_role(channel, role),
        )  # fmt: skip


async def run_bot(config: Config, clock: Clock, *, stop: asyncio.Event | None = None) -> int:
    configure_logging(secrets_of(config), config.logging)
    if warning := readable_by_others(config.path):
        log.warning("%s", warning)
    if not config.telegram.token and not config.zalo.token:
        log.error(
            "Chưa có token: đặt DONDOC_TELEGRAM_TOKEN (hoặc [telegram] token) và/hoặc "
            "DONDOC_ZALO_TOKEN (hoặc [zalo] token) trong tệp cấu hình."
        )
        return 2
    guard = SingleRunner(config.database.url)
    try:
        guard.acquire()
    except DatabaseInUse as refused:
        log.error("%s", refused)
        return 3
    try:
        return await _run(config, clock, stop, exclusive=sqlite_path(config.database.url) is not None)
    finally:
        guard.release()


async def _run(config: Config, clock: Clock, stop: asyncio.Event | None, *, exclusive: bool) -> int:
    engine, sessions = await open_database(config.database.url)
    downloads = download_shelf(config, clock)
    gate = web_gate(config, clock, sessions)
    services = build_services(config, clock, sessions, downloads=downloads, web=gate)
    ops = Operations(config, clock, engine, secrets_of(config))
    conversation = ops.measure(Conversation(services))
    reminders = ReminderService(
        services,
        {},
        interval=config.reminders.dispatch_interval,
        rate=config.telegram.global_rate,  # claims are sized to what can go out in seconds
        stop_timeout=config.reminders.stop_timeout,
        exclusive=exclusive,
    )
    telegram = zalo = zalo_turn = None
    turns = PollTurnMaker(engine, config, ops.watch) if engine.dialect.name == "postgresql" else None
    if config.telegram.token:
        shared = None
        if engine.dialect.name == "postgresql":  # other processes may send beside this one
            tg = config.telegram
            shared = SharedBudget(engine, tg.global_rate, tg.per_chat_interval)
        channel = TelegramChannel(
            conversation, config.telegram, on_start=reminders.start, shared=shared
        )
        reminders.senders["telegram"] = ops.count("telegram", channel.send_reminder)
        reminders.probes["telegram"] = channel.probe
        telegram = TelegramRunner(channel, config, turns)
    if config.zalo.token:
        zalo = ZaloChannel(
            conversation,
            config.zalo,
            downloads=downloads,
            max_download=services.evidence.max_file_bytes,
        )
        reminders.senders["zalo"] = ops.count("zalo", zalo.send_reminder)
        reminders.probes["zalo"] = zalo.probe
        if turns is not None and config.zalo.mode != "webhook":
            zalo_turn = turns("zalo", config.zalo.token, zalo.start_polling, zalo.stop_polling)
    files = None  # when Zalo polls, the download links need a server of their own
    if downloads is not None and config.zalo.mode != "webhook":
        files = FileServer(downloads, config.downloads.listen, config.downloads.port)
    site = None
    if gate is not None:  # the web view, with a download shelf of its own
        from web.server import WebServer, make_app  # aiohttp, Jinja2: only for the view

        shelf = web_shelf(config, clock, gate)
        app = make_app(services, gate, shelf)
        add_download_routes(app, shelf)
        site = WebServer(app, config.web.listen, config.web.port)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    code = 0

    def refused(message: str) -> Callable[[BaseException], None]:
        def say(_error: BaseException) -> None:
            nonlocal code
            log.error(message)
            code = 3
            stop.set()

        return say

    starting: list[asyncio.Task[None]] = []
    try:
        if telegram is not None:  # its post_init starts the reminder scheduler
            starting.append(
                start_patiently(
                    telegram.start,
                    "Telegram",
                    unreachable=lambda e: isinstance(e, NetworkError | OSError),
                    refused=lambda e: isinstance(e, InvalidToken),
                    on_refused=refused(TELEGRAM_REJECTED),
                )
            )
        if zalo is not None:
            starting.append(
                start_patiently(
                    partial(_start_zalo, zalo, zalo_turn),
                    "Zalo",
                    unreachable=lambda e: isinstance(e, ZaloApiError | OSError)
                    and not _zalo_refused(e),
                    refused=_zalo_refused,
                    on_refused=refused(ZALO_REJECTED),
                )
            )
        if files is not None:
            await files.start()
        await ops.start()
        if site is not None:
            await site.start()
        reminders.start()  # at once: the reminders wait for the channels themselves
        log.info("dondoc đang chạy: %s", ", ".join(reminders.senders))
        # What start-up built lives as long as the process: kept out of the cyclic
        # collector's full passes (gc.freeze), which would otherwise walk it every time.
        gc.collect()
        gc.freeze()
        await stop.wait()
    finally:
        for task in starting:
            task.cancel()
        await asyncio.gather(*starting, return_exceptions=True)
        # Side by side, while the channels can still send: the reminders' sends on the
        # wire finish, the channels stop receiving and finish what they handle (a grace).
        quiet: list[Awaitable[None]] = [reminders.close()]
        if zalo is not None:
            quiet.append(_quiet_zalo(zalo, zalo_turn))
        if telegram is not None:
            quiet.append(telegram.quiet())
        for failed in await asyncio.gather(*quiet, return_exceptions=True):
            if isinstance(failed, Exception):  # the rest of the stop goes on
                log.warning("dừng không gọn: %s", failed, exc_info=failed)
        await ops.stop()
        if site is not None:
            await site.stop()
        if files is not None:
            await files.stop()
        if zalo is not None:
            await zalo.stop()
        if telegram is not None:
            await telegram.stop()
        await engine.dispose()
    return code


async def _quiet_zalo(zalo: ZaloChannel, turn: PollTurn | None) -> None:
    if turn is not None:  # polling and handling stop before the lock goes
        await turn.end()
    await zalo.quiet()


async def _start_zalo(zalo: ZaloChannel, turn: PollTurn | None) -> None:
    await zalo.start(poll=turn is None)
    if turn is not None:
        turn.begin()


def _zalo_refused(error: BaseException) -> bool:
    return isinstance(error, ZaloApiError) and error.error_code in (401, 403, 404)
