"""A task being given, kept between the questions /giao asks: what was typed so far (the
unit found, the content, the deadline words, the source or "no document"), stored as
JSON in the ``Question`` that asked. Pure rules: which part is still missing, in the
order they are asked, and what a typed answer fills in."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from language.assignment_words import (
    Assignment,
    deadline_problem,
    read_assignment,
    read_deadline,
    read_letter,
)
from language.deadlines import Deadline

QUESTION_KIND = "assign"  # models.conversation.Question.kind of /giao's questions
MAX_CONTENT = 2000  # characters of content kept; a longer text is a letter, read as one
MAX_SOURCE = 500


@dataclass(frozen=True)
class Draft:
    unit_id: int | None = None
    unit: str = ""  # as typed, shown when it was not found
    content: str = ""
    deadline: str = ""  # the words, read again by the grammar when asked and when given
    source: str = ""
    no_source: bool = False  # the leader said it came without a document

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Draft:
        data = data or {}
        fields = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**fields)


def from_assignment(read: Assignment) -> Draft:
    return Draft(
        unit=read.unit,
        content=read.content[:MAX_CONTENT],
        deadline=read.deadline_text if read.deadline is not None else "",
        source=read.source[:MAX_SOURCE],
    )


def the_deadline(draft: Draft, today: date) -> tuple[Deadline | None, str | None]:
    """The deadline read from the draft's words, and why it cannot be taken (None: it can)."""
    if not draft.deadline:
        return None, None
    deadline = read_deadline(draft.deadline, today)
    return deadline, deadline_problem(deadline, today)


def missing(draft: Draft, today: date) -> list[str]:
    """The parts still to ask for: "unit", "content", "deadline", "source"."""
    deadline, problem = the_deadline(draft, today)
    found = {
        "unit": draft.unit_id is not None,
        "content": bool(draft.content),
        "deadline": deadline is not None and problem is None,
        "source": bool(draft.source) or draft.no_source,
    }
    return [part for part, ok in found.items() if not ok]


def answered(draft: Draft, part: str, text: str, today: date) -> Draft:
    """The draft with the typed answer to the question about ``part``; other parts still
    missing are taken from the answer too ("Báo cáo X trước 15/12" answers the content
    and the deadline). A whole letter pasted is read as a letter."""
    text = " ".join(text.split()) if part != "content" else text.strip()
    if part == "deadline":
        return replace(draft, deadline=text[:200])
    if part == "source":
        return replace(draft, source=text[:MAX_SOURCE], no_source=False)
    if part == "unit":
        return replace(draft, unit=text[:200])
    read = read_letter(text, today) if "\n" in text else read_assignment(text, today)
    if read.unit and not read.content:  # "Phòng X: …" is not what was asked: keep it whole
        read = replace(read, content=text)
    more = from_assignment(replace(read, unit=""))
    return replace(
        draft,
        content=more.content or " ".join(text.split())[:MAX_CONTENT],
        deadline=draft.deadline if draft.deadline and not more.deadline else more.deadline,
        source=draft.source or more.source,
    )
