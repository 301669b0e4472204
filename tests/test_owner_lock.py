"""Issue 11 on PostgreSQL: the claims of a killed dispatcher come back at once, not after
the heartbeat's two minutes. Each process holds an advisory lock on a connection of its
own; a killed process's connection closes and the lock with it, which the next process
sees. A live process's claims are left alone however fresh the other process is."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot.reminders import ReminderService
from models.outbox import SENDING, claim_due
from models.outbox_processes import heartbeat
from scheduler import owner_lock
from tests.conftest import BACKENDS
from tests.test_reminder_faults import at, rows, run_until, setup


async def a_process_sending(sessions, clock):  # noqa: ANN001, ANN201
    """The 08:00 reminders due, and a first dispatcher holding its lock that claimed them."""
    bot, service, inbox = await setup(sessions, clock)
    await run_until(service, clock, at(2026, 1, 5, 7, 0))
    clock.move_to(at(2026, 1, 5, 8, 0))
    first = ReminderService(bot.conversation.services, {"console": inbox}).dispatcher
    await first.owner_lock.hold()
    async with sessions() as session, session.begin():
        await heartbeat(session, first.owner, clock.now())
        claimed = await claim_due(session, clock.now(), 1000, first.owner)
    assert claimed
    return bot, inbox, first, claimed


@pytest.mark.parametrize("database_url", [BACKENDS[1]], indirect=True)
async def test_a_killed_process_claims_come_back_at_once(sessions, clock) -> None:  # noqa: ANN001
    bot, inbox, first, claimed = await a_process_sending(sessions, clock)
    second = ReminderService(bot.conversation.services, {"console": inbox}).dispatcher
    clock.move_to(at(2026, 1, 5, 8, 0, 20))
    await second.tick()  # the first is alive: its claims stay its own
    assert len(await rows(sessions, state=SENDING)) == len(claimed)
    await first.owner_lock.connection.invalidate()  # kill -9: the connection goes, the lock too
    await first.owner_lock.connection.close()
    clock.move_to(at(2026, 1, 5, 8, 0, 40))  # far less than the two-minute heartbeat
    await second.tick()
    assert not await rows(sessions, state=SENDING)
    assert inbox.got
    await second.close()


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_a_heartbeat_whose_row_went_registers_again(sessions, clock) -> None:  # noqa: ANN001
    """Another process may delete a late process's row (its heartbeat older than
    ``stale_after``); the next beat registers it again instead of failing the tick."""
    from sqlalchemy import delete, select

    from models.outbox import DispatcherProcess
    from models.outbox_processes import heartbeat

    async with sessions() as session, session.begin():
        await heartbeat(session, "late", clock.now())
    async with sessions() as session, session.begin():
        await session.execute(delete(DispatcherProcess).where(DispatcherProcess.owner == "late"))
    async with sessions() as session, session.begin():
        await heartbeat(session, "late", clock.now())  # raised StaleDataError before
    async with sessions() as session:
        assert await session.scalar(select(DispatcherProcess.owner)) == "late"


@pytest.mark.parametrize("database_url", [BACKENDS[1]], indirect=True)
async def test_a_live_process_takes_its_lock_again_after_losing_its_connection(sessions, clock, monkeypatch) -> None:  # noqa: ANN001
    """A database restart ends the lock's connection (here: ``pg_terminate_backend``);
    the live process takes its lock again at its next tick, so another process does not
    take it for dead and re-queue its claims."""
    bot, inbox, first, claimed = await a_process_sending(sessions, clock)
    pid = await first.owner_lock.connection.scalar(text("SELECT pg_backend_pid()"))
    async with sessions() as session:
        assert await session.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    monkeypatch.setattr(owner_lock, "VERIFY_EVERY", 0.0)  # the next check is due now
    await first.owner_lock.hold()
    second = ReminderService(bot.conversation.services, {"console": inbox}).dispatcher
    clock.move_to(at(2026, 1, 5, 8, 0, 20))
    await second.tick()
    assert len(await rows(sessions, state=SENDING)) == len(claimed)  # still the first's
    await first.owner_lock.release()  # (a lost connection is no error at a stop either)
    await second.close()
