"""A fake Zalo Bot Platform API server: a test double of https://bot-api.zaloplatforms.com
for dondoc's Zalo client and channel.

It is a real HTTP server (aiohttp.web on 127.0.0.1, free port) speaking the documented
JSON, so the real ``ZaloClient`` talks to it over HTTP::

    async with FakeZalo() as zalo:
        client = ZaloClient(zalo.token, zalo.base_url)
        zalo.send_text("a1b2c3", "/viec", display_name="Lan")   # a user writes to the bot
        reply = await zalo.wait_for(lambda m: m.chat_id == "a1b2c3")

What it models: ``POST /bot<TOKEN>/<method>`` with a JSON body; answers
``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": N, "description": ...}``;
``getUpdates`` hands out ONE update per call and long-polls up to ``timeout`` seconds,
then answers like Zalo does when nobody wrote (``empty_poll``: HTTP 408 with
``error_code`` 408 "Request timeout"); updates carry ``event_name``, string ids, hex
message ids, millisecond dates and ``chat_type`` "PRIVATE"; ``sendMessage`` refuses a
text over 2000 characters; ``getWebhookInfo`` answers 404 when no webhook is set; while
a webhook is set ``getUpdates`` is refused and updates are pushed with ``flush_webhook``
(header ``X-Bot-Api-Secret-Token``). Faults: ``fail_next(method, status=429|500)``.
Value types are in ``zalo_types``, the waiting helpers (``wait_for``, ``wait_until``,
``wait_sent``, ``wait_idle``) in ``waiting``.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import time
from collections import defaultdict, deque
from typing import Any

import aiohttp
from aiohttp import web

from .waiting import Waiting
from .zalo_types import ApiError, ZaloSent

__all__ = ["ApiError", "FakeZalo", "ZaloSent"]

MAX_TEXT = 2000
SECRET_HEADER = "X-Bot-Api-Secret-Token"
EMPTY_POLL = (408, {"ok": False, "error_code": 408, "description": "Request timeout"})


class FakeZalo(Waiting[ZaloSent]):
    def __init__(
        self, token: str = "3141592653:FAKE-zalo-bot-token", *, bot_name: str = "Bot Đôn Đốc"
    ) -> None:
        self.token, self.bot_name = token, bot_name
        self.bot_id = hashlib.md5(token.encode()).hexdigest()[:16]
        self.port: int | None = None
        self.max_text = MAX_TEXT
        self.empty_poll: tuple[int, dict] = EMPTY_POLL  # what getUpdates answers when idle
        # observations
        self.sent: list[ZaloSent] = []
        self.calls: list[tuple[str, dict]] = []
        self.chat_actions: list[tuple[str, str]] = []
        self.rejected: list[tuple[str, dict, int, str]] = []  # (method, params, status, why)
        self.webhook: dict | None = None  # {"url", "secret_token", "updated_at"} while set
        # internal state
        self._updates: deque[dict] = deque()
        self._ids = itertools.count(1)
        self._failures: dict[str, deque[ApiError]] = defaultdict(deque)
        self._waiters: set[asyncio.Future] = set()
        self._runner: web.AppRunner | None = None
        self._closing = False
        self._hosted: dict[str, bytes] = {}  # pictures users sent, as Zalo's CDN serves them
        self.downloads: list[str] = []

    # -- lifecycle ------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


    # -- driving the bot as users ---------------------------------------------------------------

    def update(
        self,
        user_id: str,
        event_name: str = "message.text.received",
        *,
        display_name: str = "Người dùng",
        **content: Any,
    ) -> dict:
        """An update as Zalo builds it (not queued): for ``post_webhook``."""
        message = {
            "from": {"id": str(user_id), "display_name": display_name, "is_bot": False},
            "chat": {"id": str(user_id), "chat_type": "PRIVATE"},
            "message_id": self._hex_id(),
            "date": int(time.time() * 1000),
            **content,
        }
        return {"event_name": event_name, "message": message}

    def send_text(self, user_id: str, text: str, *, display_name: str = "Người dùng") -> str:
        """Queue a text message from a user; returns its message id."""
        return self._queue(self.update(user_id, text=text, display_name=display_name))

    def send_image(
        self,
        user_id: str,
        url: str,
        *,
        caption: str | None = None,
        display_name: str = "Người dùng",
    ) -> str:
        extra = {"caption": caption} if caption else {}
        return self.send_event(user_id, "message.image.received", display_name, photo=url, **extra)

    def host(self, name: str, content: bytes) -> str:
        """Serve ``content`` as Zalo's CDN serves a picture a user sent; its URL."""
        self._hosted[name] = content
        return f"{self.base_url}/cdn/{name}"

    def redirect(self, name: str, target: str) -> str:
        """A CDN URL that answers 302 to ``target``; its URL."""
        self._hosted[name] = target  # type: ignore[assignment]
        return f"{self.base_url}/cdn/{name}"

    def send_event(
        self, user_id: str, event_name: str, display_name: str = "Người dùng", **content: Any
    ) -> str:
        """Queue any event, e.g. ``message.sticker.received`` (with ``sticker``, ``url``)
        or ``message.unsupported.received``; returns its message id."""
        return self._queue(self.update(user_id, event_name, display_name=display_name, **content))

    @property
    def pending_updates(self) -> list[dict]:
        return list(self._updates)

    async def post_webhook(self, url: str, secret: str | None, update: dict) -> int:
        """POST ``update`` to ``url`` as Zalo does (secret header if not None); the status."""
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, json=update, headers=headers) as response,
        ):
            return response.status

    async def flush_webhook(self) -> list[int]:
        """Push every queued update to the webhook set with ``setWebhook``; the statuses."""
        if not self.webhook:
            raise RuntimeError("no webhook is set")
        statuses = []
        while self._updates:
            update = self._updates.popleft()
            statuses.append(
                await self.post_webhook(self.webhook["url"], self.webhook["secret_token"], update)
            )
        return statuses

    # -- observing / fault injection ------------------------------------------------------------

    def messages_to(self, chat_id: str) -> list[ZaloSent]:
        return [m for m in self.sent if m.chat_id == str(chat_id)]

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        times: int = 1,
        retry_after: int | None = None,
        description: str | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with HTTP ``status``."""
        text = description or ("Too Many Requests" if status == 429 else "Internal Server Error")
        for _ in range(times):
            self._failures[method.lower()].append(ApiError(status, text, retry_after))

    # -- internals ------------------------------------------------------------------------------

    def _hex_id(self) -> str:
        return hashlib.md5(f"{self.token}:{next(self._ids)}".encode()).hexdigest()

    def _queue(self, update: dict) -> str:
        self._updates.append(update)
        self._notify()
        return update["message"]["message_id"]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["tail"]
        if path.startswith("cdn/"):
            self.downloads.append(path)
            content = self._hosted.get(path.removeprefix("cdn/"))
            if isinstance(content, str):  # a redirect (see ``redirect``)
                return web.Response(status=302, headers={"Location": content})
            if content is None:
                return web.Response(status=404, text="Not Found")
            return web.Response(body=content, content_type="image/jpeg")
        token, _, method = path.removeprefix("bot").partition("/")
        if not path.startswith("bot") or not method:
            return ApiError(404, "Not Found").response()
        if token != self.token:
            return ApiError(401, "Unauthorized").response()
        try:
            params = await request.json() if request.can_read_body else {}
        except ValueError:
            return ApiError(400, "Bad Request: invalid JSON").response()
        params = {**request.query, **(params if isinstance(params, dict) else {})}
        self.calls.append((method, params))
        self._notify()  # a test may wait for the call itself (a long poll in progress)
        name = method.lower()
        try:
            if self._failures[name]:
                return self._failures[name].popleft().response()
            handler = getattr(self, f"_api_{name}", None)
            if handler is None:
                raise ApiError(404, "Not Found")
            result = await (handler(params, request) if name == "getupdates" else handler(params))
            if isinstance(result, web.Response):
                return result
            return web.json_response({"ok": True, "result": result})
        except ApiError as err:
            self.rejected.append((method, params, err.status, err.description))
            return err.response()
        finally:
            self._notify()

    # -- the API methods ------------------------------------------------------------------------

    async def _api_getme(self, params: dict) -> dict:
        return {
            "id": self.bot_id,
            "account_name": f"bot.{self.bot_id[:8]}",
            "account_type": "BASIC",
            "can_join_groups": False,
            "display_name": self.bot_name,
        }

    async def _api_getupdates(self, params: dict, request: web.Request) -> dict | web.Response:
        if self.webhook:
            raise ApiError(409, "Conflict: webhook is active, getUpdates is not available")
        try:
            timeout = float(params.get("timeout", 0) or 0)
        except (TypeError, ValueError) as exc:
            raise ApiError(400, "Bad Request: timeout must be a number") from exc
        deadline = time.monotonic() + timeout
        while not self._updates and not self._closing and time.monotonic() < deadline:
            await self._wait_change(deadline - time.monotonic())
        gone = request.transport is None or request.transport.is_closing()
        if self._updates and not gone:  # a poller that hung up must not swallow an update
            return self._updates.popleft()
        status, body = self.empty_poll
        return web.json_response(body, status=status)

    async def _api_sendmessage(self, params: dict) -> dict:
        chat_id, text = self._chat(params), params.get("text")
        if not isinstance(text, str) or not text:
            raise ApiError(400, "Bad Request: text is required")
        if len(text) > self.max_text:
            raise ApiError(400, f"Bad Request: text must not exceed {self.max_text} characters")
        return self._record("sendMessage", chat_id, params, text=text)

    async def _api_sendphoto(self, params: dict) -> dict:
        chat_id, photo = self._chat(params), params.get("photo")
        if not isinstance(photo, str) or not photo.startswith(("http://", "https://")):
            raise ApiError(400, "Bad Request: photo must be a URL")
        return self._record("sendPhoto", chat_id, params, text=params.get("caption"), photo=photo)

    async def _api_sendchataction(self, params: dict) -> dict:
        self.chat_actions.append((self._chat(params), str(params.get("action", ""))))
        return {}

    async def _api_setwebhook(self, params: dict) -> dict:
        url, secret = params.get("url"), params.get("secret_token")
        if not url or not secret:
            raise ApiError(400, "Bad Request: url and secret_token are required")
        if not 8 <= len(str(secret)) <= 256:
            raise ApiError(400, "Bad Request: secret_token must be 8 to 256 characters")
        local = str(url).startswith(("http://127.0.0.1", "http://localhost"))
        if not str(url).startswith("https://") and not local:
            raise ApiError(400, "Bad Request: webhook url must be HTTPS")
        self.webhook = {"url": url, "secret_token": secret, "updated_at": int(time.time() * 1000)}
        return {"url": url, "updated_at": self.webhook["updated_at"]}

    async def _api_deletewebhook(self, params: dict) -> dict:
        self.webhook = None
        return {"url": "", "updated_at": int(time.time() * 1000)}

    async def _api_getwebhookinfo(self, params: dict) -> dict:
        if not self.webhook:
            raise ApiError(404, "Not Found")
        return {"url": self.webhook["url"], "updated_at": self.webhook["updated_at"]}

    def _chat(self, params: dict) -> str:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, str) or not chat_id:
            raise ApiError(400, "Bad Request: chat_id is required")
        return chat_id

    def _record(
        self,
        method: str,
        chat_id: str,
        params: dict,
        *,
        text: str | None = None,
        photo: str | None = None,
    ) -> dict:
        message = ZaloSent(
            method,
            chat_id,
            self._hex_id(),
            text=text,
            photo=photo,
            date=int(time.time() * 1000),
            time=time.monotonic(),
            params=params,
        )
        self.sent.append(message)
        return {"message_id": message.message_id, "date": message.date}
