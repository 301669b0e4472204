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
(dates, months by number or in words, quarters, halves, spans of months or years, lists
and the backtracking cursor) are in ``language.deadline_tokens``; the recurring rules
(rhythms, a named day of a month or quarter, yearly dates, lists such as "Tháng 3, 6,
9, 12") in ``language.deadline_rhythms``. tests/data/deadline_cells.tsv holds the
phrases of real plans it reads, and those it refuses with the reason.

Plan cells are bounded (:data:`MAX_CELL` characters) and every pattern and rule is
linear, so a hostile cell costs milliseconds (tests/test_deadline_speed.py).

Pure: no I/O and no clock; ``today`` is an argument.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from language.deadline_rhythms import EVERY, Occurrences, rule
from language.deadline_stretch import stretch
from language.deadline_tokens import Cursor, Point, Span, listed, one_off, tokenize, window
from locales import N_, _

KINDS = ("due", "period", "recurring", "continuous", "on_request", "unknown")
__all__ = [  # EVERY and Occurrences are re-exported from language.deadline_rhythms
    "EVERY",
    "KINDS",
    "MAX_CELL",
    "Deadline",
    "Occurrences",
    "describe_problem",
    "normalize",
    "occurrences",
    "parse_deadline",
]
MAX_CELL = 2000  # characters: a longer "deadline" is not a deadline phrase; never read


@dataclass(frozen=True)
class Deadline:
    kind: str  # one of KINDS
    start: date | None
    due: date | None
    every: str | None  # one of EVERY for "recurring", else None
    text: str  # the original text

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "start": self.start.isoformat() if self.start else None,
            "due": self.due.isoformat() if self.due else None,
            "every": self.every,
        }


# ---------------------------------------------------------------- normalisation
# Every pattern here is linear: no two quantifiers can take the same characters, so
# none rescans (a 10,000-character adversarial cell is read in milliseconds).

_TAGS = re.compile(r"<[^<>]*>")  # "[^<>]": an unclosed "<" never makes the next one rescan
_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_SIX = re.compile(r"\bsáu\b")  # "tháng Sáu" (six) before the accent goes: "sau" is "next"
_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_PUNCT = re.compile(r"[,;:]")
_SPACES = re.compile(r"\s+")
_Q_ABBREV = re.compile(r"\bq\.? ?(?=(?:i{1,3}|iv|0?[1-4])\b)")  # "Q3", "Q.3", "QIII" → "quy 3"
_T_ABBREV = re.compile(r"\bt\.?(?=(?:0?[1-9]|1[0-2])\b)")  # "T9/2026", "T.9" → "thang 9"
_OLD_QUY = re.compile(r"\bqui\b")  # "Quí III", "qui định": the old spelling of "quý", "quy"
# Dates as spreadsheets export them: "2026-10-31", "2026-10-31 00:00:00", "31/10/2026 0:00".
_ISO_DAY = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)(?:t(?=\d))?")
_CLOCK = re.compile(r"(?<=\d)\s+\d{1,2}:\d{2}(?::\d{2})?\b")  # the time of a date cell
# "Kế hoạch số 310/KH-UBND ngày 24/11/2025": a document's number and date, never a deadline.
_DOC_REF = re.compile(
    r"(?:\bso ?)?\b\d+(?:/\d{4})?/[a-z][a-z0-9.\-]*(?:/[a-z0-9.\-]+)*"
    r"(?: ?ngay ?\d{1,2} ?[/.\-] ?\d{1,2} ?[/.\-] ?\d{4})?"
)
_FILLER = re.compile(
    r"^(?:(?:thoi gian(?: thuc hien| hoan thanh)?|thoi han|han chot|han cuoi(?! (?:nam|quy|thang)\b)|"
    r"han (?:nop|bao cao|hoan thanh)|han|hoan thanh|xong|"
    r"thuc hien|trien khai|du kien|dinh ky|giai doan|trong(?! nam\b)|vao|la) )+"
)
# "Duy trì thường xuyên", "Tổ chức thường xuyên": a verb before "thường xuyên" changes nothing.
_CONTINUOUS = re.compile(
    r"^(?:(?:duy tri|to chuc|cap nhat|theo doi|ra soat|kiem tra|tuyen truyen) )?"
    r"(?:thuong xuyen|lien tuc|hang ngay|hang tuan|moi ngay|moi tuan)\b"
)
_ON_REQUEST = re.compile(
    r"^(?:(?:theo|khi co|khi|ngay khi co|ngay khi)\s+(?:yeu cau|chi dao|huong dan|de nghi|"
    r"thong bao|ke hoach|quy dinh|van ban|quyet dinh|cong van|chi thi|chuong trinh|"
    r"tien do|lo trinh|lich|thoi gian quy dinh)|khi co|khi duoc|khi nhan duoc|khi phat sinh|"
    r"(?:ngay )?sau khi [a-z]+|(?:va )?dot xuat)\b"
)


def _drop_notes(text: str) -> str:
    """Drop "(...)" and "[...]" notes, nested or left open, in one pass."""
    if "(" not in text and "[" not in text:
        return text
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
    text = _SIX.sub("6", text.casefold()).replace("đ", "d").replace("ð", "d")
    text = _MARKS.sub("", unicodedata.normalize("NFD", text))
    text = _drop_notes(_DASHES.sub("-", text))
    text = _CLOCK.sub(" ", _ISO_DAY.sub(r"\3/\2/\1 ", text))
    text = _SPACES.sub(" ", _PUNCT.sub(" ", text)).strip(" .")
    return _T_ABBREV.sub("thang ", _Q_ABBREV.sub("quy ", _OLD_QUY.sub("quy", text)))


# ---------------------------------------------------------------- public API


def _prepare(text: str) -> tuple[str, list[str], bool]:
    """The normalised text without leading filler words, the tokens to parse, and
    whether it said "Định kỳ". Document references and a trailing "theo ..." note are
    dropped, so their dates are never read as deadlines."""
    norm = normalize(text) + " "
    filler = _FILLER.match(norm)
    said = filler.group(0) if filler else ""
    norm = norm[len(said) :].strip()
    tokens = tokenize(_DOC_REF.sub(" ", norm))
    for i, tok in enumerate(tokens):  # "… theo Kế hoạch số …", but not "các năm tiếp theo"
        if tok == "theo" and i and tokens[i - 1] != "tiep":
            tokens = tokens[:i]
            break
    while tokens and tokens[-1] == ".":
        tokens.pop()
    return norm, tokens, "dinh ky" in said


def parse_deadline(text: str, plan_year: int, today: date) -> Deadline:
    """Read a deadline phrase; ``plan_year`` fills a missing year, ``today`` picks the
    current occurrence of a recurring one. Never raises; a text longer than
    :data:`MAX_CELL` is ``unknown``."""
    text = text or ""
    if len(text) > MAX_CELL:
        return Deadline("unknown", None, None, None, text)
    try:
        return _parse(text, plan_year, today)
    except (ValueError, OverflowError):  # an impossible date such as 31/02
        return Deadline("unknown", None, None, None, text)


def _parse(text: str, plan_year: int, today: date) -> Deadline:
    norm, tokens, periodic = _prepare(text)
    if _CONTINUOUS.match(norm):
        return Deadline("continuous", None, None, None, text)
    if _ON_REQUEST.match(norm):
        return Deadline("on_request", None, None, None, text)
    found_rule = rule(tokens, periodic)
    if found_rule is not None:
        every, occ = found_rule
        windows = occ(plan_year)
        if not windows:
            return Deadline("unknown", None, None, None, text)
        start, due = _current(windows, today)
        return Deadline("recurring", start, due, every, text)
    c = Cursor(tokens)
    found = one_off(c)
    if found is None or not c.done():
        found = _stretch(tokens)
    if not tokens or found is None:
        return Deadline("unknown", None, None, None, text)
    how, what = found
    start, due = window(what, plan_year)
    if how == "before":
        return Deadline("due", None, start - timedelta(days=1), None, text)
    if how == "by" or (isinstance(what, Point) and what.unit == "day"):
        return Deadline("due", None, due, None, text)
    return Deadline("period", start, due, None, text)


def _stretch(tokens: list[str]) -> tuple[str, Span] | None:
    """A list without a gap read as one period ("Tháng 5, 6, 7/2026"), or None."""
    c = Cursor(tokens)
    items = listed(c)
    joined = stretch(items) if items is not None and c.done() else None
    return None if joined is None else ("plain", joined)


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
            _norm, tokens, periodic = _prepare(deadline.text[: MAX_CELL + 1])
            found = rule(tokens, periodic)
            if found is not None:
                return found[1](plan_year)
        except (ValueError, OverflowError):
            pass
    if deadline.kind in ("due", "period", "recurring") and deadline.due is not None:
        return [(deadline.start or deadline.due, deadline.due)]
    return []


_QUOTED = 80  # characters of an unreadable deadline quoted back
_EXAMPLES = N_("«Trước ngày 15/01/2026», «Quý III/2026» hoặc «Thường xuyên»")


def describe_problem(deadline: Deadline) -> str | None:
    """A short Vietnamese explanation for a deadline that could not be read, else None."""
    if deadline.kind != "unknown":
        return None
    text = " ".join(deadline.text[: MAX_CELL + 1].split())
    if len(text) > _QUOTED:  # never echo a whole long cell
        text = text[: _QUOTED - 1].rstrip() + "…"
    if not text:
        return _("Chưa có thời hạn; cần nhập theo dạng {examples}").format(examples=_(_EXAMPLES))
    if re.search(r"\d{1,2}\s*[/.\-]\s*\d{1,2}", text):
        return _(
            "Thời hạn «{text}» có ngày không đúng hoặc không rõ; cần nhập lại theo dạng {examples}"
        ).format(text=text, examples=_(_EXAMPLES))
    return _("Không hiểu thời hạn «{text}»; cần nhập lại theo dạng {examples}").format(
        text=text, examples=_(_EXAMPLES)
    )
