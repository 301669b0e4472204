"""What the commune page shows, gathered with the chat's rules: the categories per plan
and unit (a leader or viewer sees the commune, an officer their units), the next
deadlines and the overdue tasks with the people of their lead units."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.context import Services
from handlers.permissions import best_role, can_read_task, is_leader, officer_units
from handlers.tasks.access import task_units
from handlers.tasks.view import CLOSED, deadline_in_words
from models.people import Organization
from models.plans import Task
from models.progress import classify, current_facts, has_deadline
from models.queries import active_plans, list_tasks
from models.web_access import people_of_units
from web.chart import Bar, bars
from web.figures import PlanFigures, plan_figures
from web.gate import Visitor

NEXT_SHOWN = 8


@dataclass(frozen=True)
class TaskRow:
    task: Task
    when: str  # the deadline in words
    cooperating: bool  # seen because the person's unit cooperates on it
    people: list[str] = field(default_factory=list)


@dataclass
class CommuneView:
    org: Organization
    today: date
    scope: str  # the commune, or the officer's units
    role: str
    figures: list[tuple[PlanFigures, list[Bar]]]
    upcoming: list[TaskRow]
    overdue: list[TaskRow]
    can_open_tasks: bool


async def commune_view(
    db: AsyncSession, visitor: Visitor, org: Organization, services: Services
) -> CommuneView:
    grants = visitor.grants
    role = best_role(grants, org.id) or "viewer"
    today = services.clock.now(ZoneInfo(org.timezone)).date()
    deadline_end = services.calendar.deadline_end
    leader_view = is_leader(grants, org.id) or role == "viewer"
    units = sorted(officer_units(grants, org.id))
    unit_ids = None if leader_view else units
    scope = org.name
    if unit_ids is not None:
        scope = "; ".join(m.unit.name for m in visitor.person.memberships if m.unit and m.organization_id == org.id)
    figures = []
    tasks: list[Task] = []
    # The plans the chat follows: this year's, and last year's while one of its tasks
    # due this year is undone.
    for plan in await active_plans(db, org, today):
        found = await plan_figures(db, org, plan, today, deadline_end=deadline_end, unit_ids=unit_ids)
        rows = sorted(found.progress.by_unit.items(), key=lambda kv: kv[0])
        if unit_ids is not None or len(rows) < 2:
            rows = [(scope, found.progress.overall)]
        figures.append((found, bars(rows)))
        tasks += await list_tasks(db, org, plan=plan, unit_ids=None if leader_view else units)
    mine = set(units)
    visible = [t for t in tasks if can_read_task(grants, task_units(t))]

    def row(task: Task) -> TaskRow:
        coop = not leader_view and not ({u.id for u in task.units("lead")} & mine)
        return TaskRow(task, deadline_in_words(task, today, services.calendar), coop)

    upcoming = sorted(
        (
            t
            for t in visible
            if t.status not in CLOSED
            and has_deadline(current_facts(t))
            and t.deadline_due is not None
            and t.deadline_due >= today
        ),
        key=lambda t: (t.deadline_due, t.id),
    )[:NEXT_SHOWN]
    late = [
        t for t in visible if classify(current_facts(t), today, deadline_end=deadline_end) == "overdue"
    ]
    people = await people_of_units(db, (u.id for t in late for u in t.units("lead")))
    overdue = []
    for task in late:
        entry = row(task)
        entry.people.extend(p for u in task.units("lead") for p in people.get(u.id, []))
        overdue.append(entry)
    return CommuneView(
        org, today, scope, role, figures, [row(t) for t in upcoming], overdue, True
    )
