"""Reading tasks: the tasks of an organization or a unit with their units loaded, one
task by its number, a task's history, and the evidence recorded for it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import cache, lru_cache

from sqlalchemy import Select, bindparam, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from models.people import Organization, Unit
from models.plans import Plan, Section, StatusUpdate, Task, TaskUnit
from models.unit_names import fold

ASSIGNED = "assigned"  # the kind of a plan listing the tasks the city gave (models.plans)


def _task_query():  # noqa: ANN202 - a Select of Task
    return select(Task).options(
        selectinload(Task.unit_links).selectinload(TaskUnit.unit),
        selectinload(Task.section),
        selectinload(Task.plan),
    )


async def org_plans(session: AsyncSession, org: Organization) -> list[Plan]:
    """Every plan and list of the organization, in the order they were first imported."""
    return list(await session.scalars(_plans_statement(), {"org_id": org.id}))


@cache
def _plans_statement() -> Select:
    """``org_plans``' statement, built once per process (it runs for every ``/tiendo``)."""
    return select(Plan).where(Plan.organization_id == bindparam("org_id")).order_by(Plan.id)


async def active_plans(
    session: AsyncSession,
    org: Organization,
    today: date | None = None,
    *,
    among: list[Plan] | None = None,
) -> list[Plan]:
    """The plans the organization follows now, in the order they were first imported:
    every plan of the year of ``today`` (the one clock's, in the organization's time),
    and any other plan with an undone task due this year (last year's plan carried
    on). A list dated next year never hides this year's plans; it waits for its year.
    When none, or with no day given (tools, tests), the plans of the newest year.
    ``among``: the organization's plans already read (``org_plans``)."""
    plans = among if among is not None else await org_plans(session, org)
    if not plans:
        return []
    if today is not None:
        others = [p.id for p in plans if p.year != today.year]
        carried = await _with_undone_due(session, others, today.year) if others else set()
        found = [p for p in plans if p.year == today.year or p.id in carried]
        if found:
            return found
    newest = max(p.year for p in plans)
    return [p for p in plans if p.year == newest]


async def _with_undone_due(session: AsyncSession, plan_ids: list[int], year: int) -> set[int]:
    """The plans among ``plan_ids`` with a task due in ``year`` and not done."""
    found = await session.scalars(
        select(Task.plan_id)
        .where(
            Task.plan_id.in_(plan_ids),
            Task.withdrawn.is_(False),
            Task.status.not_in(("done", "not_applicable")),
            Task.deadline_due.between(date(year, 1, 1), date(year, 12, 31)),
        )
        .distinct()
    )
    return set(found)


async def organization_plans(session: AsyncSession, org: Organization) -> list[Plan]:
    """Every plan of the organization, newest year first."""
    return list(
        await session.scalars(
            select(Plan).where(Plan.organization_id == org.id).order_by(Plan.year.desc(), Plan.id)
        )
    )


async def several_plans(
    session: AsyncSession, organization_id: int, today: date | None = None
) -> bool:
    """Does the organization follow more than one plan now (then tasks are named with
    their plan's code, "CĐS 6")?"""
    org = await session.get(Organization, organization_id)
    return org is not None and len(await active_plans(session, org, today)) > 1


async def latest_plan(session: AsyncSession, org: Organization) -> Plan | None:
    """The organization's current plan (see ``current_plans``)."""
    plan_id = (await current_plans(session, [org.id])).get(org.id)
    return await session.get(Plan, plan_id) if plan_id is not None else None


@lru_cache(maxsize=4096)  # asked of every commune's plans on a province's /tiendo
def is_city_assigned(title: str) -> bool:
    """A plan listing tasks assigned by the city ("Nhiệm vụ UBND thành phố giao …")."""
    words = f" {' '.join(fold(title).split())} "
    return " giao " in words and any(w in words for w in (" thanh pho ", " tinh ", " cap tren "))


async def current_plans(session: AsyncSession, org_ids: Sequence[int]) -> dict[int, int]:
    """Organization id → id of its current plan: the newest (year, then import) that is
    not a list of city-assigned tasks, else the newest."""
    rows = await session.execute(
        select(
            Plan.organization_id, Plan.id, Plan.title, Plan.year, Plan.imported_at, Plan.kind
        ).where(Plan.organization_id.in_(list(org_ids)))
    )
    best: dict[int, tuple[tuple[bool, int, datetime], int]] = {}
    for org_id, plan_id, title, year, imported, kind in rows:
        key = (kind != ASSIGNED and not is_city_assigned(title), year, imported)
        if org_id not in best or key > best[org_id][0]:
            best[org_id] = (key, plan_id)
    return {org_id: plan_id for org_id, (_, plan_id) in best.items()}


async def list_tasks(
    session: AsyncSession,
    org: Organization,
    *,
    unit_ids: Sequence[int] | None = None,
    roles: Sequence[str] = ("lead", "cooperating"),
    plan: Plan | None = None,
    today: date | None = None,
) -> list[Task]:
    """Tasks of the organization's active plans on ``today`` (or of ``plan``), plan by
    plan in plan order, withdrawn tasks left out; only those where one of ``unit_ids``
    takes one of ``roles`` when ``unit_ids`` is given."""
    plans = [plan] if plan is not None else await active_plans(session, org, today)
    if not plans:
        return []
    query = (
        _task_query()
        .join(Section, Task.section_id == Section.id)
        .join(Plan, Task.plan_id == Plan.id)
        .where(Task.plan_id.in_([p.id for p in plans]), Task.withdrawn.is_(False))
    )
    if unit_ids is not None:
        query = query.where(
            Task.id.in_(
                select(TaskUnit.task_id).where(
                    TaskUnit.unit_id.in_(list(unit_ids)), TaskUnit.role.in_(list(roles))
                )
            )
        )
    first = case((Plan.kind == ASSIGNED, 1), else_=0)  # each plan's own tasks first
    return list(
        await session.scalars(
            query.order_by(first, Plan.year, Task.plan_id, Section.order, Task.position)
        )
    )


async def find_tasks_by_number(
    session: AsyncSession,
    org: Organization,
    number: str,
    *,
    code: str | None = None,
    today: date | None = None,
) -> list[Task]:
    """Tasks of the plans active on ``today`` numbered ``number`` ("12", or "II.3" to
    name the section too), only of the plan coded ``code`` when given; never withdrawn
    ones."""
    plans = await active_plans(session, org, today)
    if code is not None:
        plans = [p for p in plans if p.code == code]
    if not plans:
        return []
    query = _task_query().where(Task.plan_id.in_([p.id for p in plans]), Task.withdrawn.is_(False))
    exact = list(await session.scalars(query.where(Task.number == number.strip())))
    if exact:  # "1.1" is a task's own number in plans numbered "1.", "1.1"
        return exact
    numeral, _, num = number.strip().rpartition(".")
    if numeral:
        query = query.join(Section, Task.section_id == Section.id).where(
            Section.numeral == numeral.upper(), Task.number == num
        )
    else:
        query = query.where(Task.number == num)
    return list(await session.scalars(query))


async def get_task(session: AsyncSession, task_id: int) -> Task | None:
    return await session.scalar(_task_query().where(Task.id == task_id))


async def get_tasks(session: AsyncSession, task_ids: Sequence[int]) -> dict[int, Task]:
    """Many tasks by id, loaded as ``get_task`` loads one, in the same few statements
    whatever their number (a reminder storm composes hundreds of messages from them)."""
    if not task_ids:
        return {}
    found = await session.scalars(_task_query().where(Task.id.in_(sorted(set(task_ids)))))
    return {task.id: task for task in found}


async def history(session: AsyncSession, task: Task) -> list[StatusUpdate]:
    return list(
        await session.scalars(
            select(StatusUpdate)
            .where(StatusUpdate.task_id == task.id)
            .options(selectinload(StatusUpdate.person))
            .order_by(StatusUpdate.created_at, StatusUpdate.id)
        )
    )


async def evidence_of(session: AsyncSession, task: Task) -> list[str]:
    """Evidence documents recorded for the task, oldest first, without repeats; what was
    undone is not evidence."""
    seen: list[str] = []
    rows = await history(session, task)
    undone = {u.undoes for u in rows if u.undoes is not None}
    for update in rows:
        if update.kind == "status" and update.id not in undone:
            for item in update.evidence or []:
                if item not in seen:
                    seen.append(item)
    return seen


APPENDIX_TEXT = "appendix_text"  # the compiler's wording of a row in the appendix
APPENDIX_AUTO = "-"  # that wording withdrawn: the appendix writes the row itself again


async def appendix_texts(
    session: AsyncSession, task_ids: Sequence[int], until: datetime | None = None
) -> dict[int, str]:
    """Task id → the compiler's wording of its appendix row (the newest one set before
    ``until`` when given, unless withdrawn). The officers' history is not touched: the
    wording is a row of its own."""
    query = select(StatusUpdate.task_id, StatusUpdate.text).where(
        StatusUpdate.task_id.in_(list(task_ids)), StatusUpdate.kind == APPENDIX_TEXT
    )
    if until is not None:
        query = query.where(StatusUpdate.created_at < until)
    rows = await session.execute(query.order_by(StatusUpdate.created_at, StatusUpdate.id))
    found: dict[int, str] = {}
    for task_id, text in rows:
        found[task_id] = text
    return {t: text for t, text in found.items() if text != APPENDIX_AUTO}


async def units_of(session: AsyncSession, org: Organization) -> list[Unit]:
    return list(
        await session.scalars(select(Unit).where(Unit.organization_id == org.id).order_by(Unit.id))
    )


async def plans_of_year(session: AsyncSession, org: Organization, year: int) -> list[Plan]:
    return list(
        await session.scalars(
            select(Plan).where(Plan.organization_id == org.id, Plan.year == year).order_by(Plan.id)
        )
    )


async def plan_by_ref(session: AsyncSession, org: Organization, ref: str) -> Plan | None:
    """The organization's plan named by ``ref``: its id, its code in any case or
    accents ("cds" for "CĐS"; the newest year first), or its title."""
    ref = " ".join(ref.split())
    plans = await organization_plans(session, org)
    if ref.isascii() and ref.isdigit():
        found = next((p for p in plans if p.id == int(ref)), None)
        if found is not None:
            return found
    key = "".join(fold(ref).split())
    found = next((p for p in plans if p.code and "".join(fold(p.code).split()) == key), None)
    if found is None:
        found = next((p for p in plans if fold(p.title) == fold(ref)), None)
    return found


async def plan_counts(session: AsyncSession, plan_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """Plan id → (tasks, done tasks), withdrawn tasks left out."""
    rows = await session.execute(
        select(Task.plan_id, Task.status, func.count())
        .where(Task.plan_id.in_(list(plan_ids)), Task.withdrawn.is_(False))
        .group_by(Task.plan_id, Task.status)
    )
    counts: dict[int, tuple[int, int]] = {pid: (0, 0) for pid in plan_ids}
    for plan_id, status, n in rows:
        total, done = counts[plan_id]
        counts[plan_id] = (total + n, done + (n if status == "done" else 0))
    return counts
