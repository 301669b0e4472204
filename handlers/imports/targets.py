"""Which plan a plan file goes to. An organization has many plans a year, each with its
own numbering; a file updates the plan with the same title and year, or becomes a new
plan — never another one. The CLI's ``--plan`` names the plan (its code, id or title),
``--new-plan`` asks for a new one, and ``/nhap`` asks the admin with a tap before it
changes a plan that exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from language.plan_codes import MAX_CODE, code_from_title, unique_code
from locales import _
from models.people import Organization
from models.plan_store import find_plan, title_key
from models.plans import Plan
from models.queries import organization_plans, plan_by_ref, plans_of_year


class NoTarget(Exception):
    """The file names no plan and the organization has several: the caller must say
    which (``--plan``), or ask."""

    def __init__(self, message: str, plans: list[Plan]) -> None:
        super().__init__(message)
        self.message = message
        self.plans = plans


@dataclass
class Target:
    plan: Plan | None  # the plan the file updates; None: a new plan
    title: str
    year: int
    code: str  # the new plan's code (the existing plan keeps its own)


def fallback_title(year: int) -> str:
    """The name of a plan whose file names none (a table pasted without its heading)."""
    return _("Kế hoạch năm {year}").format(year=year)


async def new_code(session: AsyncSession, org: Organization, title: str) -> str:
    taken = [p.code for p in await organization_plans(session, org)]
    return unique_code(code_from_title(title), taken)


async def free_title(session: AsyncSession, org: Organization, title: str, year: int) -> str:
    """``title``, or "title (2)" when the organization already has a plan so named."""
    names = {title_key(p.title) for p in await plans_of_year(session, org, year)}
    candidate, n = title, 2
    while title_key(candidate) in names:
        candidate, n = f"{title} ({n})", n + 1
    return candidate


async def new_plan_target(
    session: AsyncSession, org: Organization, title: str, year: int
) -> Target:
    title = await free_title(session, org, title, year)
    return Target(None, title, year, await new_code(session, org, title))


async def choose_target(
    session: AsyncSession,
    org: Organization,
    *,
    read_title: str | None,
    year: int,
    plan_ref: str | None = None,
    new_plan: bool = False,
) -> Target:
    """The plan a file goes to (see the module's docstring). Raises ``NoTarget`` when the
    file names no plan and the year has several."""
    if plan_ref:
        plan = await plan_by_ref(session, org, plan_ref)
        if plan is not None:
            return Target(plan, plan.title, plan.year, plan.code)
        if new_plan or " " in plan_ref.strip() or len(plan_ref) > MAX_CODE:  # a title
            found = await find_plan(session, org, plan_ref, year)
            if found is not None and not new_plan:
                return Target(found, found.title, found.year, found.code)
            return await new_plan_target(session, org, plan_ref, year)
        codes = ", ".join(p.code for p in await organization_plans(session, org)) or "—"
        raise NoTarget(
            _("Không có kế hoạch «{ref}»; các kế hoạch hiện có: {codes}.").format(
                ref=plan_ref, codes=codes
            ),
            [],
        )
    if new_plan:
        return await new_plan_target(session, org, read_title or fallback_title(year), year)
    if read_title:
        found = await find_plan(session, org, read_title, year)
        if found is not None:
            return Target(found, found.title, found.year, found.code)
        existing = await plans_of_year(session, org, year)
        if len(existing) == 1 and existing[0].title == fallback_title(year):
            # The year's one plan came as a table without its heading: this file names it.
            untitled = existing[0]
            others = [p.code for p in await organization_plans(session, org) if p is not untitled]
            code = unique_code(code_from_title(read_title), others)
            return Target(untitled, read_title, year, code)
        return await new_plan_target(session, org, read_title, year)
    existing = await plans_of_year(session, org, year)
    if not existing:
        return await new_plan_target(session, org, fallback_title(year), year)
    if len(existing) == 1:  # a table pasted without its heading: the year's one plan
        plan = existing[0]
        return Target(plan, plan.title, plan.year, plan.code)
    raise NoTarget(
        _(
            "Tệp không ghi tên kế hoạch và năm {year} có {n} kế hoạch ({codes}); vui lòng "
            "chọn kế hoạch cần cập nhật."
        ).format(year=year, n=len(existing), codes=", ".join(p.code for p in existing)),
        existing,
    )
