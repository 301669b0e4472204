"""When the work was done, which is not always when it was typed: a decision dated 20/01
reported on 03/11 was done on 20/01, on time. The date comes from the reply itself —
"xong từ ngày 15/1", "hoàn thành ngày 15/01/2026" — or else from the newest document it
names ("Quyết định số 12/QĐ-UBND ngày 09/01/2026"); without either, or when the date
read is after the moment of recording (work cannot be done in the future), it is the day
the report was recorded. Pure rules, for ``models.progress_queries``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

from models.unit_names import fold

# Matched on folded text: "xong tu ngay 15/1", "hoan thanh ngay 15/01/2026", "xong 15/1".
_SAID = re.compile(
    r"\b(?:xong|hoan thanh|da thuc hien)\s*(?:tu\s+|vao\s+|tu\s+ngay\s+|ngay\s+|vao\s+ngay\s+)?"
    r"(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{2,4}))?\b"
)
_DOCUMENT_DATE = re.compile(r"\bngay\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b")
OLDEST = timedelta(days=2 * 366)  # a date further back is a misreading, not the work


def _day(day: str, month: str, year: str | None, recorded: date) -> date | None:
    try:
        if year is None:  # "15/1": of the year it was recorded in
            return date(recorded.year, int(month), int(day))
        number = int(year)
        return date(number + 2000 if number < 100 else number, int(month), int(day))
    except ValueError:
        return None


def _usable(found: date | None, recorded: date) -> bool:
    return found is not None and recorded - OLDEST <= found <= recorded


def completed_on(text: str, evidence: Iterable[str], recorded: date) -> date:
    """The day the work of a "done" report was done (see the module's rule)."""
    said = _SAID.search(fold(text))
    if said:
        found = _day(*said.groups(), recorded)
        if _usable(found, recorded):
            return found  # type: ignore[return-value]
    dates = [
        found
        for item in evidence
        for match in _DOCUMENT_DATE.finditer(fold(item))
        if _usable(found := _day(*match.groups(), recorded), recorded)
    ]
    return max(dates) if dates else recorded


def completion_in_future(text: str, recorded: date) -> bool:
    """The reply names a completion day after the moment of recording ("xong ngày
    20/12" typed on 03/11), which is refused rather than believed."""
    said = _SAID.search(fold(text))
    found = _day(*said.groups(), recorded) if said else None
    return found is not None and found > recorded


def documents_in_future(evidence: Iterable[str], recorded: date) -> list[str]:
    """The documents a reply cites with a date after the moment of recording ("QĐ số
    12/QĐ-UBND ngày 20/02/2026" typed on 05/01): a mistyped date, asked about rather
    than believed."""
    return [
        item
        for item in evidence
        if any(
            (found := _day(*match.groups(), recorded)) is not None and found > recorded
            for match in _DOCUMENT_DATE.finditer(fold(item))
        )
    ]
