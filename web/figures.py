"""The figures of the web view, in one place: the official categories of a plan per
unit, counted by ``models.progress.tally`` as /tiendo counts them. The documents work
(branch ``docs``) adds one function for the categories of /tiendo, Biểu mẫu 1 and the
draft; this module is the only one to switch to it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from models.people import Organization
from models.plans import Plan
from models.progress import DeadlineEnd, Progress, is_ongoing, tally
from models.progress_queries import task_facts


@dataclass(frozen=True)
class PlanFigures:
    plan: Plan
    progress: Progress
    ongoing: int  # continuous, on-request, recurring and whole-year tasks


async def plan_figures(
    session: AsyncSession,
    org: Organization,
    plan: Plan,
    as_of: date,
    *,
    deadline_end: DeadlineEnd,
    unit_ids: Sequence[int] | None = None,
) -> PlanFigures:
    """The categories of ``plan`` on ``as_of``: of the whole plan, or of the tasks led by
    ``unit_ids`` (an officer's units) when given."""
    facts = await task_facts(session, org, as_of=as_of, plan=plan, unit_ids=unit_ids)
    progress = tally(facts, as_of, deadline_end=deadline_end)
    return PlanFigures(plan, progress, sum(1 for f in facts if is_ongoing(f)))
