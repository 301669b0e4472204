"""What the dispatcher and the channels say to each other: the errors a send may raise
(each maps to one way of handling it, see ``scheduler.dispatcher``), what a successful
delivery hands back, and the figures of one pass."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.dispatch_rules import Batch


class RateLimited(Exception):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited for {retry_after}s")
        self.retry_after = retry_after


class TemporaryFailure(Exception):
    """The channel could not send now (network, server error); try again later."""


class MaybeSent(TemporaryFailure):
    """The request left but no answer came (a read timeout): it may have been delivered."""


class Unreachable(Exception):
    """The person cannot be reached on any channel (blocked the bot, no identity)."""


class PermanentFailure(Exception):
    """The channel refused the message itself (a bad request): sending again cannot help."""


@dataclass(frozen=True)
class Delivered:
    channel: str
    message_id: str | None
    # Run in the transaction that marks the rows sent (the reply mapping, the focus).
    record: Callable[[AsyncSession], Awaitable[None]] | None = None


# deliver(batch) -> Delivered, or None when nothing of the batch is left to send;
# raises RateLimited / TemporaryFailure / MaybeSent / Unreachable / PermanentFailure.
Deliver = Callable[[Batch], Awaitable["Delivered | tuple[str, str | None] | None"]]


@dataclass
class TickResult:
    sent: int = 0
    messages: int = 0
    folded: int = 0
    retried: int = 0
    failed: int = 0
    maybe_repeated: int = 0  # sends that may have been delivered unrecorded (go again, marked)
    maybe_answered: int = 0  # maybe-sent rows not sent again: the person answered meanwhile
    deferred: int = 0  # missed rows moved to the next allowed moment
    lost: int = 0  # rows tried and unsendable until their use ended (models.outbox_lost)
    unreachable: list[int] = field(default_factory=list)
