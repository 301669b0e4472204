"""Pressed inline buttons on Telegram: every press is answered, and a press that comes
after its question was settled does nothing twice (issue 25, small ones).

Telegram shows a spinner on a pressed button until the bot answers the callback query
(``answerCallbackQuery``); an unanswered press looks broken. A double tap sends two
queries for the same message, both showing the buttons; a tap on an old message comes
after the question was answered. So:

- every query is answered exactly once, even when handling it failed, with a short
  toast when the press was stale ("Việc này đã được xử lý rồi ạ.");
- a message whose keyboard this process removed after a press is remembered
  (``SettledMessages``, bounded): a later press on it is only answered with that toast,
  never handled again, so a double tap records once and says nothing twice in the chat;
- removing a keyboard that is already gone ("message is not modified"), or from a message
  that no longer exists, is ignored quietly instead of ending in a traceback.

A chat's updates are handled one after another (``telegram_lanes``), so the second tap of
a double tap always finds the first one settled.
"""

from __future__ import annotations

import logging
from collections import OrderedDict

from telegram import CallbackQuery, Message
from telegram.error import BadRequest, TelegramError

from locales import _

log = logging.getLogger(__name__)
REMEMBERED = 4096  # settled messages kept in memory; older ones are asked to the conversation
# Telegram's words for an edit that cannot or need not happen: nothing to do then.
_QUIET_EDITS = ("message is not modified", "message to edit not found", "message can't be edited")


def refused_text() -> str:
    """The toast on a press not handled because the chat has too much waiting."""
    return _("dondoc đang bận với các tin trước; anh/chị vui lòng bấm lại sau giây lát.")


def stale_text() -> str:
    """The toast on a press whose question was already settled."""
    return _("Việc này đã được xử lý rồi ạ.")


class SettledMessages:
    """(chat, message) pairs whose buttons were answered and removed by this process."""

    def __init__(self, size: int = REMEMBERED) -> None:
        self.size = size
        self._keys: OrderedDict[tuple[int, int], None] = OrderedDict()

    def add(self, message: Message) -> None:
        key = (message.chat_id, message.message_id)
        self._keys[key] = None
        self._keys.move_to_end(key)
        while len(self._keys) > self.size:
            self._keys.popitem(last=False)

    def __contains__(self, message: Message) -> bool:
        return (message.chat_id, message.message_id) in self._keys


def shows_buttons(message: Message) -> bool:
    """Did the pressed message still show an inline keyboard when it was pressed?
    (Telegram sends the message as it is at the moment of the press.)"""
    markup = message.reply_markup
    return markup is not None and any(markup.inline_keyboard)


async def answer_query(query: CallbackQuery, text: str = "") -> None:
    """Stop the spinner; a query too old to answer (a restart, a slow handling) or a
    network hiccup is not worth a traceback: the chat already shows the result."""
    try:
        await query.answer(text=text or None)
    except TelegramError as error:
        log.info("could not answer a button press: %s", error)


async def remove_keyboard(message: Message) -> bool:
    """Remove the buttons of a pressed message; False when there was nothing to change."""
    try:
        await message.edit_reply_markup(reply_markup=None)
    except BadRequest as error:
        if any(words in str(error).lower() for words in _QUIET_EDITS):
            log.debug("keyboard already gone: %s", error)
            return False
        raise
    return True
