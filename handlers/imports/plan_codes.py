"""/kehoach: the plans the organization follows, with their codes; an admin changes a
code with ``/kehoach MÃ_CŨ MÃ_MỚI`` ("/kehoach CĐS CDS"). Codes are what people type
before a task number when there are several plans ("CĐS 6")."""

from __future__ import annotations

from handlers.context import Request
from handlers.guards import admin_only, not_registered
from handlers.messages import Outgoing
from handlers.permissions import is_admin
from language.plan_codes import fold_code, valid_code
from locales import _, ngettext
from models.org_names import org_name
from models.queries import active_plans, organization_plans, plan_by_ref, plan_counts


async def plans_command(request: Request, args: str) -> list[Outgoing]:
    if not request.grants:
        return not_registered()
    words = args.split()
    if len(words) == 2:
        return await rename(request, words[0], words[1])
    org = request.organization
    plans = await active_plans(request.session, org, request.today())
    if not plans:
        return [Outgoing(_("{org} chưa có kế hoạch nào được nhập.").format(org=org.name))]
    counts = await plan_counts(request.session, [p.id for p in plans])
    lines = [_("Các kế hoạch năm {year} của {org}:").format(year=plans[0].year, org=org_name(org.name).of_whom)]
    for plan in plans:
        total, done = counts[plan.id]
        lines.append(
            ngettext("• {code} — {title}: {done}/{total} nhiệm vụ hoàn thành", "• {code} — {title}: {done}/{total} nhiệm vụ hoàn thành", total).format(
                code=plan.code, title=plan.title, done=done, total=total
            )
        )
    if is_admin(request.grants, org.id):
        lines.append(_("Đổi mã một kế hoạch: nhắn /kehoach, mã cũ rồi mã mới, ví dụ /kehoach {code} KH2.").format(
            code=plans[0].code))  # fmt: skip
    return [Outgoing("\n".join(lines))]


async def rename(request: Request, old: str, new: str) -> list[Outgoing]:
    if refusal := admin_only(request):
        return refusal
    org = request.organization
    plan = await plan_by_ref(request.session, org, old)
    if plan is None:
        return [Outgoing(_("Không có kế hoạch mã «{code}». Nhắn /kehoach để xem các mã.").format(code=old))]
    code = valid_code(new)
    if code is None:
        return [Outgoing(_(
            "Mã «{code}» không dùng được: mã gồm 1–8 chữ cái hoặc chữ số, bắt đầu bằng chữ cái, "
            "ví dụ «CĐS»."
        ).format(code=new))]  # fmt: skip
    taken = [p for p in await organization_plans(request.session, org) if p.id != plan.id]
    if any(fold_code(p.code) == fold_code(code) for p in taken):
        return [Outgoing(_("Mã «{code}» đã là mã của một kế hoạch khác; vui lòng chọn mã khác.").format(code=code))]
    before, plan.code = plan.code, code
    return [Outgoing(_("Đã đổi mã kế hoạch «{title}» từ {old} thành {new}.").format(
        title=plan.title, old=before, new=code))]  # fmt: skip
