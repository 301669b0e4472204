"""/tiendo: the progress of the organization (leaders) or of the person's units
(officers), in the official categories, with the units furthest behind and the
overdue tasks by number. A viewer of several organizations gets one line each."""

from __future__ import annotations

from babel.numbers import format_decimal

from handlers.cmd_register import not_registered
from handlers.context import Request
from handlers.messages import Outgoing
from handlers.permissions import grants_in, is_leader, officer_units
from handlers.task_view import format_date
from locales import N_, _
from models.plan_store import resolve_unit
from models.progress import Progress, Tally, tally, task_facts
from models.queries import latest_plan

CATEGORY_LABELS = (
    ("done_on_time", N_("Hoàn thành đúng hạn")),
    ("done_late", N_("Hoàn thành quá hạn")),
    ("overdue", N_("Quá hạn, chưa hoàn thành")),
    ("in_progress", N_("Đang thực hiện trong hạn")),
    ("not_started", N_("Chưa thực hiện, chưa đến hạn")),
    ("not_applicable", N_("Chưa phát sinh")),
)


def percent(done: int, total: int) -> str:
    value = 100 * done / total if total else 0.0
    return format_decimal(round(value, 1), format="#,##0.#", locale="vi") + "%"


def done_line(t: Tally) -> str:
    return _("Hoàn thành: {done}/{total} ({percent})").format(
        done=t.done, total=t.total, percent=percent(t.done, t.total)
    )


def behind_score(t: Tally) -> tuple[float, int]:
    """Units furthest behind: most overdue, then lowest completion."""
    return (-t.counts["overdue"], t.done / t.total if t.total else 1.0)


def progress_text(title: str, progress: Progress, *, show_units: bool) -> str:
    t = progress.overall
    lines = [title, done_line(t)]
    lines += [
        f"• {_(label)}: {t.counts[key]}"
        for key, label in CATEGORY_LABELS
        if t.counts[key] or key in ("overdue", "in_progress")
    ]
    if show_units and len(progress.by_unit) > 1:
        worst = sorted(progress.by_unit.items(), key=lambda kv: behind_score(kv[1]))[:3]
        lines.append(_("Đơn vị chậm nhất:"))
        for unit, ut in worst:
            lines.append(
                _("  {unit}: {done}/{total} hoàn thành, {overdue} quá hạn").format(
                    unit=unit, done=ut.done, total=ut.total, overdue=ut.counts["overdue"]
                )
            )
    if progress.overdue_numbers:
        lines.append(
            _("Nhiệm vụ quá hạn: số {numbers}").format(numbers=", ".join(progress.overdue_numbers))
        )
    return "\n".join(lines)


async def progress(request: Request, args: str) -> list[Outgoing]:
    if not request.grants:
        return not_registered()
    if request.role == "viewer" and len(request.organizations) > 1:
        return await _viewer_overview(request)
    org = request.organization
    plan = await latest_plan(request.session, org)
    if plan is None:
        return [Outgoing(_("{org} chưa có kế hoạch nào được nhập.").format(org=org.name))]
    unit_ids = None
    scope = org.name
    if args:
        unit = await resolve_unit(request.session, org, args)
        if unit is None:
            return [Outgoing(_("Không tìm thấy đơn vị «{name}».").format(name=args))]
        if (
            not is_leader(request.grants, org.id)
            and request.role != "viewer"
            and unit.id not in officer_units(request.grants, org.id)
        ):
            return [Outgoing(_("Anh/chị chỉ xem được tiến độ của đơn vị mình."))]
        unit_ids, scope = [unit.id], unit.name
    elif not is_leader(request.grants, org.id) and request.role != "viewer":
        unit_ids = sorted(officer_units(request.grants, org.id))
        scope = (
            "; ".join(
                g.unit.name
                for g in request.person.memberships
                if g.unit and g.organization_id == org.id
            )
            or org.name
        )
    today = request.today()
    facts = await task_facts(request.session, org, unit_ids=unit_ids, plan=plan)
    result = tally(facts, today)
    title = _("Tiến độ {plan} — {scope}, đến ngày {date}:").format(
        plan=plan.title, scope=scope, date=format_date(today)
    )
    return [Outgoing(progress_text(title, result, show_units=unit_ids is None))]


async def _viewer_overview(request: Request) -> list[Outgoing]:
    rows = []
    for org in request.organizations.values():
        if not grants_in(request.grants, org.id):
            continue
        result = tally(await task_facts(request.session, org), request.today(org))
        rows.append((result.overall, org.name))
    rows.sort(key=lambda r: behind_score(r[0]))
    lines = [_("Tiến độ theo xã/phường (chậm nhất trước):")]
    for t, name in rows:
        lines.append(
            _("{org}: {done} — {overdue} quá hạn").format(
                org=name, done=done_line(t), overdue=t.counts["overdue"]
            )
        )
    return [Outgoing("\n".join(lines))]
