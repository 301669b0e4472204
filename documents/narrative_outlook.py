"""The two parts of the narrative report that look past the tasks done: "Khó khăn,
vướng mắc" (the reasons officers gave for tasks not started or late, grouped by
reason, each naming its tasks; flagged until the compiler has reviewed them) and
"Phương hướng nhiệm vụ" (what falls due in the next period, and what is overdue, by
lead unit). Pure functions of ``NarrativeData``.
"""

from __future__ import annotations

import re

from documents.narrative_data import NarrativeData, TaskRecord
from documents.narrative_words import (
    HEADING,
    ITEM,
    TEXT,
    Block,
    Sentence,
    ahead_label,
    block,
    next_period,
    period_start,
    short,
)
from documents.report_review import typed_without_diacritics
from documents.report_rows import official_date
from documents.result_words import reason_of
from locales import _
from models.progress import has_deadline, is_ongoing
from models.unit_names import fold

_FILLER = {"cua", "cac", "va", "la", "con", "dang", "van", "nen", "do", "vi", "ly"}


def _reason_key(reason: str) -> str:
    words = re.sub(r"[^a-z0-9 ]+", " ", fold(reason)).split()
    return " ".join(w for w in words if w not in _FILLER)


# "Chưa đến thời gian thực hiện": a task not yet due has no difficulty to report.
_NOT_YET = re.compile(r"\bchua (?:den|toi) (?:thoi gian|thoi han|han|ky|luc)\b")


def difficulties(data: NarrativeData) -> list[Block]:
    """Reasons for tasks not started or late, grouped by reason, each naming its tasks;
    reasons that say the time has not come are none, and extended tasks are listed as
    extended, with their new date."""
    groups: dict[str, tuple[str, list[TaskRecord], list[str]]] = {}
    silent: list[TaskRecord] = []
    extended = [t for t in data.tasks if t.extended_to is not None and t.facts.status != "done"]
    for task in data.tasks:
        if task.category not in ("overdue", "done_late", "not_started", "in_progress"):
            continue
        if task in extended:
            continue
        # One source with the appendix: the compiler's /ketqua wording, else the latest reply.
        reason = reason_of(task.reports, task.wording)
        if not reason or _NOT_YET.search(fold(reason)):
            if task.category == "overdue":
                silent.append(task)
            continue
        key = _reason_key(reason)
        groups.setdefault(key, (reason, [], []))[1].append(task)
        groups[key][2].append(reason)
    blocks = []
    ordered = sorted(groups.values(), key=lambda g: -len(g[1]))  # stable: plan order
    for reason, tasks, spellings in ordered:
        named = "; ".join(
            _("nhiệm vụ {number} ({content})").format(number=t.number, content=short(t.content))
            for t in tasks
        )
        review = not all(t.reviewed for t in tasks) or any(
            typed_without_diacritics(s) for s in spellings
        )
        blocks.append(block(ITEM, Sentence(f"{reason[:1].upper()}{reason[1:]}: {named}.", review)))
    if silent:
        numbers = ", ".join(t.number for t in silent)
        blocks.append(
            block(
                ITEM,
                Sentence(
                    _(
                        "Các nhiệm vụ quá hạn chưa được đơn vị báo cáo lý do: nhiệm vụ {numbers}."
                    ).format(numbers=numbers),
                    True,
                ),
            )
        )
    if extended:
        named = "; ".join(
            _("nhiệm vụ {number} (gia hạn đến {date})").format(
                number=t.number, date=official_date(t.extended_to)
            )
            for t in extended
        )
        blocks.append(block(ITEM, _("Các nhiệm vụ đã được gia hạn: {named}.").format(named=named)))
    if not blocks:
        blocks.append(
            block(TEXT, Sentence(_("Các đơn vị chưa báo cáo khó khăn, vướng mắc trong kỳ."), True))
        )
    return blocks


def ahead_blocks(data: NarrativeData) -> list[Block]:
    """What is due in the next period, and what is overdue, by lead unit."""
    ahead = next_period(data.report.period)
    start, end = period_start(ahead), ahead.end
    by_unit: dict[str, list[Block]] = {}
    for task in data.tasks:
        facts = task.facts
        if facts.status in ("done", "not_applicable"):
            continue
        if task.category == "overdue" and facts.due is not None:
            words = _("{content} (quá hạn từ {date}).").format(
                content=task.content, date=official_date(facts.due)
            )
        elif task.extended_to is not None and start <= task.extended_to <= end:
            # "(thời hạn: Quý I/2026)" under the next quarter read as a mistake: the
            # plan's words, then the date the leaders moved it to.
            words = _("{content} (thời hạn: {deadline}, đã gia hạn đến {date}).").format(
                content=task.content, deadline=task.deadline_text, date=official_date(task.extended_to)
            )
        elif has_deadline(facts) and facts.due is not None and start <= facts.due <= end:
            words = _("{content} (thời hạn: {deadline}).").format(
                content=task.content, deadline=task.deadline_text
            )
        else:
            continue
        unit = "; ".join(task.leads) or _("Các cơ quan, đơn vị")
        by_unit.setdefault(unit, []).append(block(ITEM, words))
    blocks: list[Block] = []
    for index, (unit, items) in enumerate(by_unit.items(), start=1):
        blocks.append(block(HEADING, f"{index}. {unit}"))
        blocks.extend(items)
    ongoing = sum(
        1 for t in data.tasks if is_ongoing(t.facts) and t.facts.status != "not_applicable"
    )
    if ongoing:
        blocks.append(
            block(
                TEXT,
                _("Tiếp tục thực hiện {n} nhiệm vụ thường xuyên, định kỳ theo Kế hoạch.").format(
                    n=ongoing
                ),
            )
        )
    if not by_unit:
        blocks.insert(
            0,
            block(
                TEXT,
                _("Kế hoạch không có nhiệm vụ đến hạn trong {period}.").format(
                    period=ahead_label(ahead)
                ),
            ),
        )
    return blocks
