"""The "Kết quả thực hiện" cell in the words of the real appendices: "Hoàn thành" and the
document as written, "Chưa thực hiện. Lý do: …", "Đã thực hiện và tiếp tục thực hiện
cả năm 2026" with the officer's account, "Chưa phát sinh hồ sơ", or "" for a task nobody
reported whose time has come (the compiler's review flags it). Only the reports behind
the status that stands now are quoted, without the status words the heading says and
without bare particles ("Rồi ạ")."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from functools import cache

from documents.accent_phrases import restore_accents
from documents.result_measures import latest_state
from language.english_replies import in_vietnamese, is_english
from locales import LANGUAGES, _, language
from models.progress import (
    DeadlineEnd,
    Reported,
    TaskFacts,
    classify,
    has_deadline,
    is_ongoing,
    whole_year,
)
from models.unit_names import fold

# A reply that only names a status says nothing worth copying into the report.
_BARE = re.compile(
    r"^(?:da\s+|van\s+)?(?:hoan thanh|xong|dang thuc hien|chua thuc hien|chua phat sinh(?: ho so)?"
    r"|dang lam|chua lam|lam xong)"
    r"(?:\s*\d+\s*%)?[\s.!]*$"
)

CONTINUING = "Đã thực hiện và tiếp tục thực hiện cả năm {year}"
NOT_YET = "Chưa thực hiện. Lý do: Chưa đến thời gian thực hiện"
# The status words an officer starts a reply with; the appendix's heading already says
# them, so the account is what follows ("Đã thực hiện, tổ chức 2 hội nghị" → "Tổ chức
# 2 hội nghị"). Matched on folded text, whose letters line up with the original's.
_STATUS_WORDS = re.compile(
    r"^(?:(?:da|dang|chua|van)\s+)*(?:hoan thanh|xong|thuc hien|trien khai|phat sinh(?: ho so)?)"
    r"(?:\s*(?:dat\s*)?\d+\s*%)?(?:\s+(?:va|,)?\s*tiep tuc thuc hien(?: ca nam(?: \d{4})?)?)?"
    r"[\s,.;:!\-–]*"
)


def _account(text: str) -> str:
    """What a reply says beyond its status words, first letter capitalised; the common
    phrases typed without accents get them back (``accent_phrases``)."""
    text = restore_accents(" ".join(unicodedata.normalize("NFC", text).split()))
    folded = fold(text)
    if len(folded) == len(text):
        match = _STATUS_WORDS.match(folded)
        if match:
            text = text[match.end() :]
    text = text.strip(" ,.;:-–")
    return text[:1].upper() + text[1:]


# Words that say nothing of the result ("Rồi ạ", "nhé anh"): an account of only these is dropped.
_PARTICLES = {"roi", "a", "nhe", "nha", "thoi", "da", "vang", "ok", "anh", "chi", "em", "oi", "dang", "lam", "van"}


def account_of(text: str) -> str | None:
    """What a reply says beyond its status words and particles, or None when it says
    nothing more (the narrative report quotes the same accounts as the appendix)."""
    account = None if is_english(text) else _account(text)  # the history keeps English
    if (
        not account
        or _BARE.match(fold(text))
        or set(fold(account).replace(",", " ").split()) <= _PARTICLES
    ):
        return None
    return account


def _items(reports: Sequence[Reported], *, latest_only: bool) -> list[str]:
    """The accounts of the status reports (only the last one for a finished task),
    then any document named in a report or a later note that they do not contain."""
    statuses = [r for r in reports if r.status != "note"]
    if latest_only:
        statuses = statuses[-1:]
    # Only the reports that led to the status standing now: a superseded "xong rồi ạ"
    # before "vẫn đang làm 70%" is not the result.
    run = len(statuses)
    while run > 0 and statuses[run - 1].status == statuses[-1].status:
        run -= 1
    statuses = statuses[run:]
    items: list[str] = []
    for report in statuses:
        account = None if is_english(report.text) else _account(report.text)
        if (
            account
            and not _BARE.match(fold(report.text))
            and not set(fold(account).replace(",", " ").split()) <= _PARTICLES
            and account not in items
        ):
            items.append(account)
    items = latest_state(items)[-3:]  # a later figure replaces an earlier one
    for report in reports:
        for item in map(in_vietnamese, report.evidence):
            if names_a_file(item):
                continue  # the review asks for the document's number and date instead
            if any(fold(item) in fold(seen) for seen in items):
                continue
            fuller = [i for i, seen in enumerate(items) if fold(seen) in fold(item)]
            if fuller:  # "QĐ số 12" said, "QĐ số 12/QĐ-UBND ngày 09/01/2026" read
                items[fuller[0]] = item
            else:
                items.append(item)
    return items


def names_a_file(item: str) -> bool:
    """Is this evidence only the name of a file sent with a report ("Tệp đính kèm:
    kh.pdf", written in the officer's language)? A signed appendix cites a document by
    its number and date, never by a file name."""
    return fold(item).startswith(_file_prefixes())


@cache
def _file_prefixes() -> tuple[str, ...]:
    prefixes = []
    for lang in LANGUAGES:
        with language(lang):
            prefixes.append(fold(_("Tệp đính kèm: {name}").format(name="")))
    return tuple(prefixes)


def _lines(head: str, items: Sequence[str]) -> str:
    """A heading and its items: one item on the next line as it is, several with dashes."""
    if len(items) == 1:
        return f"{head}\n{items[0]}"
    return "\n".join([head, *(f"- {item}" for item in items)])


def reason_of(reports: Sequence[Reported], wording: str | None = None) -> str | None:
    """A task's reason for not being done, from one source for the appendix and the
    draft: the compiler's wording (/ketqua) when there is one ("… Lý do: …"; none when
    it gives none, as the printed row), else the latest reason an officer gave."""
    if wording:
        _, said, reason = wording.rpartition("Lý do:")
        return reason.strip(" .;,\n") or None if said else None
    given = [r.reason for r in reports if r.reason and r.reason.strip()]
    return restore_accents(given[-1].strip(" .;,")) if given else None


def continuing_row(facts: TaskFacts) -> bool:
    """Whether the row says "Đã thực hiện và tiếp tục thực hiện" rather than "Hoàn thành"
    (the appendix and the draft report alike): an ongoing task being worked on, or a
    recurring one done for now."""
    periodic = is_ongoing(facts) and facts.deadline_kind != "on_request" and not whole_year(facts)
    return (facts.status == "in_progress" and is_ongoing(facts)) or (
        facts.status == "done" and periodic
    )


def not_yet_time(facts: TaskFacts, as_of: date, period_end: date | None) -> bool:
    """Whether "Chưa đến thời gian thực hiện" is true of a task on ``as_of`` in a report
    whose period ends on ``period_end``: its time has not begun (its start is after
    ``as_of``) and, without a start, it is not due within the report's period. A task
    due this quarter has its time come, done or not."""
    if facts.start is not None:
        return facts.start > as_of
    return facts.due is None or period_end is None or facts.due > period_end


def result_text(
    facts: TaskFacts,
    reports: Sequence[Reported],
    year: int,
    as_of: date,
    *,
    deadline_end: DeadlineEnd,
    period_end: date | None = None,
) -> str:
    """The "Kết quả thực hiện" cell in the words of the real appendices; "" for a task
    nobody reported whose time has come (the compiler's review flags it), whether due
    in the report's period (ending ``period_end``) or begun before ``as_of``."""
    statuses = [r for r in reports if r.status != "note"]
    last = statuses[-1] if statuses else None
    category = classify(facts, as_of, deadline_end=deadline_end)
    continuing = CONTINUING.format(year=year)
    ongoing = is_ongoing(facts) and facts.deadline_kind != "on_request"
    if facts.status == "not_applicable":
        return f"{continuing}\nChưa phát sinh hồ sơ" if ongoing else "Chưa phát sinh hồ sơ"
    if continuing_row(facts):
        return _lines(continuing, _items(reports, latest_only=False))
    if facts.status == "done":
        return _lines("Hoàn thành", _items(reports, latest_only=True))
    if facts.status == "in_progress":
        head = "Đang thực hiện"
        if last and last.percent is not None:
            head += f" (đạt {last.percent}%)"
        if category == "overdue":
            head += ", chưa hoàn thành (quá hạn)"
        return _lines(head, _items(reports, latest_only=False))
    reason = restore_accents((last.reason or "").strip().rstrip(".")) if last else ""
    if reason:
        return f"Chưa thực hiện. Lý do: {reason[:1].upper()}{reason[1:]}"
    if last is not None:
        return "Chưa thực hiện"
    if (
        category == "not_started"
        and has_deadline(facts)
        and not is_ongoing(facts)
        and not_yet_time(facts, as_of, period_end)
    ):
        return NOT_YET
    return ""
