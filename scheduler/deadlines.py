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

This module is the public face of the grammar: the :class:`Deadline`, normalisation,
the kinds of phrase (continuous, on request, recurring, one-off), the occurrences of a
recurring deadline and the explanation of an unreadable one. The token-level rules
(dates, months, quarters, halves, spans and the backtracking cursor) are in
``scheduler.deadline_tokens``.

Pure: no I/O and no clock; ``today`` is an argument.
"""

from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from locales import _
from scheduler.deadline_tokens import Cursor, Point, Span, one_off, tokenize, window

KINDS = ("due", "period", "recurring", "continuous", "on_request", "unknown")
EVERY = ("month", "quarter", "year")


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


def _yearly(what: Point | Span, how: str) -> Occurrences:
    def occ(year: int) -> list[tuple[date, date]]:
        start, due = window(what, year)
        if how == "before":
            due = start - timedelta(days=1)
        if how != "plain" or (isinstance(what, Point) and what.unit == "day"):
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
    c = Cursor(tokens)
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
        inner = Cursor(tokens[:-2])
        found = one_off(inner)
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
    return norm, tokenize(bare.strip(" ."))


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
    c = Cursor(tokens)
    found = one_off(c)
    if not tokens or found is None or not c.done():
        return Deadline("unknown", None, None, None, text)
    how, what = found
    start, due = window(what, plan_year)
    if how == "before":
        return Deadline("due", None, start - timedelta(days=1), None, text)
    if how == "by" or (isinstance(what, Point) and what.unit == "day"):
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
