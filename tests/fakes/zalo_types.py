"""Value types of the fake Zalo Bot Platform API (see ``zalo_api``): what the bot sent
and API errors."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web


@dataclass
class ZaloSent:
    """One message the bot sent (``sendMessage`` or ``sendPhoto``)."""

    method: str
    chat_id: str
    message_id: str
    text: str | None = None
    photo: str | None = None
    date: int = 0  # milliseconds since the epoch
    time: float = 0.0  # time.monotonic() when the fake accepted it
    params: dict = field(default_factory=dict)


class ApiError(Exception):
    """Raised inside a method (or queued by ``fail_next``): ``{"ok": false, ...}``."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.retry_after = status, description, retry_after

    def response(self) -> web.Response:
        body = {"ok": False, "error_code": self.status, "description": self.description}
        headers = {"Retry-After": str(self.retry_after)} if self.retry_after is not None else None
        return web.json_response(body, status=self.status, headers=headers)
