"""Telegram's overall places by priority (bot/channels/telegram_pacing.py): when a flood
of strangers asks for more than Telegram takes, an answer to someone waiting on one
message goes before the flood's queued answers, and no chat gets two messages in
Telegram's second (the per-chat pace counts from the previous answer). Over the real
python-telegram-bot Application and the fake Bot API with Telegram's limits; the waiting
is counted in messages, never measured in wall time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.channels.telegram_pacing import BACKLOG, NORMAL, URGENT, ChatPacer, Turns
from tests.fakes.telegram_api import FakeTelegram
from tests.harness import Harness, sample_harness
from tests.telegram_support import polling

RATE = 5  # messages a second overall, on both sides: a small flood fills it


async def test_turns_go_to_the_urgent_first_then_in_order() -> None:
    turns = Turns()
    order: list[str] = []
    holding = asyncio.Event()
    release = asyncio.Event()

    async def take(name: str, level: int) -> None:
        async with turns.turn(level):
            order.append(name)
            if name == "first":
                holding.set()
                await release.wait()

    first = asyncio.create_task(take("first", BACKLOG))
    await holding.wait()
    waiting = [asyncio.create_task(take(name, level)) for name, level in
               (("flood 1", BACKLOG), ("flood 2", BACKLOG), ("reminder", NORMAL), ("leader", URGENT))]  # fmt: skip
    cancelled = asyncio.create_task(take("gone", URGENT))
    await asyncio.sleep(0)  # every one is queued
    cancelled.cancel()
    release.set()
    await asyncio.gather(first, *waiting)
    assert order == ["first", "leader", "reminder", "flood 1", "flood 2"]


async def test_a_turn_handed_to_a_cancelled_waiter_passes_on() -> None:
    turns = Turns()
    order: list[str] = []

    async def take(name: str) -> None:
        async with turns.turn(NORMAL):
            order.append(name)

    async with turns.turn(NORMAL):
        late = asyncio.create_task(take("late"))
        after = asyncio.create_task(take("after"))
        await asyncio.sleep(0)
    late.cancel()  # handed the turn, cancelled before it could run: the next one gets it
    await asyncio.gather(late, after, return_exceptions=True)
    assert order == ["after"]
    async with turns.turn(URGENT):  # and the turns are free again
        order.append("again")
    assert order == ["after", "again"]


async def test_a_chats_next_message_waits_for_the_previous_answer() -> None:
    """The per-chat pace counts from the answer: while a message to a chat is on its way
    (waiting for an overall place, uploading), the chat's next one does not start; other
    chats are not held."""
    pacer = ChatPacer(interval=0.01)
    order: list[str] = []
    on_its_way, answered = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        async with pacer.place("42"):
            order.append("42: first leaves")
            on_its_way.set()
            await answered.wait()
            order.append("42: first answered")

    async def second(chat: str) -> None:
        await on_its_way.wait()
        async with pacer.place(chat):
            order.append(f"{chat}: next leaves")

    tasks = [
        asyncio.create_task(first()),
        asyncio.create_task(second("42")),
        asyncio.create_task(second("43")),
    ]
    await on_its_way.wait()
    for _ in range(5):
        await asyncio.sleep(0)
    assert order == ["42: first leaves", "43: next leaves"]
    answered.set()
    await asyncio.gather(*tasks)
    assert order == ["42: first leaves", "43: next leaves", "42: first answered", "42: next leaves"]


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(global_rate=RATE, per_chat_rate=1.0) as fake:
        yield fake


@pytest.fixture
async def harness(sessions, clock) -> Harness:  # noqa: ANN001
    return await sample_harness(sessions, clock, "telegram")


def running(tg: FakeTelegram, harness: Harness):  # noqa: ANN201
    return polling(tg, harness, global_rate=RATE)


async def test_a_leader_goes_before_a_flood_of_strangers(
    tg: FakeTelegram, harness: Harness
) -> None:
    async with running(tg, harness) as channel:
        code = await harness.invite("leader")
        tg.send_text(7, f"/dangky {code}")
        await tg.wait_for(lambda m: m.chat_id == 7 and "Đăng ký thành công" in (m.text or ""))
        strangers = range(1000, 1010)
        mark = len(tg.sent)
        for index in range(3):  # ten strangers, three messages each: 40 messages at 5/s
            for chat in strangers:
                tg.send_text(chat, f"xin chào {index}")
        # The flood is on: more is waiting than Telegram takes in a second.
        await tg.wait_until(lambda: len(tg.sent) - mark >= RATE, what="the flood answered")
        asked = len(tg.sent)
        tg.send_text(7, "/viec")
        leader = await tg.wait_for(lambda m: m.chat_id == 7, since=asked)
        ahead = sum(1 for m in tg.sent[asked:] if m.chat_id != 7 and m.time < leader.time)
        # One turn may be under way when the leader's answer asks for a place, and one
        # second's places may be taken while /viec is handled; never the flood's queue.
        assert ahead <= RATE + 1, f"the leader's answer waited behind {ahead} of the flood's"
        assert "nhiệm vụ" in (leader.text or "").lower()
        await tg.wait_until(
            lambda: all(tg.messages_to(chat) for chat in strangers) and not channel.lanes.busy_chats,
            timeout=30, what="the flood answered in full",
        )  # fmt: skip
        for chat in strangers:
            texts = [m.text or "" for m in tg.messages_to(chat)]
            assert len(texts) == 4 and sum("đang xử lý" in t for t in texts) == 1, texts
    assert tg.requests_429 == 0  # no chat got two messages in one second, nor Telegram 6 a second
