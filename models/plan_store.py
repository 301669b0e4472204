"""Storing an imported plan: create or update the plan, its sections, units and tasks
in place, and say what changed. An organization has many plans a year; storing touches
only the plan it targets. Re-importing never deletes a task or its history: a task
missing from the new file is kept as withdrawn (not listed, reminded or counted), and
comes back if a later file has it again.

The input is channel- and file-neutral (``TaskInput``): the caller has already read the
file and parsed the deadlines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from models.outbox import cancel_pending
from models.people import Organization, Unit
from models.plans import Plan, Section, StatusUpdate, Task, TaskUnit
from models.unit_names import display_name, normalise_unit_name


@dataclass
class TaskInput:
    section_numeral: str
    section_title: str
    section_order: int
    number: str
    content: str
    product: str = ""
    lead_units: list[str] = field(default_factory=list)
    cooperating_units: list[str] = field(default_factory=list)
    lead_note: str = ""
    cooperating_note: str = ""
    deadline_text: str = ""
    deadline_kind: str = "unknown"
    deadline_start: date | None = None
    deadline_due: date | None = None
    deadline_every: str | None = None
    review_reason: str | None = None


@dataclass
class StoreResult:
    plan: Plan
    plan_created: bool
    added: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[str]]] = field(default_factory=list)
    unchanged: int = 0
    missing: list[str] = field(default_factory=list)  # withdrawn by this file
    restored: list[str] = field(default_factory=list)


# Fields compared on re-import, in the order they are reported.
_FIELDS = (
    "content",
    "product",
    "lead_note",
    "cooperating_note",
    "deadline_text",
    "deadline_kind",
    "deadline_start",
    "deadline_due",
    "deadline_every",
)


async def get_or_create_organization(
    session: AsyncSession, name: str, *, timezone: str, now: datetime
) -> Organization:
    name = " ".join(name.split())
    org = await session.scalar(select(Organization).where(Organization.name == name))
    if org is None:
        org = Organization(name=name, timezone=timezone, created_at=now)
        session.add(org)
        await session.flush()
    return org


async def find_organization(session: AsyncSession, name: str) -> Organization | None:
    name = " ".join(name.split())
    org = await session.scalar(select(Organization).where(Organization.name == name))
    if org is None:  # tolerate case and accents, as people type
        key = normalise_unit_name(name)
        for candidate in await session.scalars(select(Organization)):
            if normalise_unit_name(candidate.name) == key:
                return candidate
    return org


MAX_ALIASES = 30  # spellings kept per unit, from imported plans
ALIAS_CHARS = 200


async def resolve_unit(
    session: AsyncSession, org: Organization, name: str, *, create: bool = False
) -> Unit | None:
    """The organization's unit called ``name`` in any spelling; created if asked. Only
    a plan an admin imports (``create``) teaches a unit a new spelling: a read such as
    /tiendo ĐƠN_VỊ writes nothing, whoever types it."""
    key = normalise_unit_name(name)
    unit = await session.scalar(
        select(Unit).where(Unit.organization_id == org.id, Unit.normalized_name == key)
    )
    if unit is None and not create:
        unit = await _unit_by_words(session, org, key)
    if unit is None and create:
        unit = Unit(
            organization_id=org.id, name=display_name(name), normalized_name=key, aliases=[]
        )
        session.add(unit)
        await session.flush()
    elif create and unit is not None and name.strip() not in (unit.name, *unit.aliases):
        if len(unit.aliases) < MAX_ALIASES and len(name.strip()) <= ALIAS_CHARS:
            unit.aliases = [*unit.aliases, name.strip()]
    return unit


async def _unit_by_words(session: AsyncSession, org: Organization, key: str) -> Unit | None:
    """What people type for a unit is often shorter ("Phòng Văn hóa", "VH-XH"): the one
    unit whose name holds every word typed, if there is exactly one."""
    words = set(key.split())
    if not words:
        return None
    units = await session.scalars(select(Unit).where(Unit.organization_id == org.id))
    found = [u for u in units if words <= set(u.normalized_name.split())]
    return found[0] if len(found) == 1 else None


def _key(content: str) -> str:
    return " ".join(content.casefold().split())


def title_key(title: str) -> str:
    """A plan title as compared: case and spacing do not make another plan."""
    return " ".join(title.casefold().split())


async def find_plan(
    session: AsyncSession, org: Organization, title: str, year: int
) -> Plan | None:
    """The organization's plan of ``year`` with this title (any case or spacing)."""
    key = title_key(title)
    plans = await session.scalars(
        select(Plan).where(Plan.organization_id == org.id, Plan.year == year).order_by(Plan.id)
    )
    return next((p for p in plans if title_key(p.title) == key), None)


async def store_plan(
    session: AsyncSession,
    org: Organization,
    *,
    title: str,
    year: int,
    source_file: str | None,
    tasks: list[TaskInput],
    now: datetime,
    plan: Plan | None = None,
    code: str = "",
) -> StoreResult:
    """Update ``plan`` (default: the plan ``title``/``year`` of ``org``) from ``tasks``,
    or create it with ``code`` when there is none. No other plan is read or changed."""
    if plan is None:
        plan = await find_plan(session, org, title, year)
    created = plan is None
    if plan is None:
        plan = Plan(organization_id=org.id, title=title, year=year, code=code, imported_at=now)
        session.add(plan)
        await session.flush()
    plan.title, plan.code = title, code or plan.code  # a plan known untitled learns its name
    plan.source_file = source_file
    plan.imported_at = now
    result = StoreResult(plan=plan, plan_created=created)

    sections = {
        s.numeral: s
        for s in await session.scalars(select(Section).where(Section.plan_id == plan.id))
    }
    existing = list(
        await session.scalars(
            select(Task)
            .where(Task.plan_id == plan.id)
            .options(
                selectinload(Task.unit_links).selectinload(TaskUnit.unit),
                selectinload(Task.section),
            )
        )
    )
    by_number = {(t.section.numeral, t.number): t for t in existing}
    by_content = {_key(t.content): t for t in existing}
    seen: set[int] = set()

    for position, item in enumerate(tasks):
        section = sections.get(item.section_numeral)
        if section is None:
            section = Section(
                plan_id=plan.id,
                numeral=item.section_numeral,
                title=item.section_title,
                order=item.section_order,
            )
            session.add(section)
            await session.flush()
            sections[item.section_numeral] = section
        section.title, section.order = item.section_title, item.section_order

        task = by_number.get((item.section_numeral, item.number)) or by_content.get(
            _key(item.content)
        )
        if task is not None and task.id in seen:
            task = None
        if task is None:
            task = Task(
                plan_id=plan.id,
                section_id=section.id,
                number=item.number,
                position=position,
                updated_at=now,
                status="not_started",
            )
            session.add(task)
            _apply(task, item)
            await session.flush()
            await _link_units(session, org, task, item)
            result.added.append(item.number)
        else:
            changes = _apply(task, item)
            if task.section_id != section.id or task.number != item.number:
                changes.append("number")
                task.section_id, task.number = section.id, item.number
            task.position = position
            if await _link_units(session, org, task, item):
                changes.append("units")
            if changes:
                task.updated_at = now
                _history(session, task, ", ".join(changes), now)
                result.changed.append((item.number, changes))
            else:
                result.unchanged += 1
        if task.withdrawn:  # left out by an earlier file, back in this one
            task.withdrawn = False
            _history(session, task, "restored", now)
            result.restored.append(item.number)
        task.needs_review = item.review_reason is not None
        task.review_reason = item.review_reason
        seen.add(task.id)

    for task in existing:
        if task.id not in seen and not task.withdrawn:
            result.missing.append(task.number)
            task.withdrawn = True
            task.updated_at = now
            _history(session, task, "withdrawn", now)
            await cancel_pending(session, task.id)  # no more reminders for it
    await session.flush()
    return result


def _history(session: AsyncSession, task: Task, text: str, now: datetime) -> None:
    """An "import" row of the task's history: what a file changed ("content, units"),
    or "withdrawn" / "restored"."""
    session.add(
        StatusUpdate(task_id=task.id, created_at=now, kind="import", text=text, evidence=[])
    )


def _apply(task: Task, item: TaskInput) -> list[str]:
    changed = []
    for name in _FIELDS:
        new = getattr(item, name)
        if name == "deadline_due" and task.original_due is not None:
            if new == task.original_due:
                continue  # the file still says the plan's date; the approved extension stands
            task.original_due = None  # the plan itself moved the date: it replaces the extension
        if getattr(task, name, None) != new:
            if task.id is not None:
                changed.append(name)
            setattr(task, name, new)
    return changed


async def _link_units(
    session: AsyncSession, org: Organization, task: Task, item: TaskInput
) -> bool:
    """Make the task's unit links match ``item``; True if they changed."""
    wanted: list[tuple[int, str]] = []
    for role, names in (("lead", item.lead_units), ("cooperating", item.cooperating_units)):
        for name in names:
            unit = await resolve_unit(session, org, name, create=True)
            assert unit is not None
            if (unit.id, role) not in wanted:
                wanted.append((unit.id, role))
    links = list(await session.scalars(select(TaskUnit).where(TaskUnit.task_id == task.id)))
    current = [(link.unit_id, link.role) for link in sorted(links, key=lambda link: link.position)]
    if current == wanted:
        return False
    for link in links:
        await session.delete(link)
    await session.flush()
    for position, (unit_id, role) in enumerate(wanted):
        session.add(TaskUnit(task_id=task.id, unit_id=unit_id, role=role, position=position))
    await session.flush()
    return True
