"""What planning reads, set-based and without ORM objects: an organization's tasks to
plan (their ids, in the order ``models.queries.list_tasks`` lists them), a batch's
tasks with their plan year and units in one statement, and who is who in the
organization in one statement. An officer's status change plans its one task from the
task object it holds (``TaskFacts.of``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, select
from sqlalchemy.ext.asyncio import AsyncSession

from language.deadlines import Deadline
from models.people import Membership, Organization, Person
from models.plans import Plan, Section, Task, TaskUnit
from models.queries import ASSIGNED, active_plans

REACHED_ROLES = ("officer", "leader", "admin")  # a unit's members who get its reminders


@dataclass(frozen=True)
class TaskFacts:
    """What the reminders of one task depend on."""

    id: int
    status: str
    withdrawn: bool
    deadline: Deadline
    plan_year: int
    lead_note: str
    leads: tuple[int, ...]  # unit ids, in the task's order
    coops: tuple[int, ...]

    @classmethod
    def of(cls, task: Task) -> TaskFacts:
        """From a task object with its plan and unit links loaded (as it stands in the
        caller's transaction, flushed or not); links in the task's order, as ``units``."""
        return cls(
            task.id, task.status, task.withdrawn,
            Deadline(task.deadline_kind, task.deadline_start, task.deadline_due, task.deadline_every, task.deadline_text),
            task.plan.year, task.lead_note,
            tuple(link.unit_id for link in task.unit_links if link.role == "lead"),
            tuple(link.unit_id for link in task.unit_links if link.role == "cooperating"),
        )  # fmt: skip


@dataclass
class People:
    """Who is who in one organization, for choosing recipients (nobody unreachable)."""

    by_unit: dict[int, list[int]]
    leaders: list[int]
    admins: list[int]


async def read_people(session: AsyncSession, organization_id: int) -> People:
    """The organization's reachable members, in one statement."""
    rows = await session.execute(
        select(Membership.person_id, Membership.unit_id, Membership.role)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.organization_id == organization_id, Person.unreachable_since.is_(None))
        .order_by(Membership.id)
    )
    by_unit: dict[int, list[int]] = defaultdict(list)
    leaders, admins = set(), set()
    for person_id, unit_id, role in rows:
        if unit_id is not None and role in REACHED_ROLES:
            by_unit[unit_id].append(person_id)
        if role == "leader":
            leaders.add(person_id)
        elif role == "admin":
            admins.add(person_id)
    return People(dict(by_unit), sorted(leaders), sorted(admins))


async def task_ids_to_plan(
    session: AsyncSession, org: Organization, today: date
) -> list[int] | None:
    """The ids of the tasks of the organization's active plans, not withdrawn, in the
    order ``list_tasks`` gives them (each plan's own first, by year, plan, section and
    position); None when the organization has no active plan."""
    plans = await active_plans(session, org, today)
    if not plans:
        return None
    first = case((Plan.kind == ASSIGNED, 1), else_=0)
    rows = await session.scalars(
        select(Task.id)
        .join(Section, Task.section_id == Section.id)
        .join(Plan, Task.plan_id == Plan.id)
        .where(Task.plan_id.in_([p.id for p in plans]), Task.withdrawn.is_(False))
        .order_by(first, Plan.year, Task.plan_id, Section.order, Task.position)
    )
    return list(rows)


async def read_tasks(session: AsyncSession, task_ids: Sequence[int]) -> list[TaskFacts]:
    """The facts of ``task_ids`` (those still there), by id, in one statement."""
    rows = await session.execute(
        select(
            Task.id,
            Task.status,
            Task.withdrawn,
            Task.deadline_kind,
            Task.deadline_start,
            Task.deadline_due,
            Task.deadline_every,
            Task.deadline_text,
            Plan.year,
            Task.lead_note,
            TaskUnit.unit_id,
            TaskUnit.role,
        )  # fmt: skip
        .join(Plan, Plan.id == Task.plan_id)
        .outerjoin(TaskUnit, TaskUnit.task_id == Task.id)
        .where(Task.id.in_(list(task_ids)))
        .order_by(Task.id, TaskUnit.position, TaskUnit.id)
    )
    found: dict[int, tuple[list, list[int], list[int]]] = {}
    for row in rows:
        if row[0] not in found:
            found[row[0]] = (list(row[:10]), [], [])
        _, leads, coops = found[row[0]]
        if row.role == "lead":
            leads.append(row.unit_id)
        elif row.role == "cooperating":
            coops.append(row.unit_id)
    return [
        TaskFacts(
            task_id,
            status,
            withdrawn,
            Deadline(kind, start, due, every, words),
            year,
            note,
            tuple(leads),
            tuple(coops),
        )  # fmt: skip
        for (
            task_id,
            status,
            withdrawn,
            kind,
            start,
            due,
            every,
            words,
            year,
            note,
        ), leads, coops in found.values()
    ]
