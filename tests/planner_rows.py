"""A province in small for the planner (``tests/test_planner_same_rows.py``): five
organizations (one in another time zone, one with no plan, one carrying last year's
plan on) with every deadline kind and status, units with no one in them, tasks with no
lead unit, cooperating units that also lead, leaders, admins, an unreachable officer, an
assigned list, score sheets; then a story of four planning passes with changes between
them (a task done and undone, a deadline moved, a withdrawal, an officer unreachable, a
new member, rows sent, other settings, the window moving on to the score sheet's date).

``story`` returns, after each pass, the rows it changed in the outbox (by key, without
ids) and the organizations' watermarks, as text lines, so that a planner can be checked
to plan exactly what an earlier one planned (``tests/data/planner_rows.tsv``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from language.deadlines import parse_deadline
from models.outbox import SENT, OutboxItem
from models.people import Membership, Organization, Person, Unit
from models.plans import Plan, Section, Task, TaskUnit
from models.scores import ScoreItem, ScoreItemUnit, ScoreSheet
from scheduler.planner import PlanningSettings, all_organizations, plan_in_steps, replan_task
from scheduler.workdays import WorkCalendar

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2026, 3, 2, 9, 0, tzinfo=HCM)
MADE = datetime(2026, 1, 2, 1, 0, tzinfo=UTC)
# (deadline text, status, lead units, cooperating units, lead note, withdrawn); units
# are the organization's 1st to 4th (the 4th has no member).
TASKS = [
    ("Trước ngày 05/3/2026", "not_started", [1], [2], "", False),
    ("Trước ngày 10/3/2026", "in_progress", [1, 2], [1, 3], "", False),
    ("Trước 15/01/2026", "not_started", [2], [], "", False),
    ("Trước ngày 20/02/2026", "extension", [3], [4], "", False),
    ("Hằng tháng, trước ngày 25", "in_progress", [1], [3], "", False),
    ("Hàng quý", "not_started", [4], [1], "", False),
    ("Quý I/2026", "not_started", [], [], "Các phòng chuyên môn", False),
    ("Thường xuyên", "in_progress", [2], [], "", False),
    ("Theo yêu cầu", "not_started", [3], [1], "", False),
    ("abc xyz", "not_started", [1], [], "", False),
    ("30/4/2026", "not_started", [2, 4], [], "", False),
    ("Cả năm 2026", "done", [1], [2], "", False),
    ("Quý II/2026", "not_applicable", [2], [], "", False),
    ("Trước ngày 20/3/2026", "not_started", [1], [], "", False),
    ("Tháng 10 hàng năm", "unknown", [3], [], "", False),
    ("Trước ngày 16/3/2026", "not_started", [3], [2], "", True),
]


def _task(task_id: int, plan_id: int, section_id: int, n: int, spec: tuple, year: int) -> dict:
    words, status, _lead, _coop, note, withdrawn = spec
    d = parse_deadline(words, year, date(year, 1, 2))
    return {
        "id": task_id, "plan_id": plan_id, "section_id": section_id, "number": str(n),
        "position": n, "content": f"Nhiệm vụ {n}", "product": "Báo cáo", "lead_note": note,
        "cooperating_note": "", "deadline_text": words, "deadline_kind": d.kind,
        "deadline_start": d.start, "deadline_due": d.due, "deadline_every": d.every,
        "status": status, "withdrawn": withdrawn, "needs_review": False, "updated_at": MADE,
    }  # fmt: skip


def _rows() -> dict[type, list[dict]]:  # noqa: C901 - one straight-line data generator
    rows: dict[type, list[dict]] = {m: [] for m in (Organization, Unit, Person, Membership, Plan, Section, Task, TaskUnit, ScoreSheet, ScoreItem, ScoreItemUnit)}  # fmt: skip
    zones = [
        "Asia/Ho_Chi_Minh",
        "Asia/Ho_Chi_Minh",
        "Asia/Tokyo",
        "Asia/Ho_Chi_Minh",
        "Asia/Ho_Chi_Minh",
    ]
    person = task_id = link = 0

    def add_person(org: int, unit: int | None, role: str, *, gone: bool = False) -> None:
        nonlocal person
        person += 1
        rows[Person].append({"id": person, "display_name": f"P{person}", "language": "vi", "created_at": MADE,
                             "unreachable_since": MADE if gone else None})  # fmt: skip
        rows[Membership].append(
            {
                "id": person,
                "person_id": person,
                "organization_id": org,
                "unit_id": unit,
                "role": role,
            }
        )

    for org, zone in enumerate(zones, 1):
        rows[Organization].append(
            {"id": org, "name": f"Xã {org}", "timezone": zone, "created_at": MADE}
        )
        units = [org * 10 + i for i in range(1, 5)]
        rows[Unit] += [{"id": u, "organization_id": org, "name": f"Phòng {u}", "normalized_name": f"phòng {u}", "aliases": []} for u in units]  # fmt: skip
        for unit, role in ((0, "officer"), (1, "officer"), (2, "officer"), (1, "leader")):
            add_person(org, units[unit], role)
        add_person(org, units[0], "officer", gone=True)
        add_person(org, None, "leader")
        add_person(org, None, "admin")
        add_person(org, None, "viewer")
        if org == 2:
            add_person(org, units[2], "admin")  # an admin who leads a unit's work too
            add_person(org, units[0], "leader")
            add_person(org, units[0], "officer")  # two in one unit
        if org == 5:
            add_person(org, None, "leader")  # a second leader
    plans = [(1, 1, 2026, "plan"), (2, 2, 2026, "plan"), (3, 3, 2026, "plan"), (4, 1, 2026, "assigned"),
             (5, 5, 2025, "plan"), (6, 5, 2027, "plan")]  # fmt: skip
    for plan_id, org, year, kind in plans:
        rows[Plan].append({"id": plan_id, "organization_id": org, "title": f"Kế hoạch {plan_id}", "year": year,
                           "code": "", "imported_at": MADE, "kind": kind})  # fmt: skip
        rows[Section].append(
            {"id": plan_id, "plan_id": plan_id, "numeral": "I", "title": "Mục I", "order": 0}
        )
        if org in (1, 2) and kind == "plan":
            specs = TASKS
        elif org == 3:
            specs = TASKS[:9]
        elif kind == "assigned":
            specs = [TASKS[1], TASKS[4], TASKS[8]]
        else:  # last year's plan carried on by an undone task due this year; next year's waits
            specs = [
                ("Trước ngày 30/6/2026", "in_progress", [1], [2], "", False),
                TASKS[2],
                TASKS[7],
            ]
        units = [org * 10 + i for i in range(1, 5)]
        shift = org - 1  # the organizations' tasks go to different units
        for n, spec in enumerate(specs, 1):
            task_id += 1
            rows[Task].append(_task(task_id, plan_id, plan_id, n, spec, year))
            for role, which in (("lead", spec[2]), ("cooperating", spec[3])):
                for position, u in enumerate(which):
                    link += 1
                    unit = units[(u - 1 + shift) % 3] if u != 4 else units[3]
                    rows[TaskUnit].append({"id": link, "task_id": task_id, "unit_id": unit, "role": role, "position": position})  # fmt: skip
    # Score sheets: the six-month one of organization 1 (one unit's item scored, one
    # unit with no one), the yearly one of organization 4 (which has no plan).
    for sheet, org, period in ((1, 1, "6thang"), (2, 4, "nam")):
        rows[ScoreSheet].append({"id": sheet, "organization_id": org, "title": f"Bảng điểm {sheet}", "period": period,
                                 "year": 2026, "imported_at": MADE, "needs_review": False})  # fmt: skip
        items = [(None, None), (sheet * 10, 1), (sheet * 10, 2), (sheet * 10, 4)]
        for i, (parent, unit) in enumerate(items):
            item = sheet * 10 + i
            scored = Decimal("2") if unit == 2 else None
            rows[ScoreItem].append({"id": item, "sheet_id": sheet, "parent_id": parent, "level": 1 if parent is None else 3,
                                    "ref": str(i), "position": i, "content": f"Tiêu chí {i}", "self_points": scored,
                                    "needs_review": False, "updated_at": MADE})  # fmt: skip
            if unit is not None:
                rows[ScoreItemUnit].append(
                    {"id": item, "item_id": item, "unit_id": org * 10 + unit, "role": "lead"}
                )
    return rows


async def build(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session, session.begin():
        for model, rows in _rows().items():
            await session.execute(model.__table__.insert(), rows)
        if session.bind.dialect.name == "postgresql":  # explicit ids: move the sequences on
            for model in _rows():
                table = model.__table__.name
                await session.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 1000)")
                )


def _moment(value: datetime | None) -> str:
    return "-" if value is None else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


async def snapshot(session: AsyncSession) -> dict[str, str]:
    """Every outbox row (without its id) and organization watermark, as text by key."""
    out = {}
    for row in await session.scalars(select(OutboxItem)):
        # The key holds the task, kind, occurrence and recipient (checked here once).
        assert row.key == f"{row.task_id or '-'}:{row.kind}:{row.occurrence}:{row.recipient_id}"
        out[f"outbox {row.key}"] = "\t".join(
            str(v) for v in (row.organization_id, _moment(row.send_at), _moment(row.useful_until),
                             int(row.to_leaders), row.state, row.detail or "-")
        )  # fmt: skip
    for org in await session.scalars(select(Organization)):
        out[f"organization {org.id}"] = "\t".join((_moment(org.planned_through), _moment(org.plan_due_at), org.planned_with or "-"))  # fmt: skip
    return out


async def _plan_all(sessions: async_sessionmaker[AsyncSession], now: datetime, settings: PlanningSettings,
                    calendar: WorkCalendar) -> list[int]:  # fmt: skip
    async with sessions() as session:
        ids = [org.id for org in await all_organizations(session)]
    return [await plan_in_steps(sessions, org_id, now, settings, calendar) for org_id in ids]


async def _change(sessions: async_sessionmaker[AsyncSession], *statements: object) -> None:
    async with sessions() as session, session.begin():
        for statement in statements:
            await session.execute(statement)


async def story(sessions: async_sessionmaker[AsyncSession]) -> list[str]:
    """Build the province, run the four passes; the lines each pass changed."""
    await build(sessions)
    calendar = WorkCalendar.from_dates(["2026-03-27"], ["2026-03-28"])
    settings = PlanningSettings(batch=5)
    lines: list[str] = []
    before: dict[str, str] = {}

    async def step(name: str, added: list[int]) -> None:
        nonlocal before
        async with sessions() as session:
            now = await snapshot(session)
        lines.append(f"{name}\tadded\t{added}")
        lines.extend(
            f"{name}\t{key}\t{now[key]}" for key in sorted(now) if before.get(key) != now[key]
        )
        lines.extend(f"{name}\t{key}\tgone" for key in sorted(set(before) - set(now)))
        before = now

    await step("1 first pass", await _plan_all(sessions, START, settings, calendar))

    now = START + timedelta(days=1)
    await _change(
        sessions,
        update(OutboxItem).where(OutboxItem.organization_id == 1, OutboxItem.send_at <= now).values(state=SENT),
        update(Task).where(Task.id == 1).values(status="done"),
        update(Task).where(Task.id == 12).values(status="in_progress"),
        update(Task).where(Task.id == 2).values(deadline_due=date(2026, 3, 25), deadline_text="Trước ngày 26/3/2026"),
        update(Task).where(Task.id == 21).values(withdrawn=True),
        update(Person).where(Person.id.in_([1, 4])).values(unreachable_since=now),
    )  # fmt: skip
    async with sessions() as session, session.begin():  # an officer joins the unit nobody was in
        session.add(Person(id=900, display_name="P900", language="vi", created_at=now))
        await session.flush()
        session.add(Membership(person_id=900, organization_id=1, unit_id=14, role="officer"))
    async with (
        sessions() as session,
        session.begin(),
    ):  # a status recorded: its task re-planned at once
        task = await session.get(
            Task,
            19,
            options=[
                selectinload(Task.plan),
                selectinload(Task.unit_links).selectinload(TaskUnit.unit),
            ],
        )
        task.status = "done"
        await session.flush()
        await replan_task(session, task, now, settings, calendar)
    await step("2 after changes", await _plan_all(sessions, now, settings, calendar))

    now += timedelta(hours=1)
    await _change(sessions, update(Task).where(Task.id == 1).values(status="in_progress"))  # undone
    later = replace(
        settings, reminders=replace(settings.reminders, send_time=time(7, 0), before_due=(5, 1))
    )
    await step("3 other settings", await _plan_all(sessions, now, later, calendar))

    now = START + timedelta(days=95)  # the six-month score sheet's notices too
    await step("4 95 days on", await _plan_all(sessions, now, later, calendar))
    return lines
