"""The statements of the progress figures that run on every ``/tiendo``, built once per
process (building the two of a commune cost more than running them): which tasks count,
and their facts with the status kept on each task (``models.status_store_kept``)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from sqlalchemy import Select, bindparam, case, func, select

from models.people import Unit
from models.plans import Plan, Section, StatusUpdate, Task, TaskUnit


def newest_row() -> object:
    """When the newest history row was recorded (one step down the index on the
    time): every row before a day's end means the status kept on each task is its
    status at that moment. Read as a column of the figures' own statement."""
    return select(func.max(StatusUpdate.created_at)).scalar_subquery()


def kept_status() -> object:
    """The kept status, "not_started" while no status row stands."""
    return case((Task.status_at.is_(None), "not_started"), else_=Task.status)


def task_ids(plan_ids: Sequence[int], unit_ids: Sequence[int] | None) -> Select:
    """The tasks counted: not withdrawn, of ``plan_ids``, led by ``unit_ids`` if given."""
    return _counted(list(plan_ids), None if unit_ids is None else list(unit_ids))


def _counted(plans: object, units: object | None) -> Select:
    """``task_ids`` over values or parameters (``facts_statements``)."""
    ids = select(Task.id).where(Task.plan_id.in_(plans), Task.withdrawn.is_(False))
    if units is not None:
        led = select(TaskUnit.task_id).where(TaskUnit.unit_id.in_(units), TaskUnit.role == "lead")
        ids = ids.where(Task.id.in_(led))
    return ids


@cache
def facts_statement(by_units: bool, with_units: bool) -> Select:
    """``plan_facts``' statement, built once per process (building it cost more than
    running it on a commune): the plans and units are expanding parameters. With
    ``with_units`` each lead unit's name comes as a last column, one row per lead unit
    in their order (a task with none: one row, no name) — one statement, not two."""
    ids = _counted(
        bindparam("plan_ids", expanding=True),
        bindparam("unit_ids", expanding=True) if by_units else None,
    )
    columns = [
        Plan.organization_id,
        Task.id,
        Task.number,
        Section.numeral,
        Task.lead_note,
        Task.deadline_kind,
        Task.deadline_start,
        Task.deadline_due,
        Task.deadline_every,
        Task.original_due,
        kept_status(),
        Task.status_at,
        Task.status_row,
        Task.done_on,
        newest_row(),
    ]
    order = [Plan.organization_id, Section.order, Task.position]
    facts = (
        select(*columns, *([Unit.name] if with_units else []))
        .join(Section, Task.section_id == Section.id)
        .join(Plan, Task.plan_id == Plan.id)
        .where(Task.id.in_(ids))
    )
    if with_units:
        lead = (TaskUnit.task_id == Task.id) & (TaskUnit.role == "lead")
        facts = facts.outerjoin(TaskUnit, lead).outerjoin(Unit, TaskUnit.unit_id == Unit.id)
        order += [Task.id, TaskUnit.position]  # (tasks of two plans may share a place)
    return facts.order_by(*order)
