"""The tasks the city gives an organization (nhiệm vụ được giao, Biểu mẫu 1 row 4): one
standing list per organization and year, a ``Plan`` of kind "assigned" titled
"Nhiệm vụ được giao năm YYYY" with one section, its tasks numbered 1, 2, … in the order
they were given, each keeping the document it was given by (``Task.source``) and a
history row "assigned" saying who recorded it.

Reminders, /viec, /quahan and the figures treat these tasks like a plan's
(``models.queries.active_plans``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import status_store
from models.people import Organization, Person, Unit
from models.plans import Plan, Section, Task, TaskUnit
from models.queries import ASSIGNED, get_task

ASSIGNED_CODE = "GIAO"
LIST_TITLE = "Nhiệm vụ được giao năm {year}"  # as the commune's reports name the list
SECTION_NUMERAL = "G"  # "G.3" names task 3 of the list where a bare 3 is ambiguous
SECTION_TITLE = "Nhiệm vụ được giao"
HISTORY_KIND = "assigned"  # the history row of the giving (its text: the source)


@dataclass(frozen=True)
class Given:
    """One task as given: the lead unit, what to do, the deadline as read by the
    deadline grammar, and the document (empty when it came without one)."""

    unit: Unit
    content: str
    deadline_text: str
    deadline_kind: str
    deadline_due: date | None
    deadline_start: date | None = None
    deadline_every: str | None = None
    source: str = ""


async def assigned_list(
    session: AsyncSession, org: Organization, year: int, now: datetime
) -> tuple[Plan, Section]:
    """The organization's list of the tasks given in ``year``, made when missing."""
    plan = await session.scalar(
        select(Plan).where(Plan.organization_id == org.id, Plan.kind == ASSIGNED, Plan.year == year)
    )
    if plan is None:
        plan = Plan(
            organization_id=org.id,
            title=LIST_TITLE.format(year=year),
            year=year,
            kind=ASSIGNED,
            code=ASSIGNED_CODE,  # "GIAO 3" beside "CCHC 3" when there are several plans
            imported_at=now,
        )
        session.add(plan)
        await session.flush()
    section = await session.scalar(select(Section).where(Section.plan_id == plan.id))
    if section is None:
        section = Section(plan_id=plan.id, numeral=SECTION_NUMERAL, title=SECTION_TITLE, order=1)
        session.add(section)
        await session.flush()
    return plan, section


async def add_assigned_task(
    session: AsyncSession,
    org: Organization,
    given: Given,
    *,
    year: int,
    person: Person | None,
    now: datetime,
    channel: str | None = None,
) -> Task:
    """Add ``given`` to the list of ``year`` as its next task; the task, units loaded."""
    plan, section = await assigned_list(session, org, year, now)
    numbers = await session.scalars(select(Task.number).where(Task.plan_id == plan.id))
    number = max((int(n) for n in numbers if n.isdigit()), default=0) + 1
    task = Task(
        plan_id=plan.id,
        section_id=section.id,
        number=str(number),
        position=number,
        content=given.content,
        product="",
        lead_note="",
        cooperating_note="",
        deadline_text=given.deadline_text,
        deadline_kind=given.deadline_kind,
        deadline_start=given.deadline_start,
        deadline_due=given.deadline_due,
        deadline_every=given.deadline_every,
        status="not_started",
        needs_review=False,
        updated_at=now,
        source=given.source or None,
    )
    session.add(task)
    await session.flush()
    session.add(TaskUnit(task_id=task.id, unit_id=given.unit.id, role="lead", position=0))
    await session.flush()
    await status_store.record(
        session, task, person, kind=HISTORY_KIND, text=given.source, now=now, channel=channel
    )
    found = await get_task(session, task.id)
    assert found is not None
    return found
