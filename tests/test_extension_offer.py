"""A date read right but written without a year, and far away (issue 26): "/giahan 38
15/11 chờ giảng viên" in January is offered with one tap (a number on Zalo), not refused
with a request to type it again."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from language.extension_dates import check_extension, year_offer
from models.plans import StatusUpdate
from tests.harness import Harness, task_row

JAN = date(2026, 1, 12)
DUE = date(2026, 9, 30)


def test_the_date_is_offered_when_only_its_year_is_missing() -> None:
    until, problem = check_extension(DUE, "not_started", date(2026, 11, 15), "15/11", JAN)
    assert until is None and problem is not None and "ghi rõ cả năm" in problem
    assert year_offer(DUE, "not_started", date(2026, 11, 15), "15/11", JAN) == date(2026, 11, 15)
    confirmed = check_extension(DUE, "not_started", date(2026, 11, 15), "15/11", JAN, confirmed=True)
    assert confirmed == (date(2026, 11, 15), None)


@pytest.mark.parametrize(
    ("text", "until"),
    [
        ("15/11/2026", date(2026, 11, 15)),  # the year written: no question
        ("15/12", date(2026, 12, 15)),  # beyond the longest extension (2 months): refused
        ("2/1", date(2027, 1, 2)),  # more than 6 months after the deadline: refused, not offered
        ("10/9", date(2026, 9, 10)),  # not after the deadline: refused, not offered
    ],
)
def test_no_offer_for_what_would_be_refused_anyway(text: str, until: date) -> None:
    offered = year_offer(DUE, "not_started", until, text, JAN, max_months=2)
    assert offered is None


async def _requests(bot: Harness, task_id: int) -> list[StatusUpdate]:
    async with bot.sessions() as session:
        rows = await session.scalars(
            select(StatusUpdate).where(
                StatusUpdate.task_id == task_id, StatusUpdate.kind == "extension_request"
            )
        )
        return list(rows)


@pytest.mark.parametrize("channel", ["telegram", "zalo"])
async def test_giahan_far_date_without_year_is_one_tap(sessions, clock, channel: str) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel=channel)
    await bot.import_sample()
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")  # today is 05/01/2026
    task = await task_row(bot, "38")
    assert task.deadline_due == DUE
    asked = await bot.say("lan", "/giahan 38 15/11 chờ giảng viên")
    assert "15/11/2026" in asked[0].text
    assert "ghi rõ cả năm" not in asked[0].text
    assert await _requests(bot, task.id) == []  # nothing sent before the tap
    if channel == "telegram":
        yes = next(b for row in asked[0].buttons for b in row if b.data.startswith("qy:"))
        await bot.say("lan", callback=yes.data, reply_to=bot.last["lan"][0][0])
    else:
        assert "1" in asked[0].text
        await bot.say("lan", "1")
    requests = await _requests(bot, task.id)
    assert [r.until for r in requests] == [date(2026, 11, 15)]
    assert requests[0].reason == "chờ giảng viên"
