"""The deadline grammar: turn the phrase in a plan's "Thời gian thực hiện/hoàn thành"
column ("Trước ngày 15/01/2026", "Quý III/2026", "Tháng 7-9/2026", "Thường xuyên",
"Theo yêu cầu của Sở Nội vụ", "Tháng 10 hàng năm") into a :class:`Deadline`.

The grammar is hand-written because no library reads these phrases: dateparser reads
"Tháng 7-9/2026" as 9 July and knows no quarters. dateparser may be used at most as a
fallback for a plain date; it is not needed here, since plain dates are part of the
grammar. The text is normalised first (NFC, casefold, no diacritics, đ→d, one kind of
dash, one space, parenthesised notes dropped) so that what people type ("quy III/2026",
"thuong xuyen", "Q3/2026") reads the same as the official spelling. Anything the
grammar does not recognise is ``unknown``: a deadline is never guessed.

Pure: no I/O and no clock; ``today`` is an argument.
"""

from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple, TypeVar

from locales import _

KINDS = ("due", "period", "recurring", "continuous", "on_request", "unknown")
EVERY = ("month", "quarter", "year")
_MIN_YEAR, _MAX_YEAR = 1900, 2199  # keeps date arithmetic far from date.min/max


@dataclass(frozen=True)
class Deadline:
    kind: str  # one of KINDS
    start: date | None
    due: date | None
    every: str | None  # "month" | "quarter" | "year" | None
    text: str  # the original text

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "start": self.start.isoformat() if self.start else None,
            "due": self.due.isoformat() if self.due else None,
            "every": self.every,
        }


Occurrences = Callable[[int], list[tuple[date, date]]]  # plan year → (start, due) windows
_T = TypeVar("_T")

# ---------------------------------------------------------------- normalisation

_TAGS = re.compile(r"<[^>]*>")
_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_Q_ABBREV = re.compile(r"\bq\s*(?=(?:i{1,3}|iv|[1-4])\b)")  # "Q3", "QIII" → "quy 3"
# "Kế hoạch số 310/KH-UBND ngày 24/11/2025": a document's number and date, never a deadline.
_DOC_REF = re.compile(
    r"(?:\bso\s*)?\b\d+(?:/\d{4})?/[a-z][a-z0-9.\-]*(?:/[a-z0-9.\-]+)*"
    r"(?:\s*ngay\s*\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4})?"
)
_FILLER = re.compile(
    r"^(?:(?:thoi gian(?: thuc hien| hoan thanh)?|thoi han|han chot|han|hoan thanh|"
    r"thuc hien|trien khai|du kien|dinh ky|trong|vao|la)\s+)+"
)
_CONTINUOUS = re.compile(r"^(?:thuong xuyen|lien tuc|hang ngay|hang tuan)\b")
_ON_REQUEST = re.compile(
    r"^(?:(?:theo|khi co|khi)\s+(?:yeu cau|chi dao|huong dan|de nghi|thong bao|ke hoach|"
    r"quy dinh|van ban)|khi co|khi duoc|khi nhan duoc)\b"
)


def _drop_notes(text: str) -> str:
    """Drop "(...)" and "[...]" notes, nested or left open, in one pass."""
    out, depth = [], 0
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
            out.append(" ")
        elif not depth:
            out.append(ch)
    return "".join(out)


def normalize(text: str) -> str:
    """Lower-case ASCII-ish form of a phrase: what the grammar reads."""
    text = _TAGS.sub(" ", unicodedata.normalize("NFC", text or ""))
    text = text.casefold().replace("đ", "d").replace("ð", "d")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    text = _drop_notes(_DASHES.sub("-", text))
    text = re.sub(r"[,;:]", " ", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    return _Q_ABBREV.sub("quy ", text)


# ---------------------------------------------------------------- points in time


class _Point(NamedTuple):
    unit: str  # "day" | "month" | "quarter" | "half" | "year"
    a: int  # the day of a "day"; else the first month
    b: int  # the month of a "day"; else the last month
    year: int | None = None


class _Span(NamedTuple):
    first: _Point
    last: _Point


def _window(p: _Point | _Span, default_year: int) -> tuple[date, date]:
    """First and last day of a point or span; ValueError for an impossible one."""
    if isinstance(p, _Span):
        # "Tháng 01 đến tháng 5/2026": the first end takes the year of the last.
        start, _end = _window(p.first, p.last.year or default_year)
        _start, due = _window(p.last, default_year)
        if start > due:
            raise ValueError("span ends before it starts")
        return start, due
    y = p.year or default_year
    if p.unit == "day":
        return date(y, p.b, p.a), date(y, p.b, p.a)
    return date(y, p.a, 1), date(y, p.b, monthrange(y, p.b)[1])


# ---------------------------------------------------------------- tokens and parser

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


class _Cursor:
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


def _attempt(c: _Cursor, rule: Callable[[_Cursor], _T | None]) -> _T | None:
    """Run ``rule``; on failure put the cursor back (backtracking)."""
    mark = c.i
    result = rule(c)
    if result is None:
        c.i = mark
    return result


def _date(c: _Cursor) -> _Point | None:
    """ "15/01/2026", "15-01-2026", "15.01", "15 tháng 01 năm 2026"."""
    day = c.number(1, 31)
    sep = c.take("/", "-", ".", "thang") if day else None
    month = c.number(1, 12) if sep else None
    if day is None or month is None:
        return None
    if sep != "thang" and c.take(sep):  # the same separator again: a year must follow
        y = c.number(_MIN_YEAR, _MAX_YEAR, digits=4)
        return None if y is None else _Point("day", day, month, y)
    return _Point("day", day, month, c.year())


def _point(c: _Cursor) -> _Point | None:
    for rule in (_whole_year, _half, _month, _quarter, _day):
        p = _attempt(c, rule)
        if p is not None:
            return p
    return None


def _whole_year(c: _Cursor) -> _Point | None:
    whole = c.take("ca")
    if not c.take("nam"):
        return None
    y = c.number(_MIN_YEAR, _MAX_YEAR, digits=4)
    return _Point("year", 1, 12, y) if (whole or y) else None


def _half(c: _Cursor) -> _Point | None:
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
    return _Point("half", a, b, c.number(_MIN_YEAR, _MAX_YEAR, digits=4))


def _unit(c: _Cursor, unit: str) -> _Point | None:
    if unit == "month":
        m = c.number(1, 12)
        return None if m is None else _Point(unit, m, m, c.year())
    q = c.quarter()
    return None if q is None else _Point(unit, 3 * q - 2, 3 * q, c.year())


def _month(c: _Cursor) -> _Point | None:
    return _unit(c, "month") if c.take("thang") else None


def _quarter(c: _Cursor) -> _Point | None:
    return _unit(c, "quarter") if c.take("quy") else None


def _day(c: _Cursor) -> _Point | None:
    c.take("ngay")
    return _date(c)


def _span(c: _Cursor) -> _Point | _Span | None:
    opened = c.take("tu")
    first = _point(c)
    if first is None:
        return None
    if not c.take("den", "toi", "-"):
        return None if opened else first  # "Từ ngày 01/3" alone has no end
    c.take("het")
    last = _attempt(c, _point)
    if last is None and first.unit in ("month", "quarter"):  # "Tháng 7-9/2026", "Quý I-II"
        last = _attempt(c, lambda c2: _unit(c2, first.unit))
    return None if last is None else _Span(first, last)


def _main(c: _Cursor) -> tuple[str, _Point | _Span] | None:
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


# ---------------------------------------------------------------- recurring rules


def _repeating(step: int, nth: int, day: int | None, before: bool) -> Occurrences:
    """One window per month (``step`` 1) or quarter (3), due on ``day`` (else the last
    day) of the period's ``nth`` month, or the day before it if ``before``."""

    def occ(year: int) -> list[tuple[date, date]]:
        out = []
        for k in range(0, 12 + step, step):  # next year's first: "before the 1st" is in this year
            y, first = year + k // 12, k % 12 + 1
            last = monthrange(y, first + nth - 1)[1]
            due = date(y, first + nth - 1, min(day or last, last)) - timedelta(days=before)
            if due.year == year:
                out.append((min(date(y, first, 1), due.replace(day=1)), due))
        return out

    return occ


def _yearly(what: _Point | _Span, how: str) -> Occurrences:
    def occ(year: int) -> list[tuple[date, date]]:
        start, due = _window(what, year)
        if how == "before":
            due = start - timedelta(days=1)
        if how != "plain" or (isinstance(what, _Point) and what.unit == "day"):
            start = date(due.year, 1, 1)  # a one-day deadline: the occurrence is its year
        return [(start, due)]

    return occ


def _recurring(tokens: list[str]) -> tuple[str, Occurrences] | None:
    if len(tokens) == 2 and tokens[0] in ("hang", "moi"):  # "hằng tháng", "định kỳ hằng quý"
        return {
            "thang": ("month", _repeating(1, 1, None, False)),
            "quy": ("quarter", _repeating(3, 3, None, False)),
            "nam": ("year", lambda y: [(date(y, 1, 1), date(y, 12, 31))]),
        }.get(tokens[1])
    c = _Cursor(tokens)
    before = bool(c.take("truoc"))
    c.take("ngay")
    day = c.number(1, 31)
    if day is not None:
        c.take("cua")
        if c.take("hang", "moi") and c.take("thang") and c.done():
            return "month", _repeating(1, 1, day, before)
        nth = {"dau": 1, "giua": 2, "cuoi": 3}
        if c.take("thang") and (which := c.take(*nth)):
            c.take("cua")
            c.take("moi", "hang")
            if c.take("quy") and c.done():
                return "quarter", _repeating(3, nth[which], day, before)
    if len(tokens) > 2 and tokens[-2] in ("hang", "moi") and tokens[-1] == "nam":
        inner = _Cursor(tokens[:-2])
        found = _main(inner)
        if found is not None and inner.done():
            return "year", _yearly(found[1], found[0])
    return None


# ---------------------------------------------------------------- public API


def _prepare(text: str) -> tuple[str, list[str]]:
    """The normalised text without leading filler words, and the tokens to parse:
    document references and trailing "theo ..." notes dropped, so their dates are
    never read as deadlines."""
    norm = _FILLER.sub("", normalize(text) + " ").strip()
    bare = re.split(r"\s+theo\s+", _DOC_REF.sub(" ", norm), maxsplit=1)[0]
    return norm, re.findall(r"[0-9]+|[a-z]+|\S", bare.strip(" ."))


def parse_deadline(text: str, plan_year: int, today: date) -> Deadline:
    """Read a deadline phrase; ``plan_year`` fills a missing year, ``today`` picks the
    current occurrence of a recurring one. Never raises."""
    try:
        return _parse(text or "", plan_year, today)
    except (ValueError, OverflowError):  # an impossible date such as 31/02
        return Deadline("unknown", None, None, None, text or "")


def _parse(text: str, plan_year: int, today: date) -> Deadline:
    norm, tokens = _prepare(text)
    if _CONTINUOUS.match(norm):
        return Deadline("continuous", None, None, None, text)
    if _ON_REQUEST.match(norm):
        return Deadline("on_request", None, None, None, text)
    rule = _recurring(tokens)
    if rule is not None:
        every, occ = rule
        windows = occ(plan_year)
        if not windows:
            return Deadline("unknown", None, None, None, text)
        start, due = _current(windows, today)
        return Deadline("recurring", start, due, every, text)
    c = _Cursor(tokens)
    found = _main(c)
    if not tokens or found is None or not c.done():
        return Deadline("unknown", None, None, None, text)
    how, what = found
    start, due = _window(what, plan_year)
    if how == "before":
        return Deadline("due", None, start - timedelta(days=1), None, text)
    if how == "by" or (isinstance(what, _Point) and what.unit == "day"):
        return Deadline("due", None, due, None, text)
    return Deadline("period", start, due, None, text)


def _current(occ: list[tuple[date, date]], today: date) -> tuple[date, date]:
    """The occurrence containing ``today``, else the next, else the year's last."""
    for start, due in occ:
        if today <= due:
            return start, due
    return occ[-1]


def occurrences(deadline: Deadline, plan_year: int) -> list[tuple[date, date]]:
    """Every (start, due) window of ``deadline`` in ``plan_year``, in order.

    One window for ``due`` (start = due) and ``period``; one per month, quarter or
    year for ``recurring``; none for continuous, on-request and unknown deadlines."""
    if deadline.kind == "recurring":
        try:
            rule = _recurring(_prepare(deadline.text)[1])
            if rule is not None:
                return rule[1](plan_year)
        except (ValueError, OverflowError):
            pass
    if deadline.kind in ("due", "period", "recurring") and deadline.due is not None:
        return [(deadline.start or deadline.due, deadline.due)]
    return []


_EXAMPLES = "«Trước ngày 15/01/2026», «Quý III/2026» hoặc «Thường xuyên»"


def describe_problem(deadline: Deadline) -> str | None:
    """A short Vietnamese explanation for a deadline that could not be read, else None."""
    if deadline.kind != "unknown":
        return None
    text = " ".join(deadline.text.split())
    if not text:
        return _("Chưa có thời hạn; cần nhập theo dạng {examples}").format(examples=_EXAMPLES)
    if re.search(r"\d{1,2}\s*[/.\-]\s*\d{1,2}", text):
        return _(
            "Thời hạn «{text}» có ngày không đúng hoặc không rõ; cần nhập lại theo dạng {examples}"
        ).format(text=text, examples=_EXAMPLES)
    return _("Không hiểu thời hạn «{text}»; cần nhập lại theo dạng {examples}").format(
        text=text, examples=_EXAMPLES
    )
