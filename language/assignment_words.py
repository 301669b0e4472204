"""Reading a task the city gives: ``/giao ĐƠN_VỊ: nội dung, hạn …, theo Công văn số …
của UBND thành phố`` (``read_assignment``) or the text of the letter itself, forwarded
(``read_letter``), into its four parts: the unit as typed, the content, the deadline (by
the plans' deadline grammar, ``language.deadlines``) and the source document.

A part that is not there is empty; a deadline that is there but cannot be read, or two
different deadlines, is a ``problem``: the caller asks, it never guesses. Which unit the
typed name is, is the caller's business (the organization's units, by the unit-name
rules of the plans). Pure functions; every pattern is linear in the length of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from language.deadlines import Deadline, describe_problem, parse_deadline
from language.task_refs import fold_same_length
from locales import _

MAX_TEXT = 4000  # characters read: a letter longer than this is read up to here
MAX_UNIT = 80  # characters before ":" that may name a unit
PARTS = ("unit", "content", "deadline", "source")

# A document: "Công văn số 1234/UBND-NV ngày 01/12/2026 của UBND thành phố", "QĐ 12/QĐ-UBND",
# "Thông báo kết luận số …"; or an instruction without a number ("theo chỉ đạo của …").
_DOC_WORDS = (
    r"(?:cong van|van ban|quyet dinh|ke hoach|thong bao(?: ket luan)?|chi thi|ket luan"
    r"|cong dien|phieu chuyen|giay moi|cv|qd|kh|tb)"
)
_SOURCE = re.compile(
    rf"(?<!\w)(?:(?:theo|tai|can cu|thuc hien)\s+)?(?:{_DOC_WORDS}\s+(?:so\s*:?\s*)?\d"
    r"|(?:y kien\s+)?chi dao\s+(?:cua|tai)\s)"
)
# A deadline opens with one of these words and a date, a month or a quarter.
_DEADLINE = re.compile(
    r"(?<!\w)(?:thoi han|han chot|han|cham nhat|hoan thanh truoc|xong truoc|truoc|den ngay"
    r"|trong)\b[\s:]*(?:la\s+|vao\s+)?(?:ngay\s+)?(?=\d|thang\s|quy\s)"
)
_CLAUSE_END = re.compile(r"[,;\n()]|\.(?:\s|$)|\s(?:theo|tai|va|de)\s")
_YEAR = re.compile(r"\d{4}")
_TRIM = " \t\r\n,;:.-–—()"
_JOINERS = re.compile(r"(?:\s+(?:va|theo|tai|voi|hoan thanh|thuc hien))+\s*$")

# A letter: its number ("Số: 1234/UBND-NV"), date and subject line ("V/v …").
_NUMBER = re.compile(r"(?<!\w)so\s*:?\s*(\d{1,6}/[a-z0-9\-/.đ]+)")
_DATED = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_SUBJECT = re.compile(r"(?<!\w)(?:v/v|ve viec)[\s:.]*([^\n]+)")
_KINDS = (
    ("quyet dinh", "Quyết định"),
    ("ke hoach", "Kế hoạch"),
    ("thong bao", "Thông báo"),
    ("chi thi", "Chỉ thị"),
)
_ISSUERS = (
    ("chu tich uy ban nhan dan thanh pho", "Chủ tịch UBND thành phố"),
    ("uy ban nhan dan thanh pho", "UBND thành phố"),
    ("ubnd thanh pho", "UBND thành phố"),
    ("uy ban nhan dan tinh", "UBND tỉnh"),
    ("ubnd tinh", "UBND tỉnh"),
)


@dataclass(frozen=True)
class Assignment:
    unit: str = ""  # as typed ("Phòng Văn hóa - Xã hội"); "" when not said
    content: str = ""
    deadline_text: str = ""  # the words read as the deadline, as typed
    deadline: Deadline | None = None  # None: no deadline; kind "unknown": unreadable
    source: str = ""  # "Công văn số 1234/UBND-NV … của UBND thành phố"
    problem: str | None = None  # why the deadline is unclear, in words

    @property
    def deadline_clear(self) -> bool:
        return self.deadline is not None and self.deadline.kind != "unknown" and not self.problem

    def missing(self) -> list[str]:
        """The parts still to ask for, in the order they are asked (``PARTS``)."""
        found = {
            "unit": bool(self.unit),
            "content": bool(self.content),
            "deadline": self.deadline_clear,
            "source": bool(self.source),
        }
        return [part for part in PARTS if not found[part]]


def _tidy(text: str) -> str:
    return " ".join(text.split()).strip(_TRIM)


def _clause_end(folded: str, start: int) -> int:
    ends = [len(folded)]
    for pattern in (_CLAUSE_END, _DEADLINE):
        if found := pattern.search(folded, start):
            ends.append(found.start())
    return min(ends)


def read_deadline(text: str, today: date) -> Deadline:
    """A deadline phrase by the plans' grammar; a date without a year that has passed
    this year is next year's ("trước 20/3" typed in December)."""
    deadline = parse_deadline(text, today.year, today)
    if deadline.due is not None and deadline.due < today and not _YEAR.search(text):
        later = parse_deadline(text, today.year + 1, today)
        if later.kind != "unknown":
            return later
    return deadline


def deadline_problem(deadline: Deadline, today: date) -> str | None:
    """Why a deadline cannot be taken as it is, in words; None when it can."""
    if deadline.kind == "unknown":
        return describe_problem(deadline)
    if deadline.due is not None and deadline.due < today:
        return _("Hạn «{text}» đã qua.").format(text=_tidy(deadline.text))
    return None


def _source_span(folded: str) -> tuple[int, int] | None:
    match = _SOURCE.search(folded)
    if match is None:
        return None
    start = match.start()
    opened = folded.rfind("(", 0, start)
    if opened != -1 and not folded[opened + 1 : start].strip(" "):
        start = opened  # "(Công văn số …)"
        close = folded.find(")", start)
        return start, (close + 1 if close != -1 else len(folded))
    ends = [len(folded)]
    for pattern in (re.compile(r"[;\n]"), _DEADLINE):
        found = pattern.search(folded, match.end())
        if found:
            ends.append(found.start())
    comma = re.compile(r",\s*(?=" + _DEADLINE.pattern + ")").search(folded, match.end())
    if comma:
        ends.append(comma.start())
    return start, min(ends)


def _source_text(original: str) -> str:
    text = _tidy(original)
    folded = fold_same_length(text)
    for word in ("theo ", "tai ", "can cu ", "thuc hien "):
        if folded.startswith(word):
            text = text[len(word) :]
            break
    return text[:1].upper() + text[1:]


def _deadlines(text: str, folded: str, today: date) -> list[tuple[int, int, Deadline]]:
    found = []
    for match in _DEADLINE.finditer(folded):
        end = _clause_end(folded, match.end())
        phrase = text[match.start() : end].strip(_TRIM)
        found.append((match.start(), end, read_deadline(phrase, today)))
    return found


def _deadline_parts(
    text: str, folded: str, today: date
) -> tuple[str, Deadline | None, str | None, list[tuple[int, int]]]:
    """(the words, the deadline, a problem, the spans saying it) of the deadline said."""
    found = _deadlines(text, folded, today)
    if not found:
        return "", None, None, []
    readable = [f for f in found if f[2].kind != "unknown"]
    dues = {(d.kind, d.start, d.due) for _s, _e, d in readable}
    if len(dues) > 1:
        said = "; ".join(_tidy(d.text) for _s, _e, d in readable)
        return "", None, _("Có nhiều hạn khác nhau ({dates}).").format(dates=said), []
    start, end, deadline = readable[0] if readable else found[0]
    spans = [(s, e) for s, e, _d in readable] or [(start, end)]
    return _tidy(deadline.text), deadline, deadline_problem(deadline, today), spans


def read_assignment(text: str, today: date) -> Assignment:
    """The parts of ``/giao``'s words: "ĐƠN_VỊ: nội dung, hạn …, theo Công văn số …"."""
    text = text[:MAX_TEXT]
    folded = fold_same_length(text)
    unit = ""
    colon = text.find(":")
    if 0 < colon <= MAX_UNIT and not _DEADLINE.search(folded[: colon + 1]):
        if _SOURCE.search(folded[:colon]) is None:
            unit, text, folded = _tidy(text[:colon]), text[colon + 1 :], folded[colon + 1 :]
    source = ""
    span = _source_span(folded)
    if span is not None:
        source = _source_text(text[span[0] : span[1]])
        text = text[: span[0]] + " " + text[span[1] :]
        folded = folded[: span[0]] + " " + folded[span[1] :]
    words, deadline, problem, spans = _deadline_parts(text, folded, today)
    for start, end in reversed(spans):
        text = text[:start] + " " + text[end:]
    content = _tidy(re.sub(r"\s+,", ",", text))
    joined = _JOINERS.search(fold_same_length(content))
    if joined:
        content = _tidy(content[: joined.start()])
    content = content[:1].upper() + content[1:]
    return Assignment(unit, content, words, deadline, source, problem)


def _letter_source(text: str, folded: str) -> str:
    number = _NUMBER.search(folded)
    if number is None:
        return ""
    kind = next((name for word, name in _KINDS if word in folded[: number.start()]), "Công văn")
    parts = [f"{kind} số {text[number.start(1) : number.end(1)]}"]
    dated = _DATED.search(folded)
    if dated:
        day, month, year = (int(g) for g in dated.groups())
        parts.append(f"ngày {day:02d}/{month:02d}/{year}")
    issuer = next((name for word, name in _ISSUERS if word in folded), None)
    if issuer:
        parts.append(f"của {issuer}")
    return " ".join(parts)


def read_letter(text: str, today: date) -> Assignment:
    """The parts of a letter's text (a forwarded Công văn): its subject line ("V/v …")
    as the content, the deadline it asks for, its number and date as the source. A
    text that is not shaped like a letter is read as ``/giao``'s words."""
    text = text[:MAX_TEXT]
    folded = fold_same_length(text)
    subject = _SUBJECT.search(folded)
    source = _letter_source(text, folded)
    if subject is None and not source:
        return read_assignment(text, today)
    content = ""
    if subject is not None:
        content = _tidy(text[subject.start(1) : subject.end(1)])
        content = content[:1].upper() + content[1:]
    body_start = subject.end() if subject is not None else 0
    body = text[body_start:]
    words, deadline, problem, _spans = _deadline_parts(body, folded[body_start:], today)
    return Assignment("", content, words, deadline, source, problem)


def combine(typed: Assignment, letter: Assignment) -> Assignment:
    """``/giao``'s own words over the letter it answers: what was typed wins."""
    merged = letter
    if typed.unit:
        merged = replace(merged, unit=typed.unit)
    if typed.content and not typed.unit and not (typed.deadline_text or typed.source):
        merged = replace(merged, unit=typed.content)  # "/giao Phòng Kinh tế" under a letter
    elif typed.content:
        merged = replace(merged, content=typed.content)
    if typed.deadline_text or typed.problem:
        merged = replace(
            merged,
            deadline_text=typed.deadline_text,
            deadline=typed.deadline,
            problem=typed.problem,
        )
    if typed.source:
        merged = replace(merged, source=typed.source)
    return merged
