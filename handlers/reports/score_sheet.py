"""/baocao diem [6thang|nam]: the score sheet's result table, .docx and .xlsx in the
sheet's own layout with computed totals. Telegram and the console get the files after
the figures; Zalo (no files) gets the figures and the way to the files. Everyone who
may see the figures may have the table (officers see the whole sheet too: it is the
commune's one result)."""

from __future__ import annotations

import asyncio

from documents.score_table import stem
from handlers.context import Request
from handlers.guards import not_registered
from handlers.messages import Attachment, Outgoing
from handlers.reports.delivery import ReportFile, deliver
from handlers.scores.commands import figures_text
from locales import _
from models.org_names import org_name
from models.score_queries import load_sheet
from models.unit_names import fold

PERIODS = {"6thang": "6thang", "6 thang": "6thang", "nam": "nam", "ca nam": "nam"}


def is_score_report(args: str) -> bool:
    """True for "/baocao diem …" ("điểm", "bang diem")."""
    words = fold(args).split()
    return bool(words) and (words[0] == "diem" or words[:2] == ["bang", "diem"])


async def score_report(request: Request, args: str) -> list[Outgoing]:
    if not request.grants:
        return not_registered()
    org = request.organization
    words = fold(args).split()
    words = words[2:] if words[:2] == ["bang", "diem"] else words[1:]
    period = PERIODS.get(" ".join(words)) if words else None
    view = await load_sheet(request.session, org, period=period)
    if view is None:
        return [Outgoing(_("{org} chưa có bảng điểm nào được nhập.").format(org=org_name(org.name).display))]
    summary = figures_text(org_name(org.name).display, view)
    name = stem(org.name, view)

    async def render() -> list[ReportFile]:
        # The writers' libraries load when a file is made, not at start (issue 24).
        from documents.score_docx import score_docx
        from documents.score_xlsx import score_xlsx

        docx, xlsx = await asyncio.gather(
            asyncio.to_thread(score_docx, org.name, view, day=request.today(org)),
            asyncio.to_thread(score_xlsx, org.name, view, day=request.today(org)),
        )
        return [
            ReportFile(Attachment(f"{name}.docx", docx), _("Word")),
            ReportFile(Attachment(f"{name}.xlsx", xlsx), _("Excel"), _("Bảng tính Excel của bảng điểm.")),
        ]

    return await deliver(
        request,
        summary,
        render,
        telegram_only=_(
            "Tệp Word/Excel của bảng điểm chỉ gửi được qua Telegram: nhắn /baocao diem cho dondoc trên Telegram."
        ),
        command=f'dondoc report --kind scores --org "{org.name}" --format docx --out {name}.docx',
    )
