"""Which tasks a message names: "nhiệm vụ 32 …", "NV32", "nv 32:", "việc 32", "#32",
"32." or "32 -" at the start of a line, and "31 hoàn thành, 32 đang thực hiện 20%".

Hand-written (no library reads these). ``split_by_task`` cuts a message into one part
per task named, each with the words about that task; ``refers_to_all`` tells "cả 2 đều
xong" and "tất cả đã hoàn thành" apart from a reply about one task. Matching runs on a
folded copy (no diacritics, lower case) of the same length as the text, so the parts
are cut from the original words. Every pattern is linear in the length of the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_TASK_NUMBER = 9999  # plans have tens of tasks; a bigger number is not a task number


@dataclass(frozen=True)
class Part:
    number: str | None  # the task number as written ("32"); None: no task named
    text: str  # what the message says about it
    sure: bool = True  # False: the number may not be a task's ("…, 3 văn bản đã ban hành")


def fold_same_length(text: str) -> str:
    """Lower case without diacritics, one character for one (so spans map back)."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch.lower())[:1] or ch
        out.append("d" if base in "đð" else base if len(base) == 1 else ch)
    return "".join(out)


# A named task anywhere: "nhiệm vụ 32", "nv32", "NV 32", "việc 32", "#32"; a list of
# them shares what follows ("nhiệm vụ 2 và 27 đều đang thực hiện", "nv 28, 29 xong").
_ONE = r"(?:(?:nhiem\s?vu|nv|viec)\s?)?\d{1,4}\b(?![/.,]\d)"
_NAMED = re.compile(
    r"(?<![\w#])(?:nhiem\s?vu|nv|viec)\s?(?:so\s?)?(\d{1,4})\b(?![/.,]\d)"
    rf"((?:\s?(?:,|va|and|&)\s?{_ONE}(?!\s?(?:%|phan tram)))*)"
    r"|#(\d{1,4})\b"
)
_NUMBER = re.compile(r"\d{1,4}")
# A bare number opening a line: "32." "32 -" "32:" "32)" (not "15/01", "50%", "2.5").
_LINE_NUMBER = re.compile(r"(?m)^[ \t•*+-]*(\d{1,4})\s?(?:[.:)]|\s[-–—])(?!\d)")
# Words a status opens with, after a bare number: "31 hoàn thành, 32 đang thực hiện".
_STATUS_START = (
    r"(?:hoan thanh|hoan tat|xong|ht\b|dang|da|chua|khong|ko\b|xin|tiep tuc|done|finished"
    r"|completed|in progress|not\b)"
)
_LEADING_NUMBER = re.compile(rf"(?m)^[ \t•*+-]*(\d{{1,4}})\s+(?={_STATUS_START})")
_CLAUSE_NUMBER = re.compile(rf"(?:[,;]|\bva\b|\band\b)\s*(\d{{1,4}})\s+(?={_STATUS_START})")
# A bare number opening a clause before other words ("39 chưa làm vì …, 3 theo yêu cầu
# chưa phát sinh"): perhaps a task, perhaps "3 văn bản"; read as one, but asked about.
_WEAK_CLAUSE = re.compile(r"[,;]\s*(\d{1,4})\s+(?=[a-z])")
_CLAUSE_END = re.compile(r"[,;\n]")
_STATUS_WORD = re.compile(r"\b(?:hoan thanh|xong|chua|dang|khong|phat sinh|done)\b")

_ALL = re.compile(
    r"\b(?:tat ca|toan bo|ca\s(?:\d{1,2}|hai|ba|bon|nam)\b|ca\s(?:hai|2)\s(?:nhiem vu|viec)"
    r"|cac nhiem vu(?:\s(?:tren|nay|do))?|(?:deu|het)\s(?:da\s)?(?:xong|hoan thanh)|all\b|both\b)"
)
_TRIM = " \t\r\n.:;,-–—)•*+"
_COUNT_WORDS = {"hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "both": 2}
# "cả 2", "cả hai", "2 nhiệm vụ", "hai việc", "both": how many tasks the text speaks of.
_COUNT = re.compile(
    r"\b(?:ca\s(\d{1,2}|hai|ba|bon|nam)\b|(\d{1,2}|hai|ba|bon|tu|nam)\s(?:nhiem vu|viec|nv)\b"
    r"|(both)\b)"
)


def _refs(folded: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, numbers, sure) of each task reference, in order, overlaps removed; a
    list of tasks is one reference ("28,29")."""
    found: list[tuple[int, int, str, bool]] = []
    for m in _NAMED.finditer(folded):
        numbers = [m[1], *_NUMBER.findall(m[2] or "")] if m[1] else [m[3]]
        found.append((m.start(), m.end(), ",".join(numbers), True))
    for m in _LINE_NUMBER.finditer(folded):
        found.append((m.start(1), m.end(), m[1], True))
    opens_with_task = bool(_LEADING_NUMBER.match(folded) or _LINE_NUMBER.match(folded))
    if opens_with_task or found:
        # Bare numbers inside a line count only in a message that opens with a task
        # ("31 hoàn thành, 32 …"): "Hoàn thành, 3 văn bản" names no task 3.
        for m in _LEADING_NUMBER.finditer(folded):
            found.append((m.start(1), m.end(1), m[1], True))
        for m in _CLAUSE_NUMBER.finditer(folded):
            found.append((m.start(1), m.end(1), m[1], True))
    if opens_with_task:
        for m in _WEAK_CLAUSE.finditer(folded):
            end = _CLAUSE_END.search(folded, m.end())
            if _STATUS_WORD.search(folded, m.end(), end.start() if end else len(folded)):
                found.append((m.start(1), m.end(1), m[1], False))
    found.sort(key=lambda ref: (ref[0], not ref[3]))  # a sure reading wins a tie
    kept: list[tuple[int, int, str, bool]] = []
    for ref in found:
        if kept and ref[0] < kept[-1][1]:
            continue
        if all(0 < int(n) <= MAX_TASK_NUMBER for n in ref[2].split(",")):
            kept.append(ref)
    return kept


def split_by_task(text: str) -> list[Part]:
    """One part per task named, in order; a list of tasks shares its words. Words before
    the first task named belong to it ("Đã xong nhiệm vụ 6 rồi ạ"). A message naming no
    task is one part with no number."""
    folded = fold_same_length(text)
    refs = _refs(folded)
    if not refs:
        return [Part(None, text.strip())]
    parts: list[Part] = []
    preamble = text[: refs[0][0]].strip(_TRIM)
    for i, (_start, end, numbers, sure) in enumerate(refs):
        stop = refs[i + 1][0] if i + 1 < len(refs) else len(text)
        said = text[end:stop].strip(_TRIM)
        if i == 0 and preamble:  # "Đã xong nhiệm vụ 6 rồi ạ", "Hoàn thành nhiệm vụ 17"
            said = f"{preamble} {said}".strip()
        for number in numbers.split(","):
            parts.append(Part(str(int(number)), said, sure))
    return _merge_same(parts)


def _merge_same(parts: list[Part]) -> list[Part]:
    """ "NV 3: xong. Nhiệm vụ 3 có QĐ số …" is one part about task 3."""
    merged: dict[str | None, str] = {}
    sure: dict[str | None, bool] = {}
    for part in parts:
        merged[part.number] = (
            merged[part.number] + ". " if part.number in merged else ""
        ) + part.text
        sure[part.number] = sure.get(part.number, True) and part.sure
    return [Part(number, said, sure[number]) for number, said in merged.items()]


def named_count(text: str) -> int | None:
    """How many tasks a reply says it speaks of ("cả 2 đều xong" → 2), or None when it
    names no count ("tất cả đã xong"). "Tất cả" for a reminder of 12 tasks must not
    record 12 when the officer wrote "cả 2"."""
    match = _COUNT.search(fold_same_length(text))
    if match is None:
        return None
    word = next(g for g in match.groups() if g)
    return int(word) if word.isdigit() else _COUNT_WORDS[word]


def refers_to_all(text: str) -> bool:
    """Does a reply speak of several tasks at once ("cả 2 đều xong", "tất cả đã hoàn
    thành", "all done")?"""
    return _ALL.search(fold_same_length(text)) is not None
