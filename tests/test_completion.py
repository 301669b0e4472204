"""On time or late is judged by when the work was done, not when it was typed: the
completion-date rule (pure), then through /capnhat and the Biểu mẫu 1 categories."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from models.completion import completed_on, completion_in_future
from models.plan_store import find_organization
from models.progress import tally
from models.progress_queries import task_facts
from scheduler.workdays import WorkCalendar
from tests.conftest import TZ
from tests.harness import ORG, Harness, sample_harness, text_of

D = date
NOV_3 = D(2026, 11, 3)


@pytest.mark.parametrize(
    ("text", "evidence", "expected"),
    [
        ("Hoàn thành, QĐ số 5/QĐ-UBND ngày 20/01/2026", ["QĐ số 5/QĐ-UBND ngày 20/01/2026"], D(2026, 1, 20)),
        ("xong từ ngày 15/1", [], D(2026, 1, 15)),
        ("Đã hoàn thành ngày 15/01/2026", [], D(2026, 1, 15)),
        ("Hoàn thành", ["Kế hoạch số 3 ngày 02/02/2026", "Báo cáo số 9 ngày 10/03/2026"], D(2026, 3, 10)),
        ("Hoàn thành", [], NOV_3),  # nothing said: the day it was recorded
        ("xong ngày 20/12", [], NOV_3),  # a day after the recording is not believed
        ("Hoàn thành", ["QĐ số 1 ngày 05/01/2020"], NOV_3),  # too old to be the work
        ("xong 31/2", [], NOV_3),  # no such day
    ],
)  # fmt: skip
def test_completion_date(text: str, evidence: list[str], expected: date) -> None:
    assert completed_on(text, evidence, NOV_3) == expected


def test_completion_in_future() -> None:
    assert completion_in_future("xong ngày 20/12", NOV_3)
    assert completion_in_future("hoàn thành 05/11/2026", NOV_3)
    assert not completion_in_future("xong từ ngày 15/1", NOV_3)
    assert not completion_in_future("Hoàn thành", NOV_3)


@pytest.fixture
async def bot(sessions, clock) -> Harness:  # noqa: ANN001
    return await sample_harness(sessions, clock, "telegram", ("trinh", "leader"))


async def categories(bot: Harness, day: date) -> dict[str, int]:
    async with bot.sessions() as session:
        org = await find_organization(session, ORG)
        return tally(await task_facts(session, org, as_of=day), day, deadline_end=WorkCalendar().deadline_end).overall.counts


async def test_late_typing_of_work_done_on_time(bot: Harness) -> None:
    # Task 1 is due "Trước ngày 15/01/2026"; task 6 "Quý I/2026". Both reported in November.
    bot.clock.move_to(datetime(2026, 11, 3, 9, tzinfo=TZ))
    for text in (
        "/capnhat 1 Hoàn thành, Quyết định số 5/QĐ-UBND ngày 10/01/2026 của UBND xã",
        "/capnhat 6 Hoàn thành, xong từ ngày 15/3",
    ):
        assert "Đã ghi nhận" in text_of(await bot.say("trinh", text))
    counts = await categories(bot, D(2026, 11, 3))
    assert (counts["done_on_time"], counts["done_late"]) == (2, 0)
    # Without a date, the day it was typed decides: late.
    assert "Đã ghi nhận" in text_of(await bot.say("trinh", "/capnhat 16 Hoàn thành"))
    counts = await categories(bot, D(2026, 11, 3))
    assert counts["done_late"] == 1


async def test_a_completion_day_after_today_is_refused(bot: Harness) -> None:
    bot.clock.move_to(datetime(2026, 11, 3, 9, tzinfo=TZ))
    reply = text_of(await bot.say("trinh", "/capnhat 1 Hoàn thành, xong ngày 20/12/2026"))
    assert "sau hôm nay" in reply and "ghi chú" in reply, reply
    counts = await categories(bot, D(2026, 11, 3))
    assert counts["done_on_time"] + counts["done_late"] == 0  # kept as a note only


async def test_history_shows_both_days(bot: Harness) -> None:
    bot.clock.move_to(datetime(2026, 11, 3, 9, tzinfo=TZ))
    await bot.say("trinh", "/capnhat 1 Hoàn thành, Quyết định số 5/QĐ-UBND ngày 10/01/2026")
    card = text_of(await bot.say("trinh", "/viec 1"))
    assert "03/11/2026 09:00" in card and "(hoàn thành ngày 10/01/2026)" in card, card
