"""python-telegram-bot's update processor over chat lanes (``bot.channels.lanes``): PTB
hands every update over at once (``concurrent_updates``), each chat's updates run in its
lane, in order, different chats side by side. PTB's own bound only counts updates held
in lanes; the handling pools of the lanes bound the work.

Each update was kept in the inbox when it came (``bot.channels.inbox``); it is marked
handled when its turn ended (answered, nothing to answer, a failure, refused with a
word to the person), or at a stop that cut the sending of its answers. At a
stop (``drain``) the lanes finish what runs within a grace; the updates still queued
are let go unrun and unmarked, so that the next start handles them: PTB's
``Application.stop`` then waits for nothing more (it would otherwise wait for the
whole backlog, minutes in a flood)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.channels.inbox import Inbox
from bot.channels.lanes import ChatLanes
from bot.channels.telegram_buttons import answer_query, refused_text

HELD_UPDATES = 10_000  # updates accepted from PTB and waiting in lanes, all chats together
STOP_GRACE = 5.0  # seconds the updates being handled get at a stop


def chat_of(update: object) -> str | None:
    if isinstance(update, Update) and update.effective_chat is not None:
        return str(update.effective_chat.id)
    return None


def _never_run(coroutine: Awaitable[Any]) -> None:
    close = getattr(coroutine, "close", None)
    if close is not None:
        close()  # never awaited: no warning, nothing half done


class LaneProcessor(BaseUpdateProcessor):
    def __init__(
        self, lanes: ChatLanes, inbox: Inbox | None = None, held: int = HELD_UPDATES
    ) -> None:
        super().__init__(max_concurrent_updates=held)
        self.lanes, self.inbox = lanes, inbox
        self._waiting: dict[asyncio.Future[bool], Awaitable[Any]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = chat_of(update)
        if self.lanes.closed:  # stopping: it stays in the inbox for the next start
            _never_run(coroutine)
            return
        if chat is None:  # no chat: nothing to keep in order
            await coroutine
            await self._handled(update)
            return
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

        async def job() -> None:
            ran = False
            try:
                await coroutine
                ran = True
            except Exception:
                ran = True  # it failed: handling it again would fail again
                raise
            finally:  # cancelled at the end of a stop's grace: not handled
                if not done.done():
                    done.set_result(ran)

        if not self.lanes.submit(chat, job):
            _never_run(coroutine)  # refused (the chat floods): the chat was told
            if isinstance(update, Update) and update.callback_query is not None:
                # Every press is answered, even one not handled (telegram_buttons).
                await answer_query(update.callback_query, refused_text())
            await self._handled(update)
            return
        self._waiting[done] = coroutine
        try:
            ran = await done
        finally:
            self._waiting.pop(done, None)
        if ran:
            await self._handled(update)

    async def _handled(self, update: object) -> None:
        if self.inbox is not None and isinstance(update, Update):
            await self.inbox.settled(str(update.update_id))

    async def drain(self, grace: float = STOP_GRACE) -> None:
        """Stop: finish what runs within ``grace``; let the queued updates go unrun."""
        await self.lanes.close(grace)
        if self.inbox is not None:
            await self.inbox.stopped()
        for done, coroutine in list(self._waiting.items()):
            if not done.done():
                _never_run(coroutine)
                done.set_result(False)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        await self.drain()
