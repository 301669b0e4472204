"""What a channel took from its platform is kept before the platform counts it as
received, and marked when handled (``models.inbox``), so that a stop never loses it.

Telegram confirms the updates a bot fetched at its next ``getUpdates`` (PTB's updater
asks again at once, and once more when it stops), and a webhook's updates when it
answers 200; Zalo's ``getUpdates`` confirms each update as it hands it over. So a
message fetched but not yet handled exists only here: it is kept before PTB asks for
more (``bot.channels.telegram_inbox``) or before Zalo's next poll. A graceful stop lets
what is being handled finish within a grace and leaves the rest kept; the next start
(this process or the one that polls next) hands those over first, in the order they
came. A kill -9 repeats only what was being handled. An update kept before (delivered
again after a crash, a webhook retried) is not queued again.

A connection lost under a write (a database restart) is replaced and the write done
again (``models.pool_ping.again_if_lost``). If the database cannot be written, the
update is still handled (logged): a person's message is never held back for the sake
of keeping it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.inbox import keep_updates, mark_handled, prune_handled, unhandled_updates
from models.pool_ping import again_if_lost

log = logging.getLogger(__name__)

PRUNE_EVERY = 1000  # handled updates between two prunes of old handled rows


def source_of(channel: str, token: str) -> str:
    """The inbox's name for a channel's bot: a digest of its token, never the token."""
    return f"{channel}:" + hashlib.sha256(token.encode()).hexdigest()[:16]


class Inbox:
    """One channel's (and bot's) kept updates (``source``: ``source_of``)."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], source: str, now: Callable[[], datetime]
    ) -> None:
        self.sessions, self.source, self.now = sessions, source, now
        self._marks = 0
        self._answered: set[str] = set()  # answered, the answers not all sent yet

    async def keep(self, key: str, chat: str, payload: str) -> bool:
        """Keep an update before it is confirmed; False for a repeat of one kept before."""
        return key in await self.keep_many([(key, chat, payload)])

    async def keep_many(self, rows: list[tuple[str, str, str]]) -> set[str]:
        """Keep a batch (key, chat, payload) at once; the keys not kept before."""

        async def keep() -> set[str]:
            async with self.sessions() as session, session.begin():
                return await keep_updates(session, self.source, rows, self.now())

        try:
            return await again_if_lost(keep)
        except Exception as error:  # noqa: BLE001 - handled all the same, only not kept
            log.warning(
                "%s: %d updates not kept (%s); handled anyway", self.source, len(rows), error
            )
            return {key for key, _chat, _payload in rows}

    def answered(self, key: str) -> None:
        """The conversation has answered ``key`` (its transaction is committed); the
        answers are still to be sent. Marked when its turn ends (``settled``), or by a
        stop that cut the sending (``stopped``): a graceful stop never handles it again,
        a kill -9 does (it was in flight)."""
        self._answered.add(key)

    async def settled(self, key: str) -> None:
        """The update's turn ended (answered and sent, nothing to answer, refused)."""
        self._answered.discard(key)
        await self._mark(key)

    async def stopped(self) -> None:
        """After a stop's grace: the updates answered whose sending was cut are handled."""
        while self._answered:
            await self._mark(self._answered.pop())

    async def _mark(self, key: str) -> None:
        async def mark() -> None:
            async with self.sessions() as session, session.begin():
                await mark_handled(session, self.source, key, self.now())
                if (self._marks + 1) % PRUNE_EVERY == 0:
                    await prune_handled(session, self.source, self.now())
            self._marks += 1

        try:
            await again_if_lost(mark)
        except Exception as error:  # noqa: BLE001 - it may be handled again after a restart
            log.warning("%s: update %s not marked handled (%s)", self.source, key, error)

    async def waiting(self) -> list[str]:
        """The kept updates not handled yet (payloads, oldest first); prunes old ones."""

        async def read() -> list[str]:
            async with self.sessions() as session, session.begin():
                await prune_handled(session, self.source, self.now())
                return await unhandled_updates(session, self.source)

        try:
            return await again_if_lost(read)
        except Exception as error:  # noqa: BLE001 - receiving starts all the same
            log.warning("%s: the kept updates could not be read (%s)", self.source, error)
            return []
