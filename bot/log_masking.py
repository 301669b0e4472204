"""Keep tokens and webhook secrets out of every log line.

The bot's tokens are its identity: the Telegram Bot API puts the token in every URL
(``/bot<TOKEN>/getMe``), which httpx and python-telegram-bot log at DEBUG, and a
traceback of a rejected token may carry it too. :class:`SecretMask` is a logging filter
installed on the root logger's handlers, so it sees every record that reaches a handler,
dondoc's and the libraries' (python-telegram-bot, httpx, apscheduler, aiohttp): it
replaces the configured secrets, and anything shaped like a Telegram token, in the
message, its arguments, the traceback and the stack.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import quote

MASK = "***"
# A Telegram bot token: the bot's id, a colon, 35 characters (seen: 30 to 50).
_TELEGRAM_TOKEN = re.compile(r"\b\d{5,15}:[A-Za-z0-9_-]{30,60}")
MIN_SECRET = 6  # shorter values would mask ordinary words


class SecretMask(logging.Filter):
    """Replace ``secrets`` (and Telegram-shaped tokens) in every record by ``***``."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets: list[str] = []
        self.add(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        """Mask these too (and their URL-encoded forms); the longest are replaced first."""
        found = set(self.secrets)
        for secret in secrets:
            if secret and len(secret) >= MIN_SECRET:
                found |= {secret, quote(secret, safe=""), quote(secret)}
        self.secrets = sorted(found, key=len, reverse=True)

    def mask(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return _TELEGRAM_TOKEN.sub(MASK, text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep its parts, masked
            message = f"{record.msg} {record.args}"
        record.msg, record.args = self.mask(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.mask(record.exc_text)
        if record.stack_info:
            record.stack_info = self.mask(record.stack_info)
        return True


def install(secrets: Iterable[str], logger: logging.Logger | None = None) -> SecretMask:
    """Put one :class:`SecretMask` on every handler of ``logger`` (the root logger by
    default) and return it; calling it again adds the secrets to the same filter."""
    target = logger or logging.getLogger()
    secrets = list(secrets)
    for handler in target.handlers:
        existing = next((f for f in handler.filters if isinstance(f, SecretMask)), None)
        if existing is None:
            handler.addFilter(SecretMask(secrets))
        else:
            existing.add(secrets)
    masks = [f for h in target.handlers for f in h.filters if isinstance(f, SecretMask)]
    return masks[0] if masks else SecretMask(secrets)
