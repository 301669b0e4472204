"""Value types of the fake Telegram Bot API (see ``telegram_api``): what the bot sent, the
fake users that drive it, stored files, API errors and request-parameter decoding."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from .telegram_api import FakeTelegram

# Parameters that Telegram takes as plain strings: never JSON-decoded ("123" stays "123").
STRING_PARAMS = frozenset(
    {"text", "caption", "parse_mode", "callback_query_id", "url", "secret_token", "file_id",
     "action", "language_code", "document", "photo", "inline_message_id", "ip_address",
     "description", "short_description", "name", "emoji", "certificate", "thumbnail"}
)  # fmt: skip
_DEFAULT_DESCRIPTIONS = {400: "Bad Request", 403: "Forbidden: bot was blocked by the user"}


@dataclass
class Upload:
    """A file uploaded in a multipart request."""

    filename: str | None
    content: bytes
    content_type: str | None


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    file_name: str | None = None
    mime_type: str | None = None

    def as_document(self) -> dict:
        doc = {"file_id": self.file_id, "file_unique_id": self.file_unique_id,
               "file_size": len(self.content)}  # fmt: skip
        if self.file_name:
            doc["file_name"] = self.file_name
        if self.mime_type:
            doc["mime_type"] = self.mime_type
        return doc

    def as_photo(self) -> list[dict]:
        base = {"file_id": self.file_id, "file_unique_id": self.file_unique_id,
                "file_size": len(self.content)}  # fmt: skip
        thumb = {**base, "file_id": self.file_id + "_s", "width": 90, "height": 67}
        return [thumb, {**base, "width": 1280, "height": 960}]


class ApiError(Exception):
    """Raised inside a method handler; becomes ``{"ok": false, ...}`` with the HTTP status."""

    def __init__(self, status: int, description: str | None = None, *, retry_after: int | None = None):
        if description is None and status == 429:
            description = f"Too Many Requests: retry after {retry_after}"
        elif description is None:
            description = _DEFAULT_DESCRIPTIONS.get(status) or HTTPStatus(status).phrase
        super().__init__(description)
        self.status, self.description, self.retry_after = status, description, retry_after

    def response(self) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return web.json_response(body, status=self.status)


async def read_params(request: web.Request) -> dict[str, Any]:
    """Decode a Bot API call's parameters like the real server does: query string, JSON body,
    form-encoded or multipart body; JSON-serialised values (numbers, reply_markup, ...) are
    decoded, uploaded files become :class:`Upload`, ``attach://name`` points to the upload."""
    raw: dict[str, Any] = dict(request.query)
    if request.method == "POST" and request.can_read_body:
        if request.content_type == "application/json":
            raw.update(await request.json())
        else:
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    value = Upload(value.filename, value.file.read(), value.content_type)
                raw[key] = value
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, str) and value.startswith("attach://") and value[9:] in raw:
            value = raw[value[9:]]
        elif isinstance(value, str) and key not in STRING_PARAMS:
            try:
                value = json.loads(value)
            except ValueError:
                pass
        params[key] = value
    return params


@dataclass
class SentMessage:
    """One message the bot sent or edited (``sendMessage``, ``sendDocument``, ``sendPhoto``,
    ``editMessageText``, ``editMessageCaption``, ``editMessageReplyMarkup``).

    ``text`` is what the user sees: the text or caption after ``parse_mode`` was applied (tags
    and escapes removed, see ``entities``); ``raw_text`` is the string the bot passed."""

    method: str
    chat_id: int
    message_id: int
    text: str | None = None
    raw_text: str | None = None
    parse_mode: str | None = None
    entities: list[dict] = field(default_factory=list)
    reply_markup: dict | None = None
    reply_to_message_id: int | None = None
    document: bytes | None = None
    filename: str | None = None
    mime_type: str | None = None
    photo: bytes | None = None
    time: float = 0.0  # time.monotonic() when the fake accepted it
    params: dict = field(default_factory=dict)

    @property
    def caption(self) -> str | None:
        return self.text

    @property
    def buttons(self) -> list[dict]:
        """Inline keyboard buttons, row after row (``[]`` without an inline keyboard)."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    def button(self, label: str) -> dict:
        """The first inline button whose text contains ``label``."""
        for button in self.buttons:
            if label in button.get("text", ""):
                return button
        raise AssertionError(f"no button {label!r} in {[b.get('text') for b in self.buttons]}")


@dataclass
class FakeUser:
    """A Telegram user talking to the bot in a private chat (chat id == user id)."""

    fake: FakeTelegram
    id: int
    first_name: str = "Test"
    username: str | None = None
    language_code: str | None = "vi"

    def as_dict(self) -> dict:
        user = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    def send_text(self, text: str, **kwargs: Any) -> int:
        return self.fake.send_text(self.id, text, **kwargs)

    def send_document(self, filename: str, content: bytes, **kwargs: Any) -> int:
        return self.fake.send_document(self.id, filename, content, **kwargs)

    def send_photo(self, content: bytes, **kwargs: Any) -> int:
        return self.fake.send_photo(self.id, content, **kwargs)

    def press_button(self, message_id: int, data: str, **kwargs: Any) -> str:
        return self.fake.press_button(self.id, message_id, data, **kwargs)

    def click(self, message: SentMessage, label: str) -> str:
        """Press the inline button of ``message`` whose text contains ``label``."""
        data = message.button(label)["callback_data"]
        return self.fake.press_button(self.id, message.message_id, data, chat_id=message.chat_id)

    @property
    def received(self) -> list[SentMessage]:
        return self.fake.messages_to(self.id)
