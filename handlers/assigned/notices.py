"""What the lead unit's people receive through the outbox, composed at send time: a task
was given to their unit (``GIVEN``), or a leader's instruction about one of their tasks
(``INSTRUCTION``). Each message is about that one task, with the status buttons, so a
reply to it is recorded on that task (the dispatcher keeps the message's focus)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.messages import Button
from handlers.short_text import short
from handlers.tasks.view import CLOSED, deadline_in_words, lead_names, status_buttons, status_label
from locales import _
from models.assigned import HISTORY_KIND
from models.outbox import OutboxItem
from models.people import Person
from models.plans import StatusUpdate, Task
from models.queries import get_task
from scheduler.workdays import WorkCalendar

GIVEN = "assigned"  # outbox kind: a task was given to the unit (occurrence: the task id)
INSTRUCTION = "instruction"  # outbox and history kind: a leader's instruction (detail: row id)
KINDS = (GIVEN, INSTRUCTION)


def _answer_hint() -> str:
    return _(
        "Anh/chị trả lời tin này với tình trạng, ví dụ «Hoàn thành, QĐ số 12/QĐ-UBND ngày 09/01/2026» hoặc «Chưa thực hiện, lý do: …»."
    )


async def _who(session: AsyncSession, row: StatusUpdate | None) -> str:
    person = await session.get(Person, row.person_id) if row and row.person_id else None
    return person.display_name if person else _("Lãnh đạo")


def _when(task: Task, today: date, calendar: WorkCalendar) -> str:
    words = deadline_in_words(task, today, calendar)
    return words[:1].upper() + words[1:]


async def given_text(session: AsyncSession, task: Task, today: date, calendar: WorkCalendar) -> str:
    row = await session.scalar(
        select(StatusUpdate)
        .where(StatusUpdate.task_id == task.id, StatusUpdate.kind == HISTORY_KIND)
        .order_by(StatusUpdate.id)
        .limit(1)
    )
    lines = [
        _("{who} giao nhiệm vụ mới cho {unit}:").format(
            who=await _who(session, row), unit="; ".join(lead_names(task)) or task.lead_note
        ),
        _("Nhiệm vụ {number}: {content}").format(
            number=task.number, content=short(task.content, 300)
        ),
        _when(task, today, calendar),
    ]
    if task.source:
        lines.append(_("Theo: {source}").format(source=short(task.source, 200)))
    lines.append(_answer_hint())
    return "\n".join(lines)


async def instruction_text(
    session: AsyncSession, task: Task, row: StatusUpdate, today: date, calendar: WorkCalendar
) -> str:
    lines = [
        _("Ý kiến chỉ đạo của {who} (lãnh đạo) về nhiệm vụ {number} «{content}»:").format(
            who=await _who(session, row), number=task.number, content=short(task.content, 120)
        ),
        f"«{short(row.text, 1200)}»",
        _when(task, today, calendar),
        _("Tình trạng: {status}").format(status=status_label(task.status, task.percent)),
        _answer_hint(),
    ]
    return "\n".join(lines)


async def follow_notice(
    session: AsyncSession, item: OutboxItem, *, today: date, calendar: WorkCalendar
) -> tuple[str, list[list[Button]], Task | None]:
    """The text, buttons and task of a ``KINDS`` row; ("", [], None) when it no longer
    says anything (the task was given and finished before it went)."""
    task = await get_task(session, item.task_id) if item.task_id else None
    if task is None:
        return "", [], None
    buttons = status_buttons(task) if task.status not in CLOSED else []
    if item.kind == GIVEN:
        if task.status in CLOSED:
            return "", [], None
        return await given_text(session, task, today, calendar), buttons, task
    row = (
        await session.get(StatusUpdate, int(item.detail))
        if item.detail and item.detail.isdigit()
        else None
    )
    if row is None or row.kind != INSTRUCTION:
        return "", [], None
    return await instruction_text(session, task, row, today, calendar), buttons, task
