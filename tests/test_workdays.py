"""Working days: weekends, Vietnamese public holidays (Tết), official swaps and the
organisation's own days off and compensating working days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.workdays import WorkCalendar, public_holidays

D = date
CAL = WorkCalendar()


def test_tet_2026_is_off():
    # Tết Bính Ngọ: 17/2/2026. The holidays package gives 16–20 Feb (Mon–Fri), so with
    # the weekends around it the office is closed from Sat 14 to Sun 22 Feb.
    assert D(2026, 2, 17) in public_holidays(2026)
    assert {D(2026, 2, 16) + timedelta(days=i) for i in range(5)} <= public_holidays(2026)
    assert CAL.is_working_day(D(2026, 2, 13))  # Friday before
    for i in range(9):
        assert not CAL.is_working_day(D(2026, 2, 14) + timedelta(days=i))
    assert CAL.is_working_day(D(2026, 2, 23))  # Monday after


@pytest.mark.parametrize(
    "day",
    [
        D(2026, 1, 1),  # New Year
        D(2026, 4, 27),  # Giỗ Tổ Hùng Vương (26/4 is a Sunday, observed on Monday)
        D(2026, 4, 30),  # 30/4
        D(2026, 5, 1),  # 1/5
        D(2026, 8, 31),  # bridge day off, worked on Saturday 22/8
        D(2026, 9, 1),
        D(2026, 9, 2),  # 2/9
        D(2025, 9, 2),
        D(2027, 9, 2),
    ],
)
def test_public_holidays_are_off(day):
    assert not CAL.is_working_day(day)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 3, 14), False),  # Saturday
        (D(2026, 3, 15), False),  # Sunday
        (D(2026, 3, 16), True),  # Monday
        (D(2026, 3, 20), True),  # Friday
        (D(2026, 8, 22), True),  # Saturday worked to make 31/8 a day off (official swap)
        (D(2025, 4, 26), True),  # Saturday worked for 2/5/2025
    ],
)
def test_weekends_and_official_swaps(day, working):
    assert CAL.is_working_day(day) is working


def test_config_overrides():
    saturday, friday = D(2026, 3, 14), D(2026, 3, 13)
    cal = WorkCalendar(frozenset({friday}), frozenset({saturday}))
    assert cal.is_working_day(saturday)  # a compensating working Saturday
    assert not cal.is_working_day(friday)
    # The organisation can also open on a public holiday, or close on a swap Saturday.
    cal = WorkCalendar(
        extra_days_off=frozenset({D(2026, 8, 22)}), extra_working_days=frozenset({D(2026, 5, 1)})
    )
    assert cal.is_working_day(D(2026, 5, 1))
    assert not cal.is_working_day(D(2026, 8, 22))
    # A date in both lists is a day off.
    both = WorkCalendar(frozenset({saturday}), frozenset({saturday}))
    assert not both.is_working_day(saturday)


def test_from_dates_reads_iso_strings():
    cal = WorkCalendar.from_dates(["2026-03-13"], [D(2026, 3, 14)])
    assert cal.extra_days_off == frozenset({D(2026, 3, 13)})
    assert cal.extra_working_days == frozenset({D(2026, 3, 14)})


def test_previous_and_next_working_day():
    assert CAL.previous_working_day(D(2026, 3, 16)) == D(2026, 3, 16)  # itself if working
    assert CAL.next_working_day(D(2026, 3, 16)) == D(2026, 3, 16)
    assert CAL.previous_working_day(D(2026, 2, 17)) == D(2026, 2, 13)  # Tết
    assert CAL.next_working_day(D(2026, 2, 17)) == D(2026, 2, 23)
    assert CAL.previous_working_day(D(2026, 5, 3)) == D(2026, 4, 29)  # Sun → before 30/4
    assert CAL.next_working_day(D(2026, 8, 29)) == D(2026, 9, 3)  # Sat → after 31/8–2/9
    assert CAL.previous_working_day(D(2026, 8, 23)) == D(2026, 8, 22)  # the swap Saturday


@pytest.mark.parametrize(
    ("due", "end"),
    [
        (D(2026, 3, 16), D(2026, 3, 16)),  # a working day: itself
        (D(2026, 3, 14), D(2026, 3, 16)),  # Saturday → Monday
        (D(2026, 3, 15), D(2026, 3, 16)),  # Sunday → Monday
        (D(2026, 2, 14), D(2026, 2, 23)),  # Tết 14–22/2 → the first working day after it
        (D(2026, 2, 17), D(2026, 2, 23)),
        (D(2026, 4, 30), D(2026, 5, 4)),  # 30/4, 1/5 and the weekend
        (D(2026, 8, 22), D(2026, 8, 22)),  # the swap Saturday is a working day
        (D(2026, 8, 31), D(2026, 9, 3)),  # the bridge day and National Day
        (D(2026, 12, 31), D(2026, 12, 31)),
        (D(2027, 1, 1), D(2027, 1, 4)),  # New Year (Friday) → Monday
    ],
)
def test_a_deadline_on_a_day_off_ends_on_the_next_working_day(due, end):
    # Bộ luật Dân sự 2015, article 148: the time limit ends with the next working day.
    assert CAL.deadline_end(due) == end


def test_deadline_end_follows_the_organisations_days():
    own = WorkCalendar.from_dates(days_off=["2026-03-16"], working_days=["2026-03-14"])
    assert own.deadline_end(D(2026, 3, 14)) == D(2026, 3, 14)  # a worked Saturday
    assert own.deadline_end(D(2026, 3, 15)) == D(2026, 3, 17)  # Monday off too


@given(st.dates(D(2025, 1, 1), D(2028, 12, 31)))
@settings(max_examples=200, deadline=None)
def test_deadline_end_is_the_first_working_day_not_before(due):
    end = CAL.deadline_end(due)
    assert end >= due and CAL.is_working_day(end)
    assert all(not CAL.is_working_day(due + timedelta(days=i)) for i in range((end - due).days))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 1, 14), -7, D(2026, 1, 5)),
        (D(2026, 1, 6), -3, D(2025, 12, 31)),  # 1/1/2026 skipped
        (D(2026, 2, 13), 1, D(2026, 2, 23)),  # over Tết
        (D(2026, 2, 23), -1, D(2026, 2, 13)),
        (D(2026, 2, 20), 1, D(2026, 2, 23)),  # from a day off
        (D(2026, 2, 20), -1, D(2026, 2, 13)),
        (D(2026, 3, 13), 0, D(2026, 3, 13)),
        (D(2026, 3, 14), 0, D(2026, 3, 14)),  # 0 steps: the day itself, even a Saturday
        (D(2026, 3, 13), 5, D(2026, 3, 20)),
        (D(2026, 8, 21), 1, D(2026, 8, 22)),  # the swap Saturday counts
        (D(2026, 8, 28), 1, D(2026, 9, 3)),
    ],
)
def test_add_working_days(start, n, expected):
    assert CAL.add_working_days(start, n) == expected


def test_working_days_between():
    assert CAL.working_days_between(D(2026, 2, 13), D(2026, 2, 23)) == 1
    assert CAL.working_days_between(D(2026, 2, 23), D(2026, 2, 13)) == -1
    assert CAL.working_days_between(D(2026, 3, 13), D(2026, 3, 13)) == 0
    assert CAL.working_days_between(D(2026, 3, 13), D(2026, 3, 20)) == 5
    assert CAL.working_days_between(D(2026, 3, 14), D(2026, 3, 15)) == 0


def test_working_days_in_2026():
    # 261 weekdays, minus the 12 weekday holidays listed by the package, plus 22/8.
    first, last = D(2025, 12, 31), D(2026, 12, 31)
    weekday_holidays = [d for d in public_holidays(2026) if d.weekday() < 5]
    assert CAL.working_days_between(first, last) == 261 - len(weekday_holidays) + 1


def test_a_calendar_without_working_days_fails_loudly():
    everything = frozenset(D(2026, 1, 1) + timedelta(days=i) for i in range(-1200, 1200))
    with pytest.raises(ValueError):
        WorkCalendar(extra_days_off=everything).next_working_day(D(2026, 1, 1))


@settings(max_examples=200, deadline=None)
@given(st.dates(D(2024, 1, 1), D(2028, 12, 31)), st.integers(-40, 40))
def test_add_and_count_agree(day, n):
    result = CAL.add_working_days(day, n)
    assert CAL.working_days_between(day, result) == n
    if n:
        assert CAL.is_working_day(result)
        assert (result > day) == (n > 0)


@settings(max_examples=200, deadline=None)
@given(st.dates(D(2024, 1, 1), D(2028, 12, 31)))
def test_previous_next_are_working_and_nearest(day):
    before, after = CAL.previous_working_day(day), CAL.next_working_day(day)
    assert CAL.is_working_day(before) and CAL.is_working_day(after)
    assert before <= day <= after
    assert all(
        not CAL.is_working_day(before + timedelta(days=i))
        for i in range(1, (day - before).days + 1)
    )
    assert all(not CAL.is_working_day(day + timedelta(days=i)) for i in range((after - day).days))


def test_the_kept_table_is_the_packages_own() -> None:
    """``scheduler/holiday_table.py`` says what the installed ``holidays`` says for every
    year it keeps; after upgrading the package: scripts/make_holiday_table.py."""
    from scheduler.holiday_table import FIRST, LAST, TABLE
    from scripts.make_holiday_table import official

    for year in range(FIRST, LAST + 1):
        days_off, worked = official(year)
        assert TABLE[year] == (tuple(days_off), tuple(worked)), (
            f"{year}: run .venv/bin/python scripts/make_holiday_table.py"
        )


def test_a_year_past_the_table_asks_the_package() -> None:
    from scheduler.holiday_table import LAST

    year = LAST + 1
    assert date(year, 1, 1) in public_holidays(year)
    assert date(year, 9, 2) in public_holidays(year)
