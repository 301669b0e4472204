"""Telegram's overall budget shared by several ``dondoc run`` on one PostgreSQL: slots,
each held from a send's release until a window after its answer, so that a send that
leaves late (a busy process) can never bunch with the others past Telegram's rolling
second (places a fixed gap apart could: the province storm bench saw 429s). Waits are
read from the database's clock with windows long enough that no load can matter; the
rate itself is measured by ``bench/bench_province_storm.py``."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from bot.channels.telegram_pacing import SharedBudget
from models.db import make_engine
from models.send_budget import HOLD, free_slot, prune, take_slot

pytestmark = pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


def needs_postgres(engine) -> None:  # noqa: ANN001
    if engine.dialect.name != "postgresql":
        pytest.skip("the shared budget is for several processes on PostgreSQL")


async def test_slots_are_held_until_a_window_after_the_answer(engine) -> None:  # noqa: ANN001
    needs_postgres(engine)
    window = 30.0  # below HOLD: a slot in flight is not takable
    assert window < HOLD
    taken = [await take_slot(engine, "test:all", 3, window) for _ in range(3)]
    assert all(t is not None and t[1] == 0.0 for t in taken)  # three free slots at once
    assert len({t[0][0] for t in taken}) == 3
    # All three in flight: a fourth send waits for an answer, whatever the time
    assert await take_slot(engine, "test:all", 3, window) is None
    first = taken[0][0]
    await free_slot(engine, first, window)  # its answer came: free a window from now
    again = await take_slot(engine, "test:all", 3, window)
    assert again is not None and again[0][0] == first[0]
    assert window - 5 < again[1] <= window  # not before a full window after the answer
    # A late word about the slot's former send cannot free the new one
    await free_slot(engine, first, 0.0)
    assert await take_slot(engine, "test:all", 3, window) is None


async def test_a_crashed_senders_slot_frees_after_the_hold(engine) -> None:  # noqa: ANN001
    needs_postgres(engine)
    held = await take_slot(engine, "test:all", 1, 1.0)
    assert held is not None and await take_slot(engine, "test:all", 1, 1.0) is None
    async with engine.begin() as conn:  # its process died; HOLD seconds went by
        await conn.execute(text("UPDATE send_pace SET next_at = next_at - :hold"), {"hold": HOLD})
    assert await take_slot(engine, "test:all", 1, 1.0) is not None


async def test_slot_rows_are_not_pruned(engine) -> None:  # noqa: ANN001
    needs_postgres(engine)
    await take_slot(engine, "telegram:all", 2, 1.0)
    async with engine.begin() as conn:  # idle for two minutes
        await conn.execute(text("UPDATE send_pace SET next_at = next_at - 120"))
    assert await prune(engine) == 0
    async with engine.begin() as conn:
        keys = set(await conn.scalars(text("SELECT key FROM send_pace")))
    assert keys == {"telegram:all#0", "telegram:all#1"}


async def test_a_process_waits_for_the_other_process_send_to_answer(
    engine, database_url: str
) -> None:  # noqa: ANN001
    needs_postgres(engine)
    other = make_engine(database_url)  # a second process's own connections
    try:
        mine = SharedBudget(engine, rate=1, interval=0, window=0.0)
        theirs = SharedBudget(other, rate=1, interval=0, window=0.0)
        held = await theirs.overall()  # their one send is on the wire
        waiting = asyncio.create_task(mine.overall())
        for _ in range(10):  # however long: the slot is theirs until the answer
            await asyncio.sleep(0.03)
            assert not waiting.done()
        await theirs.done(held)
        mine_held = await asyncio.wait_for(waiting, 30)
        assert mine_held is not None and mine_held[0] == held[0]
        await mine.done(mine_held)
    finally:
        await other.dispose()
