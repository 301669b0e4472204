"""Deadline cells the grammar could not read, and what the admin said they mean
(issue 26). At import, a cell answered before is read as answered, without asking
(``apply_kept``, called where a plan is stored); after an import, the cells still not
read are gathered with their choices (``unread_cells``), and a choice is kept and put
on every live task with that cell (``choose``). The chat's questions are in
``handlers.imports.cell_questions``; the CLI's in ``bot.cli_cells``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from language.deadline_choices import all_choices, cell_key, for_year
from language.deadlines import Deadline, describe_problem, parse_deadline
from language.formats import format_date
from locales import _, language
from models.deadline_readings import DeadlineReading, ask_reading, kept_readings, unread_tasks
from models.outbox import request_replan
from models.plan_store import TaskInput
from models.plans import Plan, Task


@dataclass
class Cell:
    """A deadline cell not read: its kept row, the tasks that have it, its choices."""

    row: DeadlineReading
    numbers: list[str]
    choices: list[tuple[str, Deadline]]


def without_problem(reason: str | None, text: str) -> str | None:
    """A review reason without the "deadline not read" part (the other parts, such as
    "no lead unit", stay); None when nothing is left."""
    with language("vi"):  # what is stored is Vietnamese, whoever answers
        problem = describe_problem(Deadline("unknown", None, None, None, text))
    left = (reason or "").replace(problem or "", "", 1).replace("; ; ", "; ").strip("; ")
    return left or None


def _reading(row: DeadlineReading, plan_year: int, text: str, today: date) -> Deadline | None:
    """The kept phrase read for a plan of ``plan_year``; None if it no longer reads."""
    phrase = for_year(row.phrase or "", row.year, plan_year, text)
    reading = parse_deadline(phrase, plan_year, today)
    return None if reading.kind == "unknown" else reading


async def apply_kept(
    session: AsyncSession, organization_id: int, inputs: Sequence[TaskInput], year: int, today: date
) -> list[TaskInput]:
    """``inputs`` with each unread deadline the admin answered before read as answered."""
    unread = [i for i in inputs if i.deadline_kind == "unknown" and i.deadline_text.strip()]
    kept = await kept_readings(
        session, organization_id, (cell_key(i.deadline_text) for i in unread)
    )
    unread_ids = {id(i) for i in unread}
    out = []
    for item in inputs:
        row = kept.get(cell_key(item.deadline_text)) if id(item) in unread_ids else None
        reading = _reading(row, year, item.deadline_text, today) if row else None
        if reading is not None:
            item = replace(
                item, deadline_kind=reading.kind, deadline_start=reading.start,
                deadline_due=reading.due, deadline_every=reading.every,
                review_reason=without_problem(item.review_reason, item.deadline_text),
            )  # fmt: skip
        out.append(item)
    return out


async def unread_cells(
    session: AsyncSession, organization_id: int, plan_id: int | None, now: datetime, today: date
) -> list[Cell]:
    """The distinct unread deadline cells of a plan (or of all plans), each asked
    about (its row made or asked again), in plan order."""
    tasks = await unread_tasks(session, organization_id, plan_id)
    cells: dict[str, Cell] = {}
    for task in tasks:
        key = cell_key(task.deadline_text)
        if key not in cells:
            plan = await session.get(Plan, task.plan_id)
            year = plan.year if plan else today.year
            row = await ask_reading(session, organization_id, key, task.deadline_text, year, now)
            cells[key] = Cell(row, [], all_choices(row.text, row.year, today))
        cells[key].numbers.append(task.number)
    return list(cells.values())


async def tasks_with(session: AsyncSession, organization_id: int, key: str) -> list[Task]:
    """The live unread tasks whose deadline cell has ``key``."""
    tasks = await unread_tasks(session, organization_id)
    return [t for t in tasks if cell_key(t.deadline_text) == key]


async def choose(
    session: AsyncSession,
    row: DeadlineReading,
    phrase: str,
    *,
    person_id: int | None,
    now: datetime,
    today: date,
) -> int:
    """Keep ``phrase`` as what the cell means and put it on the organization's live
    tasks with that cell (re-planned at once); returns how many tasks took it."""
    row.phrase, row.chosen_by, row.chosen_at, row.skipped = phrase, person_id, now, False
    changed = 0
    for task in await tasks_with(session, row.organization_id, row.text_key):
        plan = await session.get(Plan, task.plan_id)
        reading = _reading(row, plan.year if plan else row.year, task.deadline_text, today)
        if reading is None:
            continue
        task.deadline_kind, task.deadline_start = reading.kind, reading.start
        task.deadline_due, task.deadline_every = reading.due, reading.every
        task.review_reason = without_problem(task.review_reason, task.deadline_text)
        task.needs_review = task.review_reason is not None
        task.updated_at = now
        changed += 1
    await session.flush()
    await request_replan(session, row.organization_id, now)
    return changed


def choice_label(phrase: str, reading: Deadline) -> str:
    """A choice as the admin reads it: "30/09/2026 là hạn chót", "Từ 01/07/2026 đến
    30/09/2026", "Thường xuyên", "Khi có yêu cầu"."""
    if reading.kind == "due" and reading.due:
        return _("{date} là hạn chót").format(date=format_date(reading.due))
    if reading.kind == "period" and reading.start and reading.due:
        return _("Từ {start} đến {due}").format(
            start=format_date(reading.start), due=format_date(reading.due)
        )
    if reading.kind == "continuous":
        return _("Thường xuyên (không có hạn chót)")
    if reading.kind == "on_request":
        return _("Khi có yêu cầu")
    return phrase
