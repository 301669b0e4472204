"""The reminder policy, with the real Vietnamese calendar of 2026."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from language.deadlines import parse_deadline
from scheduler.reminder_policy import (
    LATE_LIMIT_DAYS,
    STATUSES,
    PlannedReminder,
    ReminderSettings,
    TaskTiming,
    effective_send_time,
    plan_reminders,
    report_dates,
)
from scheduler.workdays import WorkCalendar

D = date
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 1, 2, 9, 0, tzinfo=TZ)
CAL = WorkCalendar()
DEFAULTS = ReminderSettings()


def plan(text, status="in_progress", now=NOW, s=DEFAULTS, cal=CAL, **kw):
    task = TaskTiming(7, parse_deadline(text, 2026, now.date()), status, 2026)
    return plan_reminders(task, now, settings=s, calendar=cal, **kw)


def days(reminders, kind=None, leaders=False):
    return [
        (r.occurrence, r.send_at.date())
        for r in reminders
        if (kind is None or r.kind == kind) and r.to_leaders == leaders
    ]


def test_report_dates():
    assert report_dates(2026, DEFAULTS) == [
        D(2026, 3, 10),
        D(2026, 6, 10),
        D(2026, 9, 10),
        D(2026, 12, 10),
    ]
    late = ReminderSettings(quarterly_report_day=31, yearly_report=(1, 15))
    assert report_dates(2026, late) == [
        D(2026, 1, 15),
        D(2026, 3, 31),
        D(2026, 6, 30),
        D(2026, 9, 30),
    ]


def test_due_task_before_on_and_after():
    r = plan("Trước ngày 15/01/2026")  # due Wednesday 14/1/2026
    assert days(r, "before_due") == [
        ("2026-01-14:-7", D(2026, 1, 5)),
        ("2026-01-14:-3", D(2026, 1, 9)),
        ("2026-01-14:-1", D(2026, 1, 13)),
    ]
    assert days(r, "due_day") == [("2026-01-14:0", D(2026, 1, 14))]
    overdue = days(r, "overdue")
    assert overdue[:7] == [
        ("overdue:2026-01-14:+1", D(2026, 1, 15)),
        ("overdue:2026-01-14:+3", D(2026, 1, 19)),
        ("overdue:2026-01-14:+7", D(2026, 1, 23)),
        ("overdue:2026-01-14:+12", D(2026, 1, 30)),  # then every 5 working days
        ("overdue:2026-01-14:+17", D(2026, 2, 6)),
        ("overdue:2026-01-14:+22", D(2026, 2, 13)),
        ("overdue:2026-01-14:+27", D(2026, 2, 27)),  # Tết week 16–20/2 not counted
    ]
    assert days(r, "report") == []  # a due task has its own reminders
    assert all(x.send_at.timetz() == time(8, 0, tzinfo=TZ) for x in r)


def test_escalation_to_leaders_from_three_working_days():
    r = plan("Trước ngày 15/01/2026")
    leaders = days(r, "overdue", leaders=True)
    assert leaders[:2] == [
        ("overdue:2026-01-14:+3:leaders", D(2026, 1, 19)),
        ("overdue:2026-01-14:+7:leaders", D(2026, 1, 23)),
    ]
    assert len(leaders) == len(days(r, "overdue")) - 1  # all but +1
    assert all(x.kind == "overdue" for x in r if x.to_leaders)
    never = plan("Trước ngày 15/01/2026", s=ReminderSettings(escalate_after=0))
    assert not any(x.to_leaders for x in never)


def test_task_due_the_day_after_tet():
    r = plan("Trước ngày 24/02/2026")  # due Monday 23/2, the first working day after Tết
    assert days(r, "before_due") == [
        ("2026-02-23:-7", D(2026, 2, 5)),
        ("2026-02-23:-3", D(2026, 2, 11)),
        ("2026-02-23:-1", D(2026, 2, 13)),  # the Friday before Tết
    ]
    assert days(r, "due_day") == [("2026-02-23:0", D(2026, 2, 23))]


def test_due_on_a_day_off_moves_to_the_working_day_before():
    r = plan("Ngày 15/03/2026")  # a Sunday
    assert days(r, "due_day") == [("2026-03-15:0", D(2026, 3, 13))]
    # "1 working day before" is that Friday too: only the due-day reminder is kept.
    assert days(r, "before_due") == [
        ("2026-03-15:-7", D(2026, 3, 5)),
        ("2026-03-15:-3", D(2026, 3, 11)),
    ]
    # The deadline itself runs to the end of Monday 16/3 (Bộ luật Dân sự 2015, art. 148):
    # overdue from Tuesday, the first reminder says so that day.
    assert days(r, "overdue")[:2] == [
        ("overdue:2026-03-15:+1", D(2026, 3, 17)),
        ("overdue:2026-03-15:+3", D(2026, 3, 19)),
    ]
    tet = plan("Ngày 17/02/2026")  # Tết itself
    assert days(tet, "due_day") == [("2026-02-17:0", D(2026, 2, 13))]
    # Tết runs 14–22/2: the deadline ends on Monday 23/2, overdue from Tuesday 24/2.
    assert days(tet, "overdue")[0] == ("overdue:2026-02-17:+1", D(2026, 2, 24))
    assert days(tet, "overdue", leaders=True)[0] == ("overdue:2026-02-17:+3:leaders", D(2026, 2, 26))


def test_overdue_counts_from_a_days_off_of_the_organization():
    r = plan("Ngày 31/03/2026", cal=WorkCalendar.from_dates(days_off=["2026-03-31"]))
    assert days(r, "overdue")[0] == ("overdue:2026-03-31:+1", D(2026, 4, 2))
    assert days(plan("Ngày 31/03/2026"), "overdue")[0] == ("overdue:2026-03-31:+1", D(2026, 4, 1))


def test_period_task_is_reminded_before_its_end_and_for_reports():
    r = plan("Quý III/2026")  # 1/7–30/9/2026
    assert days(r, "before_due") == [
        ("2026-09-30:-7", D(2026, 9, 21)),
        ("2026-09-30:-3", D(2026, 9, 25)),
        ("2026-09-30:-1", D(2026, 9, 29)),
    ]
    assert days(r, "due_day") == [("2026-09-30:0", D(2026, 9, 30))]
    # Only the report dates from its start on: 10/9 and 10/12.
    assert days(r, "report") == [
        ("report:2026-09-10:-5", D(2026, 9, 3)),
        ("report:2026-09-10:-2", D(2026, 9, 8)),
        ("report:2026-12-10:-5", D(2026, 12, 3)),
        ("report:2026-12-10:-2", D(2026, 12, 8)),
    ]


YEAR_OF_REPORTS = [
    ("report:2026-03-10:-5", D(2026, 3, 3)),
    ("report:2026-03-10:-2", D(2026, 3, 6)),
    ("report:2026-06-10:-5", D(2026, 6, 3)),
    ("report:2026-06-10:-2", D(2026, 6, 8)),
    ("report:2026-09-10:-5", D(2026, 9, 3)),
    ("report:2026-09-10:-2", D(2026, 9, 8)),
    ("report:2026-12-10:-5", D(2026, 12, 3)),
    ("report:2026-12-10:-2", D(2026, 12, 8)),
]


@pytest.mark.parametrize("text", ["Thường xuyên", "Theo yêu cầu của Sở Nội vụ", "Sớm", ""])
def test_continuous_on_request_and_unknown_get_only_report_reminders(text):
    r = plan(text)
    assert days(r) == YEAR_OF_REPORTS
    assert {x.kind for x in r} == {"report"}


def test_yearly_recurring_task():
    r = plan("Tháng 10 hàng năm")  # due Saturday 31/10/2026
    assert days(r, "due_day") == [("2026-10-31:0", D(2026, 10, 30))]
    assert days(r, "before_due") == [
        ("2026-10-31:-7", D(2026, 10, 22)),
        ("2026-10-31:-3", D(2026, 10, 28)),
    ]
    # met until the end of Monday 2/11 (the next working day): overdue from Tuesday
    assert days(r, "overdue")[0] == ("overdue:2026-10-31:+1", D(2026, 11, 3))
    assert days(r, "report") == YEAR_OF_REPORTS[-2:]  # it starts in October


def test_monthly_recurring_task_every_occurrence():
    r = plan("Trước ngày 20 hằng tháng")
    due_days = days(r, "due_day")
    assert len(due_days) == 12
    assert due_days[0] == ("2026-01-19:0", D(2026, 1, 19))
    assert due_days[1] == ("2026-02-19:0", D(2026, 2, 13))  # 19/2 is in Tết
    # January's overdue reminders stop when February's occurrence starts.
    january = [d for occ, d in days(r, "overdue") if occ.startswith("overdue:2026-01-19")]
    assert january == [D(2026, 1, 20), D(2026, 1, 22), D(2026, 1, 28)]
    assert len(days(r, "report")) == 8


def test_quarterly_report_task():
    r = plan("Trước ngày 10 tháng cuối quý")
    assert days(r, "due_day") == [
        ("2026-03-09:0", D(2026, 3, 9)),
        ("2026-06-09:0", D(2026, 6, 9)),
        ("2026-09-09:0", D(2026, 9, 9)),
        ("2026-12-09:0", D(2026, 12, 9)),
    ]


@pytest.mark.parametrize("status", ["done", "not_applicable"])
def test_finished_tasks_get_none(status):
    for text in ("Trước ngày 15/01/2026", "Thường xuyên", "Quý III/2026", "Sớm"):
        assert plan(text, status=status) == []


@pytest.mark.parametrize("status", ["not_started", "in_progress", "extension", "unknown"])
def test_open_statuses_are_reminded(status):
    assert plan("Trước ngày 15/01/2026", status=status) == plan("Trước ngày 15/01/2026")


def test_overdue_reminders_are_bounded():
    everything = plan("Trước ngày 15/01/2026")
    assert max(x.send_at.date() for x in everything) <= D(2026, 12, 31) + timedelta(
        days=LATE_LIMIT_DAYS
    )
    soon = plan("Trước ngày 15/01/2026", horizon_days=30)
    assert max(x.send_at.date() for x in soon) <= D(2026, 2, 1)
    none = plan("Trước ngày 15/01/2026", s=ReminderSettings(overdue_weekly=False))
    assert [occ for occ, _ in days(none, "overdue")] == [
        "overdue:2026-01-14:+1",
        "overdue:2026-01-14:+3",
        "overdue:2026-01-14:+7",
    ]


def test_all_reminders_are_returned_whatever_now_is():
    late = datetime(2026, 6, 1, 12, 0, tzinfo=TZ)
    early = plan("Quý III/2026")
    later = plan("Quý III/2026", now=late)
    # Past reminders are still returned (the dispatcher filters by time); a later ``now``
    # only lets the weekly overdue reminders run further.
    assert set(early) <= set(later)
    assert {x for x in later if x.send_at < late} == {x for x in early if x.send_at < late}
    naive = plan("Quý III/2026", now=datetime(2026, 1, 2, 9, 0))
    assert naive == early


def test_result_is_sorted_with_unique_keys_and_zone():
    r = plan("Trước ngày 20 hằng tháng")
    assert r == sorted(r, key=lambda x: x.send_at)
    assert len({x.key for x in r}) == len(r)
    assert r[0].key == (7, r[0].kind, r[0].occurrence)
    assert all(
        x.send_at.tzinfo is not None and x.send_at.utcoffset() == timedelta(hours=7) for x in r
    )
    other = plan("Thường xuyên", tz="Asia/Tokyo")
    assert other[0].send_at == datetime(2026, 3, 3, 8, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


@pytest.mark.parametrize(
    ("configured", "used"),
    [
        (time(8, 0), time(8, 0)),
        (time(6, 0), time(7, 30)),
        (time(20, 0), time(7, 30)),
        (time(18, 0), time(7, 30)),
        (time(17, 59), time(17, 59)),
        (time(7, 30), time(7, 30)),
    ],
)
def test_quiet_hours(configured, used):
    s = ReminderSettings(send_time=configured)
    assert effective_send_time(s) == used
    assert {x.send_at.time() for x in plan("Quý III/2026", s=s)} == {used}


def test_quiet_window_inside_a_day():
    s = ReminderSettings(send_time=time(12, 15), quiet_start=time(12, 0), quiet_end=time(13, 30))
    assert effective_send_time(s) == time(13, 30)


def test_compensating_working_saturday_from_config():
    saturday = D(2026, 1, 10)
    cal = WorkCalendar(extra_working_days=frozenset({saturday}))
    r = plan("Trước ngày 15/01/2026", cal=cal)
    assert days(r, "before_due")[1] == ("2026-01-14:-3", D(2026, 1, 10))


def test_settings_from_config():
    cfg = SimpleNamespace(
        send_time=time(9, 0),
        before_due=[5, 2],
        on_due_day=False,
        overdue_after=[2],
        overdue_weekly=False,
        escalate_after=2,
        report_days_before=[3],
        quarterly_report_day=15,
        yearly_report_month=11,
        yearly_report_day=30,
        quiet_start=time(17, 0),
        quiet_end=time(8, 0),
    )
    s = ReminderSettings.from_config(cfg)
    assert s.before_due == (5, 2) and s.yearly_report == (11, 30)
    r = plan("Trước ngày 15/01/2026", s=s)
    assert [(x.kind, x.occurrence, x.to_leaders) for x in r] == [
        ("before_due", "2026-01-14:-5", False),
        ("before_due", "2026-01-14:-2", False),
        ("overdue", "overdue:2026-01-14:+2", False),
        ("overdue", "overdue:2026-01-14:+2:leaders", True),
    ]
    assert {x.send_at.time() for x in r} == {time(9, 0)}


# ---------------------------------------------------------------- the whole seed plan

SEED_DEADLINES = [
    "Trước ngày 15/01/2026",
    "Cả năm 2026",
    "Theo yêu cầu của Sở Nội vụ",
    "Quý IV/2026",
    "Cả năm 2026",
    "Quý I/2026",
    "Theo chỉ đạo của cấp trên",
    "Tháng 10 hàng năm",
    "Cả năm 2026",
    "Theo chỉ đạo của cấp trên trong năm 2026",
    "Cả năm 2026",
    "Cả năm 2026",
    "Cả năm 2026",
    "Cả năm 2026",
    "Cả năm 2026",
    "Quý I năm 2026",
    "Quý I năm 2026",
    "Thường xuyên",
    "Thường xuyên",
    "Thường xuyên",
    "Thường xuyên",
    "Thường xuyên",
    "Thường xuyên",
    "Theo hướng dẫn của Trung ương và Kế hoạch số 310/KH-UBND ngày 24/11/2025 của UBND thành phố",
    "Tháng 1 năm 2026",
    "Thường xuyên",
    "Cả năm 2026",
    "Cả năm 2026",
    "Cả năm 2026",
    "Cả năm 2026",
    "Tháng 01/2026 đến tháng 5/2026",
    "Cả năm 2026",
    "Cả năm 2026",
    "Cả năm 2026",
    "Cả năm 2026",
    "Tháng 10/2026",
    "Tháng 7-9/2026",
    "Tháng 8-9/2026",
    "Cả năm 2026",
]
TET_2026 = {D(2026, 2, 14) + timedelta(days=i) for i in range(9)}  # Sat 14 – Sun 22 Feb


def test_a_year_of_the_seed_plan_avoids_tet_and_days_off():
    assert len(SEED_DEADLINES) == 39
    everything: list[PlannedReminder] = []
    for task_id, text in enumerate(SEED_DEADLINES, start=1):
        task = TaskTiming(task_id, parse_deadline(text, 2026, NOW.date()), "not_started", 2026)
        everything += plan_reminders(task, NOW, settings=DEFAULTS, calendar=CAL)
    assert len(everything) > 39 * 4
    sent_on = {x.send_at.astimezone(TZ).date() for x in everything}
    assert not sent_on & TET_2026
    assert all(CAL.is_working_day(d) for d in sent_on)
    assert len({x.key for x in everything}) == len(everything)
    assert all(time(7, 30) <= x.send_at.astimezone(TZ).time() < time(18, 0) for x in everything)


# ---------------------------------------------------------------- properties

PHRASES = sorted(set(SEED_DEADLINES)) + [
    "Trước ngày 20 hằng tháng",
    "Trước ngày 10 tháng cuối quý",
    "Hằng tháng",
    "Định kỳ hằng quý",
    "Ngày 31 hằng tháng",
    "6 tháng cuối năm",
    "Sớm",
    "Liên tục",
]


@settings(max_examples=150, deadline=None)
@given(
    text=st.one_of(
        st.sampled_from(PHRASES),
        st.dates(D(2025, 10, 1), D(2027, 3, 31)).map(lambda d: f"Ngày {d:%d/%m/%Y}"),
        st.dates(D(2025, 10, 1), D(2027, 3, 31)).map(lambda d: f"Trước ngày {d:%d/%m/%Y}"),
    ),
    status=st.sampled_from(STATUSES),
    at=st.times(),
    now=st.datetimes(datetime(2025, 6, 1), datetime(2027, 6, 1)),
    extra_off=st.frozensets(st.dates(D(2026, 1, 1), D(2026, 12, 31)), max_size=10),
    extra_on=st.frozensets(st.dates(D(2026, 1, 1), D(2026, 12, 31)), max_size=5),
)
def test_every_send_is_on_a_working_day_outside_quiet_hours(
    text, status, at, now, extra_off, extra_on
):
    cal = WorkCalendar(extra_off, extra_on)
    task = TaskTiming(1, parse_deadline(text, 2026, now.date()), status, 2026)
    r = plan_reminders(task, now, settings=ReminderSettings(send_time=at), calendar=cal)
    for x in r:
        local = x.send_at.astimezone(TZ)
        assert cal.is_working_day(local.date())
        assert time(7, 30) <= local.time() < time(18, 0)
    assert r == sorted(r, key=lambda x: x.send_at)
    assert len({x.key for x in r}) == len(r)
    if status in ("done", "not_applicable"):
        assert r == []


def test_notices_wait_for_working_hours() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from scheduler.reminder_policy import ReminderSettings, next_send_moment
    from scheduler.workdays import WorkCalendar

    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    cal, s = WorkCalendar(), ReminderSettings()

    def at(*args: int) -> datetime:
        return datetime(*args, tzinfo=tz)

    assert next_send_moment(at(2026, 1, 12, 10, 0), s, cal, "Asia/Ho_Chi_Minh") == at(2026, 1, 12, 10, 0)
    assert next_send_moment(at(2026, 1, 12, 6, 0), s, cal, "Asia/Ho_Chi_Minh") == at(2026, 1, 12, 7, 30)
    assert next_send_moment(at(2026, 1, 12, 21, 0), s, cal, "Asia/Ho_Chi_Minh") == at(2026, 1, 13, 7, 30)
    assert next_send_moment(at(2026, 1, 16, 19, 0), s, cal, "Asia/Ho_Chi_Minh") == at(2026, 1, 19, 7, 30)  # Friday night
    assert next_send_moment(at(2026, 2, 13, 20, 0), s, cal, "Asia/Ho_Chi_Minh") == at(2026, 2, 23, 7, 30)  # into Tết
