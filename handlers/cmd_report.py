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
import re
from dataclasses import dataclass
from datetime import date

from documents.report_docx import report_docx
from documents.report_review import LABELS
from documents.report_rows import (
    Period,
    Report,
    build_report,
    make_period,
    report_as_of,
    report_plan,
)
from documents.report_xlsx import report_xlsx
from handlers import cmd_score_report
from handlers.cmd_admin import admin_only
from handlers.cmd_progress import category_lines, parse_quarter
from handlers.cmd_register import not_registered
from handlers.cmd_tasks import short
from handlers.context import Request
from handlers.file_links import ReportFile, deliver
from handlers.messages import Attachment, Outgoing
from handlers.permissions import is_leader, officer_units
from handlers.task_access import task_by_number
from handlers.task_view import format_date
from locales import _
from models import status_store
from models.people import Organization
from models.plans import Plan
from models.queries import APPENDIX_AUTO, APPENDIX_TEXT
from models.unit_names import fold

MAX_WORDING = 2000  # characters of a compiler's wording for one row

_SIX_MONTHS = re.compile(r"^6\s*(?:thang)?(?:\s*dau\s*nam)?$")
_YEAR = re.compile(r"^(?:ca\s*)?nam$")
# "số 116", "số: 116/BC-UBND" and "ngày 30/3/2026", read on folded text (same length).
_NUMBER = re.compile(r"\bso\s*[:.]?\s*(\d{1,6})(?:\s*/\s*bc-ubnd)?\b")
_APPENDIX = re.compile(r"\bphu\s*luc\s*(?:so\s*)?(\d{1,2})\b")
_DATED = re.compile(r"\bngay\s*[:.]?\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b")


@dataclass(frozen=True)
class ReportArgs:
    rest: str  # the words left for the period
    number: str | None = None
    dated: date | None = None
    appendix: str = "01"  # "PHỤ LỤC 01"; "phụ lục 2" makes it "PHỤ LỤC 02"


def parse_report_args(args: str) -> ReportArgs | None:
    """Take "phụ lục 2", "số 116" and "ngày 30/3/2026" out of ``args``; None for an
    impossible date."""
    folded = fold(args)
    number = dated = None
    appendix = "01"
    spans = []
    if match := _APPENDIX.search(folded):  # before "số", which "phụ lục số 2" contains
        appendix, folded = (
            f"{int(match.group(1)):02d}",
            folded.replace(match.group(0), " " * len(match.group(0))),
        )
        spans.append(match.span())
    if match := _NUMBER.search(folded):
        number = match.group(1)
        spans.append(match.span())
    if match := _DATED.search(folded):
        day, month, year = (int(g) for g in match.groups())
        try:
            dated = date(year, month, day)
        except ValueError:
            return None
        spans.append(match.span())
    rest = args
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    return ReportArgs(" ".join(rest.split()), number, dated, appendix)


def parse_period(args: str) -> tuple[str | None, int | None] | None:
    """(kind, quarter) from "quy", "quy3", "quý III", "6thang", "6 tháng", "nam";
    (None, None) for nothing; None when the words name no period."""
    quarter, rest = parse_quarter(args)
    if quarter is not None:
        return ("quy", quarter) if not rest else None
    word = " ".join(fold(args).split())
    if not word:
        return None, None
    if word in ("quy", "q"):
        return "quy", None
    if _SIX_MONTHS.match(word):
        return "6thang", None
    if _YEAR.match(word):
        return "nam", None
    return None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def file_stem(report: Report) -> str:
    period = report.period
    when = {"quy": f"quy{period.quarter}", "6thang": "6thang", "nam": "nam"}[period.kind]
    # A unit's appendix is named as the unit's, so it never replaces the commune's.
    whose = "-".join([slug(report.organization), *(slug(unit) for unit in report.units)])
    return f"ket-qua-cchc-{whose}-{when}-{period.year}"


def review_text(report: Report) -> str | None:
    """The rows to look at before the appendix goes out, grouped by why; None when there
    are none. One line per reason keeps it short on Zalo (2,000 characters)."""
    rows = report.to_review
    if not rows:
        return None
    lines = [
        _(
            "Trước khi nộp, xin xem lại {count} dòng của phụ lục (ô kết quả được tô vàng trong tệp):"
        ).format(count=len(rows))
    ]
    for reason, label in LABELS.items():
        numbers = [row.cells[0] for row in rows if reason in row.review]
        if numbers:
            lines.append(
                _("- {reason}: nhiệm vụ {numbers}").format(
                    reason=_(label), numbers=", ".join(numbers)
                )
            )
    lines.append(
        _("Nội dung gõ không dấu chưa được sửa tự động: xin đơn vị cập nhật lại bằng /capnhat.")
        if any("no_diacritics" in row.review for row in rows)
        else _("Đơn vị có thể cập nhật bằng /capnhat SỐ nội dung, rồi nhắn lại /baocao.")
    )
    lines.append(
        _("Quản trị có thể tự ghi lời cho một dòng của phụ lục: /ketqua SỐ nội dung.")
    )
    return "\n".join(lines)


def summary_text(report: Report) -> str:
    scope = "; ".join(report.units) or report.organization
    lines = [
        _("Phụ lục «{title}» — {scope}, số liệu đến ngày {date}:").format(
            title=report.title, scope=scope, date=format_date(report.as_of)
        ),
        _("Tỷ lệ hoàn thành: {rate}").format(rate=report.rate),
        *category_lines(report.progress.overall),
    ]
    return "\n".join(lines)


def report_scope(request: Request, org: Organization) -> tuple[list[int] | None, list[str]]:
    """Whose tasks a report covers: the whole organization for leaders and viewers
    (None), an officer's own units otherwise, with their names."""
    if is_leader(request.grants, org.id) or request.role == "viewer":
        return None, []
    names = [m.unit.name for m in request.person.memberships if m.unit and m.organization_id == org.id]
    return sorted(officer_units(request.grants, org.id)), names


@dataclass(frozen=True)
class ReportAsk:
    """What a /baocao message asks for, read and checked: the words, the plan, the
    period, today, and whose tasks (``report_scope``)."""

    given: ReportArgs
    plan: Plan
    period: Period
    today: date
    unit_ids: list[int] | None
    unit_names: list[str]


async def report_ask(request: Request, args: str, unclear: str) -> ReportAsk | list[Outgoing]:
    """``args`` read for the appendix or the draft; the answer instead when the date is
    impossible, the period unclear (``unclear``, formatted with ``args``) or no plan
    was imported."""
    given = parse_report_args(args)
    if given is None:
        return [
            Outgoing(
                _(
                    "Ngày của báo cáo không hợp lệ «{args}». Ví dụ: /baocao quy1 số 116 ngày 30/3/2026."
                ).format(args=args)
            )
        ]
    period_args = parse_period(given.rest)
    if period_args is None:
        return [Outgoing(unclear.format(args=given.rest))]
    org = request.organization
    plan = await report_plan(request.session, org)
    if plan is None:
        return [Outgoing(_("{org} chưa có kế hoạch nào được nhập.").format(org=org.name))]
    unit_ids, unit_names = report_scope(request, org)
    today = request.today(org)
    period = make_period(period_args[0], plan.year, today, period_args[1])
    return ReportAsk(given, plan, period, today, unit_ids, unit_names)


async def report(request: Request, args: str) -> list[Outgoing]:
    if not request.grants:
        return not_registered()
    if cmd_score_report.is_score_report(args):  # "/baocao diem": the score sheet
        return await cmd_score_report.score_report(request, args)

    from handlers import cmd_narrative  # it builds on this module's parsing

    kind, args = cmd_narrative.split_kind(args)
    if kind != cmd_narrative.APPENDIX:  # "/baocao baocao quy": the narrative draft
        return await cmd_narrative.handle(request, kind, args)
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
    review = review_text(built)
    first = [Outgoing(review)] if review else []
    summary = summary_text(built) + "\n" + cmd_narrative.hint()
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
