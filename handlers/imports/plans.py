"""Importing a plan file: read the table (documents), split the unit cells and parse
the deadlines (scheduler), store it in one transaction (models), and summarise what
happened. Used by the CLI's ``dondoc import`` and the admin's ``/nhap``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from documents.plan_reader import file_name, read_plan
from documents.plan_table import ParsedPlan
from documents.worker import run_in_worker
from handlers.imports.targets import Target, choose_target
from handlers.imports.unread_cells import apply_kept
from language.deadlines import describe_problem, parse_deadline
from locales import _, language
from models.outbox import request_replan
from models.plan_store import TaskInput, get_or_create_organization, store_plan
from models.unit_names import display_name, normalise_unit_name, split_unit_cell

_YEAR = re.compile(r"\b(20\d\d)\b")
_QUOTED = re.compile(r"«([^«»]*)»")  # linear: no nested repetition
QUOTE_CHARS = 60  # a cell quoted in a message: enough to recognise it
LINE_CHARS = 300  # one review line of the /nhap answer


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def review_line(number: str, problem: str) -> str:
    """One "needs review" line of the /nhap answer: a quoted cell is never echoed whole,
    and the line stays readable on a phone."""
    problem = _QUOTED.sub(lambda m: f"«{clip(m.group(1), QUOTE_CHARS)}»", problem)
    return clip(f"• {clip(number, 20)}: {problem}", LINE_CHARS)


@dataclass
class ImportSummary:
    organization: str
    plan: str  # the plan's title
    year: int
    plan_created: bool
    sections: list[dict[str, Any]]
    units: list[str]
    needs_review: list[dict[str, str]]
    plan_id: int | None = None  # None: a new plan of a dry run
    code: str = ""
    added: list[str] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0
    missing: list[str] = field(default_factory=list)  # withdrawn: kept with their history
    restored: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def tasks(self) -> int:
        return sum(s["tasks"] for s in self.sections)

    @property
    def changes_existing(self) -> bool:
        """Does it change a plan that was there before (not only create one)?"""
        return not self.plan_created and bool(
            self.added or self.changed or self.missing or self.restored
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "organization": self.organization,
            "plan": {
                "id": self.plan_id,
                "code": self.code,
                "title": self.plan,
                "year": self.year,
                "created": self.plan_created,
            },
            "dry_run": self.dry_run,
            "counts": {
                "added": len(self.added),
                "changed": len(self.changed),
                "removed": len(self.missing),
                "restored": len(self.restored),
                "unchanged": self.unchanged,
            },
            "year": self.year,
            "tasks": self.tasks,
            "sections": self.sections,
            "units": self.units,
            "needs_review": self.needs_review,
            "added": self.added,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "missing": self.missing,
            "removed": self.missing,
            "restored": self.restored,
            "warnings": self.warnings,
        }


def guess_year(parsed: ParsedPlan, fallback: int) -> int:
    """The plan's year: the year named most often in its title and deadlines."""
    texts = [parsed.title or ""] + [t.deadline_text for s in parsed.sections for t in s.tasks]
    years = Counter(int(y) for text in texts for y in _YEAR.findall(text))
    return years.most_common(1)[0][0] if years else fallback


def to_task_inputs(parsed: ParsedPlan, year: int, today: date) -> list[TaskInput]:
    """Split unit cells, parse deadlines and note what needs a person's review."""
    inputs = []
    for section in parsed.sections:
        for task in section.tasks:
            leads, lead_generic = split_unit_cell(task.lead_text)
            coops, coop_generic = split_unit_cell(task.cooperating_text)
            deadline = parse_deadline(task.deadline_text, year, today)
            problems = []
            problem = describe_problem(deadline)
            if problem:
                problems.append(problem)
            if not leads:
                problems.append(
                    _("Chưa có đơn vị chủ trì cụ thể («{text}»): không biết nhắc ai").format(
                        text=clip(" ".join(task.lead_text.split()), QUOTE_CHARS) or "—"
                    )
                )
            inputs.append(
                TaskInput(
                    section_numeral=section.numeral,
                    section_title=section.title,
                    section_order=section.order,
                    number=task.number,
                    content=task.content,
                    product=task.product,
                    lead_units=leads,
                    cooperating_units=coops,
                    lead_note="; ".join(lead_generic),
                    cooperating_note="; ".join(coop_generic),
                    deadline_text=task.deadline_text,
                    deadline_kind=deadline.kind,
                    deadline_start=deadline.start,
                    deadline_due=deadline.due,
                    deadline_every=deadline.every,
                    review_reason="; ".join(problems) or None,
                )
            )
    return inputs


def prepare_plan(
    data: bytes, filename: str, year: int | None, today: date
) -> tuple[ParsedPlan, int, list[TaskInput]]:
    """Read the file and make its task inputs (pure; run in the worker process).

    What is stored (plan title, review reasons) is Vietnamese, whoever imports it."""
    with language("vi"):
        parsed = read_plan(data, filename)
        year = year or guess_year(parsed, today.year)
        return parsed, year, to_task_inputs(parsed, year, today)


async def import_plan_file(
    session: AsyncSession,
    *,
    data: bytes,
    filename: str,
    organization: str,
    now: datetime,
    timezone: str = "Asia/Ho_Chi_Minh",
    plan_ref: str | None = None,
    year: int | None = None,
    new_plan: bool = False,
    title: str | None = None,
) -> ImportSummary:
    """Read and store a plan file (into the plan ``plan_ref`` or ``title`` names, when
    given; see ``handlers.imports.targets``). Raises ``PlanFileError`` (nothing stored) on bad input.

    The caller owns the transaction: commit on success, roll back on error.
    """
    today = now.astimezone(ZoneInfo(timezone)).date()
    # Reading is CPU work on untrusted bytes: it runs in the worker process, with a time
    # limit, so that other people's messages go on; only the storing happens here.
    prepared = await run_in_worker(
        prepare_plan, data, filename, year, today, name=file_name(filename)
    )
    return await store_prepared_plan(
        session, prepared, filename=filename, organization=organization, now=now,
        timezone=timezone, plan_ref=plan_ref or title, new_plan=new_plan,
    )  # fmt: skip


async def store_prepared_plan(
    session: AsyncSession,
    prepared: tuple[ParsedPlan, int, list[TaskInput]],
    *,
    filename: str,
    organization: str,
    now: datetime,
    timezone: str,
    plan_ref: str | None = None,
    new_plan: bool = False,
    dry_run: bool = False,
    target: Target | None = None,
) -> ImportSummary:
    """Store what ``prepare_plan`` read (in the caller's transaction) into the plan
    ``choose_target`` picks (or ``target``); with ``dry_run``, say what would change
    and change nothing. Raises ``NoTarget`` when the file names no plan among several."""
    parsed, year, inputs = prepared
    with language("vi"):
        org = await get_or_create_organization(session, organization, timezone=timezone, now=now)
        today = now.astimezone(ZoneInfo(timezone)).date()
        inputs = await apply_kept(session, org.id, inputs, year, today)  # cells answered before
        if target is None:
            target = await choose_target(
                session, org, read_title=named_title(parsed), year=year, plan_ref=plan_ref,
                new_plan=new_plan,
            )  # fmt: skip
        nested = await session.begin_nested() if dry_run else None
        stored = await store_plan(
            session, org, title=target.title, year=target.year, source_file=filename,
            tasks=inputs, now=now, plan=target.plan, code=target.code,
        )  # fmt: skip
        plan = stored.plan
        summary = ImportSummary(
            organization=org.name,
            plan=plan.title,
            year=plan.year,
            plan_created=stored.plan_created,
            plan_id=None if dry_run and stored.plan_created else plan.id,
            code=plan.code,
            sections=[
                {"numeral": s.numeral, "title": s.title, "tasks": len(s.tasks)}
                for s in parsed.sections
            ],
            units=_units(inputs),
            needs_review=[
                {"number": i.number, "problem": i.review_reason} for i in inputs if i.review_reason
            ],
            added=stored.added,
            changed=[{"number": n, "fields": f} for n, f in stored.changed],
            unchanged=stored.unchanged,
            missing=stored.missing,
            restored=stored.restored,
            warnings=list(parsed.warnings),
            dry_run=dry_run,
        )
        if nested is not None:
            await nested.rollback()  # expires what it changed: read the plan back
            if target.plan is not None:
                await session.refresh(target.plan)
        else:
            await request_replan(session, org.id, now)  # the next dispatcher tick plans it
        return summary


def named_title(parsed: ParsedPlan) -> str | None:
    """The plan's name read from its file, if the file names a plan."""
    title = parsed.title
    return title if title and title.casefold().startswith("kế hoạch") else None


def _units(inputs: list[TaskInput]) -> list[str]:
    """One name per unit, whatever spelling each row used."""
    distinct: dict[str, str] = {}
    for item in inputs:
        for name in item.lead_units + item.cooperating_units:
            distinct.setdefault(normalise_unit_name(name), display_name(name))
    return list(distinct.values())
