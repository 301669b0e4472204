"""The token grammar of deadline phrases: split a normalised phrase into tokens, walk
them with a backtracking :class:`Cursor`, and read a point in time ("15/01/2026",
"Quý III/2026", "6 tháng đầu năm", "cả năm 2026") or a span ("Tháng 7-9/2026", "Từ
tháng 01 đến tháng 5/2026") with its first and last day (:func:`window`).

:func:`one_off` reads the one-off form ("Trước ngày …", "Chậm nhất …", "Đến hết …");
``scheduler.deadlines`` builds the :class:`~scheduler.deadlines.Deadline` and the
recurring rules on top of it. Pure: no I/O and no clock.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Callable
from datetime import date
from typing import NamedTuple, TypeVar

_T = TypeVar("_T")
_MIN_YEAR, _MAX_YEAR = 1900, 2199  # keeps date arithmetic far from date.min/max


def tokenize(text: str) -> list[str]:
    """Digit runs, letter runs and single other characters: "quy iii/2026" →
    ["quy", "iii", "/", "2026"]."""
    return re.findall(r"[0-9]+|[a-z]+|\S", text)


# ---------------------------------------------------------------- points in time


class Point(NamedTuple):
    unit: str  # "day" | "month" | "quarter" | "half" | "year"
    a: int  # the day of a "day"; else the first month
    b: int  # the month of a "day"; else the last month
    year: int | None = None


class Span(NamedTuple):
    first: Point
    last: Point


def window(p: Point | Span, default_year: int) -> tuple[date, date]:
    """First and last day of a point or span; ValueError for an impossible one."""
    if isinstance(p, Span):
        # "Tháng 01 đến tháng 5/2026": the first end takes the year of the last.
        start, _end = window(p.first, p.last.year or default_year)
        _start, due = window(p.last, default_year)
        if start > due:
            raise ValueError("span ends before it starts")
        return start, due
    y = p.year or default_year
    if p.unit == "day":
        return date(y, p.b, p.a), date(y, p.b, p.a)
    return date(y, p.a, 1), date(y, p.b, monthrange(y, p.b)[1])


# ---------------------------------------------------------------- the cursor and the rules

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


class Cursor:
    """A position in a token list; rules advance it, ``attempt`` puts it back."""

    def __init__(self, tokens: list[str]) -> None:
        self.t, self.i = tokens, 0

    def done(self) -> bool:
        return self.i == len(self.t)

    def take(self, *words: str) -> str | None:
        if self.i < len(self.t) and self.t[self.i] in words:
            self.i += 1
            return self.t[self.i - 1]
        return None

    def number(self, lo: int, hi: int, digits: int | None = None) -> int | None:
        tok = self.t[self.i] if self.i < len(self.t) else ""
        if not (tok.isascii() and tok.isdigit()) or len(tok) > 4 or (digits and len(tok) != digits):
            return None
        if lo <= int(tok) <= hi:
            self.i += 1
            return int(tok)
        return None

    def year(self) -> int | None:
        """An optional year: "/2026", "năm 2026" or "2026"."""
        mark = self.i
        self.take("/", "nam")
        y = self.number(_MIN_YEAR, _MAX_YEAR, digits=4)
        if y is None:
            self.i = mark
        return y

    def quarter(self) -> int | None:
        if self.i < len(self.t) and self.t[self.i] in _ROMAN:
            self.i += 1
            return _ROMAN[self.t[self.i - 1]]
        return self.number(1, 4)


def attempt(c: Cursor, rule: Callable[[Cursor], _T | None]) -> _T | None:
    """Run ``rule``; on failure put the cursor back (backtracking)."""
    mark = c.i
    result = rule(c)
    if result is None:
        c.i = mark
    return result


def _date(c: Cursor) -> Point | None:
    """ "15/01/2026", "15-01-2026", "15.01", "15 tháng 01 năm 2026"."""
    day = c.number(1, 31)
    sep = c.take("/", "-", ".", "thang") if day else None
    month = c.number(1, 12) if sep else None
    if day is None or month is None:
        return None
    if sep != "thang" and c.take(sep):  # the same separator again: a year must follow
        y = c.number(_MIN_YEAR, _MAX_YEAR, digits=4)
        return None if y is None else Point("day", day, month, y)
    return Point("day", day, month, c.year())


def _point(c: Cursor) -> Point | None:
    for rule in (_whole_year, _half, _month, _quarter, _day):
        p = attempt(c, rule)
        if p is not None:
            return p
    return None


def _whole_year(c: Cursor) -> Point | None:
    whole = c.take("ca")
    if not c.take("nam"):
        return None
    y = c.number(_MIN_YEAR, _MAX_YEAR, digits=4)
    return Point("year", 1, 12, y) if (whole or y) else None


def _half(c: Cursor) -> Point | None:
    """Six months: "6 tháng đầu năm", "9 tháng cuối năm", "nửa đầu năm"."""
    if c.take("nua"):
        n = 6
    else:
        n = c.number(1, 12)
        if n is None or not c.take("thang"):
            return None
    side = c.take("dau", "cuoi")
    if not side or not c.take("nam"):
        return None
    a, b = (1, n) if side == "dau" else (13 - n, 12)
    return Point("half", a, b, c.number(_MIN_YEAR, _MAX_YEAR, digits=4))


def _unit(c: Cursor, unit: str) -> Point | None:
    if unit == "month":
        m = c.number(1, 12)
        return None if m is None else Point(unit, m, m, c.year())
    q = c.quarter()
    return None if q is None else Point(unit, 3 * q - 2, 3 * q, c.year())


def _month(c: Cursor) -> Point | None:
    return _unit(c, "month") if c.take("thang") else None


def _quarter(c: Cursor) -> Point | None:
    return _unit(c, "quarter") if c.take("quy") else None


def _day(c: Cursor) -> Point | None:
    c.take("ngay")
    return _date(c)


def _span(c: Cursor) -> Point | Span | None:
    opened = c.take("tu")
    first = _point(c)
    if first is None:
        return None
    if not c.take("den", "toi", "-"):
        return None if opened else first  # "Từ ngày 01/3" alone has no end
    c.take("het")
    last = attempt(c, _point)
    if last is None and first.unit in ("month", "quarter"):  # "Tháng 7-9/2026", "Quý I-II"
        last = attempt(c, lambda c2: _unit(c2, first.unit))
    return None if last is None else Span(first, last)


def one_off(c: Cursor) -> tuple[str, Point | Span] | None:
    """("before" | "by" | "plain", what) for a one-off deadline."""
    how = "plain"
    if c.take("cham"):  # "chậm nhất (là) ...", "đến (hết) ngày 30/6"
        how = "by" if c.take("nhat") else "bad"
    elif c.take("den"):
        how = "by"
    if how == "by":
        c.take("het")
        c.take("la")
    if c.take("truoc"):
        how = "before"
    what = _span(c)
    return None if what is None or how == "bad" else (how, what)
