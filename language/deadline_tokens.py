"""The token grammar of deadline phrases: split a normalised phrase into tokens, walk
them with a backtracking :class:`Cursor`, and read a point in time ("15/01/2026",
"Quý III/2026", "tháng Mười", "6 tháng đầu năm", "cả năm 2026") or a span ("Tháng
7-9/2026", "Từ tháng 01 đến tháng 5/2026", "Giai đoạn 2026 - 2030") with its first and
last day (:func:`window`).

:func:`one_off` reads the one-off form ("Trước ngày …", "Chậm nhất …", "Đến hết …",
"Cuối quý II/2026"); :func:`listed` reads several of them ("Tháng 3, 6, 9, 12", "Quý I,
III", "Trước ngày 10 tháng 6 và tháng 12"). ``language.deadlines`` builds the
:class:`~language.deadlines.Deadline` and the recurring rules on top of them.

Every rule reads a bounded number of tokens from where it stands and never rescans, so
a phrase is read in time linear in its length. Pure: no I/O and no clock.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Callable
from datetime import date
from typing import NamedTuple, TypeVar

_T = TypeVar("_T")
_MIN_YEAR, _MAX_YEAR = 1900, 2199  # keeps date arithmetic far from date.min/max
_TOKEN = re.compile(r"[0-9]+|[a-z]+|\S")


def tokenize(text: str) -> list[str]:
    """Digit runs, letter runs and single other characters: "quy iii/2026" →
    ["quy", "iii", "/", "2026"]."""
    return _TOKEN.findall(text)


# ---------------------------------------------------------------- points in time


class Point(NamedTuple):
    unit: str  # "day" | "month" | "quarter" | "half" | "year"
    a: int  # the day of a "day"; else the first month
    b: int  # the month of a "day"; else the last month
    year: int | None = None


class Span(NamedTuple):
    first: Point
    last: Point


def without_year(p: Point | Span) -> Point | Span:
    """The same point or span in any year ("Quý IV/2026" → "Quý IV")."""
    if isinstance(p, Span):
        return Span(p.first._replace(year=None), p.last._replace(year=None))
    return p._replace(year=None)


def year_of(p: Point | Span) -> int | None:
    """The year written at the end of a point or span, if any."""
    return p.last.year if isinstance(p, Span) else p.year


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
# Month names in words. "Tháng Giêng" and "tháng Chạp" are not here on purpose: they
# name lunar months, and a plan's dates are solar; such a deadline stays "unknown".
# "sáu" (six) folds to "sau" (after, next: "tháng sau"), so normalisation writes an
# accented "sáu" as "6" and an unaccented "sau" is never a month; "năm" is five only
# where it cannot be the year ("tháng Năm năm 2026", "tháng Năm/2026").
_MONTH_WORDS = {
    "mot": 1,
    "hai": 2,
    "ba": 3,
    "tu": 4,
    "bon": 4,
    "nam": 5,
    "bay": 7,
    "tam": 8,
    "chin": 9,
    "muoi": 10,
}


class Cursor:
    """A position in a token list; rules advance it, ``attempt`` puts it back."""

    def __init__(self, tokens: list[str]) -> None:
        self.t, self.i = tokens, 0

    def done(self) -> bool:
        return self.i == len(self.t)

    def peek(self, ahead: int = 0) -> str:
        j = self.i + ahead
        return self.t[j] if j < len(self.t) else ""

    def take(self, *words: str) -> str | None:
        if self.i < len(self.t) and self.t[self.i] in words:
            self.i += 1
            return self.t[self.i - 1]
        return None

    def take_all(self, *words: str) -> bool:
        """Take ``words`` in this order, or nothing."""
        if self.t[self.i : self.i + len(words)] == list(words):
            self.i += len(words)
            return True
        return False

    def number(self, lo: int, hi: int, digits: int | None = None) -> int | None:
        tok = self.peek()
        if not (tok.isascii() and tok.isdigit()) or len(tok) > 4 or (digits and len(tok) != digits):
            return None
        if lo <= int(tok) <= hi:
            self.i += 1
            return int(tok)
        return None

    def year(self) -> int | None:
        """An optional year: "/2026", "năm 2026", "-2026", ".2026" or "2026"."""
        mark = self.i
        self.take("/", "nam", "-", ".")
        y = self.number(_MIN_YEAR, _MAX_YEAR, digits=4)
        if y is None:
            self.i = mark
        return y

    def quarter(self) -> int | None:
        if self.peek() in _ROMAN:
            self.i += 1
            return _ROMAN[self.t[self.i - 1]]
        return self.number(1, 4)

    def month(self) -> int | None:
        """A month by number or in words ("tháng Mười", "tháng Mười Hai")."""
        m = self.number(1, 12)
        if m is not None:
            return m
        word = self.peek()
        if word not in _MONTH_WORDS:
            return None
        if word == "nam" and self.peek(1) not in ("", "nam", "/", "-", "den", "va"):
            return None  # "tháng năm 2026" may be an unfilled "ngày … tháng … năm 2026"
        self.i += 1
        if word == "muoi" and self.take("mot"):  # "Mười một"
            return 11
        if word == "muoi" and self.take("hai"):  # "Mười hai"
            return 12
        return _MONTH_WORDS[word]


def attempt(c: Cursor, rule: Callable[[Cursor], _T | None]) -> _T | None:
    """Run ``rule``; on failure put the cursor back (backtracking)."""
    mark = c.i
    result = rule(c)
    if result is None:
        c.i = mark
    return result


def _date(c: Cursor) -> Point | None:
    """ "15/01/2026", "15-01-2026", "15.01", "15 tháng 01 năm 2026", "10 các tháng 3"."""
    day = c.number(1, 31)
    if day is None:
        return None
    if c.peek() in ("cua", "cac") and c.peek(1) == "thang":  # "ngày 10 (của) (các) tháng 6"
        c.take("cua", "cac")
    sep = c.take("/", "-", ".", "thang")
    month = (c.month() if sep == "thang" else c.number(1, 12)) if sep else None
    if month is None:
        return None
    if sep != "thang" and c.take(sep):  # the same separator again: a year must follow
        y = c.number(_MIN_YEAR, _MAX_YEAR, digits=4)
        if y is None and (short := c.number(0, 99, digits=2)) is not None:
            y = 2000 + short  # "30/9/26", as officers retype a date
        return None if y is None else Point("day", day, month, y)
    return Point("day", day, month, c.year())


def _point(c: Cursor) -> Point | None:
    for rule in (_whole_year, _half, _month, _quarter, _day):
        p = attempt(c, rule)
        if p is not None:
            return p
    return None


def _whole_year(c: Cursor) -> Point | None:
    """ "Năm 2026", "Cả năm", "Trong năm", "Suốt năm 2026"."""
    whole = c.take("ca", "suot", "trong")
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
        m = c.month()
        return None if m is None else Point(unit, m, m, c.year())
    if unit == "year":  # the end of "Năm 2026 - 2030"
        y = c.number(_MIN_YEAR, _MAX_YEAR, digits=4)
        return None if y is None else Point(unit, 1, 12, y)
    q = c.quarter()
    return None if q is None else Point(unit, 3 * q - 2, 3 * q, c.year())


def _month(c: Cursor) -> Point | None:
    return _unit(c, "month") if c.take("thang") else None


def _quarter(c: Cursor) -> Point | None:
    return _unit(c, "quarter") if c.take("quy") else None


def _day(c: Cursor) -> Point | None:
    c.take("ngay")
    c.take("mung", "mong")  # "ngày mùng 5", "mồng 10": days 1 to 10 in speech
    return _date(c)


def _bare_year(c: Cursor) -> Point | None:
    """A year alone, only as the start of a span of years ("2026 - 2030")."""
    if c.peek(1) not in ("-", "den"):
        return None
    y = c.number(_MIN_YEAR, _MAX_YEAR, digits=4)
    return None if y is None else Point("year", 1, 12, y)


def _year_start(c: Cursor) -> Point | None:
    """ "đầu năm (2026)", only as the start of a span ("Từ đầu năm đến hết tháng 6")."""
    if not c.take_all("dau", "nam"):
        return None
    return Point("month", 1, 1, c.number(_MIN_YEAR, _MAX_YEAR, digits=4))


def year_end(c: Cursor) -> Point | None:
    """ "năm" or "năm 2026" after "đến hết", "đến cuối": the end of that year."""
    if not c.take("nam"):
        return None
    return Point("month", 12, 12, c.number(_MIN_YEAR, _MAX_YEAR, digits=4))


def _span(c: Cursor) -> Point | Span | None:
    opened = c.take("tu")
    first = _point(c) or attempt(c, _bare_year) or (attempt(c, _year_start) if opened else None)
    if first is None:
        return None
    if not c.take("den", "toi", "-"):
        return None if opened else first  # "Từ ngày 01/3" alone has no end
    c.take("het")
    c.take("cuoi")  # "đến hết năm", "đến cuối quý III"
    last = attempt(c, _point) or attempt(c, year_end)
    if last is None and first.unit in ("month", "quarter", "year"):  # "Tháng 7-9/2026"
        last = attempt(c, lambda c2: _unit(c2, first.unit))
    return None if last is None else Span(first, last)


_FROM_NOW = (("tu", "nay"), ("tu", "bay", "gio"), ("tu", "nay", "cho"))
_NO_LATER = (("khong", "qua"), ("khong", "muon", "hon"), ("khong", "cham", "hon"))


def _limit(c: Cursor) -> bool:
    """A last day in words: "đến", "hết", "không quá", "không muộn hơn", "từ nay đến"."""
    if c.take("den", "het") or any(c.take_all(*words) for words in _NO_LATER):
        return True
    mark = c.i
    if any(c.take_all(*words) for words in _FROM_NOW) and c.take("den", "toi"):
        return True  # "Từ nay đến hết năm": the day it is read is no start to remind of
    c.i = mark
    return False


def one_off(c: Cursor) -> tuple[str, Point | Span] | None:
    """("before" | "by" | "plain", what) for a one-off deadline."""
    how = "plain"
    if c.take("cham", "muon"):  # "chậm nhất (là) ...", "muộn nhất ngày 31/8"
        how = "by" if c.take("nhat") else "bad"
    elif _limit(c):  # "Không quá ngày 30/9", "Từ nay đến hết năm", "đến (hết) ngày 30/6"
        how = "by"
    elif c.peek() == "cuoi" and c.peek(1) in ("nam", "quy", "thang"):  # "Cuối quý II/2026"
        how = "by"
    if how == "by":
        c.take("het")
        c.take("cuoi")
        if c.peek() == "nam" and not c.peek(1).isdigit():  # "Cuối năm": the plan year's end
            c.take("nam")
            return how, Point("year", 1, 12)
        c.take("la")
        c.take("den", "trong", "vao")  # "chậm nhất đến ngày", "chậm nhất vào ngày"
    if c.take("truoc"):
        how = "before"
    what = _span(c)
    return None if what is None or how == "bad" else (how, what)


# ---------------------------------------------------------------- several of them

_AND = ("va", "&", "cac", "+")
_MAX_ITEMS = 24  # a longer list is not a deadline: stop reading, so a list costs little


def _next_item(c: Cursor, prev: tuple[str, Point | Span]) -> tuple[str, Point | Span] | None:
    """One more item of a list: a whole phrase ("15/12", "trước ngày 15/7", "quý III"),
    or a bare number in the previous item's unit ("Tháng 3, 6, 9": 6 and 9)."""
    how, what = prev
    found = attempt(c, one_off)
    if found is not None:
        item_how, item = found
        if item_how == "plain":
            item_how = how  # "Trước ngày 10/3, 10/6": each is "before"
        if isinstance(what, Point) and what.unit == "day" and isinstance(item, Point):
            if item.unit == "month" and item.a == item.b:  # "ngày 10 tháng 6 và tháng 12"
                item = Point("day", what.a, item.a, item.year)
        return item_how, item
    if isinstance(what, Point) and what.unit in ("month", "quarter"):
        bare = attempt(c, lambda c2: _unit(c2, what.unit))
        if bare is not None:
            return how, bare
    if isinstance(what, Point) and what.unit == "day":  # "ngày 10 các tháng 3, 6, 9"
        month = attempt(c, lambda c2: _unit(c2, "month"))
        if month is not None:
            return how, Point("day", what.a, month.a, month.year)
    return None


def listed(c: Cursor) -> list[tuple[str, Point | Span]] | None:
    """Two or more one-off items ("Tháng 3, 6, 9, 12", "Quý I và quý III/2026", "Ngày
    15/6 và 15/12"); items without a year take the year written on the last one."""
    first = one_off(c)
    if first is None:
        return None
    items = [first]
    while not c.done() and len(items) <= _MAX_ITEMS:
        mark = c.i
        while c.take(*_AND):
            pass
        item = _next_item(c, items[-1])
        if item is None:
            c.i = mark
            break
        items.append(item)
    return items if 1 < len(items) <= _MAX_ITEMS else None
