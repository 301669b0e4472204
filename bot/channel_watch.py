"""Is each channel's platform reachable? ``ChannelWatch`` keeps, per channel, the last
successful contact (a message sent, an update received, a probe answered) and the last
failure; ``probe`` asks the platform's ``getMe`` (Telegram, Zalo) with a short timeout.

A running dondoc feeds the watch from its sends and updates and probes when asked for
its health; ``dondoc status`` in another process has no history and probes only. Errors
are masked before they are kept: an HTTP error may carry the token in its URL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import httpx

from bot.config import Config
from bot.log_masking import SecretMask

PROBE_TIMEOUT = 5.0  # seconds


@dataclass
class Contact:
    last_ok: datetime | None = None
    last_error_at: datetime | None = None
    last_error: str | None = None
    # Polling on PostgreSQL: "poller" (this process receives), "standby" (another does)
    role: str | None = None

    def to_json(self) -> dict[str, object]:
        found: dict[str, object] = {
            "last_ok": self.last_ok.isoformat() if self.last_ok else None,
            "last_error_at": self.last_error_at.isoformat() if self.last_error_at else None,
            "last_error": self.last_error,
        }
        if self.role is not None:
            found["role"] = self.role
        return found


class ChannelWatch:
    """The last contacts of each channel, as this process saw them."""

    def __init__(self, now: Callable[[], datetime], secrets: list[str]) -> None:
        self._now = now
        self._mask = SecretMask(secrets)
        self.contacts: dict[str, Contact] = {}

    def contact(self, channel: str) -> Contact:
        return self.contacts.setdefault(channel, Contact())

    def ok(self, channel: str) -> None:
        self.contact(channel).last_ok = self._now()

    def set_role(self, channel: str, role: str) -> None:
        self.contact(channel).role = role

    def failed(self, channel: str, error: BaseException | str) -> None:
        contact = self.contact(channel)
        contact.last_error_at = self._now()
        contact.last_error = self._mask.mask(str(error) or type(error).__name__)[:300]


def probe_url(config: Config, channel: str) -> str:
    """The ``getMe`` address of a configured channel."""
    if channel == "telegram":
        return f"{config.telegram.base_url}{config.telegram.token}/getMe"
    return f"{config.zalo.base_url.rstrip('/')}/bot{config.zalo.token}/getMe"


def configured_channels(config: Config) -> list[str]:
    return [name for name, on in (("telegram", config.telegram.token), ("zalo", config.zalo.token)) if on]


async def probe(config: Config, channel: str, watch: ChannelWatch,
                timeout: float = PROBE_TIMEOUT) -> bool:  # fmt: skip
    """Ask the platform who the bot is; record the answer in ``watch``. A platform that
    answers with ``ok: false`` (a rejected token) counts as a failure too."""
    try:
        async with httpx.AsyncClient(timeout=timeout) as http:
            response = await http.post(probe_url(config, channel))
        body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        if response.status_code == 200 and body.get("ok"):
            watch.ok(channel)
            return True
        description = body.get("description") or response.reason_phrase
        watch.failed(channel, f"HTTP {response.status_code}: {description}")
    except (httpx.HTTPError, ValueError) as error:
        watch.failed(channel, f"{type(error).__name__}: {error}")
    return False
