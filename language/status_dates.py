"""The date an extension asks for, in an officer's words ("đến 20/12", "thêm 10 ngày làm
việc", "quý III", "cuối năm", "thứ sáu tuần sau", "end of month", "2 weeks", "đến 15/1
năm sau", "hết tháng sau", "sang quý 1 năm 2027").

Read by our own grammar on the folded reply (see ``status_words.fold``); only what it
does not know goes to dateparser ("ngày mai", "next friday"), in Vietnamese or English;
dateparser and holidays are imported only when a reply needs them (issue 24: the
readers start light).
A date without a year that has passed means next year; working days skip weekends and
Vietnamese holidays; more than 400 working days is no request and is not read.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from language.status_words import PUNCT, span

_DATE_WORDS = re.compile(r"\b(\d{1,2})\sthang\s(\d{1,2})(?:\s(?:nam\s)?(\d{4}))?")
_PERIOD = re.compile(
    r"\b(?:thang\s(?P<m>\d{1,2})(?:\s?-\s?(?P<m2>\d{1,2}))?|quy\s(?P<q>iv|i{1,3}|[1-4])\b)"
    r"(?:(?:\s?/\s?|\snam\s)(?P<y>\d{4}))?"
)
_PERIOD_NOW = re.compile(
    r"\b(?:(?:cuoi|het)\s(thang|quy|nam)(?:\s(sau|toi|nay))?"
    r"|end of (?:the |this )?(month|quarter|year))\b"
)
# "tháng sau", "quý tới", "năm sau" alone: the end of the next month, quarter or year.
_NEXT_PERIOD = re.compile(r"\b(thang|quy|nam)\s(sau|toi)\b")
# A year in words after a day or a period without one: "15/1 năm sau", "tháng 2 năm tới".
_YEAR_WORDS = re.compile(r"\s?,?\s?(?:cua\s)?nam\s(sau|toi|nay)\b")
_DMY = re.compile(r"(?<![\d/])(\d{1,2})\s?[/.-]\s?(\d{1,2})(?:\s?[/.-]\s?(\d{4}|\d{2}))?(?![\d/])")
DELTA = re.compile(
    r"\b(?<!thu )(\d{1,4}|mot(?=\s(?:ngay|tuan|thang)\b)|one|an?(?=\s(?:more\s)?(?:day|week|month)))\s(?:more\s)?(?:(working|business)\s)?(ngay|tuan|thang|day|week|month)s?"
    r"(\slam viec)?(?:\snua)?\b"
)
_WEEKDAY = re.compile(
    r"\b(?:thu\s?(hai|ba|tu|nam|sau|bay|[2-7])|t([2-7])|(chu nhat|cn))\b(\s(?:tuan\s)?(?:sau|toi))?"
)
# "tuần sau", "cuối tuần này", "next week": the Friday of that working week.
_WEEK = re.compile(r"\b(?:cuoi\s)?tuan\s(sau|toi|nay)\b|\b(?:end of )?(this|next) week\b")
_COUNTS = {"mot": 1, "one": 1, "a": 1, "an": 1}
# Dates said relative to today ("cuối năm", "hết tháng sau", "thứ sáu tuần sau"): no year
# is missing from them.
RELATIVE = (_PERIOD_NOW, _NEXT_PERIOD, _WEEKDAY, _WEEK)
_WEEKDAYS = {"hai": 0, "ba": 1, "tu": 2, "nam": 3, "sau": 4, "bay": 5}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_LEAD_WORDS = re.compile(
    r"^(?:(?:đến|tới|den|toi|sang|hết|het|to|until|till|by|through|on)\s+)+", re.IGNORECASE
)
_MAX_WORKING_DAYS = 400  # "thêm 9999 ngày làm việc" is no request: unread, not 40 years


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _not_past(make, today: date) -> date:
    """make(year) for a date without a year: one already past means next year."""
    found = make(today.year)
    return found if found >= today else make(today.year + 1)


def _period_end(today: date, word: str, ahead: int) -> date:
    """The end of this (``ahead`` 0) or the next (1) month, quarter or year."""
    if word == "thang":
        return _month_end(*_ym(today, ahead))
    if word == "quy":
        year, month = _ym(today, 3 * ahead)
        return _month_end(year, (month + 2) // 3 * 3)
    return date(today.year + ahead, 12, 31)


def _ym(today: date, months: int) -> tuple[int, int]:
    year, month = divmod(today.year * 12 + today.month - 1 + months, 12)
    return year, month + 1


def delta_date(match: re.Match[str], base: date) -> date | None:
    """The day a length read by ``DELTA`` ("thêm 1 tháng", "10 ngày làm việc") ends, counted
    from ``base``; None for more working days than anyone asks for."""
    k, unit = _COUNTS.get(match[1]) or int(match[1]), match[3]
    if match[2] or match[4]:
        return None if k > _MAX_WORKING_DAYS else _add_working_days(base, k)
    if unit in ("thang", "month"):
        return add_months(base, k)
    return base + timedelta(days=k * (7 if unit in ("tuan", "week") else 1))


def add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _add_working_days(day: date, count: int) -> date:
    import holidays  # here, not at the top: most replies count no working days (issue 24)

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

    def with_year(make, written: str | None, end: int) -> tuple[date, int]:
        """make(year): the year written, else one in words ("năm sau"), else the next
        time that day comes."""
        if written:
            return make(int(written) if int(written) > 99 else 2000 + int(written)), end
        if words := _YEAR_WORDS.match(rest, end):
            return make(today.year + (words[1] != "nay")), words.end()
        return _not_past(make, today), end

    try:
        if m := _DATE_WORDS.search(rest):
            found, end = with_year(lambda y: date(y, int(m[2]), int(m[1])), m[3], m.end())
        elif m := _PERIOD.search(rest):
            mo = int(m["m2"] or m["m"]) if m["m"] else 3 * (_ROMAN.get(m["q"]) or int(m["q"]))
            found, end = with_year(lambda y: _month_end(y, mo), m["y"], m.end())
        elif m := _PERIOD_NOW.search(rest):
            word = {"month": "thang", "quarter": "quy", "year": "nam"}.get(m[3], m[1])
            found, end = _period_end(today, word, m[2] in ("sau", "toi")), m.end()
        elif m := _DMY.search(rest):
            found, end = with_year(lambda y: date(y, int(m[2]), int(m[1])), m[3], m.end())
        elif m := DELTA.search(rest):
            found, end = delta_date(m, today), m.end()
            if found is None:
                return None, stop
        elif m := _NEXT_PERIOD.search(rest):
            found, end = _period_end(today, m[1], 1), m.end()
        elif m := _WEEKDAY.search(rest):
            word = m[1] or m[2] or ""
            wd = 6 if m[3] else _WEEKDAYS[word] if word in _WEEKDAYS else int(word) - 2
            ahead = 7 - today.weekday() + wd if m[4] else (wd - today.weekday() - 1) % 7 + 1
            found, end = today + timedelta(days=ahead), m.end()
        elif m := _WEEK.search(rest):
            ahead = 7 * (m[1] in ("sau", "toi") or m[2] == "next")
            found, end = today + timedelta(days=4 - today.weekday() + ahead), m.end()
        else:
            phrase = _LEAD_WORDS.sub("", span(text, pos, start, stop).strip(PUNCT))
            if not phrase or len(phrase) > 40:
                return None, stop
            import dateparser  # here, not at the top: 0.1 s and 10 MB few replies need

            base = datetime.combine(today, datetime.min.time())
            settings = {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": base}
            parsed = dateparser.parse(phrase, languages=["vi", "en"], settings=settings)
            return (parsed.date() if parsed else None), stop
        return found, start + end
    except ImportError:  # a missing library is the installation's fault: say so
        raise
    except Exception:  # 31/2, year 10000, dateparser on odd input: unread, never a crash
        return None, stop
