"""The date an extension asks for, in an officer's words ("đến 20/12", "thêm 10 ngày làm
việc", "quý III", "cuối năm", "thứ sáu tuần sau", "end of month", "2 weeks").

Read by our own grammar on the folded reply (see ``status_words.fold``); only what it
does not know goes to dateparser ("ngày mai", "next friday"), in Vietnamese or English.
A date without a year that has passed means next year; working days skip weekends and
Vietnamese holidays; more than 400 working days is no request and is not read.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

import dateparser
import holidays

from handlers.status_words import PUNCT, span

_DATE_WORDS = re.compile(r"\b(\d{1,2})\sthang\s(\d{1,2})(?:\s(?:nam\s)?(\d{4}))?")
_PERIOD = re.compile(
    r"\b(?:thang\s(?P<m>\d{1,2})(?:\s?-\s?(?P<m2>\d{1,2}))?|quy\s(?P<q>iv|i{1,3}|[1-4])\b)"
    r"(?:(?:\s?/\s?|\snam\s)(?P<y>\d{4}))?"
)
_PERIOD_NOW = re.compile(
    r"\b(?:(?:cuoi|het)\s(thang|quy|nam)|end of (?:the |this )?(month|quarter|year))\b"
)
_DMY = re.compile(r"(?<![\d/])(\d{1,2})\s?[/.-]\s?(\d{1,2})(?:\s?[/.-]\s?(\d{4}|\d{2}))?(?![\d/])")
_DELTA = re.compile(
    r"\b(?<!thu )(\d{1,4})\s(?:more\s)?(?:(working|business)\s)?(ngay|tuan|thang|day|week|month)s?"
    r"(\slam viec)?(?:\snua)?\b"
)
_WEEKDAY = re.compile(
    r"\b(?:thu\s?(hai|ba|tu|nam|sau|bay|[2-7])|t([2-7])|(chu nhat|cn))\b(\s(?:tuan\s)?(?:sau|toi))?"
)
_WEEKDAYS = {"hai": 0, "ba": 1, "tu": 2, "nam": 3, "sau": 4, "bay": 5}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_LEAD_WORDS = re.compile(
    r"^(?:(?:đến|tới|den|toi|sang|hết|het|to|until|till|by|through|on)\s+)+", re.IGNORECASE
)
_MAX_WORKING_DAYS = 400  # "thêm 9999 ngày làm việc" is no request: unread, not 40 years


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _not_past(make, year: int | None, today: date) -> date:
    """make(year); without a year given, a date already past means next year."""
    if year is not None:
        return make(year if year > 99 else 2000 + year)
    found = make(today.year)
    return found if found >= today else make(today.year + 1)


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _add_working_days(day: date, count: int) -> date:
    off = holidays.Vietnam(years=range(day.year, day.year + 2 + count // 200))
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in off:
            count -= 1
    return day


def until_asked(
    text: str, n: str, pos: list[int], start: int, stop: int, today: date
) -> tuple[date | None, int]:
    """(the date asked for in folded[start:stop], after "gia hạn"; where its words end)."""
    rest = n[start:stop]
    year = lambda g: int(g) if g else None  # noqa: E731
    try:
        if m := _DATE_WORDS.search(rest):
            found = _not_past(lambda y: date(y, int(m[2]), int(m[1])), year(m[3]), today)
        elif m := _PERIOD.search(rest):
            mo = int(m["m2"] or m["m"]) if m["m"] else 3 * (_ROMAN.get(m["q"]) or int(m["q"]))
            found = _not_past(lambda y: _month_end(y, mo), year(m["y"]), today)
        elif m := _PERIOD_NOW.search(rest):
            word = {"month": "thang", "quarter": "quy", "year": "nam"}.get(m[2], m[1])
            mo = {"thang": today.month, "quy": (today.month + 2) // 3 * 3, "nam": 12}[word]
            found = _month_end(today.year, mo)
        elif m := _DMY.search(rest):
            found = _not_past(lambda y: date(y, int(m[2]), int(m[1])), year(m[3]), today)
        elif m := _DELTA.search(rest):
            k, unit = int(m[1]), m[3]
            if m[2] or m[4]:
                if k > _MAX_WORKING_DAYS:
                    return None, stop
                found = _add_working_days(today, k)
            elif unit in ("thang", "month"):
                found = _add_months(today, k)
            else:
                found = today + timedelta(days=k * (7 if unit in ("tuan", "week") else 1))
        elif m := _WEEKDAY.search(rest):
            word = m[1] or m[2] or ""
            wd = 6 if m[3] else _WEEKDAYS[word] if word in _WEEKDAYS else int(word) - 2
            ahead = 7 - today.weekday() + wd if m[4] else (wd - today.weekday() - 1) % 7 + 1
            found = today + timedelta(days=ahead)
        else:
            phrase = _LEAD_WORDS.sub("", span(text, pos, start, stop).strip(PUNCT))
            if not phrase or len(phrase) > 40:
                return None, stop
            base = datetime.combine(today, datetime.min.time())
            settings = {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": base}
            parsed = dateparser.parse(phrase, languages=["vi", "en"], settings=settings)
            return (parsed.date() if parsed else None), stop
        return found, start + m.end()
    except Exception:  # 31/2, year 10000, dateparser on odd input: unread, never a crash
        return None, stop
