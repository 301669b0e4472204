"""Understanding an officer's free-text status reply ("Hoàn thành, QĐ số 12/QĐ-UBND ...").

Hand-written, because no library understands these replies: officers answer from their
phones, often without diacritics ("chua thuc hien, ly do cho huong dan"), in the phrases
of the official reports ("Đã thực hiện và tiếp tục thực hiện cả năm 2026"). Matching runs
on a folded copy (casefold, diacritics stripped, đ→d, spaces collapsed) that keeps a map
back to the original, so reasons and document references are returned as written.

Decisions, in the order they are applied (first match wins):
extension ("xin gia hạn/lùi hạn …", not negated) → not_applicable ("chưa/không phát
sinh", "không áp dụng") → not_started ("chưa/không thực hiện|làm|triển khai…", "không
hoàn thành (được)", "chưa đến thời gian…", a reply opening with "đang chờ/chờ", or 0%)
→ in_progress ("chưa/sắp/gần … xong|hoàn thành", any percent below 100, the
continuous-task phrases "tiếp tục thực hiện", "thường xuyên", "cả năm") → done (100%)
→ in_progress ("đang thực hiện|làm|…", even beside "xong") → done ("hoàn thành", "xong",
"HT", "đã ban hành|tổ chức|gửi|…", or only a document reference and no "?") → unknown.
So "chưa hoàn thành" is in progress (not yet finished) while "không hoàn thành" is not
started (will not be finished); "chưa" alone stays unknown. A reason is what follows
"lý do", "nguyên nhân", "vì", "do", "bởi" (one-word markers only unaccented or with their
own accent, so "đơn vị", "đó" never start one). Without a marker, a not-started reply
takes the rest of its clause ("chưa làm, chờ kinh phí") and an extension the two or more
words after its date ("đến 20/12 chờ kinh phí", not "đến 20/12 ạ"); done has no reason.
Extension dates are read by our own grammar (dd/mm[/yyyy], "20 tháng 12", "tháng
7-9/2026", "quý III", "cuối năm", "thêm 10 ngày (làm việc)", "thứ sáu tuần sau"); only
the rest goes to dateparser ("ngày mai", "tuần sau"). A date without a year that has
passed means next year; working days skip weekends and Vietnamese holidays.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import dateparser
import holidays

SURE = 0.75  # a reading at least this sure is recorded without asking

STATUSES = ("done", "in_progress", "not_started", "not_applicable", "extension", "unknown")


@dataclass(frozen=True)
class StatusReading:
    status: str
    percent: int | None
    reason: str | None
    evidence: tuple[str, ...]
    until: date | None
    text: str
    confidence: float = 1.0

    def to_json(self) -> dict:
        return {
            "status": self.status,
            "percent": self.percent,
            "reason": self.reason,
            "evidence": list(self.evidence),
            "until": self.until.isoformat() if self.until else None,
        }


# --- folding -------------------------------------------------------------------------


def _fold(text: str) -> tuple[str, list[int]]:
    """Casefolded, accent-free, space-collapsed copy; pos[i] = index in ``text``."""
    out: list[str] = []
    pos: list[int] = []
    i = 0
    while i < len(text):
        if text[i].isspace():
            j = i
            while j < len(text) and text[j].isspace():
                j += 1
            if out:
                out.append("\n" if "\n" in text[i:j] or "\r" in text[i:j] else " ")
                pos.append(i)
            i = j
            continue
        for c in unicodedata.normalize("NFD", text[i].casefold()):
            if not unicodedata.combining(c):
                out.append("d" if c in "đð" else c)
                pos.append(i)
        i += 1
    return "".join(out), pos


def _span(text: str, pos: list[int], start: int, end: int) -> str:
    """The original text behind folded[start:end], trailing combining marks included."""
    if start >= end:
        return ""
    stop = pos[end - 1] + 1
    while stop < len(text) and unicodedata.combining(text[stop]):
        stop += 1
    return text[pos[start] : stop]


_PUNCT = " \t\r\n.,;:-–—!?\"'()[]…"
_NEG_WORDS = {"chua", "khong", "ko", "k", "kg", "khg", "chang", "hong", "sap", "gan"}


def _negated(n: str, start: int) -> bool:
    """Is one of the two words before ``start`` (same clause) a negation?"""
    words = re.split(r"[.,;:!?\n]", n[:start])[-1].split()[-2:]
    return any(w in _NEG_WORDS for w in words)


# --- evidence ------------------------------------------------------------------------

_TYPES = (
    r"quyet dinh|qd|ke hoach|kh|cong van|cv|bao cao|bc|thong bao|tb|to trinh|ttr"
    r"|nghi quyet|nq|chi thi|ct|huong dan|hd|giay moi|gm"
)
_SYMBOL = r"\d+(?:/\d{4})?/[a-z][a-z0-9]*(?:[-/][a-z][a-z0-9]*)*"
_ISSUED = (
    r"(?:\s?,?\s?ngay\s?:?\s?(?:\d{1,2}\s?[/.-]\s?\d{1,2}(?:\s?[/.-]\s?\d{4}|\s?[/.-]\s?\d{2}\b)?"
    r"|\d{1,2}\sthang\s\d{1,2}(?:\snam\s\d{4})?))?"
)
_EVIDENCE = re.compile(
    rf"\b(?:(?:{_TYPES})\s?(?:so\s?:?\s?)?(?P<sym>{_SYMBOL})"
    rf"|(?:{_TYPES})\sso\s?:?\s?(?P<num>\d+)\b"
    rf"|(?P<bare>\d+(?:/\d{{4}})?/[a-z][a-z0-9]*-[a-z][a-z0-9]*(?:[-/][a-z][a-z0-9]*)*))"
    rf"{_ISSUED}"
)


def extract_evidence(text: str) -> list[str]:
    """Document references ("QĐ số 12/QĐ-UBND ngày 09/01/2026", "CV 45/UBND") as written,
    in order; one per number/symbol (the first spelling wins)."""
    n, pos = _fold(text)
    found: list[str] = []
    seen: set[str] = set()
    for m in _EVIDENCE.finditer(n):
        key = m.group("sym") or m.group("bare") or m.group(0)
        if key not in seen:
            seen.add(key)
            found.append(_span(text, pos, m.start(), m.end()))
    return found


# --- reason --------------------------------------------------------------------------

_REASON = re.compile(
    r"\b(ly do|li do|nguyen nhan|boi vi|tai vi|(?<!don )(?<!dia )vi(?! tri\b)|(?<!sau )do|boi)\b"
    r"\s?[:\-–]?\s?"
)
_ACCENTED_AS = {"vi": {"vi", "vì"}, "do": {"do"}, "boi": {"boi", "bởi"}}
_CLAUSE_END = re.compile(r"[.;!?](?=\s|$)|\n")


def _clause(text: str, n: str, pos: list[int], start: int) -> str | None:
    """Original text from ``start`` to the end of its clause, trimmed; None if empty."""
    start += len(n[start:]) - len(n[start:].lstrip(" ,:-–"))
    end = _CLAUSE_END.search(n, start)
    return _span(text, pos, start, end.start() if end else len(n)).strip(_PUNCT) or None


def _reason(text: str, n: str, pos: list[int]) -> tuple[str | None, int | None]:
    """(reason, where its marker starts in the folded text)."""
    for m in _REASON.finditer(n):
        word = m.group(1)
        written = unicodedata.normalize("NFC", _span(text, pos, *m.span(1))).casefold()
        if word in _ACCENTED_AS and written not in _ACCENTED_AS[word]:
            continue
        return _clause(text, n, pos, m.end()), m.start()
    return None, None


# --- dates asked for -----------------------------------------------------------------

_DATE_WORDS = re.compile(r"\b(\d{1,2})\sthang\s(\d{1,2})(?:\s(?:nam\s)?(\d{4}))?")
_PERIOD = re.compile(
    r"\b(?:thang\s(?P<m>\d{1,2})(?:\s?-\s?(?P<m2>\d{1,2}))?|quy\s(?P<q>iv|i{1,3}|[1-4])\b)"
    r"(?:(?:\s?/\s?|\snam\s)(?P<y>\d{4}))?"
)
_PERIOD_NOW = re.compile(r"\b(?:cuoi|het)\s(thang|quy|nam)\b")
_DMY = re.compile(r"(?<![\d/])(\d{1,2})\s?[/.-]\s?(\d{1,2})(?:\s?[/.-]\s?(\d{4}|\d{2}))?(?![\d/])")
_DELTA = re.compile(r"\b(\d{1,4})\s(ngay|tuan|thang)(\slam viec)?(?:\snua)?\b")
_WEEKDAY = re.compile(
    r"\b(?:thu\s?(hai|ba|tu|nam|sau|bay|[2-7])|t([2-7])|(chu nhat|cn))\b(\s(?:tuan\s)?(?:sau|toi))?"
)
_WEEKDAYS = {"hai": 0, "ba": 1, "tu": 2, "nam": 3, "sau": 4, "bay": 5}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_LEAD_WORDS = re.compile(r"^(?:(?:đến|tới|den|toi|sang|hết|het)\s+)+", re.IGNORECASE)


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


def _until(
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
            mo = {"thang": today.month, "quy": (today.month + 2) // 3 * 3, "nam": 12}[m[1]]
            found = _month_end(today.year, mo)
        elif m := _DMY.search(rest):
            found = _not_past(lambda y: date(y, int(m[2]), int(m[1])), year(m[3]), today)
        elif m := _DELTA.search(rest):
            k = int(m[1])
            if m[3]:
                found = _add_working_days(today, k)
            elif m[2] == "thang":
                found = _add_months(today, k)
            else:
                found = today + timedelta(days=k * (7 if m[2] == "tuan" else 1))
        elif m := _WEEKDAY.search(rest):
            word = m[1] or m[2] or ""
            wd = 6 if m[3] else _WEEKDAYS[word] if word in _WEEKDAYS else int(word) - 2
            ahead = 7 - today.weekday() + wd if m[4] else (wd - today.weekday() - 1) % 7 + 1
            found = today + timedelta(days=ahead)
        else:
            phrase = _LEAD_WORDS.sub("", _span(text, pos, start, stop).strip(_PUNCT))
            if not phrase or len(phrase) > 40:
                return None, stop
            base = datetime.combine(today, datetime.min.time())
            settings = {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": base}
            parsed = dateparser.parse(phrase, languages=["vi"], settings=settings)
            return (parsed.date() if parsed else None), stop
        return found, start + m.end()
    except Exception:  # 31/2, year 10000, dateparser on odd input: unread, never a crash
        return None, stop


# --- status --------------------------------------------------------------------------

_NEG = r"(?:chua|khong|ko|k|kg|khg|chang)"
_EXTENSION = re.compile(
    r"\b(?:gia han|lui(?:\sthoi)?\shan|keo dai(?:\sthoi)?\shan|doi han|xin\s(?:lui|hoan)"
    r"|xin(?:\sthem)?\sthoi gian)\b"
)
_NOT_APPLICABLE = re.compile(
    rf"\b{_NEG}\s(?:co\s)?(?:\w+\s){{0,3}}?phat sinh\b"
    r"|\bkhong\s(?:ap dung|thuoc\s(?:pham vi|tham quyen|doi tuong|dien))\b|\b(?:khong|chua) co ho so\b"
)
_NOT_STARTED = re.compile(
    rf"\b{_NEG}\s(?:(?:the|duoc|kip)\s)?(?:thuc hien|lam|trien khai|bat dau|to chuc|ban hanh"
    r"|xay dung|tien hanh|gui|nop)\b(?!\s(?:xong|hoan thanh|hoan tat)\b)(?:\sduoc\b)?"
    r"|\b(?:khong|ko|k|kg|khg)\s(?:the\s)?hoan thanh\b(?:\sduoc\b)?"
)
_NOT_YET_TIME = re.compile(r"\bchua\s(?:den|toi)\s(?:thoi gian|thoi diem|thoi han|han|ky|luc)\b")
_WAITING = re.compile(r"^(?:(dang)\s)?(cho)\b")
_UNFINISHED = re.compile(r"\b(?:chua|sap|gan)\s(?:\w+\s){0,3}?(?:xong|hoan thanh|hoan tat)\b")
_PERCENT = re.compile(r"(?<![\d.,])(\d+)(?:[.,]\d+)?\s?(?:%|phan tram\b)")
_CONTINUOUS = re.compile(
    r"\btiep tuc\s(?:thuc hien|trien khai|duy tri|lam)\b|\bthuong xuyen\b|\bca nam\b"
)
_STRONG_DONE = re.compile(r"\b(?:hoan thanh|hoan tat|xong)\b|^ht\b|\bda\sht\b")
_IN_PROGRESS = re.compile(
    r"\bdang\s(?:trong\s)?(?:thuc hien|lam|trien khai|xay dung|hoan thien|tong hop|du thao|soan"
    r"|trinh|xu ly|tien hanh|to chuc|ra soat|chuan bi|tham muu|lay y kien|kiem tra|giai quyet"
    r"|cap nhat|thi cong|phoi hop|tiep tuc|qua trinh)\b"
)
_WEAK_DONE = re.compile(
    r"\bda\s(?:duoc\s)?(?:ban hanh|to chuc|gui|nop|trien khai|thuc hien|xay dung|phe duyet|ky"
    r"|cap nhat|dang tai|bao cao|tham muu|tong hop|ra soat|kiem tra|cong khai|phat hanh"
    r"|thanh lap|tuyen truyen|trinh|lam|hop|ket thuc|giai quyet|chi tra)\b"
)


OUT_OF_RANGE = -1  # "150%": not a percent of work done; the reply is not understood


def _percent(n: str) -> int | None:
    m = _PERCENT.search(n)
    if not m:
        return None
    digits = m[1].lstrip("0") or "0"
    return OUT_OF_RANGE if len(digits) > 3 or int(digits) > 100 else int(digits)


def understand_status(text: str, today: date) -> StatusReading:
    """Read an officer's reply to a reminder; ``today`` anchors relative dates."""
    n, pos = _fold(text)
    evidence = tuple(extract_evidence(text))

    def read(
        status: str,
        percent: int | None = None,
        reason: str | None = None,
        until: date | None = None,
    ) -> StatusReading:
        percent = 100 if status == "done" else percent
        return StatusReading(status, percent, reason, evidence, until, text)

    if not n.strip():
        return read("unknown")
    reason, marker = _reason(text, n, pos)
    ext = next((m for m in _EXTENSION.finditer(n) if not _negated(n, m.start())), None)
    if ext:
        stop = marker if marker is not None and marker >= ext.end() else len(n)
        until, end = _until(text, n, pos, ext.end(), stop, today)
        if reason is None and until is not None:  # "đến 20/12 chờ kinh phí" (not "20/12 ạ")
            reason = _clause(text, n, pos, end)
            reason = reason if reason and len(reason.split()) > 1 else None
        return read("extension", reason=reason, until=until)
    if _NOT_APPLICABLE.search(n):
        return read("not_applicable", reason=reason)
    pct = _percent(n)
    if pct == OUT_OF_RANGE:
        return read("unknown")
    if m := _NOT_STARTED.search(n):
        return read(
            "not_started", pct if pct == 0 else None, reason or _clause(text, n, pos, m.end())
        )
    if m := _NOT_YET_TIME.search(n):
        return read("not_started", reason=reason or _clause(text, n, pos, m.start()))
    m = _WAITING.search(n)
    if m and (m[1] or unicodedata.normalize("NFC", _span(text, pos, *m.span(2))).lower() == "chờ"):
        return read("not_started", reason=reason or _clause(text, n, pos, m.start(2)))
    if pct == 0:
        return read("not_started", 0, reason)
    if _UNFINISHED.search(n) or (pct is not None and pct < 100):
        return read("in_progress", pct, reason)
    if _CONTINUOUS.search(n):
        return read("in_progress", None if pct == 100 else pct, reason)
    if pct == 100:
        return read("done")
    if _IN_PROGRESS.search(n):  # "đã xong phần 1, đang làm phần 2": not done yet
        return read("in_progress", pct, reason)
    if any(not _negated(n, m.start()) for m in _STRONG_DONE.finditer(n)):
        return read("done")
    if _WEAK_DONE.search(n) or (evidence and "?" not in text):
        return read("done")
    return read("unknown")


_ACKS = {"ok", "oke", "okay", "vang", "da", "da vang", "cam on", "cam on a", "thanks", "thank you",
         "da nhan", "huy", "thoi", "khong", "👍", "🙏", "chao", "hi"}


def is_acknowledgement(text: str) -> bool:
    n, _pos = _fold(text)
    return n.strip(_PUNCT) in _ACKS
