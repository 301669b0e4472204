"""What every message costs before its feature runs (issue 24, point 4): the person, their
identities, memberships and the chat state of the message's channel come in one
statement; a commune's /tiendo reads in three. Counted statements, never time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from handlers.messages import Incoming
from models import invites
from models.conversation import ChatState, chat_state
from models.invites import find_person
from models.people import Identity, Membership, Organization, Person
from tests.conftest import BACKENDS
from tests.harness import Harness

NOW = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)


@contextmanager
def counted(engine: AsyncEngine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        statements.append(statement.split(None, 1)[0].upper())

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_the_chat_state_read_with_the_person_is_the_messages_channels(engine, sessions) -> None:  # noqa: ANN001
    async with sessions() as session, session.begin():
        person = Person(display_name="Lan", language="vi", created_at=NOW)
        session.add(person)
        await session.flush()
        for channel, task in (("telegram", 11), ("zalo", 22)):
            session.add(Identity(person_id=person.id, channel=channel, external_id=f"{channel}-1"))
            session.add(ChatState(person_id=person.id, channel=channel, task_id=None, choices=[str(task)], updated_at=NOW))
    # Alternating channels: the statement is built once and must take each call's channel.
    for channel, task in (("zalo", "22"), ("telegram", "11"), ("zalo", "22")):
        async with sessions() as session, session.begin():
            with counted(engine) as statements:
                found = await find_person(session, channel, f"{channel}-1")
                assert found is not None and [s.channel for s in found.chat_states] == [channel]
                state = await chat_state(session, found.id, channel, NOW)
            assert state.choices == [task]
            assert statements == ["SELECT"], statements  # the chat state came with the person


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_a_communes_progress_reads_in_three_statements(engine, sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock)
    await bot.import_sample()
    await bot.register("trinh", "leader")
    await bot.say("trinh", "/tiendo")  # the chat state exists from now on
    with counted(engine) as statements:
        replies = await bot.conversation.handle(
            Incoming(channel="console", user_id="trinh", chat_id="trinh", text="/tiendo")
        )
    assert "Hoàn thành" in replies[0].text
    # The person (with their chat state), the plans, the tasks' facts with their lead units.
    assert statements.count("SELECT") == 3, statements


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_a_person_in_many_organizations_is_read_in_two_statements_once_seen(engine, sessions) -> None:  # noqa: ANN001
    """A province's viewer (a membership in each commune) with two identities: joined,
    each membership came twice. Once seen, their memberships come by a second statement
    — the same person, organizations and chat state either way."""
    many = invites.CROWDED + 5
    async with sessions() as session, session.begin():
        person = Person(display_name="Tỉnh", language="vi", created_at=NOW)
        session.add(person)
        orgs = [Organization(name=f"Xã {i}", created_at=NOW) for i in range(many)]
        session.add_all(orgs)
        await session.flush()
        session.add_all(Membership(person_id=person.id, organization_id=o.id, role="viewer") for o in orgs)
        for channel in ("telegram", "zalo"):
            session.add(Identity(person_id=person.id, channel=channel, external_id=f"{channel}-9"))
        session.add(ChatState(person_id=person.id, channel="zalo", task_id=None, choices=["7"], updated_at=NOW))
    seen = []
    for _ in range(2):
        async with sessions() as session, session.begin():
            with counted(engine) as statements:
                found = await find_person(session, "zalo", "zalo-9")
                state = await chat_state(session, found.id, "zalo", NOW)
            seen.append((
                sorted(m.organization.name for m in found.memberships),
                sorted(i.channel for i in found.identities),
                state.choices,
                len(statements),
            ))  # fmt: skip
    names = sorted(f"Xã {i}" for i in range(many))
    assert seen == [(names, ["telegram", "zalo"], ["7"], 1), (names, ["telegram", "zalo"], ["7"], 2)]
