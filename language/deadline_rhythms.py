"""The recurring deadlines of plans, read from tokens: every month, quarter, half year
or year ("Hằng quý", "Định kỳ 6 tháng", "Hằng tháng, quý, năm"), on a named day of it
("Trước ngày 25 hằng tháng", "Hằng quý, trước ngày 15 tháng cuối quý", "Trước ngày 05
tháng đầu quý sau"), a one-off date every year ("Tháng 10 hàng năm", "Hằng năm, trước
ngày 15/12", "Quý IV/2026 và các năm tiếp theo") and lists of dates ("Tháng 3, 6, 9,
12", "Quý I, III", "Ngày 15/6 và 15/12").

:func:`rule` returns what repeats (one of ``EVERY``) and a function from a plan year to
the (start, due) windows of that year. A list is ``"list"``: several named windows a
year, like a monthly or quarterly task. "X và các năm tiếp theo" reads as "X hằng năm"
from X's year on (for "Năm 2026" and "Quý IV/2026" the two readings agree).

Pure: no I/O and no clock. Each rule is tried once from the start of the tokens.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Callable
from datetime import date, timedelta

from language.deadline_stretch import stretch
from language.deadline_tokens import (
    Cursor,
    Point,
    Span,
    attempt,
    listed,
    one_off,
    window,
    without_year,
    year_of,
)

EVERY = ("month", "quarter", "half", "year", "list")
Occurrences = Callable[[int], list[tuple[date, date]]]  # plan year → (start, due) windows
Rule = tuple[str, Occurrences]

_UNIT_WORDS = {"thang": "month", "quy": "quarter", "nam": "year"}
_MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}  # months in one period
_BY_LENGTH = {1: "month", 3: "quarter", 6: "half", 12: "year"}
_NTH = {"dau": 1, "giua": 2, "cuoi": 3}


def repeating(step: int, nth: int, day: int | None, before: bool) -> Occurrences:
    """One window per period of ``step`` months, due on ``day`` (else the last day) of
    the period's ``nth`` month (``nth`` past the period: a month of the next one), or
    the day before it if ``before``; the windows whose due day is in the plan year."""

    def occ(year: int) -> list[tuple[date, date]]:
        out = []
        for first in range((year - 1) * 12, (year + 1) * 12 + 1, step):  # month indexes
            y, m = divmod(first + nth - 1, 12)
            last = monthrange(y, m + 1)[1]
            due = date(y, m + 1, min(day or last, last)) - timedelta(days=before)
            if due.year == year:
                fy, fm = divmod(first, 12)
                out.append((min(date(fy, fm + 1, 1), due.replace(day=1)), due))
        return out

    return occ


def _every(unit: str) -> Occurrences:
    n = _MONTHS[unit]
    return repeating(n, n, None, False)


def _yearly(what: Point | Span, how: str, since: int | None = None) -> Occurrences:
    """``what`` in every plan year (from ``since`` on, when given)."""
    what = without_year(what)

    def occ(year: int) -> list[tuple[date, date]]:
        if since is not None and year < since:
            return []
        start, due = window(what, year)
        if how == "before":
            due = start - timedelta(days=1)
        if how != "plain" or (isinstance(what, Point) and what.unit == "day"):
            start = date(due.year, 1, 1)  # a one-day deadline: the occurrence is its year
        return [(start, due)]

    return occ


def _listed(items: list[tuple[str, Point | Span]]) -> Occurrences:
    written = year_of(items[-1][1])  # "Tháng 3, 6, 9/2026": the year of the last item

    def occ(year: int) -> list[tuple[date, date]]:
        out = []
        for how, what in items:
            start, due = window(what, written or year)
            if how == "before":
                due = start - timedelta(days=1)
            if how != "plain" or (isinstance(what, Point) and what.unit == "day"):
                start = due.replace(day=1)  # a day: its month, like "Ngày 25 hằng tháng"
            out.append((start, due))
        return sorted(set(out), key=lambda w: (w[1], w[0]))

    return occ


# ---------------------------------------------------------------- the rules


def _rhythm(c: Cursor) -> str | None:
    """ "hằng tháng", "mỗi quý", "hằng quý, 6 tháng và năm": the finest period named."""
    if not c.take("hang", "moi"):
        return None
    units: list[str] = []
    while True:
        mark = c.i
        if units:
            c.take("va")
            c.take("hang", "moi")
        word = c.take("thang", "quy", "nam")
        unit = _UNIT_WORDS[word] if word else ("half" if c.take_all("6", "thang") else None)
        if unit is None:
            c.i = mark
            break
        units.append(unit)
    return min(units, key=list(_MONTHS).index) if units else None


def _plain_rhythm(c: Cursor, periodic: bool) -> Rule | None:
    unit = _rhythm(c)
    if unit is None:
        return None
    c.take_all("1", "lan") or c.take_all("mot", "lan")  # "Mỗi quý một lần"
    return unit, _every(unit)


def _n_months(c: Cursor, periodic: bool) -> Rule | None:
    """ "Định kỳ 6 tháng", "6 tháng một lần", "3 tháng/lần"."""
    n = c.number(1, 12)
    if n not in _BY_LENGTH or not c.take("thang"):
        return None
    once = c.take_all("1", "lan") or c.take_all("mot", "lan") or c.take_all("/", "lan")
    if not (once or periodic):
        return None  # "6 tháng" alone is not a rhythm
    unit = _BY_LENGTH[n]
    return unit, _every(unit)


def _day_of_period(c: Cursor, periodic: bool) -> Rule | None:
    """A named day: "Trước ngày 25 hằng tháng", "Hằng tháng, trước ngày 25", "Trước
    ngày 10 tháng cuối quý", "Hằng quý, trước ngày 15 tháng cuối quý", "Trước ngày 05
    tháng đầu quý sau", "Hằng tháng, trước ngày 05 của tháng sau"."""
    named = attempt(c, _rhythm)
    before = bool(c.take("truoc"))
    c.take("ngay")
    day = c.number(1, 31)
    if day is None:
        return None
    c.take("cua")
    unit, nth = None, 1
    if c.take("hang", "moi"):
        if not c.take("thang"):
            return None
        unit = "month"
    elif c.take("thang"):
        which = c.take(*_NTH)
        later = bool(c.take("sau") or c.take_all("tiep", "theo"))
        if which:
            c.take("cua")
            c.take("moi", "hang", "cac")
            if not c.take("quy"):
                return None
            later = later or bool(c.take("sau") or c.take_all("tiep", "theo"))
            unit, nth = "quarter", _NTH[which] + 3 * later
        elif later and named == "month":  # "hằng tháng, trước ngày 05 tháng sau"
            unit, nth = "month", 2
        else:
            return None
    unit = unit or ("month" if named == "month" else None)
    if unit is None or (named is not None and named != unit):
        return None
    step = _MONTHS[unit]
    return unit, repeating(step, nth, day, before)


def _since(c: Cursor) -> bool:
    """ "và các năm tiếp theo", "và những năm sau", "trở đi"."""
    if c.take_all("tro", "di"):
        return True
    mark = c.i
    if c.take("va") and c.take("cac", "nhung") and c.take("nam"):
        if c.take("sau") or c.take_all("tiep", "theo"):
            return True
    c.i = mark
    return False


def _each_year(c: Cursor, periodic: bool) -> Rule | None:
    """ "Tháng 10 hàng năm", "Hằng năm, trước ngày 15/12", "Năm 2026 và các năm tiếp
    theo", "Từ năm 2026 trở đi"."""
    yearly = ("hang", "nam"), ("moi", "nam")
    prefix = any(c.take_all(*words) for words in yearly)
    opened = not prefix and c.peek() == "tu" and c.peek(1) == "nam"
    if opened:  # "Từ năm 2026 trở đi": a start and no end
        c.take("tu")
    found = one_off(c)
    if found is None:
        return None
    how, what = found
    if prefix or (not opened and any(c.take_all(*words) for words in yearly)):
        return "year", _yearly(what, how)
    first = (what.first.year or what.last.year) if isinstance(what, Span) else what.year
    if first is None or not _since(c):
        return None
    return "year", _yearly(what, how, since=first)


def _list(c: Cursor, periodic: bool) -> Rule | None:
    """Several windows: a list with a gap ("Tháng 3 và tháng 9/2026") or with a rhythm
    ("tháng 6 và tháng 12 hằng năm"). A list without a gap is one stretch: a period
    (read in ``language.deadlines``), or every year's stretch when "hằng năm" follows."""
    items = listed(c)
    if items is None:
        return None
    yearly = c.take_all("hang", "nam") or c.take_all("moi", "nam")
    joined = stretch(items)
    if joined is not None:
        return ("year", _yearly(joined, "plain")) if yearly else None
    return "list", _listed(items)


_RULES = (_plain_rhythm, _n_months, _day_of_period, _each_year, _list)


def rule(tokens: list[str], periodic: bool = False) -> Rule | None:
    """The recurring rule of ``tokens``, or None; ``periodic`` when the phrase began
    with "Định kỳ"."""
    for read in _RULES:
        c = Cursor(tokens)
        found = read(c, periodic)
        if found is not None and c.done():
            return found
    return None
