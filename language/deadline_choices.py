"""What a deadline cell the grammar cannot read may mean, built from the numbers in it
(issue 26): "Đầu quý III/2026" → «Quý III/2026» or «Chậm nhất ngày 30/09/2026»;
"30/9/2026 hoặc sớm hơn" → «Chậm nhất ngày 30/09/2026»; "Tháng 9/2026 hoặc tháng 10/2026"
→ «Tháng 9/2026», «Tháng 10/2026». Each choice is a phrase the grammar reads, with its
reading, so that a person picks what the cell means with one tap (a number on Zalo)
and nothing is guessed. Part of the hand-written deadline grammar.

Pure: no I/O and no clock; at most :data:`MAX_CHOICES` choices, in the order the
numbers are written, then the two that need no number ("Thường xuyên", "Theo yêu cầu").
The import flow that shows them and keeps the choice for the next import of the same
text (keyed by :func:`cell_key`) is ``handlers.imports.unread_cells``.
"""

from __future__ import annotations

import hashlib
import re
from calendar import monthrange
from datetime import date

from language.deadlines import MAX_CELL, Deadline, normalize, parse_deadline

MAX_CHOICES = 4
NO_NUMBER = ("Thường xuyên", "Theo yêu cầu")  # what a cell may mean whatever it says
KEY_CHARS = 200  # a kept choice's key: a longer cell is its start and a digest
_ROMAN = ("", "I", "II", "III", "IV")
_NUMBERS = re.compile(
    r"(?<![\d/])(?P<d>\d{1,2}) ?/ ?(?P<m>\d{1,2})(?: ?/ ?(?P<y>\d{4}))?(?![\d/])"
    r"|\bthang (?P<month>\d{1,2})(?: ?/ ?(?P<my>\d{4}))?\b"
    r"|\bquy (?P<q>iv|i{1,3}|[1-4])\b(?: ?/ ?(?P<qy>\d{4}))?"
    r"|(?<![\d/])(?P<year>20\d{2})(?![\d/])"
)
_YEAR = re.compile(r"(?<!\d)20\d{2}(?!\d)")


def _day_phrases(day: int, month: int, year: int) -> list[str]:
    if not 1 <= month <= 12 or not 1 <= day <= monthrange(year, month)[1]:
        return []
    return [f"Chậm nhất ngày {day:02d}/{month:02d}/{year}"]


def _phrases(m: re.Match[str], plan_year: int) -> list[str]:
    if m["d"]:
        return _day_phrases(int(m["d"]), int(m["m"]), int(m["y"] or plan_year))
    if m["month"]:
        month, year = int(m["month"]), int(m["my"] or plan_year)
        if not 1 <= month <= 12:
            return []
        return [
            f"Tháng {month}/{year}",
            f"Chậm nhất ngày {monthrange(year, month)[1]}/{month:02d}/{year}",
        ]
    if m["q"]:
        q = int(m["q"]) if m["q"].isdigit() else _ROMAN.index(m["q"].upper())
        year = int(m["qy"] or plan_year)
        end = date(year, 3 * q, monthrange(year, 3 * q)[1])
        return [f"Quý {_ROMAN[q]}/{year}", f"Chậm nhất ngày {end:%d/%m/%Y}"]
    return [f"Năm {m['year']}"]


def choices(text: str, plan_year: int, today: date) -> list[tuple[str, Deadline]]:
    """Up to :data:`MAX_CHOICES` (phrase, reading) pairs for an unreadable cell, from
    the dates, months, quarters and years written in it; none for a cell without one."""
    found: list[tuple[str, Deadline]] = []
    tried: set[str] = set()  # "quý I" written 600 times is read once
    for m in _NUMBERS.finditer(normalize(text[:MAX_CELL])):
        for phrase in _phrases(m, plan_year):
            if phrase in tried:
                continue
            tried.add(phrase)
            reading = parse_deadline(phrase, plan_year, today)
            if reading.kind != "unknown":
                found.append((phrase, reading))
            if len(found) == MAX_CHOICES:
                return found
    return found


def all_choices(text: str, plan_year: int, today: date) -> list[tuple[str, Deadline]]:
    """What a person picks from for an unreadable cell: :func:`choices`, then
    :data:`NO_NUMBER` (a cell with no number may still be a standing task)."""
    found = choices(text, plan_year, today)
    return found + [(p, parse_deadline(p, plan_year, today)) for p in NO_NUMBER]


def cell_key(text: str) -> str:
    """The key a choice is kept under: the cell as the grammar reads it (case, marks
    and spaces aside), so "Đầu quý III/2026" and "dau  quy III/2026" share one."""
    folded = normalize(text[:MAX_CELL])
    if len(folded) <= KEY_CHARS:
        return folded
    digest = hashlib.sha256(folded.encode()).hexdigest()[:32]
    return f"{folded[: KEY_CHARS - 33]}#{digest}"


def for_year(phrase: str, chosen_year: int, plan_year: int, text: str) -> str:
    """The kept ``phrase`` for a plan of ``plan_year``: a cell that names no year
    ("Đầu quý III") chosen as «Quý III/2026» for the 2026 plan is «Quý III/2027» in the
    2027 plan; a cell that names its year keeps the phrase as chosen."""
    shift = plan_year - chosen_year
    if not shift or _YEAR.search(normalize(text[:MAX_CELL])):
        return phrase
    return _YEAR.sub(lambda m: str(int(m.group()) + shift), phrase)
