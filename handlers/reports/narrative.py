"""/baocao baocao [quy|quy3|6thang|nam] [số 116] [ngày 9/6/2026]: the draft of the
narrative report ("Báo cáo kết quả thực hiện nhiệm vụ cải cách hành chính …") with the
appendix and Biểu mẫu 1 that go with it; /baocao kehoach 128/QĐ-UBND ngày 10/01/2026
(admin): the decision that issued the plan, cited in the report's opening.

``/baocao`` alone and ``/baocao phuluc …`` stay the appendix (``handlers.reports.appendix``);
the word after /baocao chooses (``split_kind``). Files go out through ``deliver``.
"""

from __future__ import annotations

import asyncio
import re
from datetime import date

from documents.narrative_content import Narrative, narrative
from documents.narrative_data import gather
from documents.report_rows import official_date, report_as_of, report_plan
from handlers.context import Request
from handlers.guards import admin_only, not_registered
from handlers.messages import Attachment, Outgoing
from handlers.reports.delivery import ReportFile, deliver
from handlers.reports.plan_choice import ask_which, one_plan
from handlers.reports.request import DECISION, file_stem, named_in, report_ask, review_text
from language.formats import format_date
from locales import _
from models.org_names import org_name
from models.queries import ASSIGNED, active_plans, is_city_assigned
from models.unit_names import fold

_SYMBOL = re.compile(r"(\d{1,6}(?:/\d{4})?(?:/[^\s,;]+)?)")
_DAY = re.compile(r"\bngay\s*[:.]?\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b")


async def handle(request: Request, kind: str, args: str) -> list[Outgoing]:
    if kind == DECISION:
        return await set_decision(request, args)
    return await narrative_report(request, args)


def parse_decision(args: str) -> tuple[str, date | None] | None:
    """ "128/QĐ-UBND ngày 10/01/2026" → ("128/QĐ-UBND", 10/01/2026); "số 128" → "128/QĐ-UBND"."""
    folded = fold(args)
    day = None
    if match := _DAY.search(folded):
        d, m, y = (int(g) for g in match.groups())
        try:
            day = date(y, m, d)
        except ValueError:
            return None
        args = args[: match.start()] + args[match.end() :]
    found = _SYMBOL.search(args)
    if found is None:
        return None
    number = found.group(1).rstrip(".")
    return (number if "/" in number else f"{number}/QĐ-UBND"), day


async def set_decision(request: Request, args: str) -> list[Outgoing]:
    if refusal := admin_only(request):
        return refusal
    org = request.organization
    # The lists of tasks the city gave have no decision: only the plans are asked about.
    plans = [
        p
        for p in await active_plans(request.session, org, request.today())
        if p.kind != ASSIGNED and not is_city_assigned(p.title)
    ]
    plan, args = one_plan(request, plans, args)  # "/baocao kehoach CĐS 45/QĐ-UBND …"
    if plan is None and len(plans) > 1:
        return await ask_which(request, plans, args)
    plan = plan or (plans[0] if plans else await report_plan(request.session, org))
    if plan is None:
        return [
            Outgoing(
                _("{org} chưa có kế hoạch nào được nhập.").format(org=org_name(org.name).display)
            )
        ]
    if args.strip() == "-":
        plan.decision_number = plan.decision_date = None
        return [
            Outgoing(
                _("Đã xóa số quyết định ban hành kế hoạch; báo cáo sẽ để trống cho anh/chị điền.")
            )
        ]
    parsed = parse_decision(args)
    if parsed is None:
        return [
            Outgoing(
                _(
                    "Cách dùng: /baocao kehoach SỐ ngày NGÀY, ví dụ: /baocao kehoach 128/QĐ-UBND ngày 10/01/2026."
                )
            )
        ]
    plan.decision_number, plan.decision_date = parsed
    day = official_date(parsed[1]) if parsed[1] else "…"
    return [
        Outgoing(
            _(
                "Đã ghi: báo cáo sẽ trích dẫn Quyết định số {number} ngày {date} ban hành {plan}."
            ).format(number=parsed[0], date=day, plan=plan.title)
        )
    ]


def summary_text(text: Narrative, scope: str, as_of: date, rate: str) -> str:
    if named_in(scope, text.subject):
        first = _("Dự thảo báo cáo «{subject}», số liệu đến ngày {date}.")
    else:
        first = _("Dự thảo báo cáo «{subject}» — {scope}, số liệu đến ngày {date}.")
    lines = [
        first.format(subject=text.subject, scope=scope, date=format_date(as_of)),
        _("Tỷ lệ hoàn thành: {rate}").format(rate=rate),
    ]
    if text.to_review:
        lines.append(
            _(
                "Có {count} câu cần anh/chị xem lại (ghi chú «Cần xem lại» trong tệp, không in ra): chỗ còn để trống, lời gõ không dấu hoặc lý do chưa được xác nhận."
            ).format(count=text.to_review)
        )
    lines.append(_("Phần «Đề xuất, kiến nghị» để trống cho anh/chị viết."))
    return "\n".join(lines)


async def narrative_report(request: Request, args: str) -> list[Outgoing]:
    if not request.grants:
        return not_registered()
    asked = await report_ask(
        request,
        args,
        _(
            "Chưa rõ kỳ báo cáo «{args}». Nhắn /baocao baocao quy, /baocao baocao 6thang hoặc /baocao baocao nam."
        ),
    )
    if isinstance(asked, list):
        return asked
    given, plan, period, today = asked.given, asked.plan, asked.period, asked.today
    unit_ids, unit_names = asked.unit_ids, asked.unit_names
    org, session = request.organization, request.session
    data = await gather(
        session,
        org,
        plan,
        period=period,
        as_of=report_as_of(period, today),
        deadline_end=request.services.calendar.deadline_end,
        unit_ids=unit_ids,
        unit_names=unit_names,
        issued=given.dated or today,  # the document is dated as its report
        number=given.number,
        dated=given.dated,
    )
    text = narrative(data)
    built = data.report
    first = [Outgoing(review)] if (review := review_text(built, admin=request.role == "admin")) else []
    summary = summary_text(text, "; ".join(unit_names) or org_name(org.name).display, built.as_of, built.rate)
    stem = file_stem(built).replace("ket-qua-", "bao-cao-", 1)

    async def render() -> list[ReportFile]:
        # The writers' libraries load when a file is made, not at start (issue 24).
        from documents.narrative_docx import narrative_docx
        from documents.report_docx import report_docx
        from documents.report_xlsx import report_xlsx

        draft, appendix, sheet = await asyncio.gather(
            asyncio.to_thread(
                narrative_docx, text, issued=given.dated or today, number=given.number
            ),
            asyncio.to_thread(report_docx, built),
            asyncio.to_thread(report_xlsx, built),
        )
        return [
            ReportFile(Attachment(f"{stem}.docx", draft), _("Báo cáo (Word)")),
            ReportFile(
                Attachment(f"{file_stem(built)}.docx", appendix),
                _("Phụ lục (Word)"),
                _("Phụ lục kết quả thực hiện và Biểu mẫu 1 kèm theo báo cáo."),
            ),
            ReportFile(
                Attachment(f"{file_stem(built)}.xlsx", sheet),
                _("Excel (phụ lục và Biểu mẫu 1)"),
                _("Bảng tính Excel: phụ lục và số liệu Biểu mẫu 1."),
            ),
        ]

    delivered = await deliver(
        request,
        summary,
        render,
        telegram_only=_(
            "Tệp Word của báo cáo chỉ gửi được qua Telegram: nhắn /baocao baocao cho dondoc trên Telegram (dùng /lienket để nối tài khoản)."
        ),
        command=f'dondoc report --org "{org.name}" --kind narrative --period {period.kind} --out {stem}.docx',
    )
    return [*first, *delivered]
