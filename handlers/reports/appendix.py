"""/baocao [quy|quy3|6thang|nam] [số 116] [ngày 30/3/2026] [phụ lục 02]: the result
appendix the commune submits, with the number and date of the report it goes with and
its own number ("PHỤ LỤC 01" unless told). First the rows
the compiler should look at before it goes out (``documents.report_review``); then on
Telegram and the console (which writes them to a folder) the .docx and the .xlsx (with
Biểu mẫu 1) come as documents after a short summary; on Zalo, which cannot send files,
the summary gives signed links that expire (``bot.download_links``) when a public
URL is configured, and otherwise says how to get them. Leaders and viewers get the whole organization, officers the tasks their units
lead. Without a period, the one the reporting rhythm asks for now (see
``documents.report_rows.make_period``).
"""

from __future__ import annotations

import asyncio

from documents.report_rows import (
    Report,
    build_report,
    report_as_of,
)
from handlers.context import Request
from handlers.guards import admin_only
from handlers.messages import Attachment, Outgoing
from handlers.reports.delivery import ReportFile, deliver
from handlers.reports.progress import category_lines
from handlers.reports.request import file_stem, hint, named_in, report_ask, review_text
from handlers.short_text import short
from handlers.tasks.access import task_by_number
from language.formats import format_date
from locales import _
from models import status_store
from models.org_names import org_name
from models.queries import APPENDIX_AUTO, APPENDIX_TEXT

MAX_WORDING = 2000  # characters of a compiler's wording for one row


def summary_text(report: Report) -> str:
    scope = "; ".join(report.units) or org_name(report.organization).display
    if named_in(scope, report.title):  # «… của Phòng Kinh tế quý I» names it already
        first = _("Phụ lục «{title}», số liệu đến ngày {date}:")
    else:
        first = _("Phụ lục «{title}» — {scope}, số liệu đến ngày {date}:")
    lines = [
        first.format(title=report.title, scope=scope, date=format_date(report.as_of)),
        # The whole plan, to date: /tiendo quy1 says how its quarter's total differs.
        _("Tỷ lệ hoàn thành: {rate} (cả kế hoạch, lũy kế)").format(rate=report.rate),
        *category_lines(report.progress.overall),
    ]
    return "\n".join(lines)


async def appendix_report(request: Request, args: str) -> list[Outgoing]:
    """The result appendix for the period ``args`` asks for (``request.report_ask``)."""
    asked = await report_ask(
        request,
        args,
        _(
            "Chưa rõ kỳ báo cáo «{args}». Nhắn /baocao quy, /baocao quy3, /baocao 6thang hoặc /baocao nam."
        ),
    )
    if isinstance(asked, list):
        return asked
    given, plan, period, today = asked.given, asked.plan, asked.period, asked.today
    unit_ids, unit_names = asked.unit_ids, asked.unit_names
    org, session = request.organization, request.session
    built = await build_report(
        session,
        org,
        period=period,
        as_of=report_as_of(period, today),
        deadline_end=request.services.calendar.deadline_end,
        plan=plan,
        unit_ids=unit_ids,
        unit_names=unit_names,
        issued=given.dated or today,  # the document is dated as its report
        number=given.number,
        dated=given.dated,
        appendix=given.appendix,
    )
    assert built is not None  # the plan exists
    review = review_text(built, admin=request.role == "admin")
    first = [Outgoing(review)] if review else []
    summary = summary_text(built) + "\n" + hint()
    stem = file_stem(built)

    async def render() -> list[ReportFile]:
        docx, xlsx = await render_files(built)
        return [
            ReportFile(Attachment(f"{stem}.docx", docx), _("Word")),
            ReportFile(
                Attachment(f"{stem}.xlsx", xlsx),
                _("Excel (phụ lục và Biểu mẫu 1)"),
                _("Bảng tính Excel: phụ lục và số liệu Biểu mẫu 1."),
            ),
        ]

    return [
        *first,
        *await deliver(
            request,
            summary,
            render,
            telegram_only=_(
                "Tệp Word/Excel của phụ lục chỉ gửi được qua Telegram: nhắn /baocao cho dondoc trên Telegram (dùng /lienket để nối tài khoản)."
            ),
            command=f'dondoc report --org "{org.name}" --format docx --out {stem}.docx',
        ),
    ]


async def render_files(built: Report) -> tuple[bytes, bytes]:
    """The appendix as .docx and .xlsx (with Biểu mẫu 1), built side by side."""
    # The writers' libraries load when a file is made, not at start (issue 24).
    from documents.report_docx import report_docx
    from documents.report_xlsx import report_xlsx

    docx, xlsx = await asyncio.gather(
        asyncio.to_thread(report_docx, built), asyncio.to_thread(report_xlsx, built)
    )
    return docx, xlsx


async def appendix_wording(request: Request, args: str) -> list[Outgoing]:
    """/ketqua SỐ nội dung (admin): the compiler's own wording of a row of the appendix.
    The officers' history stays as it is; the wording is kept beside it, and
    "/ketqua SỐ -" gives the row back to dondoc's own wording."""
    if refusal := admin_only(request):
        return refusal
    number, _sep, wording = args.strip().partition(" ")
    wording = wording.strip()
    if not number or not wording:
        return [
            Outgoing(
                _(
                    "Cách dùng: /ketqua SỐ nội dung, ví dụ: /ketqua 12 Hoàn thành. Kế hoạch số 03/KH-UBND ngày 05/01/2026 của UBND xã. Nhắn /ketqua SỐ - để trở lại nội dung dondoc tự soạn."
                )
            )
        ]
    task, problem = await task_by_number(request, number)
    if task is None:
        return [Outgoing(problem or "")]
    await status_store.record(
        request.session,
        task,
        request.person,
        kind=APPENDIX_TEXT,
        text=wording[:MAX_WORDING],
        now=request.now,
        channel=request.incoming.channel,
    )
    if wording == APPENDIX_AUTO:
        text = _("Phụ lục sẽ ghi lại kết quả nhiệm vụ {number} theo báo cáo của đơn vị.").format(
            number=task.number
        )
    else:
        text = _(
            "Phụ lục sẽ ghi kết quả nhiệm vụ {number}: «{wording}». Lịch sử báo cáo của đơn vị giữ nguyên."
        ).format(number=task.number, wording=short(wording, 300))
    return [Outgoing(text, task_id=task.id)]
