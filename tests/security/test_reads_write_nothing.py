"""No write on a read (issue 25, point 3): every read command, typed by every role (and a
stranger), well-formed or refused, leaves every table as it was. Only the
conversation's own memory of what it showed (``chat_state``, ``sent_message``: the task
in focus, so that a reply maps back) may change. The ``/tiendo ĐƠN_VỊ`` case fails on
the main of issue 25 (the typed spelling was appended to ``unit.aliases``)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models.base import Base
from models.people import Unit
from tests.conftest import BACKENDS
from tests.harness import Harness

CONVERSATION_MEMORY = {"chat_state", "sent_message"}
READS = [
    "/start", "/trogiup", "/help", "/viec", "/viec 1", "/viec 999", "/viec quahan", "/viec trang 2",
    "/tim tuyen truyen", "/tim", "/quahan", "/tiendo", "/tiendo quy3", "/tiendo Phòng Kinh tế",
    "/tiendo phong van hoa xa hoi", "/tiendo VH-XH", "/tiendo Phòng Không Có", "/tiendo " + "Phòng " * 300,
    "/diem", "/diem 1.1", "/duyet", "/kenh xyz", "/ngonngu", "/xyz", "/viec@dondoc_bot",
]  # fmt: skip
ROLES = [("lan", "officer", "Phòng Văn hóa - Xã hội"), ("trinh", "leader", None), ("ha", "admin", None), ("xem", "viewer", None)]


async def snapshot(bot: Harness) -> dict[str, list[tuple]]:
    tables = {}
    async with bot.sessions() as session:
        for table in Base.metadata.sorted_tables:
            if table.name in CONVERSATION_MEMORY:
                continue
            rows = (await session.execute(select(table))).all()
            tables[table.name] = sorted(tuple(map(repr, row)) for row in rows)
    return tables


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_every_read_by_every_role_changes_nothing(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="telegram")
    await bot.import_sample()
    for user, role, unit in ROLES:
        await bot.register(user, role, unit)
    await bot.say("lan", "/viec")  # the first message of each already happened
    before = await snapshot(bot)
    for user in [r[0] for r in ROLES] + ["la"]:
        for text in READS:
            await bot.say(user, text)
            await bot.say(user, text, chat_type="group")
    after = await snapshot(bot)
    changed = {name: (before[name], after[name]) for name in before if before[name] != after[name]}
    assert not changed, {name: (len(b), len(a)) for name, (b, a) in changed.items()}


async def test_a_readers_unit_spelling_is_not_learnt(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="console")
    await bot.import_sample()
    await bot.register("xem", "viewer")
    for n in range(20):
        await bot.say("xem", f"/tiendo Phòng Văn hóa - Xã hội {'x' * n}")
        await bot.say("xem", "/tiendo phong van hoa xa hoi" + " " * n)
    async with sessions() as session:
        units = list(await session.scalars(select(Unit)))
    assert all(len(u.aliases) <= 2 for u in units), [u.aliases for u in units if len(u.aliases) > 2]
