"""``dondoc report --kind narrative``: the narrative report draft written to ``--out``
(.docx), with the appendix and Biểu mẫu 1 beside it (``…-phu-luc.docx``);
``--quyet-dinh 128/QĐ-UBND --quyet-dinh-ngay 10/01/2026`` records the decision that
issued the plan first, for the report's opening to cite."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli_common import CliError, Emit, byte_count, open_session, require_org
from bot.cli_plans import one_plan
from bot.config import Config
from bot.wiring import calendar_from
from documents.narrative_content import narrative as write_narrative
from documents.narrative_data import gather
from documents.narrative_docx import narrative_docx
from documents.report_docx import report_docx
from documents.report_rows import make_period, report_as_of
from locales import _, ngettext
from scheduler.clock import Clock


async def narrative(args: argparse.Namespace, config: Config, clock: Clock, emit: Emit) -> int:
    if not args.out:
        raise CliError(_("Cần --out TỆP.docx để ghi dự thảo báo cáo."))
    async with open_session(config) as session:
        org = await require_org(session, args.org)
        plan = await one_plan(session, org, getattr(args, "plan", None))
        if getattr(args, "decision", None):
            plan.decision_number = args.decision
            plan.decision_date = getattr(args, "decision_date", None)
            await session.flush()
        today = clock.today(org.timezone)
        period = make_period(getattr(args, "period", None), plan.year, args.as_of or today)
        as_of = args.as_of or report_as_of(period, today)
        data = await gather(
            session,
            org,
            plan,
            period=period,
            as_of=as_of,
            deadline_end=calendar_from(config).deadline_end,
            issued=getattr(args, "dated", None) or args.as_of or today,
            number=getattr(args, "number", None),
            dated=getattr(args, "dated", None),
        )
    text = write_narrative(data)
    out = Path(args.out)
    beside = out.with_name(f"{out.stem}-phu-luc.docx")
    draft = narrative_docx(text, issued=args.dated or args.as_of or today, number=args.number)
    try:
        out.write_bytes(draft)
        beside.write_bytes(report_docx(data.report))
    except OSError as exc:
        raise CliError(
            _("Không ghi được tệp {path}: {reason}").format(path=out, reason=exc.strerror)
        ) from exc
    emit(
        args,
        {
            "out": str(out),
            "appendix": str(beside),
            "subject": text.subject,
            "as_of": as_of.isoformat(),
            "rate": data.report.rate,
            "to_review": text.to_review,
            "cited": list(text.cited),
        },
        _("Đã ghi {path} ({size} byte) và {beside}.").format(
            path=out, size=byte_count(len(draft)), beside=beside
        )
        + f"\n{text.subject}\n"
        + ngettext(
            "Tỷ lệ hoàn thành: {rate}; {n} câu cần xem lại (tô vàng).",
            "Tỷ lệ hoàn thành: {rate}; {n} câu cần xem lại (tô vàng).",
            text.to_review,
        ).format(rate=data.report.rate, n=text.to_review),
    )
    return 0
