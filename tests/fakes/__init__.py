"""Test doubles for dondoc's external services.

``FakeTelegram`` is a fake Telegram Bot API HTTP server for python-telegram-bot (see
``telegram_api``)."""

from .telegram_api import FakeTelegram
from .telegram_types import ApiError, FakeUser, SentMessage

__all__ = ["ApiError", "FakeTelegram", "FakeUser", "SentMessage"]
