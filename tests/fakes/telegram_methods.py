"""The Bot API methods of the fake Telegram server (see ``telegram_api``).

Each handler takes the :class:`FakeTelegram` and the decoded parameters and returns the
``result`` of the answer, or raises :class:`ApiError` with Telegram's status and description.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from .telegram_markup import ParseError, parse_text, utf16_len
from .telegram_types import ApiError, SentMessage, StoredFile, Upload

if TYPE_CHECKING:
    from .telegram_api import FakeTelegram

Handler = Callable[["FakeTelegram", dict], Awaitable[Any]]
API: dict[str, Handler] = {}  # lower-case method name -> handler (Telegram ignores the case)

NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message")  # fmt: skip
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


def api(name: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        API[name.lower()] = func
        return func

    return register


# -- shared checks ------------------------------------------------------------------------------


def check_chat(tg: FakeTelegram, params: dict, rate_limited: bool = True) -> int:
    """The target chat id; 403 for blocked users, 429 beyond the configured rates."""
    chat_id = params.get("chat_id")
    if chat_id is None or chat_id == "":
        raise ApiError(400, "Bad Request: chat_id is empty")
    if not isinstance(chat_id, int):
        raise ApiError(400, "Bad Request: chat not found")
    if chat_id in tg._blocked:
        raise ApiError(403, "Forbidden: bot was blocked by the user")
    if rate_limited:
        now = time.monotonic()
        for window, limit in ((tg._global_window, tg.global_rate),
                              (tg._chat_windows[chat_id], tg.per_chat_rate)):  # fmt: skip
            while window and window[0] <= now - 1.0:
                window.popleft()
            if limit is not None and len(window) >= limit:
                raise ApiError(429, retry_after=max(1, math.ceil(window[0] + 1.0 - now)))
    return chat_id


def formatted(params: dict, key: str, limit: int) -> tuple[str | None, list[dict]]:
    """``params[key]`` (text or caption) as plain text + entities, per ``parse_mode``."""
    text = params.get(key)
    if text is None or text == "":
        return None, []
    try:
        plain, entities = parse_text(str(text), params.get("parse_mode"))
    except ParseError as err:
        raise ApiError(400, f"Bad Request: {err}") from None
    if utf16_len(plain) > limit:
        raise ApiError(400, f"Bad Request: message {'caption ' if key == 'caption' else ''}is too long")
    return plain, params.get(f"{'caption_' if key == 'caption' else ''}entities") or entities


def inline_markup(params: dict) -> dict | None:
    """The inline keyboard of ``reply_markup`` (the only markup a Message shows), validated."""
    markup = params.get("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if not button.get("text") or len(button) < 2:
                raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            if "web_app" in button:
                web_app_url(button["web_app"])
    return {"inline_keyboard": markup["inline_keyboard"]} if "inline_keyboard" in markup else None


def record(tg: FakeTelegram, method: str, params: dict, message: dict, upload: StoredFile | None = None) -> None:
    now, chat_id = time.monotonic(), message["chat"]["id"]
    tg._global_window.append(now)
    tg._chat_windows[chat_id].append(now)
    tg.per_chat_count[chat_id] += 1
    tg.send_times.append(now)
    key = "caption" if "caption" in message or "text" not in message else "text"
    tg.sent.append(SentMessage(
        method=method, chat_id=chat_id, message_id=message["message_id"], text=message.get(key),
        raw_text=params.get(key), parse_mode=params.get("parse_mode"),
        entities=message.get("entities" if key == "text" else "caption_entities", []),
        reply_markup=params.get("reply_markup"),
        reply_to_message_id=message.get("reply_to_message", {}).get("message_id"),
        document=upload.content if upload and "document" in message else None,
        filename=upload.file_name if upload else None, mime_type=upload.mime_type if upload else None,
        photo=upload.content if upload and "photo" in message else None, time=now, params=params))  # fmt: skip
    tg._notify()


def send(tg: FakeTelegram, method: str, params: dict, chat_id: int, content: dict,
         upload: StoredFile | None = None) -> dict:  # fmt: skip
    """Create, store and record a message from the bot; returns the Message object."""
    markup = inline_markup(params)
    reply = params.get("reply_parameters") or {}
    reply_to = reply.get("message_id") or params.get("reply_to_message_id")
    if reply_to is not None:
        replied = tg._replied(reply.get("chat_id", chat_id), reply_to)
        if replied is not None:
            content["reply_to_message"] = replied
        elif not (reply.get("allow_sending_without_reply") or params.get("allow_sending_without_reply")):
            raise ApiError(400, "Bad Request: message to be replied not found")
    if markup:
        content["reply_markup"] = markup
    message = tg._new_message(chat_id, tg.bot_user, content)
    record(tg, method, params, message, upload)
    return message


def uploaded(tg: FakeTelegram, params: dict, key: str, folder: str) -> StoredFile:
    value = params.get(key)
    if isinstance(value, Upload):
        if not value.content:
            raise ApiError(400, "Bad Request: file must be non-empty")
        return tg._store_file(value.content, folder, value.filename, value.content_type)
    if isinstance(value, str) and value in tg._files:
        return tg._files[value]
    if value is None:
        raise ApiError(400, f"Bad Request: there is no {key} in the request")
    raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")


def editable(tg: FakeTelegram, params: dict) -> dict:
    if params.get("inline_message_id"):
        raise ApiError(400, "Bad Request: MESSAGE_ID_INVALID")
    message = tg._messages.get((check_chat(tg, params), params.get("message_id")))
    if message is None:
        raise ApiError(400, "Bad Request: message to edit not found")
    if message["from"]["id"] != tg.bot_id:
        raise ApiError(400, "Bad Request: message can't be edited")
    return message


def edit(tg: FakeTelegram, method: str, params: dict, message: dict, changes: dict) -> dict:
    """Apply an edit like Telegram: a missing reply_markup removes the inline keyboard."""
    changes["reply_markup"] = inline_markup(params)
    if all(message.get(key) == (value or None) for key, value in changes.items()):
        raise ApiError(400, NOT_MODIFIED)
    for key, value in changes.items():
        if value:
            message[key] = value
        else:
            message.pop(key, None)
    message["edit_date"] = int(time.time())
    record(tg, method, params, message)
    return message


# -- bot, updates, webhook ----------------------------------------------------------------------


@api("getMe")
async def get_me(tg: FakeTelegram, params: dict) -> dict:
    return {**tg.bot_user, "can_join_groups": True, "can_read_all_group_messages": False,
            "supports_inline_queries": False, "can_connect_to_business": False, "has_main_web_app": False}  # fmt: skip


@api("getUpdates")
async def get_updates(tg: FakeTelegram, params: dict) -> list[dict]:
    """Long polling: confirms updates below ``offset``, waits up to ``timeout`` seconds."""
    if tg.webhook:
        raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                            "use deleteWebhook to delete the webhook first")  # fmt: skip
    offset = params.get("offset") or 0
    if offset > 0:
        tg._updates = [u for u in tg._updates if u["update_id"] >= offset]
    elif offset < 0:
        tg._updates = tg._updates[offset:]
    if params.get("allowed_updates") is not None:
        tg._allowed_updates = params["allowed_updates"] or None
    if tg._allowed_updates:  # Telegram never delivers the other kinds
        tg._updates = [u for u in tg._updates if any(kind in u for kind in tg._allowed_updates)]
    tg._poll_generation += 1
    generation, limit = tg._poll_generation, params.get("limit") or 100
    tg._notify()  # an older long poll ends with 409, like on Telegram
    deadline = time.monotonic() + (params.get("timeout") or 0)
    while True:
        if generation != tg._poll_generation:
            raise ApiError(409, "Conflict: terminated by other getUpdates request; "
                                "make sure that only one bot instance is running")  # fmt: skip
        if tg._updates or tg._closing or time.monotonic() >= deadline:
            return tg._updates[:limit]
        await tg._wait_change(deadline - time.monotonic())


@api("setWebhook")
async def set_webhook(tg: FakeTelegram, params: dict) -> bool:
    if not params.get("url"):
        return await delete_webhook(tg, params)
    if params.get("secret_token") is not None and not _SECRET.fullmatch(params["secret_token"]):
        raise ApiError(400, "Bad Request: secret token contains unallowed characters")
    if params.get("drop_pending_updates"):
        tg._updates.clear()
    tg.webhook = params
    tg._notify()
    return True


@api("deleteWebhook")
async def delete_webhook(tg: FakeTelegram, params: dict) -> bool:
    if params.get("drop_pending_updates"):
        tg._updates.clear()
    tg.webhook = None
    return True


@api("getWebhookInfo")
async def get_webhook_info(tg: FakeTelegram, params: dict) -> dict:
    info = {"url": (tg.webhook or {}).get("url", ""), "has_custom_certificate": False,
            "pending_update_count": len(tg._updates)}  # fmt: skip
    if tg.webhook:
        info.update(max_connections=tg.webhook.get("max_connections", 40), ip_address="127.0.0.1")
        if tg.webhook.get("allowed_updates"):
            info["allowed_updates"] = tg.webhook["allowed_updates"]
    return info


def _scope_key(params: dict) -> tuple[str, str]:
    return json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True), params.get("language_code") or ""


@api("setMyCommands")
async def set_my_commands(tg: FakeTelegram, params: dict) -> bool:
    commands = params.get("commands") or []
    for command in commands:
        if not _COMMAND.fullmatch(str(command.get("command", ""))):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        if not 1 <= len(command.get("description", "")) <= 256:
            raise ApiError(400, "Bad Request: command description is empty" if not command.get("description")
                           else "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")  # fmt: skip
    tg.commands = commands
    tg.commands_by_scope[_scope_key(params)] = commands
    return True


@api("getMyCommands")
async def get_my_commands(tg: FakeTelegram, params: dict) -> list[dict]:
    return tg.commands_by_scope.get(_scope_key(params), [])


@api("deleteMyCommands")
async def delete_my_commands(tg: FakeTelegram, params: dict) -> bool:
    tg.commands_by_scope.pop(_scope_key(params), None)
    if _scope_key(params) == _scope_key({}):
        tg.commands = []
    return True


def web_app_url(info: object) -> str:
    """A Mini App's address as Telegram checks it: https only."""
    url = str(info.get("url", "")) if isinstance(info, dict) else ""
    if not url.startswith("https://"):
        raise ApiError(400, f"Bad Request: Web App URL '{url}' is invalid: Only HTTPS links are allowed")
    return url


@api("setChatMenuButton")
async def set_chat_menu_button(tg: FakeTelegram, params: dict) -> bool:
    button = params.get("menu_button") or {"type": "default"}
    if button.get("type") not in ("default", "commands", "web_app"):
        raise ApiError(400, "Bad Request: unsupported menu button type")
    if button["type"] == "web_app":
        if not button.get("text"):
            raise ApiError(400, "Bad Request: menu button text is empty")
        web_app_url(button.get("web_app"))
    tg.menu_buttons[str(params.get("chat_id", ""))] = button
    return True


@api("getChatMenuButton")
async def get_chat_menu_button(tg: FakeTelegram, params: dict) -> dict:
    return tg.menu_buttons.get(str(params.get("chat_id", "")), {"type": "default"})


@api("close")
async def close(tg: FakeTelegram, params: dict) -> bool:
    return True


@api("logOut")
async def log_out(tg: FakeTelegram, params: dict) -> bool:
    return True


# -- messages -----------------------------------------------------------------------------------


@api("sendMessage")
async def send_message(tg: FakeTelegram, params: dict) -> dict:
    chat_id = check_chat(tg, params)
    text, entities = formatted(params, "text", 4096)
    if not text or not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    return send(tg, "sendMessage", params, chat_id, {"text": text, **({"entities": entities} if entities else {})})


def _caption(params: dict) -> dict:
    caption, entities = formatted(params, "caption", 1024)
    return {"caption": caption, **({"caption_entities": entities} if entities else {})} if caption else {}


@api("sendDocument")
async def send_document(tg: FakeTelegram, params: dict) -> dict:
    chat_id = check_chat(tg, params)
    stored = uploaded(tg, params, "document", "documents")
    return send(tg, "sendDocument", params, chat_id, {"document": stored.as_document(), **_caption(params)}, stored)


@api("sendPhoto")
async def send_photo(tg: FakeTelegram, params: dict) -> dict:
    chat_id = check_chat(tg, params)
    stored = uploaded(tg, params, "photo", "photos")
    return send(tg, "sendPhoto", params, chat_id, {"photo": stored.as_photo(), **_caption(params)}, stored)


@api("editMessageText")
async def edit_message_text(tg: FakeTelegram, params: dict) -> dict:
    message = editable(tg, params)
    if "text" not in message:
        raise ApiError(400, "Bad Request: there is no text in the message to edit")
    text, entities = formatted(params, "text", 4096)
    if not text or not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    return edit(tg, "editMessageText", params, message, {"text": text, "entities": entities})


@api("editMessageCaption")
async def edit_message_caption(tg: FakeTelegram, params: dict) -> dict:
    message = editable(tg, params)
    if "text" in message:
        raise ApiError(400, "Bad Request: there is no caption in the message to edit")
    changes = _caption(params)
    return edit(tg, "editMessageCaption", params, message,
                {"caption": changes.get("caption"), "caption_entities": changes.get("caption_entities")})  # fmt: skip


@api("editMessageReplyMarkup")
async def edit_message_reply_markup(tg: FakeTelegram, params: dict) -> dict:
    return edit(tg, "editMessageReplyMarkup", params, editable(tg, params), {})


@api("deleteMessage")
async def delete_message(tg: FakeTelegram, params: dict) -> bool:
    chat_id = check_chat(tg, params, rate_limited=False)
    if tg._messages.pop((chat_id, params.get("message_id")), None) is None:
        raise ApiError(400, "Bad Request: message to delete not found")
    tg.deleted.append((chat_id, params["message_id"]))
    return True


@api("answerCallbackQuery")
async def answer_callback_query(tg: FakeTelegram, params: dict) -> bool:
    if tg._callbacks.pop(str(params.get("callback_query_id")), None) is None:
        raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
    if len(params.get("text") or "") > 200:
        raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
    tg.answered_callbacks.append(params)
    tg._notify()
    return True


@api("sendChatAction")
async def send_chat_action(tg: FakeTelegram, params: dict) -> bool:
    tg.chat_actions.append((check_chat(tg, params, rate_limited=False), params.get("action", "")))
    return True


@api("getFile")
async def get_file(tg: FakeTelegram, params: dict) -> dict:
    stored = tg._files.get(str(params.get("file_id")))
    if stored is None:
        raise ApiError(400, "Bad Request: invalid file_id")
    if len(stored.content) > 20 * 1024**2:
        raise ApiError(400, "Bad Request: file is too big")
    return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content), "file_path": stored.file_path}  # fmt: skip

