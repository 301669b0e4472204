"""What a reminder storm costs the database, counted (issue 24): composing N reminders
for N people reads their tasks in a fixed number of statements, not five per task; a
message of the storm costs a few statements and less than two connection checkouts
(on PostgreSQL a ping only after 2 s idle, models.pool_ping). Counted, never timed."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.reminders import ReminderService
from handlers.messages import Outgoing
from handlers.reminders.known import read_ahead
from handlers.reminders.texts import compose
from models.outbox import SENT, OutboxItem
from models.people import Person
from scheduler.clock import Clock
from scheduler.workdays import WorkCalendar
from tests.conftest import BACKENDS
from tests.harness import Harness
from tests.storm_seed import AT, seed_storm

pytestmark = pytest.mark.parametrize("database_url", BACKENDS, indirect=True)


@dataclass
class Counts:
    statements: int = 0
    checkouts: int = 0
    texts: list[str] = field(default_factory=list)


@contextmanager
def counting(engine: AsyncEngine):  # noqa: ANN201
    counts = Counts()

    def statement(*_args: object) -> None:
        counts.statements += 1

    def checkout(*_args: object) -> None:
        counts.checkouts += 1

    event.listen(engine.sync_engine, "before_cursor_execute", statement)
    event.listen(engine.sync_engine.pool, "checkout", checkout)
    try:
        yield counts
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", statement)
        event.remove(engine.sync_engine.pool, "checkout", checkout)


async def compose_all(sessions, engine, people: int) -> tuple[int, int, list[str]]:  # noqa: ANN001
    """Statements to read ahead for ``people`` reminders, and to compose them (with what
    was read ahead, then each reading for itself); the texts both ways."""
    async with sessions() as session:
        items = list(await session.scalars(select(OutboxItem).order_by(OutboxItem.id)))[:people]
        persons = {p.id: p for p in await session.scalars(select(Person))}
    today, calendar = AT.date(), WorkCalendar()
    with counting(engine) as ahead:
        async with sessions() as session:
            known = await read_ahead(session, items, today)
    texts, alone = [], []
    with counting(engine) as composing:
        async with sessions() as session:
            for item in items:
                person = persons[item.recipient_id]
                message = await compose(session, person, [item], today=today, calendar=calendar,
                                        offline_digest=False, has_buttons=True, known=known)  # fmt: skip
                texts.append(message.text)
    async with sessions() as session:
        for item in items:
            message = await compose(session, persons[item.recipient_id], [item], today=today,
                                    calendar=calendar, offline_digest=False, has_buttons=True)  # fmt: skip
            alone.append(message.text)
    assert texts == alone  # byte for byte the same message, read ahead or not
    return ahead.statements, composing.statements, texts


async def test_composing_n_reminders_reads_their_tasks_in_o1_statements(sessions, engine) -> None:  # noqa: ANN001
    await seed_storm(sessions, 24)
    few, few_composing, texts = await compose_all(sessions, engine, 3)
    many, many_composing, _ = await compose_all(sessions, engine, 24)
    assert few == many <= 8  # tasks with units, sections, plans; "several plans?" once
    assert few_composing == many_composing == 0
    assert texts[0].startswith("Nhắc việc:\nNhiệm vụ 1: Nhiệm vụ thử tải số 1")


@dataclass
class Telegram:
    got: list[tuple[str, Outgoing]] = field(default_factory=list)

    async def __call__(self, chat_id: str, outgoing: Outgoing) -> str:
        self.got.append((chat_id, outgoing))
        return str(len(self.got))


async def test_a_storm_message_costs_a_few_statements_and_under_two_checkouts(sessions, engine) -> None:  # noqa: ANN001
    people = 60
    chats = await seed_storm(sessions, people)
    bot = Harness(sessions, Clock.starting_at(AT, frozen=True))
    telegram = Telegram()
    service = ReminderService(bot.conversation.services, {"telegram": telegram})
    with counting(engine) as counts:
        result = await service.dispatcher.tick()
    await service.close()
    assert result.messages == people and sorted(int(c) for c, _o in telegram.got) == chats
    async with sessions() as session:
        sent = await session.scalars(select(OutboxItem.state))
        assert set(sent) == {SENT}
    # Before issue 24: about 19 statements and 3 checkouts a message (a session to mark
    # it on the wire, one to compose it reading each task with its units, section and
    # plan, one to mark it sent), plus the pacing's own on PostgreSQL. Now: the wire
    # mark (which also says the rows are still to go), the sent mark, the reply mapping
    # (2) and the chat focus (2; 4 the first time, when the chat state is made), the
    # marks of several messages in one transaction; the claim's reads once for all.
    assert counts.statements / people <= 9, counts.statements
    assert counts.checkouts / people < 1.5, counts.checkouts


async def test_a_failed_group_write_records_each_message_alone(sessions) -> None:  # noqa: ANN001
    chats = await seed_storm(sessions, 8)
    bot = Harness(sessions, Clock.starting_at(AT, frozen=True))
    telegram = Telegram()
    service = ReminderService(bot.conversation.services, {"telegram": telegram})
    records = service.dispatcher._records  # noqa: SLF001 - the group write, made to fail once
    written, failed = records.write, []

    async def failing_once(group: list) -> None:
        if not failed:
            failed.append(len(group))
            raise RuntimeError("the database went away for a moment")
        await written(group)

    records.write = failing_once
    result = await service.dispatcher.tick()
    await service.close()
    assert failed and result.messages == 8 and result.retried == 0
    assert sorted(int(c) for c, _o in telegram.got) == chats  # each once, none again
    async with sessions() as session:
        assert set(await session.scalars(select(OutboxItem.state))) == {SENT}
