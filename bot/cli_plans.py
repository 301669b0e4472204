"""The CLI and an organization's many plans: ``dondoc plans`` lists them, and the
commands that take ``--plan CODE_OR_ID`` (``tasks``, ``progress``, ``report``) find the
plan here; ``report`` without it, when there are several, stops and lists the codes."""

from __future__ import annotations

import argparse
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli_common import CliError, Emit, open_session, require_org
from bot.config import Config
from locales import _, ngettext
from models.people import Organization
from models.plans import Plan
from models.queries import (
    active_plans,
    is_city_assigned,
    organization_plans,
    plan_by_ref,
    plan_counts,
)
from scheduler.clock import Clock


class PlanNotChosen(CliError):
    """Several plans and none named: the operator must add ``--plan``."""

    exit_code = 2


def plan_kind(plan: Plan) -> str:
    """ "assigned" for a list of tasks the city gives, "plan" for a plan."""
    return "assigned" if is_city_assigned(plan.title) else "plan"


async def named_plan(session: AsyncSession, org: Organization, ref: str) -> Plan:
    plan = await plan_by_ref(session, org, ref)
    if plan is None:
        codes = ", ".join(p.code for p in await organization_plans(session, org)) or "—"
        raise CliError(
            _("{org} không có kế hoạch «{ref}». Các kế hoạch: {codes}.").format(
                org=org.name, ref=ref, codes=codes
            )
        )
    return plan


async def one_plan(session: AsyncSession, org: Organization, ref: str | None) -> Plan:
    """The plan ``--plan`` names; without it the one plan the organization follows, or
    ``PlanNotChosen`` listing the codes."""
    if ref:
        return await named_plan(session, org, ref)
    plans = await active_plans(session, org)
    if not plans:
        raise CliError(_("{org} chưa có kế hoạch nào được nhập.").format(org=org.name))
    if len(plans) > 1:
        codes = ", ".join(p.code for p in plans)
        raise PlanNotChosen(
            _("{org} có {n} kế hoạch ({codes}); hãy chọn một: --plan {code}").format(
                org=org.name, n=len(plans), codes=codes, code=plans[0].code
            )
        )
    return plans[0]


async def cmd_plans(
    args: argparse.Namespace, config: Config, clock: Clock, today: date, emit: Emit
) -> int:
    async with open_session(config) as session:
        org = await require_org(session, args.org)
        plans = await organization_plans(session, org)
        counts = await plan_counts(session, [p.id for p in plans])
        rows = [
            {
                "id": p.id,
                "code": p.code,
                "title": p.title,
                "year": p.year,
                "kind": plan_kind(p),
                "tasks": counts[p.id][0],
                "done": counts[p.id][1],
            }
            for p in plans
        ]
    lines = [
        f"{r['code']:<8} {r['title']} ({r['year']}): "
        + ngettext(
            "{done}/{total} nhiệm vụ hoàn thành", "{done}/{total} nhiệm vụ hoàn thành", r["tasks"]
        ).format(done=r["done"], total=r["tasks"])
        for r in rows
    ]
    emit(args, rows, "\n".join(lines) or _("{org} chưa có kế hoạch nào.").format(org=org.name))
    return 0
