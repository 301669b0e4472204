"""Downloads of the reports (``/web/xa/ORG/baocao``): the result appendix (Word, with
Biểu mẫu 1), the appendix and Biểu mẫu 1 as Excel, and the draft report, for the plan
and period the person chooses in a GET form. The files are made by the chat's /baocao
(``handlers.reports.appendix.appendix_report``, ``handlers.reports.narrative.
narrative_report``) on the chat's request for the commune (``web.chat_request``), so
they are the chat's files and the scope is the chat's: an officer gets their units'
report, a leader the commune's, a viewer the communes they follow. Served with an
RFC 6266 ``Content-Disposition`` (an ASCII name and the UTF-8 ``filename*``)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.reports.appendix import appendix_report
from handlers.reports.narrative import narrative_report
from locales import N_, _
from models.people import Organization
from models.plans import Plan
from models.queries import active_plans
from web.app import DB, VISITOR, message, render, site_of
from web.chat_request import chat_request
from web.gate import Visitor

PERIODS = {  # the form's value -> its label; the values are /baocao's words
    "quy1": N_("Quý I"),
    "quy2": N_("Quý II"),
    "quy3": N_("Quý III"),
    "quy4": N_("Quý IV"),
    "6thang": N_("6 tháng đầu năm"),
    "nam": N_("Cả năm"),
}
KINDS = {  # the form's value -> (its label, the file it takes by its ending)
    "phuluc": (N_("Phụ lục kết quả và Biểu mẫu 1 (Word)"), ".docx"),
    "excel": (N_("Phụ lục và Biểu mẫu 1 (Excel)"), ".xlsx"),
    "baocao": (N_("Dự thảo báo cáo (Word)"), ".docx"),
}
TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def disposition(name: str) -> str:
    """``attachment`` with an ASCII ``filename`` and the exact UTF-8 ``filename*`` (RFC 6266)."""
    plain = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def org_of(request: web.Request) -> Organization:
    visitor: Visitor = request[VISITOR]
    text = request.match_info["org"]
    org = visitor.organizations.get(int(text)) if text.isdigit() and len(text) < 12 else None
    if org is None:
        raise web.HTTPNotFound()
    return org


@dataclass(frozen=True)
class Choice:
    plans: list[Plan]
    plan: Plan | None
    period: str
    kind: str


async def choice(db: AsyncSession, org: Organization, query: dict[str, str]) -> Choice:
    plans = await active_plans(db, org)
    wanted = query.get("kh", "")
    plan = next((p for p in plans if str(p.id) == wanted), plans[0] if plans else None)
    period = query.get("ky", "") if query.get("ky") in PERIODS else "quy1"
    kind = query.get("loai", "") if query.get("loai") in KINDS else "phuluc"
    return Choice(plans, plan, period, kind)


async def form(request: web.Request) -> web.StreamResponse:
    org = org_of(request)
    chosen = await choice(request[DB], org, dict(request.query))
    return render(request, "downloads.html", org=org, chosen=chosen, periods=PERIODS, kinds=KINDS)


async def download(request: web.Request) -> web.StreamResponse:
    org = org_of(request)
    db, visitor = request[DB], request[VISITOR]
    chosen = await choice(db, org, dict(request.query))
    if chosen.plan is None:
        return message(request, 404, _("Chưa có báo cáo"), _("{org} chưa có kế hoạch nào được nhập.").format(org=org.name))
    chat = chat_request(db, visitor, org, site_of(request).services)
    # The plan by its code when the commune follows several (as "/baocao CĐS quy1").
    args = f"{chosen.plan.code} {chosen.period}" if len(chosen.plans) > 1 else chosen.period
    make = narrative_report if chosen.kind == "baocao" else appendix_report
    answers = await make(chat, args)
    await db.rollback()  # a report reads; nothing of it is kept
    ending = KINDS[chosen.kind][1]
    files = [out.document for out in answers if out.document is not None]
    found = next((f for f in files if f.filename.endswith(ending)), None)
    if found is None:
        text = "\n".join(out.text for out in answers if out.text)
        return message(request, 409, _("Chưa tạo được tệp"), text)
    return web.Response(
        body=found.data,
        headers={"Content-Type": TYPES[ending], "Content-Disposition": disposition(found.filename)},
    )


def add_routes(app: web.Application) -> None:
    app.router.add_get("/web/xa/{org}/baocao", form)
    app.router.add_get("/web/xa/{org}/tai", download)
