"""The last check before a reminder goes on the wire. The dispatcher opens a ``Ticket``
for each send (a context variable, so it follows the send through the channel's
pacing); the channel calls ``may_send()`` right before each request leaves. After a
stop signal, or once the quiet hours have begun (18:00), it raises ``Withheld``: the
send never starts and its rows go back to wait. A ticket remembers whether a request
of it has left (``on_wire``): such a send, cut off later, may have been delivered."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field


class Withheld(Exception):
    """The send was not started: the dispatcher is stopping, or the quiet hours began."""


@dataclass
class Gate:
    """One dispatcher's gate: closed at a stop; ``quiet()`` says whether it is quiet now."""

    quiet: Callable[[], bool] = lambda: False
    closed: bool = False


@dataclass(eq=False)
class Ticket:
    gate: Gate
    ids: tuple[int, ...] = ()
    on_wire: bool = False
    requests: int = field(default=0)


_CURRENT: ContextVar[Ticket | None] = ContextVar("dondoc_send_ticket", default=None)


def open_ticket(ticket: Ticket) -> None:
    """Set ``ticket`` for the current task (each person's sends run in a task of their own)."""
    _CURRENT.set(ticket)


def close_ticket() -> None:
    _CURRENT.set(None)


def may_send() -> None:
    """Called by a channel right before a request leaves; raises ``Withheld`` when a
    reminder may no longer start. Sends that are not reminders (answers) always go."""
    ticket = _CURRENT.get()
    if ticket is None:
        return
    if ticket.gate.closed or ticket.gate.quiet():
        raise Withheld("stopping" if ticket.gate.closed else "quiet hours")
    ticket.on_wire = True
    ticket.requests += 1
