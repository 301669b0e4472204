"""The progress queries: read from the database what the rules of ``models.progress``
count — the ``TaskFacts`` of every task of some plans on a date (``plan_facts``, and
``task_facts`` for one organization's plan), the overall tally of many organizations'
current plans (``overview``, for the city), and the reports and notes standing on a date
(``standing_reports``, for the report's results).

A task's status on a date is the newest "status" row of its history recorded by the end
of that day (in the organization's zone) and not undone by then. When the whole history
was recorded before that moment (today's figures), that row is the one kept on the task
(``models.status_store_kept``) and is read with the task; for a day in the past
(``--as-of``) the queries find it in the history (the newest row per task by walking an
index backwards). Either way a province of 28,000 tasks and 600,000 updates is counted in
a few queries whatever the number of organizations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Row, Select, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models.completion import completed_on
from models.extension_history import dues_on
from models.people import Organization
from models.plans import Plan, StatusUpdate, Task, undo_target
from models.progress import (
    STATUSES,
    DeadlineEnd,
    Reported,
    Tally,
    TaskFacts,
    carried_on,
    classify,
    in_scope,
)
from models.progress_statements import facts_statement, kept_status, newest_row, task_ids
from models.queries import current_plans


def day_end(as_of: date, timezone: str) -> datetime:
    """The first moment after ``as_of`` in ``timezone``, in UTC."""
    return datetime.combine(as_of + timedelta(days=1), time(), ZoneInfo(timezone)).astimezone(UTC)


async def history_before(session: AsyncSession, cut: datetime) -> bool:
    """Whether every history row was recorded before ``cut`` (``newest_row``)."""
    last = await session.scalar(select(newest_row()))
    return last is None or last < cut


async def undone_ids(session: AsyncSession, task_ids: Select, cut: datetime) -> set[int]:
    rows = await session.scalars(
        select(StatusUpdate.text).where(
            StatusUpdate.task_id.in_(task_ids),
            StatusUpdate.kind == "undo",
            StatusUpdate.created_at < cut,
        )
    )
    return {target for text in rows if (target := undo_target("undo", text)) is not None}


async def standing_statuses(
    session: AsyncSession, task_ids: Select, cut: datetime
) -> dict[int, tuple[str, datetime, int]]:
    """Per task, the status standing just before ``cut``, when it was recorded and the
    id of its row."""
    su = StatusUpdate
    is_status = (su.kind == "status", su.status.in_(STATUSES))
    # Per task, its newest status row found by walking the index (task, kind, time)
    # backwards from ``cut``: one short index step per task, whatever the history's
    # length (a GROUP BY over all history and a join back took 4× as long).
    task = aliased(Task)
    newest = (
        select(su.id)
        .where(su.task_id == task.id, *is_status, su.created_at < cut)
        .order_by(su.created_at.desc(), su.id.desc())
        .limit(1)
        .correlate(task)
        .scalar_subquery()
    )
    found = select(newest.label("sid")).select_from(task).where(task.id.in_(task_ids)).subquery()
    rows = await session.execute(
        select(su.id, su.task_id, su.status, su.created_at).join(found, su.id == found.c.sid)
    )
    latest: dict[int, tuple[int, str, datetime]] = {}
    for uid, task_id, status, created in rows:
        if task_id not in latest or uid > latest[task_id][0]:
            latest[task_id] = (uid, status, created)
    undone = await undone_ids(session, task_ids, cut)
    hit = [task_id for task_id, row in latest.items() if row[0] in undone]
    if hit:  # rare: an undone status was the newest; look further back for those tasks
        for task_id in hit:
            del latest[task_id]
        rows = await session.execute(
            select(su.id, su.task_id, su.status, su.created_at)
            .where(su.task_id.in_(hit), *is_status, su.created_at < cut)
            .order_by(su.created_at.desc(), su.id.desc())
        )
        for uid, task_id, status, created in rows:
            if task_id not in latest and uid not in undone:
                latest[task_id] = (uid, status, created)
    return {task_id: (status, created, uid) for task_id, (uid, status, created) in latest.items()}


async def completion_days(session: AsyncSession, recorded: dict[int, date]) -> dict[int, date]:
    """For the status rows ``recorded`` (row id → day recorded), the day the work was
    done (``models.completion``), by row id."""
    days: dict[int, date] = {}
    ids = list(recorded)
    for start in range(0, len(ids), 5000):  # within every backend's parameter limit
        rows = await session.execute(
            select(StatusUpdate.id, StatusUpdate.text, StatusUpdate.evidence).where(
                StatusUpdate.id.in_(ids[start : start + 5000])
            )
        )
        for uid, text, evidence in rows:
            days[uid] = completed_on(text or "", evidence or (), recorded[uid])
    return days


async def standing_reports(
    session: AsyncSession, task_ids: Sequence[int], as_of: date, timezone: str
) -> dict[int, list[Reported]]:
    """Per task, its status reports and notes standing on ``as_of``, oldest first."""
    su = StatusUpdate
    rows = (
        await session.execute(
            select(
                su.id,
                su.task_id,
                su.kind,
                su.status,
                su.percent,
                su.reason,
                su.evidence,
                su.text,
                su.created_at,
            )
            .where(
                su.task_id.in_(list(task_ids)),
                su.kind.in_(("status", "note", "undo")),
                su.created_at < day_end(as_of, timezone),
            )
            .order_by(su.created_at, su.id)
        )
    ).all()
    undone = {t for r in rows if (t := undo_target(r.kind, r.text)) is not None}
    zone = ZoneInfo(timezone)
    out: dict[int, list[Reported]] = defaultdict(list)
    for r in rows:
        if r.kind != "undo" and r.id not in undone and (r.kind == "note" or r.status in STATUSES):
            out[r.task_id].append(
                Reported(
                    r.status if r.kind == "status" else "note",
                    r.percent,
                    r.reason,
                    tuple(r.evidence or ()),
                    r.text or "",
                    r.created_at.astimezone(zone).date(),
                )
            )
    return dict(out)


async def plan_facts(
    session: AsyncSession,
    plan_ids: Sequence[int],
    as_of: date,
    timezone: str,
    *,
    unit_ids: Sequence[int] | None = None,
    with_units: bool = True,
    history: bool | None = None,
) -> list[tuple[int, TaskFacts]]:
    """(organization id, facts) of every task of ``plan_ids`` on ``as_of``, in plan
    order; only tasks led by one of ``unit_ids`` when given. ``history`` True reads
    the statuses from the history even for today (the tests compare both ways)."""
    cut = day_end(as_of, timezone)
    await session.flush()  # the rows below are read past the ORM
    query = facts_statement(unit_ids is not None, with_units)
    values = {"plan_ids": list(plan_ids), "unit_ids": list(unit_ids or ())}
    rows = (await (await session.connection()).execute(query, values)).all()
    leads: dict[int, list[str]] = defaultdict(list)
    if with_units:  # one row per lead unit: keep each task's first row, gather the names
        first: dict[int, Row] = {}
        for row in rows:
            first.setdefault(row[1], row)
            if row[15] is not None:
                leads[row[1]].append(row[15])
        rows = list(first.values())
    fast = not history and (not rows or rows[0][14] is None or rows[0][14] < cut)
    # An extension approved after ``as_of`` had not moved the date yet.
    extended = {row[1]: row[9] for row in rows if row[9] is not None}
    moved = await dues_on(session, extended, cut)
    zone = ZoneInfo(timezone)
    due_of = {row[1]: moved.get(row[1], row[7]) for row in rows}
    if fast:
        standing = {r[1]: (r[10], r[11], r[12]) for r in rows if r[11] is not None}
    else:
        standing = await standing_statuses(session, task_ids(plan_ids, unit_ids), cut)
    typed = {
        task_id: (uid, created.astimezone(zone).date())
        for task_id, (status, created, uid) in standing.items()
        if status == "done"
    }
    # Only a "done" typed after the due day can turn out to be on time: read what it
    # says about when the work was done for those alone (kept on the task for today).
    late = {
        uid: day
        for task_id, (uid, day) in typed.items()
        if due_of.get(task_id) is not None and day > due_of[task_id]
    }
    if fast:
        kept_days = {r[12]: r[13] for r in rows if r[12] in late}
        done_days = {uid: kept_days.get(uid) or day for uid, day in late.items()}
    else:
        done_days = await completion_days(session, late) if late else {}
    out = []
    for org_id, task_id, number, numeral, note, kind, start, _due, every, *_ in rows:
        status = standing[task_id][0] if task_id in standing else "not_started"
        done_on = None
        if status == "done":
            uid, day = typed[task_id]
            done_on = done_days.get(uid, day)
        units = tuple(leads.get(task_id, ())) or ((note,) if with_units and note else ())
        due = due_of[task_id]
        out.append(
            (
                org_id,
                TaskFacts(
                    task_id, number, numeral, units, status, kind, due, done_on, start, every
                ),
            )
        )
    return out


async def task_facts(
    session: AsyncSession,
    org: Organization,
    *,
    as_of: date,
    plan: Plan | None = None,
    unit_ids: Sequence[int] | None = None,
) -> list[TaskFacts]:
    """Facts of the tasks of ``plan`` (default: the current plan) on ``as_of``."""
    plan_id = plan.id if plan else (await current_plans(session, [org.id])).get(org.id)
    if plan_id is None:
        return []
    rows = await plan_facts(session, [plan_id], as_of, org.timezone, unit_ids=unit_ids)
    return [facts for _, facts in rows]


async def overview(
    session: AsyncSession,
    orgs: Sequence[Organization],
    as_of: dict[int, date],
    until: dict[int, date | None] | None = None,
    *,
    deadline_end: DeadlineEnd,
) -> dict[int, Tally]:
    """The overall tally of each organization's current plan on its ``as_of`` date,
    only the tasks ``in_scope`` of its ``until`` date when given; ``deadline_end`` is
    the working-day rule for due dates on days off (``models.progress.missed``)."""
    plans = await current_plans(session, [o.id for o in orgs])
    groups: dict[tuple[str, date, date | None], list[int]] = defaultdict(list)
    for org in orgs:
        if org.id in plans:
            end = until.get(org.id) if until else None
            groups[(org.timezone, as_of[org.id], end)].append(plans[org.id])
    result = {org.id: Tally() for org in orgs}
    for (timezone, day, end), plan_ids in groups.items():
        counted = await kept_counts(session, plan_ids, day_end(day, timezone))
        if counted is None:  # a day in the past: from the history
            facts = await plan_facts(session, plan_ids, day, timezone, with_units=False)
            counted = [(org_id, f, 1) for org_id, f in facts]
        # Tasks alike share one facts object (``kept_counts``) and are classified once:
        # by identity, since hashing the dataclass took longer than classifying.
        seen: dict[int, tuple[str, bool] | None] = {}
        for org_id, facts, times in counted:
            if id(facts) not in seen:
                inside = end is None or in_scope(facts, end)
                seen[id(facts)] = (
                    (classify(facts, day, deadline_end=deadline_end), carried_on(facts))
                    if inside
                    else None
                )
            if (found := seen[id(facts)]) is not None:
                result[org_id].add(found[0], continuing=found[1], times=times)
    return result


async def kept_counts(
    session: AsyncSession, plan_ids: Sequence[int], cut: datetime
) -> list[tuple[int, TaskFacts, int]] | None:
    """Today's tasks of ``plan_ids`` counted in SQL by what decides their category: the
    kept status, the deadline and, for a "done" after its due day, the day the work was
    done; an extended task apart (its due date on ``cut`` comes from the history).
    (organization id, facts without number, section or units, how many); None when
    some history was recorded at or after ``cut`` (then only the history can tell)."""
    late = case(
        (
            (Task.status == "done")
            & Task.status_at.is_not(None)
            & ((Task.done_on > Task.deadline_due) | Task.original_due.is_not(None)),
            Task.done_on,
        )
    )
    extended = case((Task.original_due.is_not(None), Task.id))
    key = (
        Plan.organization_id, kept_status(), Task.deadline_kind, Task.deadline_start,
        Task.deadline_due, Task.deadline_every, late, extended, Task.original_due,
    )  # fmt: skip
    await session.flush()
    # Asked once, not as a column: a province's groups are tens of thousands of rows.
    if not await history_before(session, cut):
        return None
    rows = (
        await (await session.connection()).execute(
            select(*key, func.count())
            .join(Plan, Task.plan_id == Plan.id)
            .where(Task.plan_id.in_(list(plan_ids)), Task.withdrawn.is_(False))
            .group_by(*key)
        )
    ).all()
    moved = await dues_on(session, {r[7]: r[8] for r in rows if r[7] is not None}, cut)
    out = []
    made: dict[tuple, TaskFacts] = {}  # type: ignore[type-arg]
    for org_id, status, kind, start, due, every, done_on, task_id, _original, n in rows:
        if task_id is not None:  # the standing due, and whether done after it
            due = moved.get(task_id, due)
            done_on = done_on if done_on and due and done_on > due else None
        key = (status, kind, due, done_on, start, every)
        if (facts := made.get(key)) is None:
            facts = made[key] = TaskFacts(0, "", "", (), status, kind, due, done_on, start, every)
        out.append((org_id, facts, n))
    return out
