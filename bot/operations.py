"""The operator's parts of a running dondoc, in one object the runner starts and stops:
the metrics, the watch over each channel's contacts, the monitoring server
(``[monitoring]``) and the daily backups (``[backup]``)."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channel_watch import ChannelWatch
from bot.config import Config
from bot.metrics import MeasuredConversation, Metrics, Sender
from scheduler.clock import Clock

log = logging.getLogger(__name__)


class Operations:
    def __init__(self, config: Config, clock: Clock, engine: AsyncEngine, secrets: list[str]) -> None:
        self.config, self.clock, self.engine = config, clock, engine
        self.metrics = Metrics()
        self.watch = ChannelWatch(clock.now, [s for s in secrets if s])
        self._parts: list[Any] = []

    def measure(self, conversation: Any) -> Any:
        """The conversation the channels call, counted and timed."""
        return MeasuredConversation(conversation, self.metrics, self.watch)

    def count(self, channel: str, send: Sender) -> Sender:
        """A channel's reminder sender, counted."""
        return self.metrics.count_sends(channel, send, self.watch)

    async def start(self) -> None:
        if self.config.monitoring.enabled:
            from bot.ops_server import OpsServer

            self._parts.append(
                OpsServer(self.config, self.clock, self.engine, self.watch, self.metrics)
            )
        if self.config.backup.enabled:
            from bot.backup_schedule import DailyBackups

            self._parts.append(DailyBackups(self.config, self.clock))
        for part in self._parts:
            await part.start()

    async def stop(self) -> None:
        for part in reversed(self._parts):
            try:
                await part.stop()
            except Exception:  # noqa: BLE001 - the others still stop
                log.exception("stopping %s failed", type(part).__name__)
        self._parts.clear()
