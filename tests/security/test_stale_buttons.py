"""Stale and double-tapped buttons on Telegram (issue 25, small ones), through the real
python-telegram-bot against the fake Bot API server: every press is answered
(answerCallbackQuery), a double tap records once and says nothing twice, a tap on an old
message whose question was answered meanwhile gets a clear answer, and no edit that
changes nothing ends in a traceback ("message is not modified"). Fails on the main of
this change: the second tap was never answered and logged a BadRequest traceback."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from bot.channels.telegram import TelegramChannel
from bot.channels.telegram_buttons import refused_text, stale_text
from models.conversation import Question
from models.plans import StatusUpdate, Task
from tests.fakes.telegram_api import FakeTelegram
from tests.harness import Harness
from tests.telegram_support import buttons, polling
from tests.test_trust_channels import asked_backward_move

STALE = "Việc này đã được xử lý rồi ạ."


async def status_rows(harness: Harness, number: str) -> int:
    async with harness.sessions() as session:
        task = await session.scalar(select(Task).where(Task.number == number))
        return await session.scalar(
            select(func.count()).select_from(StatusUpdate).where(
                StatusUpdate.task_id == task.id, StatusUpdate.kind == "status")
        )  # fmt: skip


def no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not errors, [r.getMessage() for r in errors]


def test_the_toast_is_translated() -> None:
    assert stale_text() == STALE and len(STALE) <= 200  # Telegram's limit for a toast


async def test_double_tap_is_answered_and_recorded_once(
    tg: FakeTelegram, running: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    asked = await asked_backward_move(tg, running)
    rows = await status_rows(running, "1")
    tap = buttons(asked)["Ghi: Đang thực hiện 50%"]
    mark = len(tg.sent)
    with caplog.at_level(logging.INFO):
        first = tg.press_button(42, asked.message_id, tap)  # both taps show the buttons
        second = tg.press_button(42, asked.message_id, tap)
        await tg.wait_until(lambda: len(tg.answered_callbacks) == 2, what="both taps answered")
        await tg.wait_for(lambda m: m.chat_id == 42 and "Đã ghi nhận nhiệm vụ 1" in (m.text or ""), since=mark)
    answers = {a["callback_query_id"]: a.get("text") for a in tg.answered_callbacks}
    assert answers[first] is None and answers[second] == STALE
    assert await status_rows(running, "1") == rows + 1  # recorded once
    said = [m for m in tg.sent[mark:] if m.method == "sendMessage"]
    assert len(said) == 1, [m.text for m in said]  # nothing said twice
    assert not tg.message(42, asked.message_id).get("reply_markup")  # the buttons are gone
    no_traceback(caplog)
    # a third tap later (Telegram sends the message as it is now: no buttons)
    third = tg.press_button(42, asked.message_id, tap, strict=False)
    await tg.wait_until(lambda: len(tg.answered_callbacks) == 3, what="the third tap answered")
    assert tg.answered_callbacks[-1] == {"callback_query_id": third, "text": STALE}
    assert len([m for m in tg.sent[mark:] if m.method == "sendMessage"]) == 1


async def test_tap_on_an_old_message_after_the_question_was_answered(
    tg: FakeTelegram, running: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    asked = await asked_backward_move(tg, running)
    rows = await status_rows(running, "1")
    # Answered elsewhere meanwhile (another process, another channel): the message here
    # still shows its buttons.
    async with running.sessions() as session, session.begin():
        await session.execute(update(Question).values(answered_at=running.clock.now() - timedelta(minutes=1)))
    # A second process removed the buttons a moment ago, while this message still
    # showed them: Telegram answers "message is not modified", which is no error.
    tg.fail_next("editMessageReplyMarkup", status=400, description=(
        "Bad Request: message is not modified: specified new message content and reply "
        "markup are exactly the same as a current content and reply markup of the message"))  # fmt: skip
    mark = len(tg.sent)
    with caplog.at_level(logging.INFO):
        old = tg.press_button(42, asked.message_id, buttons(asked)["Ghi: Đang thực hiện 50%"])
        said = await tg.wait_for(lambda m: m.chat_id == 42, since=mark)
        await tg.wait_until(lambda: len(tg.answered_callbacks) == 1, what="the tap answered")
        assert "đã được trả lời" in said.text
        assert tg.answered_callbacks[0]["callback_query_id"] == old
        assert any(name == "editMessageReplyMarkup" for name, _p in tg.calls)  # it was tried
        again = tg.press_button(42, asked.message_id, buttons(asked)["Không phải"], strict=False)
        await tg.wait_until(lambda: len(tg.answered_callbacks) == 2, what="the second tap answered")
    assert tg.answered_callbacks[1] == {"callback_query_id": again, "text": STALE}
    assert len([m for m in tg.sent[mark:] if m.method == "sendMessage"]) == 1
    assert await status_rows(running, "1") == rows  # nothing recorded by an old button
    no_traceback(caplog)


@pytest.fixture
async def channel(tg: FakeTelegram, sessions, clock) -> AsyncIterator[tuple[TelegramChannel, Harness]]:  # noqa: ANN001
    harness = Harness(sessions, clock, channel="telegram")
    await harness.import_sample()
    async with polling(tg, harness, per_chat_interval=0) as telegram:
        yield telegram, harness


async def test_a_press_refused_by_a_full_lane_is_answered(
    tg: FakeTelegram, channel: tuple[TelegramChannel, Harness]
) -> None:
    telegram, harness = channel
    asked = await asked_backward_move(tg, harness)
    rows = await status_rows(harness, "1")
    telegram.lanes.max_waiting = 0  # the chat has too much waiting: nothing more is queued
    mark = len(tg.sent)
    pressed = [tg.press_button(42, asked.message_id, tap) for tap in buttons(asked).values()]
    await tg.wait_until(lambda: len(tg.answered_callbacks) == len(pressed), what="every press answered")
    assert {a["callback_query_id"] for a in tg.answered_callbacks} == set(pressed)
    assert {a["text"] for a in tg.answered_callbacks} == {refused_text()}
    assert len(refused_text()) <= 200 and await status_rows(harness, "1") == rows  # nothing done
    assert tg.message(42, asked.message_id).get("reply_markup")  # the question still stands
    assert all("Đã ghi nhận" not in (m.text or "") for m in tg.sent[mark:])
