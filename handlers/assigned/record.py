"""Giving a task once every part is clear: it joins the organization's list "Nhiệm vụ
được giao năm YYYY" (``models.assigned``), its reminders are planned at once like any
task's, and the lead unit's people are told through the outbox (``GIVEN``), at once
but never at night or on a day off. Shared by /giao and ``dondoc assign``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.assigned.notices import GIVEN
from handlers.context import Request
from handlers.extensions.notices import notice_time
from handlers.messages import Outgoing
from handlers.reminders.nudge import unit_officers
from handlers.short_text import short
from handlers.tasks.view import deadline_in_words
from language.deadlines import Deadline
from locales import _
from models.assigned import Given, add_assigned_task
from models.outbox import Owed, upsert
from models.people import Organization, Person, Unit
from models.plans import Task
from scheduler.planner import PlanningSettings, replan_task
from scheduler.workdays import WorkCalendar


async def add_task(
    session: AsyncSession,
    org: Organization,
    unit: Unit,
    content: str,
    deadline: Deadline,
    source: str,
    *,
    person: Person | None,
    now: datetime,
    year: int,
    planning: PlanningSettings,
    calendar: WorkCalendar,
    channel: str | None = None,
) -> Task:
    """The task added to the list of ``year``, its reminders planned."""
    given = Given(
        unit=unit,
        content=" ".join(content.split()),
        deadline_text=" ".join(deadline.text.split()),
        deadline_kind=deadline.kind,
        deadline_due=deadline.due,
        deadline_start=deadline.start,
        deadline_every=deadline.every,
        source=source,
    )
    task = await add_assigned_task(
        session, org, given, year=year, person=person, now=now, channel=channel
    )
    await replan_task(session, task, now, planning, calendar)
    return task


async def tell_unit(
    session: AsyncSession, task: Task, when: datetime, *, giver_id: int | None
) -> tuple[list[str], list[str]]:
    """Queue the notice for the lead unit's people; (names told, units without anyone)."""
    found = await unit_officers(session, task)
    people = {p.id: p for _unit, members in found for p in members if p.id != giver_id}
    await upsert(
        session,
        [
            Owed(task.plan.organization_id, task.id, GIVEN, str(task.id), person_id, when)
            for person_id in sorted(people)
        ],
    )
    empty = [unit for unit, members in found if not members]
    return [p.display_name for p in people.values()], empty


async def give(
    request: Request, unit: Unit, content: str, deadline: Deadline, source: str
) -> list[Outgoing]:
    """/giao's last step: add the task, tell the unit, say what was done."""
    services = request.services
    org = request.organization
    task = await add_task(
        request.session,
        org,
        unit,
        content,
        deadline,
        source,
        person=request.person,
        now=request.now,
        year=request.today().year,
        planning=services.planning,
        calendar=services.calendar,
        channel=request.incoming.channel,
    )
    told, empty = await tell_unit(
        request.session, task, notice_time(request), giver_id=request.person.id
    )
    words = deadline_in_words(task, request.today(), services.calendar)
    lines = [
        _("Đã giao nhiệm vụ {number} «{content}» cho {unit}, {deadline}.").format(
            number=task.number, content=short(task.content, 120), unit=unit.name, deadline=words
        ),
        _("Theo: {source}.").format(source=source) if source else _("Không kèm văn bản."),
        _("Danh sách: {title}.").format(title=task.plan.title),
    ]
    if told:
        lines.append(_("Đã báo cho: {names}.").format(names=", ".join(told)))
    if empty:
        lines.append(
            _(
                "Đơn vị {unit} chưa có ai đăng ký nên chưa ai được báo; quản trị tạo mã mời: /moi {unit}"
            ).format(unit=empty[0])
        )
    return [Outgoing("\n".join(lines), task_id=task.id)]
