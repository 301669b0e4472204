"""The figures of the web view, in one place: the official categories of a plan per
unit, counted by ``models.progress.tally`` (whose ``classify`` is the one rule of
/tiendo, Biểu mẫu 1 and the draft) and worded by ``documents.category_words``: the
official categories, and the continuous tasks counted done because they were carried
out on their own line ("đã thực hiện và tiếp tục thực hiện"), never a count of our own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from documents.category_words import CategoryLine, category_lines
from models.people import Organization
from models.plans import Plan
from models.progress import DeadlineEnd, Progress, tally
from models.progress_queries import task_facts


@dataclass(frozen=True)
class PlanFigures:
    plan: Plan
    progress: Progress

    @property
    def lines(self) -> list[CategoryLine]:
        """Every category, as documents show them (a zero says as much as a number),
        and the carried-on line under "done on time" when there is one."""
        return category_lines(self.progress.overall, all_lines=True)


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
    return PlanFigures(plan, tally(facts, as_of, deadline_end=deadline_end))
