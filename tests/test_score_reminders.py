"""Reminders before the self-assessment date of a score sheet, through the planner and
the dispatcher: the lead units with items not yet scored hear of them 5 and 1 working
days before 10/6, at 08:00, on working days only; a unit that scored everything is
reminded no more."""

from __future__ import annotations

from datetime import date, datetime, time

from scheduler.score_reminders import ScoreReminderSettings, send_days
from scheduler.workdays import WorkCalendar
from tests.score_sheet import import_empty_sheet
from tests.test_reminders import TZ, run_until, setup

NOTICE = "Nhắc tự chấm điểm"


def test_send_days_are_working_days_before_the_date() -> None:
    calendar = WorkCalendar()
    assert send_days(date(2026, 6, 10), ScoreReminderSettings(), calendar) == [date(2026, 6, 3), date(2026, 6, 9)]
    # 10/12/2026 is a Thursday; 5 working days before it skips the weekend.
    assert send_days(date(2026, 12, 10), ScoreReminderSettings(days_before=(5,)), calendar) == [date(2026, 12, 3)]
    # Configurable: a date on a Monday, one working day before is the Friday.
    assert send_days(date(2026, 6, 15), ScoreReminderSettings(days_before=(1,)), calendar) == [date(2026, 6, 12)]


async def test_units_are_reminded_before_the_self_assessment_date(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    clock.move_to(datetime(2026, 6, 1, 7, 0, tzinfo=TZ))
    await import_empty_sheet(bot)
    # u4 (Trung tâm Dịch vụ sự nghiệp công) leads one item, and scores it at once.
    assert "Đã ghi nhận mục 10" in "".join(r.text for r in await bot.say("u4", "/diem 10 9 Công sở sạch đẹp"))
    await run_until(service, clock, datetime(2026, 6, 11, 7, 0, tzinfo=TZ))
    got = [(chat, moment, o.text) for chat, moment, o in inbox.got if NOTICE in o.text]
    when = sorted({(m.astimezone(TZ).date(), m.astimezone(TZ).time()) for _c, m, _t in got})
    assert when == [(date(2026, 6, 3), time(8, 0)), (date(2026, 6, 9), time(8, 0))]
    heard = {chat for chat, _m, _t in got}
    assert heard == {"u0", "u1", "u2", "u3"}  # u4 scored everything; u5's unit leads none
    first = next(t for c, _m, t in got if c == "u3")
    assert "trước ngày 10/06/2026" in first and "• 1.1:" in first and "/diem 1.1 1" in first
    assert "• 7.1:" not in first  # another unit's item
    assert sum(1 for c, _m, _t in got if c == "u3") == 2  # once per day, never twice
