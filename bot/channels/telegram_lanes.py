"""python-telegram-bot's update processor over chat lanes (``bot.channels.lanes``): PTB
hands every update over at once (``concurrent_updates``), each chat's updates run in its
lane, in order, different chats side by side. PTB's own bound only counts updates held
in lanes; the handling pools of the lanes bound the work."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.channels.lanes import ChatLanes
from bot.channels.telegram_buttons import answer_query, refused_text

HELD_UPDATES = 10_000  # updates accepted from PTB and waiting in lanes, all chats together


def chat_of(update: object) -> str | None:
    if isinstance(update, Update) and update.effective_chat is not None:
        return str(update.effective_chat.id)
    return None


class LaneProcessor(BaseUpdateProcessor):
    def __init__(self, lanes: ChatLanes, held: int = HELD_UPDATES) -> None:
        super().__init__(max_concurrent_updates=held)
        self.lanes = lanes
        self._waiting: set[asyncio.Future[None]] = set()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = chat_of(update)
        if chat is None:  # no chat: nothing to keep in order
            await coroutine
            return
        done = asyncio.get_running_loop().create_future()

        async def job() -> None:
            try:
                await coroutine
            finally:
                if not done.done():
                    done.set_result(None)

        if not self.lanes.submit(chat, job):
            close = getattr(coroutine, "close", None)
            if close is not None:
                close()  # refused (the chat floods): never run, never awaited
            if isinstance(update, Update) and update.callback_query is not None:
                # Every press is answered, even one not handled (telegram_buttons).
                await answer_query(update.callback_query, refused_text())
            return
        self._waiting.add(done)
        try:
            await done
        finally:
            self._waiting.discard(done)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        await self.lanes.close()
        for done in self._waiting:  # jobs a stop cancelled before they ran
            if not done.done():
                done.set_result(None)
