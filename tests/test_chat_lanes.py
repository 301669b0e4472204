"""Chat lanes (bot/channels/lanes.py) over the real python-telegram-bot Application and
the fake Bot API: one chat's messages are handled and answered in order while other
chats' messages are handled at once; one person's flood (answers paced at one a
second per chat) does not hold anyone else up, and that person is told once. The
waiting is counted in messages, not measured in wall time."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from bot.channels.lanes import ChatLanes
from models.plans import Task
from tests.fakes.telegram_api import FakeTelegram
from tests.harness import Harness, sample_harness
from tests.telegram_support import polling, register


def running(tg: FakeTelegram, harness: Harness, per_chat: float):  # noqa: ANN201
    return polling(tg, harness, per_chat_interval=per_chat)


@pytest.fixture
async def harness(sessions, clock) -> Harness:  # noqa: ANN001
    return await sample_harness(sessions, clock, "telegram")


async def test_one_chat_in_order_while_other_chats_run_at_once(tg: FakeTelegram, harness: Harness) -> None:
    async with running(tg, harness, per_chat=0):
        await register(tg, harness, 42, "officer", "Phòng Văn hóa - Xã hội")
        await register(tg, harness, 43, "officer", "Phòng Văn hóa - Xã hội")
        mark = len(tg.sent)
        for percent in range(10, 100, 10):  # interleaved with another chat's messages
            tg.send_text(42, f"/capnhat 1 đang thực hiện {percent}%")
            tg.send_text(43, "/viec")
            tg.send_text(77, "xin chào")  # a stranger too
        await tg.wait_until(
            lambda: sum(1 for m in tg.sent[mark:] if "Đã ghi nhận" in (m.text or "")) >= 9,
            what="nine answers in chat 42",
        )
        answers = [m.text or "" for m in tg.sent[mark:] if m.chat_id == 42 and "Đã ghi nhận" in (m.text or "")]
        shown = [next(p for p in range(90, 0, -10) if f"{p}%" in text) for text in answers]
        assert shown == list(range(10, 100, 10)), answers
        async with harness.sessions() as session:
            task = await session.scalar(select(Task).where(Task.number == "1"))
        assert task.status == "in_progress" and task.percent == 90


async def test_a_flood_from_one_chat_does_not_hold_up_another(tg: FakeTelegram, harness: Harness) -> None:
    async with running(tg, harness, per_chat=1.0) as channel:  # Telegram's one a second per chat
        await register(tg, harness, 7, "leader")
        mark = len(tg.sent)
        for index in range(30):
            tg.send_text(99, f"tin thứ {index}")  # a stranger floods: 30 answers, one a second
        await tg.wait_until(lambda: channel.lanes.waiting("99") or tg.sent[mark:], what="the flood queued")
        tg.send_text(7, "/viec")
        leader = await tg.wait_for(lambda m: m.chat_id == 7, since=mark)
        flood_before = sum(1 for m in tg.sent[mark:] if m.chat_id == 99 and m.message_id < 10**9)
        assert flood_before <= 3, f"the leader waited behind {flood_before} answers of the flood"
        assert "nhiệm vụ" in (leader.text or "").lower()
        busy = await tg.wait_for(lambda m: m.chat_id == 99 and "đang xử lý" in (m.text or ""), since=mark)
        assert busy.text.startswith("dondoc đang xử lý các tin trước")
        assert sum(1 for m in tg.sent[mark:] if "đang xử lý" in (m.text or "")) == 1


async def test_lanes_bound_heavy_work_and_refuse_a_flood_politely() -> None:
    told: list[tuple[str, str]] = []

    async def busy(chat: str) -> None:
        told.append(("busy", chat))

    async def dropped(chat: str) -> None:
        told.append(("dropped", chat))

    lanes = ChatLanes(handlers=4, heavy=2, busy_after=3, max_waiting=5, on_busy=busy, on_dropped=dropped)
    gate = asyncio.Event()
    heavy_now = heavy_most = 0
    light_done = asyncio.Event()

    async def heavy_job() -> None:
        nonlocal heavy_now, heavy_most
        async with lanes.handling(heavy=True):
            heavy_now += 1
            heavy_most = max(heavy_most, heavy_now)
            await gate.wait()
            heavy_now -= 1

    async def light_job() -> None:
        async with lanes.handling():
            light_done.set()

    for chat in range(10):  # ten reports from ten people
        assert lanes.submit(f"r{chat}", heavy_job)
    assert lanes.submit("leader", light_job)
    await asyncio.wait_for(light_done.wait(), 1)  # not behind the reports
    assert heavy_most == 2

    order: list[int] = []
    for index in range(8):  # one chat floods: 1 running + 5 waiting, 2 refused
        async def job(index: int = index) -> None:
            await gate.wait()
            order.append(index)

        assert lanes.submit("flood", job) is (index < 6)
        await asyncio.sleep(0)  # the lane's worker takes the first one
    gate.set()
    await asyncio.wait_for(lanes.idle(), 5)
    assert order == [0, 1, 2, 3, 4, 5] and heavy_most == 2
    assert sorted(told) == [("busy", "flood"), ("dropped", "flood")]
    assert lanes.busy_chats == 0


async def test_a_stop_finishes_what_runs_within_the_grace_and_runs_nothing_queued() -> None:
    """``close``: the job running in each lane finishes (or is cancelled when the grace
    ends); the queued ones never start, and nothing new is taken until ``reopen``."""
    lanes = ChatLanes()
    gate, stuck = asyncio.Event(), asyncio.Event()
    ran: list[str] = []
    cancelled: list[str] = []

    async def quick(name: str) -> None:
        await gate.wait()
        ran.append(name)

    async def hangs() -> None:
        try:
            await stuck.wait()
        except asyncio.CancelledError:
            cancelled.append("hangs")
            raise

    for index in range(3):
        assert lanes.submit("a", lambda index=index: quick(f"a{index}"))
    assert lanes.submit("b", hangs)
    await asyncio.sleep(0)  # both lanes start their first job
    closing = asyncio.ensure_future(lanes.close(grace=0.2))
    await asyncio.sleep(0)
    assert lanes.closed and not lanes.submit("c", lambda: quick("c0"))
    gate.set()
    await asyncio.wait_for(closing, 2)
    assert ran == ["a0"] and cancelled == ["hangs"] and lanes.busy_chats == 0
    lanes.reopen()
    assert lanes.submit("a", lambda: quick("again"))
    await asyncio.wait_for(lanes.idle(), 2)
    assert ran == ["a0", "again"]
