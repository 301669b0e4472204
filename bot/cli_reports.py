"""``dondoc progress`` and ``dondoc report``: the figures in the Biểu mẫu 1 categories
as of a date, and the result appendix written to a .docx or .xlsx file, with the number
and date of the report it goes with (``--so``, ``--ngay``); ``--check`` lists the rows the
compiler should look at first and writes nothing."""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import date
from pathlib import Path

from bot.cli_common import CliError, Emit, byte_count, open_session, require_org
from bot.cli_plans import named_plan, one_plan
from bot.config import Config
from bot.wiring import calendar_from
from documents.report_docx import report_docx
from documents.report_rows import (
    build_report,
    make_period,
    report_as_of,
)
from documents.report_xlsx import report_xlsx
from handlers.reports.appendix import summary_text
from handlers.reports.progress import progress_text
from handlers.reports.request import review_text
from language.formats import format_date
from locales import _
from models.plans import Plan
from models.progress import Progress, tally
from models.progress_queries import task_facts
from models.queries import active_plans
from scheduler.clock import Clock


async def progress(
    args: argparse.Namespace, config: Config, clock: Clock, today: date, emit: Emit
) -> int:
    deadline_end = calendar_from(config).deadline_end
    async with open_session(config) as session:
        org = await require_org(session, args.org)
        ref = getattr(args, "plan", None)
        as_of = args.as_of or clock.today(org.timezone)
        plans = [await named_plan(session, org, ref)] if ref else await active_plans(session, org, as_of)
        if not plans:
            raise CliError(_("{org} chưa có kế hoạch nào được nhập.").format(org=org.name))
        every = []
        for plan in plans:
            facts = await task_facts(session, org, as_of=as_of, plan=plan)
            every.append((plan, facts, tally(facts, as_of, deadline_end=deadline_end)))
    if len(every) == 1:
        plan, _facts, result = every[0]
        title = _("Tiến độ {plan} — {org}, đến ngày {date}:").format(
            plan=plan.title, org=org.name, date=format_date(as_of)
        )
        data = {**result.to_json(), "plans": [_plan_json(plan, result)]}
        emit(args, data, progress_text(title, result, show_units=True))
        return 0
    total = tally(  # overdue tasks named with their plan's code ("CĐS 6")
        [replace(f, number=f"{plan.code} {f.number}") for plan, facts, _r in every for f in facts],
        as_of,
        deadline_end=deadline_end,
    )
    lines = [
        _("Tiến độ các kế hoạch — {org}, đến ngày {date}:").format(
            org=org.name, date=format_date(as_of)
        )
    ]
    for plan, _facts, result in every:
        t = result.overall
        lines.append(
            _("• {code} — {title}: hoàn thành {done}/{total}, quá hạn {overdue}").format(
                code=plan.code, title=plan.title, done=t.done, total=t.total,
                overdue=t.counts["overdue"],
            )
        )
    lines.append("")
    lines.append(progress_text(_("Tổng cộng:"), total, show_units=True))
    data = {
        **total.overall.to_json(),
        "plans": [_plan_json(plan, result) for plan, _facts, result in every],
        "total": total.overall.to_json(),
    }
    emit(args, data, "\n".join(lines))
    return 0


def _plan_json(plan: Plan, result: Progress) -> dict[str, object]:
    return {
        "id": plan.id, "code": plan.code, "title": plan.title, "year": plan.year,
        **result.overall.to_json(),
    }  # fmt: skip


async def report(
    args: argparse.Namespace, config: Config, clock: Clock, today: date, emit: Emit
) -> int:
    if getattr(args, "kind", "appendix") == "scores":
        from bot import cli_scores

        return await cli_scores.report(args, config, clock, today, emit)
    if getattr(args, "kind", "appendix") == "narrative":
        from bot.cli_narrative import narrative  # noqa: PLC0415 - only when asked for

        return await narrative(args, config, clock, emit)
    check = getattr(args, "check", False)
    if not check and not args.out:
        raise CliError(
            _("Cần --out TỆP để ghi phụ lục (hoặc --check để chỉ xem các dòng cần xem lại).")
        )
    async with open_session(config) as session:
        org = await require_org(session, args.org)
        plan = await one_plan(session, org, getattr(args, "plan", None))
        today = clock.today(org.timezone)
        period = make_period(getattr(args, "period", None), plan.year, args.as_of or today)
        as_of = args.as_of or report_as_of(period, today)
        built = await build_report(
            session,
            org,
            period=period,
            as_of=as_of,
            deadline_end=calendar_from(config).deadline_end,
            plan=plan,
            # Dated as its report (--ngay), or as the day it is rebuilt for (--as-of).
            issued=getattr(args, "dated", None) or args.as_of or today,
            number=getattr(args, "number", None),
            dated=getattr(args, "dated", None),
            appendix=getattr(args, "appendix", "01"),
        )
    assert built is not None  # the plan exists
    if check:
        rows = [
            {"number": r.cells[0], "reasons": list(r.review), "result": r.cells[5]}
            for r in built.to_review
        ]
        emit(args, {"to_review": rows}, review_text(built) or _("Không có dòng nào cần xem lại."))
        return 0
    out = Path(args.out)
    data = report_docx(built) if args.format == "docx" else report_xlsx(built)
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise CliError(
            _("Không ghi được tệp {path}: {reason}").format(path=out, reason=exc.strerror)
        ) from exc
    t = built.progress.overall
    emit(
        args,
        {
            "out": str(out),
            "format": args.format,
            "title": built.title,
            "as_of": as_of.isoformat(),
            "total": t.total,
            "done": t.done,
            "rate": built.rate,
        },
        _("Đã ghi {path} ({size} byte).").format(path=out, size=byte_count(len(data)))
        + f"\n{summary_text(built)}",
    )
    return 0

