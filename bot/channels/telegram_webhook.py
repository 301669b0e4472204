"""The Telegram webhook endpoint: our own small aiohttp server in front of
python-telegram-bot, instead of the library's ``Updater.start_webhook``.

Why not the library's server: PTB 22's ``TelegramHandler._validate_post`` compares the
secret with ``token != self.secret_token`` (not constant time), answers a missing and a
wrong secret with different reasons, logs a wrong secret at DEBUG, and lets garbage JSON
raise inside ``json.loads`` (a 500). Here the secret is checked with
:func:`hmac.compare_digest` before anything reads the body; a missing or wrong secret
gets the same 403 body; a body that is not a Telegram update gets a 400. A good update
goes into ``Application.update_queue``, exactly where PTB's own webhook would put it.

The server's connections are limited and timed like dondoc's other web servers
(``bot.http_guard``: per client and overall, header and body timeouts, paced log lines),
which PTB's Tornado server is not: a flood of idle connections cannot exhaust the bot.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.ext import Application, ExtBot

from bot.http_guard import RateLimitedLog, guarded_site

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024  # Telegram's updates are a few kilobytes


def _answer(status: int, description: str) -> web.Response:
    from aiohttp import web

    return web.json_response({"ok": status == 200, "description": description}, status=status)


class TelegramWebhook:
    """Serve ``POST path`` on ``listen:port`` and register it with Telegram."""

    def __init__(
        self, app: Application, *, secret: str, listen: str, port: int, path: str = "/"
    ) -> None:
        self.app, self.secret = app, secret
        self.listen, self.port, self.path = listen, port, path
        self._runner: web.AppRunner | None = None

    async def start(self, webhook_url: str | None = None) -> None:
        from aiohttp import web

        if not any(isinstance(f, RateLimitedLog) for f in log.filters):
            log.addFilter(RateLimitedLog())  # a flood of wrong secrets is one line a minute
        server = web.Application(client_max_size=MAX_BODY)
        server.router.add_post(self.path, self.on_post)
        self._runner = web.AppRunner(server, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await guarded_site(self._runner, self.listen, self.port).start()
        url = webhook_url or f"http://{self.listen}:{self.port}{self.path}"
        await self.app.bot.set_webhook(url=url, secret_token=self.secret or None)
        log.info("Telegram webhook listening on %s:%s%s", self.listen, self.port, self.path)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def allowed(self, given: str | None) -> bool:
        """The secret check, in constant time; no secret configured lets all in."""
        if not self.secret:
            return True
        return hmac.compare_digest((given or "").encode(), self.secret.encode())

    async def on_post(self, request: web.Request) -> web.Response:
        if not self.allowed(request.headers.get(SECRET_HEADER)):
            log.warning("Telegram webhook call refused: wrong or missing secret token")
            return _answer(403, "Forbidden")  # one answer, whichever it was
        try:
            data: Any = json.loads(await request.read())
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise ValueError("not an update")
            update = Update.de_json(data, self.app.bot)
        except Exception as error:  # anything that is not a Telegram update
            log.warning("Telegram webhook: a body that is not an update (%s)", type(error).__name__)
            return _answer(400, "Bad Request")
        if isinstance(self.app.bot, ExtBot):
            self.app.bot.insert_callback_data(update)
        await self.app.update_queue.put(update)
        return _answer(200, "OK")
