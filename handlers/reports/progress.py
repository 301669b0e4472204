"""/tiendo: the progress of the organization (leaders, viewers) or of the person's units
(officers) in the official categories — "Hoàn thành: X/Y (Z%)" first, the other
categories, the three units furthest behind and the overdue tasks by number — and on
Telegram a chart after it. A viewer of several organizations gets one line each, worst
first; naming one of them shows its details.

``/tiendo ĐƠN_VỊ`` narrows to a unit; ``/tiendo quy3`` (also "quý III", "q3") counts as
of the end of that quarter of the plan year (or today, if earlier), and only the tasks
due in or before that quarter plus the ongoing ones (``models.progress.in_scope``).
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace

from documents.category_words import category_lines as category_word_lines
from documents.charts import progress_chart
from documents.report_rows import CATEGORY_LABELS, ROMAN
from handlers.assigned.summary import assigned_lines
from handlers.context import Request
from handlers.guards import not_registered
from handlers.messages import Attachment, Outgoing
from handlers.permissions import is_leader, officer_units
from handlers.reports.delivery import as_sent, can_send_pictures
from handlers.reports.plan_choice import plan_in_args
from handlers.short_text import short
from language.formats import format_date
from locales import _, current_language, ngettext
from models.org_names import org_name
from models.people import Organization
from models.plan_store import resolve_unit
from models.plans import Plan
from models.progress import Progress, Tally, percent_text, quarter_end, tally
from models.progress_queries import overview, task_facts
from models.queries import active_plans, org_plans
from models.unit_names import fold

CHART_ROWS = 12  # bars on one chart, worst first
OVERDUE_SHOWN = 20
_QUARTER = re.compile(r"^(?:quy|q)(iv|iii|ii|i|[1-4])$")


def _quarter(word: str) -> int | None:
    match = _QUARTER.match(fold(word).replace(".", ""))
    if match is None:
        return None
    value = match.group(1)
    return int(value) if value.isdigit() else ROMAN.index(value.upper()) + 1


_QUARTER_LIKE = re.compile(r"^(?:quy|quý|q)\.?\s*\d+$", re.IGNORECASE)


def unknown_unit_text(words: str) -> str:
    """The answer to /tiendo with words that name no unit: "quy5" was a quarter."""
    if _QUARTER_LIKE.match(words.strip()):
        return _("Một năm có 4 quý: anh/chị nhắn /tiendo quy1, quy2, quy3 hoặc quy4.")
    return _(
        "Không tìm thấy đơn vị «{name}». Anh/chị nhắn tên đơn vị như trong kế hoạch, ví dụ: /tiendo Phòng Kinh tế."
    ).format(name=words)


def parse_quarter(args: str) -> tuple[int | None, str]:
    """The quarter named in ``args`` and the rest: "quy3 Phòng Kinh tế" → (3, "Phòng
    Kinh tế"); "quý III", "q3" and "Q.3" too."""
    words, rest, quarter = args.split(), [], None
    index = 0
    while index < len(words):
        pair = "".join(words[index : index + 2])
        if quarter is None and (found := _quarter(words[index])):
            quarter, index = found, index + 1
        elif quarter is None and index + 1 < len(words) and (found := _quarter(pair)):
            quarter, index = found, index + 2
        else:
            rest.append(words[index])
            index += 1
    return quarter, " ".join(rest)


def done_line(t: Tally) -> str:
    return _("Hoàn thành: {done}/{total} ({percent})").format(
        done=t.done, total=t.total, percent=percent_text(t.done, t.total, current_language())
    )


def category_lines(t: Tally) -> list[str]:
    """The categories in the one wording (``documents.category_words``)."""
    return [
        f"{'   ' if line.inner else '• '}{_(line.label)}: {line.count}"
        for line in category_word_lines(t)
    ]


def behind_score(t: Tally) -> tuple[int, float]:
    """Furthest behind first: most overdue, then lowest completion."""
    return (-t.counts["overdue"], t.rate if t.total else 1.0)


def worst_units(progress: Progress, n: int) -> list[tuple[str, Tally]]:
    return sorted(progress.by_unit.items(), key=lambda kv: behind_score(kv[1]))[:n]


def quarter_scope_line(part: Tally, whole: Tally, quarter: int, year: int) -> str:
    """What a quarter's figures count, beside the whole plan's (as /baocao counts it), so
    two totals the same minute never look contradictory."""
    return ngettext(
        "(Tính {n} nhiệm vụ có hạn đến hết quý {q}/{year}, thường xuyên hoặc cả năm; "
        "cả kế hoạch: {done}/{total}, như /baocao.)",
        "(Tính {n} nhiệm vụ có hạn đến hết quý {q}/{year}, thường xuyên hoặc cả năm; "
        "cả kế hoạch: {done}/{total}, như /baocao.)",
        part.total,
    ).format(
        n=part.total, q=ROMAN[quarter - 1], year=year, done=whole.done, total=whole.total
    )


def progress_text(
    title: str, progress: Progress, *, show_units: bool, scope_line: str | None = None
) -> str:
    t = progress.overall
    lines = [title, done_line(t), *([scope_line] if scope_line else []), *category_lines(t)]
    # Named only when they are late: early in the year "0/16 done" is no one's delay.
    behind = [(u, ut) for u, ut in worst_units(progress, 3) if ut.counts["overdue"]]
    if show_units and len(progress.by_unit) > 1 and behind:
        lines.append(_("Đơn vị chậm nhất:"))
        for unit, ut in behind:
            lines.append(
                _("  {unit}: {done}/{total} hoàn thành, {overdue} quá hạn").format(
                    unit=unit, done=ut.done, total=ut.total, overdue=ut.counts["overdue"]
                )
            )
    numbers = progress.overdue_numbers
    if numbers:
        shown = ", ".join(numbers[:OVERDUE_SHOWN])
        if len(numbers) > OVERDUE_SHOWN:
            shown += " " + _("(và {n} nhiệm vụ khác)").format(n=len(numbers) - OVERDUE_SHOWN)
        lines.append(_("Nhiệm vụ quá hạn: số {numbers}").format(numbers=shown))
    return "\n".join(lines)


async def chart(rows: list[tuple[str, Tally]], title: str) -> Attachment:
    """The stacked-bar chart, drawn off the event loop."""
    labels = [(key, _(label)) for key, label in CATEGORY_LABELS]
    data = [(name, t.counts) for name, t in rows[:CHART_ROWS]]
    png = await asyncio.to_thread(progress_chart, data, labels, title)
    return Attachment("tiendo.png", png, "photo")


async def progress(request: Request, args: str) -> list[Outgoing]:
    if not request.grants:
        return not_registered()
    quarter, rest = parse_quarter(args)
    viewed = list(request.organizations.values())
    if request.role == "viewer" and len(viewed) > 1:
        chosen = [o for o in viewed if rest and fold(o.name) == fold(rest)]
        if not chosen:
            return await _overview(request, viewed, quarter)
        return await org_progress(request, chosen[0], quarter, "")
    return await org_progress(request, request.organization, quarter, rest)


async def org_progress(
    request: Request, org: Organization, quarter: int | None, unit_text: str
) -> list[Outgoing]:
    session = request.session
    everything = await org_plans(session, org)
    plans = await active_plans(session, org, request.today(org), among=everything)
    if not plans:
        return [Outgoing(_("{org} chưa có kế hoạch nào được nhập.").format(org=org_name(org.name).display))]
    chosen, unit_text = plan_in_args(plans, unit_text)  # "/tiendo CĐS", "/tiendo CĐS VH-XH"
    leader_view = is_leader(request.grants, org.id) or request.role == "viewer"
    unit_ids, scope = None, org_name(org.name).display
    if unit_text:
        unit = await resolve_unit(session, org, unit_text)
        if unit is None:
            return [Outgoing(unknown_unit_text(unit_text))]
        if not leader_view and unit.id not in officer_units(request.grants, org.id):
            return [Outgoing(_("Anh/chị chỉ xem được tiến độ của đơn vị mình."))]
        unit_ids, scope = [unit.id], unit.name
    elif not leader_view:
        unit_ids = sorted(officer_units(request.grants, org.id))
        names = [
            m.unit.name
            for m in request.person.memberships
            if m.unit and m.organization_id == org.id
        ]
        scope = "; ".join(names) or org_name(org.name).display
    # The list of tasks the city gave has its own line (``assigned_lines``), not a plan's.
    own = [p for p in plans if p.kind != "assigned"] or plans
    shown = [chosen] if chosen else own
    year = shown[0].year
    today = request.today(org)
    until = quarter_end(year, quarter) if quarter else None
    as_of = min(today, until) if until else today
    deadline_end = request.services.calendar.deadline_end
    every = []
    for plan in shown:
        facts = await task_facts(session, org, as_of=as_of, plan=plan, unit_ids=unit_ids)
        every.append((plan, facts, tally(facts, as_of, until=until, deadline_end=deadline_end)))
    if quarter:
        when = _("quý {q}/{year} (số liệu đến ngày {date})").format(
            q=ROMAN[quarter - 1], year=year, date=format_date(as_of)
        )
    else:
        when = _("đến ngày {date}").format(date=format_date(as_of))
    scope_line = None
    if quarter:  # the whole plan's figures too: what /baocao's appendix counts
        pooled = [f for _plan, facts, _r in every for f in facts]
        part = tally(pooled, as_of, until=until, deadline_end=deadline_end).overall
        whole = tally(pooled, as_of, deadline_end=deadline_end).overall
        scope_line = quarter_scope_line(part, whole, quarter, year)
    if len(every) == 1:
        result = every[0][2]
        title = _("Tiến độ {plan} — {scope}, {when}:").format(
            plan=shown[0].title, scope=scope, when=when
        )
        text = progress_text(title, result, show_units=unit_ids is None, scope_line=scope_line)
    else:
        # "CCHC 6, CĐS 6": a bare number would name two tasks
        every_fact = [
            replace(f, number=f"{plan.code} {f.number}") for plan, facts, _r in every for f in facts
        ]
        result = tally(every_fact, as_of, until=until, deadline_end=deadline_end)
        text = plans_text(every, result, scope, when, show_units=unit_ids is None, scope_line=scope_line)
    if all(plan.kind != "assigned" for plan in shown):  # the tasks the city gave, apart
        given = await assigned_lines(
            session, org, year, as_of, deadline_end=deadline_end, unit_ids=unit_ids,
            quarter=quarter, today=today, among=everything,
        )  # fmt: skip
        text = "\n".join([text, *given])
    reply = Outgoing(text)
    if can_send_pictures(request) and result.overall.total:
        rows = worst_units(result, CHART_ROWS)
        if unit_ids is not None:  # the person's own units only, else one bar
            rows = (
                [(n, ut) for n, ut in rows if n in scope.split("; ")] if len(unit_ids) > 1 else []
            )
        t = result.overall
        heading = (
            f"{scope} — {format_date(as_of)}: {t.done}/{t.total} ({percent_text(t.done, t.total, current_language())})"
        )
        reply.photo = as_sent(request, await chart(rows or [(scope, t)], heading))
    return [reply]


def plans_text(
    every: list[tuple[Plan, list, Progress]], total: Progress, scope: str, when: str, *,
    show_units: bool, scope_line: str | None = None,
) -> str:  # fmt: skip
    """A line per plan, then the figures of them all together."""
    lines = [_("Tiến độ các kế hoạch — {scope}, {when}:").format(scope=scope, when=when)]
    for plan, _facts, result in every:
        t = result.overall
        lines.append(
            _("• {code} — {title}: {done}, {overdue} quá hạn").format(
                code=plan.code, title=short(plan.title, 60), done=done_line(t),
                overdue=t.counts["overdue"],
            )
        )  # fmt: skip
    lines.append("")
    lines.append(
        progress_text(
            _("Cả {n} kế hoạch:").format(n=len(every)), total, show_units=show_units,
            scope_line=scope_line,
        )  # fmt: skip
    )
    lines.append(
        _("Nhắn /tiendo MÃ để xem một kế hoạch, ví dụ /tiendo {code}.").format(code=every[-1][0].code)
    )
    return "\n".join(lines)


async def _overview(
    request: Request, orgs: list[Organization], quarter: int | None
) -> list[Outgoing]:
    as_of, until = {}, {}
    for org in orgs:
        today = request.today(org)
        until[org.id] = quarter_end(today.year, quarter) if quarter else None
        as_of[org.id] = min(today, until[org.id] or today)
    tallies = await overview(
        request.session,
        orgs,
        as_of,
        until if quarter else None,
        deadline_end=request.services.calendar.deadline_end,
    )
    rows = sorted(
        ((org_name(org.name).display, tallies[org.id]) for org in orgs), key=lambda r: (behind_score(r[1]), r[0])
    )
    lines = [_("Tiến độ theo xã/phường (chậm nhất trước):")]
    for name, t in rows:
        lines.append(
            _("{org}: {done} — {overdue} quá hạn").format(
                org=name, done=done_line(t), overdue=t.counts["overdue"]
            )
        )
    lines.append(_("Nhắn /tiendo kèm tên một xã/phường ở trên để xem chi tiết."))
    reply = Outgoing("\n".join(lines))
    if can_send_pictures(request) and rows:
        picture = await chart(rows, _("{n} xã/phường chậm nhất").format(n=min(len(rows), CHART_ROWS)))
        reply.photo = as_sent(request, picture)
    return [reply]
