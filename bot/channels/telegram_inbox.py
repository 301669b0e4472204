"""Telegram's side of the inbox (``bot.channels.inbox``): PTB's update queue keeps each
update before PTB may confirm it, and the updates a stop left unhandled are queued
again, first, when this process starts receiving."""

from __future__ import annotations

import asyncio
import json
import logging

from telegram import Bot, Update

from bot.channels.inbox import Inbox

log = logging.getLogger(__name__)


class KeptQueue(asyncio.Queue):  # type: ignore[type-arg]
    """PTB's update queue: ``put`` keeps an update in the inbox first (PTB's updater puts
    a batch, then confirms it with its next ``getUpdates``; the webhook puts, then
    answers 200) and drops a repeat of one kept before."""

    def __init__(self, inbox: Inbox) -> None:
        super().__init__()
        self.inbox = inbox

    async def put(self, item: object) -> None:
        if isinstance(item, Update):
            chat = str(item.effective_chat.id) if item.effective_chat is not None else ""
            if not await self.inbox.keep(str(item.update_id), chat, item.to_json()):
                log.info("Telegram update %s delivered again: ignored", item.update_id)
                return
        await super().put(item)

    async def requeue(self, bot: Bot) -> int:
        """Queue the kept updates not handled yet (a stop left them), oldest first:
        before polling or the webhook starts, so each chat's order holds."""
        waiting = await self.inbox.waiting()
        for payload in waiting:
            await super().put(Update.de_json(json.loads(payload), bot))
        if waiting:
            log.info("Telegram: %d tin nhận trước khi dừng được xử lý tiếp", len(waiting))
        return len(waiting)
