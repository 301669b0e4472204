"""What the narrative report is written from, gathered from the database in one place:
the appendix (``documents.report_rows.build_report``, whose figures the report quotes
as they are), the plan's decision, and per task its plan wording, lead units, facts,
category and the status reports standing at the end of the period.

The category of each task comes from ``models.progress.classify`` with the same date
and working-day rule as the appendix's tally, so a task listed as overdue in the text is
one of the overdue tasks the figures count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from documents.report_rows import Period, Report, build_report, load_plan
from models.people import Organization
from models.plans import Plan
from models.progress import DeadlineEnd, Reported, TaskFacts, classify


@dataclass(frozen=True)
class TaskRecord:
    number: str
    content: str
    section: str  # the section's numeral ("I")
    leads: tuple[str, ...]  # lead unit names, or the plan's lead note when it names none
    deadline_text: str
    facts: TaskFacts
    category: str  # the Biểu mẫu 1 category on the report's date
    reports: tuple[Reported, ...]  # standing on that date, oldest first
    reviewed: bool  # the compiler has written the appendix row (/ketqua)
    extended_to: date | None = None  # an approved extension standing on the report's day
    wording: str | None = None  # the compiler's appendix row (/ketqua), when written


@dataclass(frozen=True)
class NarrativeData:
    report: Report  # the appendix: its figures are the report's figures
    plan_title: str
    decision_number: str | None
    decision_date: date | None
    sections: tuple[tuple[str, str], ...]  # (numeral, title) in plan order
    tasks: tuple[TaskRecord, ...]  # in plan order


def _extended(planned: date | None, due: date | None) -> date | None:
    return due if planned is not None and due is not None and due != planned else None


async def gather(
    session: AsyncSession,
    org: Organization,
    plan: Plan,
    *,
    period: Period,
    as_of: date,
    deadline_end: DeadlineEnd,
    unit_ids: Sequence[int] | None = None,
    unit_names: Sequence[str] = (),
    issued: date | None = None,
    number: str | None = None,
    dated: date | None = None,
) -> NarrativeData:
    loaded = await load_plan(session, org, plan, as_of=as_of, unit_ids=unit_ids)
    report = await build_report(
        session,
        org,
        period=period,
        as_of=as_of,
        deadline_end=deadline_end,
        plan=plan,
        unit_ids=unit_ids,
        unit_names=unit_names,
        issued=issued,
        number=number,
        dated=dated,
        loaded=loaded,
    )
    assert report is not None  # the plan is given
    tasks, facts, reports, wordings = loaded.tasks, loaded.facts, loaded.reports, loaded.wordings
    records = []
    sections: dict[str, str] = {}
    for task in tasks:
        sections.setdefault(task.section.numeral, task.section.title)
        leads = tuple(u.name for u in task.units("lead")) or (
            (task.lead_note,) if task.lead_note else ()
        )
        records.append(
            TaskRecord(
                task.number,
                " ".join(task.content.split()).rstrip(" .;:,"),
                task.section.numeral,
                leads,
                task.deadline_text,
                facts[task.id],
                classify(facts[task.id], as_of, deadline_end=deadline_end),
                tuple(reports.get(task.id, ())),
                task.id in wordings,
                _extended(task.original_due, facts[task.id].due),
                wordings.get(task.id),
            )
        )
    return NarrativeData(
        report,
        plan.title,
        plan.decision_number,
        plan.decision_date,
        tuple(sections.items()),
        tuple(records),
    )
