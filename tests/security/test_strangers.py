"""Strangers and odd input (issue 12, items 9 and 10): a stranger who writes leaves no
row behind; in a group an unregistered writer is answered only when talking to dondoc;
"²", "①" and oversized button data get a clear line, not a traceback; the undo button
keeps the same 2-day rule as /hoantac. The strangers, group, "²"/"①", oversized-id and
undo-window cases fail on the main of 2026-12-01; the rest guard against regressions."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from models.people import Person
from models.plans import StatusUpdate, Task
from tests.harness import Harness, sample_harness, text_of


@pytest.fixture
async def bot(sessions, clock) -> Harness:  # noqa: ANN001
    return await sample_harness(sessions, clock, "console", ("lan", "officer", "Phòng Văn hóa - Xã hội"))


async def people(bot: Harness) -> int:
    async with bot.sessions() as session:
        return await session.scalar(select(func.count(Person.id)))


async def test_strangers_who_write_leave_no_rows(bot: Harness) -> None:
    before = await people(bot)
    for index in range(300):
        answer = await bot.say(f"stranger{index}", "xin chào, cho hỏi")
        assert "/dangky" in text_of(answer)
    await bot.say("stranger-cmd", "/viec 1")
    await bot.say("stranger-unknown", "/xyz")
    assert await people(bot) == before


async def test_a_stranger_becomes_a_person_by_registering(bot: Harness) -> None:
    before = await people(bot)
    await bot.register("moi", "officer", "Phòng Kinh tế")
    assert await people(bot) == before + 1


async def test_group_strangers_answered_only_when_talking_to_dondoc(bot: Harness) -> None:
    assert await bot.say("la", "chúng tôi đang họp", chat_type="group") == []
    assert await bot.say("la", "/viec", chat_type="group") == []
    assert "/dangky" in text_of(await bot.say("la", "/viec@dondoc_bot", chat_type="group"))


@pytest.mark.parametrize("text", ["²", "①", "٣", "99999999999999999999999"])
async def test_odd_digits_are_answered_without_a_traceback(bot: Harness, text: str, caplog: pytest.LogCaptureFixture) -> None:
    await bot.say("lan", "/viec 1")
    with caplog.at_level(logging.ERROR):
        answer = text_of(await bot.say("lan", text))
    assert "gặp lỗi" not in answer and not [r for r in caplog.records if r.exc_info]


@pytest.mark.parametrize("data", ["undo:99999999999999999999", "st:99999999999999999999:done", "qy:-1", "qt:1:99999999999", "ext:²", "lkok:zzz"])
async def test_forged_button_data_is_refused_cleanly(bot: Harness, data: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        answer = text_of(await bot.say("lan", callback=data))
    assert answer and "gặp lỗi" not in answer, answer
    assert not [r for r in caplog.records if r.exc_info]


async def test_undo_button_keeps_the_two_day_rule(bot: Harness) -> None:
    await bot.say("lan", "/capnhat 1 hoàn thành")
    async with bot.sessions() as session:
        row = await session.scalar(select(StatusUpdate).where(StatusUpdate.kind == "status"))
    bot.clock.move_to(bot.clock.now() + timedelta(days=3))
    answer = text_of(await bot.say("lan", callback=f"undo:{row.id}"))
    assert "2 ngày" in answer
    async with bot.sessions() as session:
        assert (await session.scalar(select(Task).where(Task.number == "1"))).status == "done"


async def test_invite_codes_are_never_shown_in_a_group(bot: Harness) -> None:
    await bot.register("ha", "admin")
    answer = text_of(await bot.say("ha", "/moi Phòng Kinh tế", chat_type="group"))
    assert "trò chuyện riêng" in answer and "/dangky" not in answer
    assert "/dangky" in text_of(await bot.say("ha", "/moi Phòng Kinh tế"))
