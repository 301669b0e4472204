"""``GET /metrics`` in Prometheus's text format (prometheus_client): messages sent,
failed and retried per channel, updates handled per channel and how long they took,
and the outbox (its lag and rows by state, read from the database at each scrape).

``Metrics`` owns its registry (built when a running dondoc asks, never at import).
``count_sends`` wraps a channel's reminder sender, and ``MeasuredConversation`` the
conversation the channels call, so neither the dispatcher nor the channels change.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from bot.channel_watch import ChannelWatch
from models.outbox_stats import OutboxFigures
from scheduler.dispatch_types import PermanentFailure, RateLimited, TemporaryFailure, Unreachable

Sender = Callable[[str, Any], Awaitable[str | None]]
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
OUTBOX_STATES = ("pending", "sending", "sent", "failed", "cancelled", "folded", "lost")


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.sent = Counter("dondoc_messages_sent", "Messages sent to people", ["channel"], registry=r)
        self.failed = Counter(
            "dondoc_messages_failed",
            "Sends refused for good (blocked, chat not found, bad request)",
            ["channel"],
            registry=r,
        )
        self.retried = Counter(
            "dondoc_messages_retried",
            "Sends that failed for now and will be tried again (outage, timeout, 429)",
            ["channel"],
            registry=r,
        )
        self.updates = Counter(
            "dondoc_updates_handled", "Incoming messages and button presses handled", ["channel"], registry=r
        )
        self.update_seconds = Histogram(
            "dondoc_update_seconds", "Time to handle one incoming update", ["channel"], registry=r
        )
        self.outbox_lag = Gauge(
            "dondoc_outbox_lag_seconds",
            "How long the oldest due, unsent reminder has waited",
            registry=r,
        )
        self.outbox_due = Gauge(
            "dondoc_outbox_due_unsent", "Reminders due and not sent yet", registry=r
        )
        self.outbox_rows = Gauge("dondoc_outbox_rows", "Outbox rows by state", ["state"], registry=r)
        self.outbox_lost = Gauge(
            "dondoc_reminders_lost_last_day",
            "Reminders unsendable until no longer useful, in the last day",
            registry=r,
        )

    def observe_outbox(self, figures: OutboxFigures, now: datetime) -> None:
        self.outbox_lag.set(figures.lag_seconds(now))
        self.outbox_due.set(figures.due_unsent)
        self.outbox_lost.set(figures.lost_recent)
        for state in sorted(set(OUTBOX_STATES) | set(figures.by_state)):
            self.outbox_rows.labels(state).set(figures.by_state.get(state, 0))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)

    def count_sends(self, channel: str, send: Sender, watch: ChannelWatch | None = None) -> Sender:
        """``send`` counted: each call that returns is a message sent; an error the
        dispatcher retries counts as retried, one it gives up on as failed. The platform
        answering at all (even "blocked") is a successful contact for ``watch``."""
        for counter in (self.sent, self.failed, self.retried):
            counter.labels(channel)  # present at 0 before the first send

        async def counted(chat_id: str, outgoing: Any) -> str | None:
            try:
                message_id = await send(chat_id, outgoing)
            except RateLimited:
                self.retried.labels(channel).inc()
                _seen(watch, channel)
                raise
            except (Unreachable, PermanentFailure):
                self.failed.labels(channel).inc()
                _seen(watch, channel)
                raise
            except TemporaryFailure as error:
                self.retried.labels(channel).inc()
                if watch is not None:
                    watch.failed(channel, error)
                raise
            except Exception as error:
                self.retried.labels(channel).inc()  # the dispatcher retries unknown errors
                if watch is not None:
                    watch.failed(channel, error)
                raise
            self.sent.labels(channel).inc()
            _seen(watch, channel)
            return message_id

        return counted


def _seen(watch: ChannelWatch | None, channel: str) -> None:
    if watch is not None:
        watch.ok(channel)


class MeasuredConversation:
    """The conversation, with each ``handle`` counted and timed per channel; an update
    that arrived is also a successful contact with its platform."""

    def __init__(self, conversation: Any, metrics: Metrics, watch: ChannelWatch | None = None) -> None:
        self._conversation, self._metrics, self._watch = conversation, metrics, watch

    async def handle(self, incoming: Any) -> Any:
        channel = incoming.channel
        _seen(self._watch, channel)
        with self._metrics.update_seconds.labels(channel).time():
            replies = await self._conversation.handle(incoming)
        self._metrics.updates.labels(channel).inc()
        return replies

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conversation, name)
