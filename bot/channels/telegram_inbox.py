"""Telegram's side of the inbox (``bot.channels.inbox``): PTB's update queue keeps the
updates before Telegram may count them received, and the updates a stop left unhandled
are queued again, first, when this process starts receiving.

PTB's updater puts a ``getUpdates`` batch into the queue one update at a time, then
asks again with a higher offset, which confirms the batch. So ``put`` only collects;
one transaction keeps the whole batch, and the next ``getUpdates`` leaves only once
it is kept (``KeptFirst``, the HTTP of getUpdates alone). The batch reaches the lanes
at once, as without keeping. A webhook's update is kept before ``put`` returns (the
webhook answers 200 after it). A repeat (kept before) is not queued again."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from telegram import Bot, Update
from telegram.request import HTTPXRequest

from bot.channels.inbox import Inbox

log = logging.getLogger(__name__)


class KeptQueue(asyncio.Queue):  # type: ignore[type-arg]
    """PTB's update queue, keeping each update in the inbox before it is queued."""

    def __init__(self, inbox: Inbox, *, keep_in_put: bool = False) -> None:
        super().__init__()
        self.inbox, self.keep_in_put = inbox, keep_in_put
        self._pending: list[Update] = []
        self._keeping: asyncio.Task[None] | None = None

    async def put(self, item: object) -> None:
        if not isinstance(item, Update):  # PTB's stop signal: after what is pending
            await self.kept()
            await super().put(item)
            return
        self._pending.append(item)
        if self._keeping is None or self._keeping.done():
            self._keeping = asyncio.get_running_loop().create_task(self._keep())
        if self.keep_in_put:
            await self.kept()

    async def kept(self) -> None:
        """Until every update put so far is kept (and queued, unless a repeat)."""
        while self._keeping is not None and not self._keeping.done():
            await asyncio.shield(self._keeping)  # a waiter cancelled never stops the keeping

    async def _keep(self) -> None:
        while self._pending:  # what arrives while a batch is written goes next
            batch, self._pending = self._pending, []
            fresh = await self.inbox.keep_many([_row(update) for update in batch])
            for update in batch:
                if str(update.update_id) in fresh:
                    fresh.discard(str(update.update_id))  # twice in one batch: once
                    self.put_nowait(update)  # unbounded: never waits
                else:
                    log.info("Telegram update %s delivered again: ignored", update.update_id)

    async def requeue(self, bot: Bot) -> int:
        """Queue the kept updates not handled yet (a stop left them), oldest first:
        before polling or the webhook starts, so each chat's order holds."""
        waiting = await self.inbox.waiting()
        for payload in waiting:
            self.put_nowait(Update.de_json(json.loads(payload), bot))
        if waiting:
            log.info("Telegram: %d tin nhận trước khi dừng được xử lý tiếp", len(waiting))
        return len(waiting)


def _row(update: Update) -> tuple[str, str, str]:
    chat = str(update.effective_chat.id) if update.effective_chat is not None else ""
    return str(update.update_id), chat, update.to_json()


class KeptFirst(HTTPXRequest):
    """The HTTP of ``getUpdates`` (PTB's default for it: one connection): a call, which
    confirms the updates taken before, leaves only once they are kept."""

    def __init__(self, queue: KeptQueue) -> None:
        super().__init__(connection_pool_size=1)
        self.queue = queue

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        await self.queue.kept()
        return await super().do_request(*args, **kwargs)
