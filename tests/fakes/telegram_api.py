"""A fake Telegram Bot API server: a test double of https://api.telegram.org for the tests and
benchmarks of dondoc.

It is a real HTTP server (aiohttp.web on 127.0.0.1, free port), so the REAL
python-telegram-bot ``Application`` talks to it over HTTP, exactly as to Telegram::

    async with FakeTelegram() as tg:
        app = (ApplicationBuilder().token(tg.token).base_url(tg.base_url)
               .base_file_url(tg.base_file_url).build())
        ...start polling...
        msg_id = tg.send_text(42, "/start")              # a user writes to the bot
        reply = await tg.wait_for(lambda m: m.chat_id == 42)
        tg.press_button(42, reply.message_id, "done")    # ...and presses an inline button

Fake users *queue updates* (delivered by ``getUpdates`` long polling, or pushed to a webhook
with ``flush_webhook``/``post_webhook``); what the bot does is recorded in ``sent``, ``calls``,
``answered_callbacks``, ``commands``, ``webhook``.  Responses mirror the real API: full
``Message`` objects, per-chat message ids, ``parse_mode`` parsing with Telegram's error texts
(``telegram_markup``), 400/403/404/409/429 errors with the real descriptions.  Faults can be
injected with ``fail_next`` and ``block_user``; optional rate limits (``global_rate``,
``per_chat_rate``, sliding window of 1 s) answer 429 with ``retry_after`` like Telegram's flood
control; ``outage`` answers 500 to every send for a while, and ``slow_acks`` delivers
sends but answers them late (the bot may give up waiting on a message that arrived).
State lives in plain attributes: tests may read them directly.  The Bot API methods
are in ``telegram_methods``, value types in ``telegram_types``, the waiting helpers
(``wait_for``, ``wait_until``, ``wait_sent``, ``wait_idle``) in ``waiting``.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections import Counter, defaultdict, deque
from typing import Any

import aiohttp
from aiohttp import web

from .telegram_markup import utf16_len
from .telegram_methods import API
from .telegram_types import ApiError, FakeUser, SentMessage, StoredFile, read_params
from .waiting import Waiting

__all__ = ["ApiError", "FakeTelegram", "FakeUser", "SentMessage"]


class FakeTelegram(Waiting[SentMessage]):
    def __init__(self, token: str = "123:TEST", *, bot_username: str = "dondoc_test_bot",
                 global_rate: float | None = None, per_chat_rate: float | None = None) -> None:  # fmt: skip
        self.token, self.bot_username = token, bot_username
        self.bot_id = int(token.split(":")[0])
        self.global_rate, self.per_chat_rate = global_rate, per_chat_rate
        self.port: int | None = None
        # observations
        self.sent: list[SentMessage] = []
        self.calls: list[tuple[str, dict]] = []
        self.answered_callbacks: list[dict] = []
        self.deleted: list[tuple[int, int]] = []  # (chat_id, message_id) from deleteMessage
        self.chat_actions: list[tuple[int, str]] = []
        self.commands: list[dict] = []  # the last setMyCommands list
        self.commands_by_scope: dict[tuple[str, str], list[dict]] = {}  # (scope type, lang)
        self.menu_buttons: dict[str, dict] = {}  # setChatMenuButton by chat id ("" the bot's default)
        self.webhook: dict | None = None  # setWebhook parameters while a webhook is set
        self.requests_429 = 0
        self.per_chat_count: Counter[int] = Counter()  # accepted sends per chat
        self.send_times: list[float] = []  # time.monotonic() of every accepted send
        # internal state
        self._updates: list[dict] = []
        self._next_update_id = 1
        self._last_message_id: Counter[int] = Counter()
        self._messages: dict[tuple[int, int], dict] = {}
        self._chats: dict[int, dict] = {}
        self._users: dict[int, FakeUser] = {}
        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._callbacks: dict[str, dict] = {}  # pending callback queries
        self._failures: dict[str, deque[ApiError]] = defaultdict(deque)
        self._blocked: set[int] = set()
        self._outage_until = 0.0  # time.monotonic(): sends answer 500 until then
        self._slow_until, self._ack_delay = 0.0, 0.0  # sends answer late until then
        self._hang_until, self._hang_delay = 0.0, 0.0  # sends hang, then 504, undelivered
        self._dark_until = 0.0  # every method answers 502 (the network is down)
        self.requests_504 = 0
        self.requests_500 = 0
        # Long polls (getUpdates) of live clients: one arriving while another is still
        # open is an overlap; the older one then ends with 409, like on Telegram.
        self.poll_overlaps = 0
        self.poll_conflicts = 0  # 409 "terminated by other getUpdates request" to a live client
        self.polls = 0
        self._open_polls: dict[int, web.Request] = {}
        self._global_window: deque[float] = deque()
        self._chat_windows: dict[int, deque[float]] = defaultdict(deque)
        self._allowed_updates: list[str] | None = None
        self._poll_generation = 0
        self._waiters: set[asyncio.Future] = set()
        self._closing = False
        self._runner: web.AppRunner | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    @property
    def bot_user(self) -> dict:
        return {"id": self.bot_id, "is_bot": True, "first_name": "Dondoc Test",
                "username": self.bot_username}  # fmt: skip

    client_max_size = 60 * 1024**2  # documents up to the Bot API's 50 MB

    # -- driving the bot as users ---------------------------------------------------------------

    def user(self, user_id: int, first_name: str = "Test", username: str | None = None,
             language_code: str | None = "vi") -> FakeUser:  # fmt: skip
        self._users[user_id] = FakeUser(self, user_id, first_name, username, language_code)
        return self._users[user_id]

    def send_text(self, user_id: int, text: str, *, chat_id: int | None = None,
                  chat_type: str = "private", reply_to_message_id: int | None = None,
                  first_name: str = "Test") -> int:  # fmt: skip
        """Queue a text message from a user; commands get a ``bot_command`` entity."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
        return self._user_message(user_id, chat_id, chat_type, reply_to_message_id, first_name, content)

    def send_document(self, user_id: int, filename: str, content: bytes, *, caption: str | None = None,
                      chat_id: int | None = None, reply_to_message_id: int | None = None,
                      mime_type: str = "application/octet-stream", chat_type: str = "private") -> int:  # fmt: skip
        stored = self._store_file(content, "documents", filename, mime_type)
        body = {"document": stored.as_document(), **({"caption": caption} if caption else {})}
        return self._user_message(user_id, chat_id, chat_type, reply_to_message_id, "Test", body)

    def send_photo(self, user_id: int, content: bytes, *, caption: str | None = None,
                   reply_to_message_id: int | None = None, chat_id: int | None = None) -> int:  # fmt: skip
        stored = self._store_file(content, "photos", "photo.jpg", None)
        body = {"photo": stored.as_photo(), **({"caption": caption} if caption else {})}
        return self._user_message(user_id, chat_id, "private", reply_to_message_id, "Test", body)

    def press_button(self, user_id: int, message_id: int, data: str, *, chat_id: int | None = None,
                     strict: bool = True) -> str:  # fmt: skip
        """Queue a callback query from pressing a button of a bot message; returns its id.
        With ``strict`` the message must currently show an inline button with that data."""
        message = self._messages.get((chat_id or user_id, message_id))
        if message is None or message["from"]["id"] != self.bot_id:
            raise ValueError(f"no bot message {message_id} in chat {chat_id or user_id}")
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        available = [button.get("callback_data") for row in rows for button in row]
        if strict and data not in available:
            raise ValueError(f"message {message_id} has no button {data!r}; it has {available}")
        query_id = f"{self.bot_id}{self._next_update_id:08d}"
        query = {"id": query_id, "from": self._user_dict(user_id, "Test"), "message": message,
                 "chat_instance": f"ci{chat_id or user_id}", "data": data}  # fmt: skip
        self._callbacks[query_id] = query
        self._queue("callback_query", query)
        return query_id

    @property
    def pending_updates(self) -> list[dict]:
        return list(self._updates)

    async def post_webhook(self, url: str, secret_token: str | None, update: dict) -> int:
        """POST ``update`` to a webhook like Telegram does; returns the HTTP status."""
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret_token} if secret_token else {}
        async with aiohttp.ClientSession() as session, session.post(url, json=update, headers=headers) as response:
            return response.status

    async def flush_webhook(self) -> list[int]:
        """Deliver every queued update to the webhook set with ``setWebhook``; the statuses."""
        if not self.webhook:
            raise RuntimeError("no webhook is set")
        statuses = []
        while self._updates:
            update = self._updates.pop(0)
            statuses.append(await self.post_webhook(self.webhook["url"], self.webhook.get("secret_token"), update))
        return statuses

    # -- observing / fault injection ------------------------------------------------------------

    def messages_to(self, chat_id: int) -> list[SentMessage]:
        return [m for m in self.sent if m.chat_id == chat_id]

    def message(self, chat_id: int, message_id: int) -> dict | None:
        """The current state of a message (as Telegram stores it: edits applied)."""
        return self._messages.get((chat_id, message_id))

    def fail_next(self, method: str, *, status: int = 429, retry_after: int = 1,
                  description: str | None = None, times: int = 1) -> None:  # fmt: skip
        """Make the next ``times`` calls of ``method`` fail with ``status``."""
        for _ in range(times):
            self._failures[method.lower()].append(
                ApiError(status, description, retry_after=retry_after if status == 429 else None))

    def outage(self, seconds: float) -> None:
        """Answer every send with 500 for ``seconds`` from now (nothing is delivered)."""
        self._outage_until = time.monotonic() + seconds

    def slow_acks(self, seconds: float, delay: float) -> None:
        """For ``seconds`` from now, deliver each send at once but answer ``delay`` s later."""
        self._slow_until, self._ack_delay = time.monotonic() + seconds, delay

    def hang_sends(self, seconds: float, delay: float) -> None:
        """For ``seconds`` from now, hold each send ``delay`` s, then answer 504 without
        delivering it (a gateway that gives up)."""
        self._hang_until, self._hang_delay = time.monotonic() + seconds, delay

    def dark(self, seconds: float) -> None:
        """For ``seconds`` from now, answer 502 to every method, getMe and getUpdates too
        (``math.inf``: until ``dark(0)``)."""
        self._dark_until = time.monotonic() + seconds

    def block_user(self, chat_id: int) -> None:
        self._blocked.add(chat_id)

    def unblock_user(self, chat_id: int) -> None:
        self._blocked.discard(chat_id)

    # -- internal helpers -----------------------------------------------------------------------

    def _queue(self, kind: str, payload: dict) -> None:
        self._updates.append({"update_id": self._next_update_id, kind: payload})
        self._next_update_id += 1
        self._notify()

    def _user_dict(self, user_id: int, first_name: str) -> dict:
        return (self._users.get(user_id) or FakeUser(self, user_id, first_name)).as_dict()

    def _chat(self, chat_id: int) -> dict:
        if chat_id in self._chats:
            return self._chats[chat_id]
        if chat_id > 0:  # a chat no fake user wrote in yet: Telegram would know it anyway
            return {"id": chat_id, "type": "private", "first_name": "Test"}
        return {"id": chat_id, "type": "group", "title": "Test group"}

    def _new_message(self, chat_id: int, sender: dict, content: dict) -> dict:
        self._last_message_id[chat_id] += 1
        message = {"message_id": self._last_message_id[chat_id], "from": sender,
                   "chat": self._chat(chat_id), "date": int(time.time()), **content}  # fmt: skip
        self._messages[(chat_id, message["message_id"])] = message
        return message

    def _user_message(self, user_id: int, chat_id: int | None, chat_type: str, reply_to: int | None,
                      first_name: str, content: dict) -> int:  # fmt: skip
        sender = self._user_dict(user_id, first_name)
        chat_id = user_id if chat_type == "private" else chat_id
        if chat_id is None:
            raise ValueError("chat_id is required for group chats")
        if chat_type == "private":
            names = {key: sender[key] for key in ("first_name", "username") if key in sender}
            self._chats[chat_id] = {"id": chat_id, "type": "private", **names}
        else:
            self._chats[chat_id] = {"id": chat_id, "type": chat_type, "title": f"Test {chat_type} {chat_id}"}
        if reply_to is not None:
            content["reply_to_message"] = self._replied(chat_id, reply_to)
            if content["reply_to_message"] is None:
                raise ValueError(f"no message {reply_to} in chat {chat_id} to reply to")
        message = self._new_message(chat_id, sender, content)
        self._queue("message", message)
        return message["message_id"]

    def _replied(self, chat_id: int, message_id: int) -> dict | None:
        target = self._messages.get((chat_id, message_id))
        return {k: v for k, v in target.items() if k != "reply_to_message"} if target else None

    def _store_file(self, content: bytes, folder: str, filename: str | None, mime: str | None) -> StoredFile:
        number = len(self._files_by_path) + 1
        stored = StoredFile(f"BQACAgIAAxk{number:06d}fake", f"AgAD{number:06d}",
                            f"{folder}/file_{number}{os.path.splitext(filename or '')[1]}", content, filename, mime)  # fmt: skip
        self._files[stored.file_id] = self._files[stored.file_id + "_s"] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    # -- HTTP ------------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["tail"]
        if path.startswith("file/bot"):
            token, _, file_path = path.removeprefix("file/bot").partition("/")
            stored = self._files_by_path.get(file_path)
            if token != self.token or stored is None:
                return ApiError(404, "Not Found").response()
            return web.Response(body=stored.content, content_type="application/octet-stream")
        match = re.fullmatch(r"bot([^/]*)/([A-Za-z]+)", path)
        if match is None:
            return ApiError(404, "Not Found").response()
        if match.group(1) != self.token:
            return ApiError(401, "Unauthorized").response()
        method, params = match.group(2), await read_params(request)
        self.calls.append((method, params))
        handler = API.get(method.lower())
        polling = method.lower() == "getupdates"
        if polling:
            self.polls += 1
            self.poll_overlaps += any(_live(other) for other in self._open_polls.values())
            self._open_polls[id(request)] = request
        try:
            if handler is None:
                raise ApiError(404, "Not Found")
            if self._failures[method.lower()]:
                raise self._failures[method.lower()].popleft()
            sending = method.lower().startswith("send")
            if time.monotonic() < self._dark_until:
                raise ApiError(502, "Bad Gateway")
            if sending and time.monotonic() < self._hang_until:
                await asyncio.sleep(self._hang_delay)
                self.requests_504 += 1
                raise ApiError(504, "Gateway Timeout")
            if sending and time.monotonic() < self._outage_until:
                self.requests_500 += 1
                raise ApiError(500, "Internal Server Error")
            result = await handler(self, params)
            if sending and time.monotonic() < self._slow_until:
                await asyncio.sleep(self._ack_delay)  # delivered; the answer is late
            return web.json_response({"ok": True, "result": result})
        except ApiError as err:
            self.requests_429 += err.status == 429
            self.poll_conflicts += polling and err.status == 409 and _live(request)
            return err.response()
        finally:
            self._open_polls.pop(id(request), None)
            self._notify()


def _live(request: web.Request) -> bool:
    """Whether the client of ``request`` still listens (a killed process's does not)."""
    return request.transport is not None and not request.transport.is_closing()
