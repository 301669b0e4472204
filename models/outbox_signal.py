"""The "new work" signal: when a transaction that queued outbox rows or asked for a
re-plan commits, the dispatcher of this process is woken at once instead of at its next
due moment (``scheduler.wake``). Listeners hang on the session factory's ``info`` (each
session shares the list), so nothing is global and another factory hears nothing."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

LISTENERS = "dondoc_on_queued"
_ARMED = "dondoc_queued_armed"


def listen(sessions: async_sessionmaker[AsyncSession], callback: Callable[[], None]) -> None:
    """Call ``callback`` after each commit (of a session of ``sessions``) that queued work."""
    info = sessions.kw.get("info")
    if info is None:
        info = {}
        sessions.configure(info=info)
    info.setdefault(LISTENERS, []).append(callback)


def unlisten(sessions: async_sessionmaker[AsyncSession], callback: Callable[[], None]) -> None:
    callbacks = (sessions.kw.get("info") or {}).get(LISTENERS, [])
    if callback in callbacks:
        callbacks.remove(callback)


def queued(session: AsyncSession) -> None:
    """This transaction queues work: wake the listeners once it has committed."""
    sync = session.sync_session
    if not sync.info.get(LISTENERS) or sync.info.get(_ARMED):
        return
    sync.info[_ARMED] = True
    event.listen(sync, "after_commit", _fire, once=True)


def _fire(session: Session) -> None:
    session.info.pop(_ARMED, None)
    for callback in list(session.info.get(LISTENERS, [])):
        callback()
