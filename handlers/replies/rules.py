"""When a reading of a reply is recorded at once, and when dondoc asks first.

Pure rules, called by the free-text handler and by tests directly. A wrong record is
worse than a question: a reading that is not sure (unless it keeps the status and only
adds a document or a reason), or a change that would move a task backwards (done → anything else, a lower percent than the last one, in progress → not
started), is asked about with one tap; the officer's text is kept as a note either way.
"""

from __future__ import annotations

from dataclasses import dataclass

from language.status_text import SURE, StatusReading

RECORD = "record"  # a status or an extension request, at once
CONFIRM = "confirm"  # kept as a note; asked "Ghi: …?" before it becomes a status
NOTE = "note"  # kept as a note: not understood, or not the person's to set


@dataclass(frozen=True)
class Current:
    status: str
    percent: int | None


def moves_backward(current: Current, reading: StatusReading) -> bool:
    """Would recording ``reading`` move the task back?"""
    new = reading.status
    if new not in ("done", "in_progress", "not_started", "not_applicable"):
        return False  # an extension request or a note changes no status
    if current.status == "done":
        return new != "done"
    if current.status == "not_applicable":
        return new in ("in_progress", "not_started")
    if current.status == "in_progress":
        if new == "not_started":
            return True
        if new == "in_progress" and current.percent is not None and reading.percent is not None:
            return reading.percent < current.percent
    return False


def outcome(reading: StatusReading, current: Current, *, may_report: bool) -> str:
    """What to do with ``reading`` of a reply about a task in state ``current``."""
    if not may_report or reading.status == "unknown":
        return NOTE
    if moves_backward(current, reading):
        return CONFIRM
    if reading.confidence < SURE and not adds_to(current, reading):
        return CONFIRM
    return RECORD


def adds_to(current: Current, reading: StatusReading) -> bool:
    """Does the reading leave the status as it is and only add to it (the document after
    a tap on "Hoàn thành", the reason after "Chưa thực hiện")? Then doubt costs nothing."""
    return reading.status == current.status and reading.percent in (None, current.percent)
