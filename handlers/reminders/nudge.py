"""Escalations that lead somewhere. The leaders' overdue summary names each task's lead
unit and the officers registered there; the leader presses "Nhắc lại" (Telegram) or
types /nhac SỐ, and those officers get a personal reminder saying the leader asked.

The nudge is a row of the task's history (kind ``nudge``) and travels through the
outbox like the extension decisions (keyed by task, day and officer, so it survives
faults and is never sent twice); one per task and day: a second try says when and by
whom it was sent. A unit with nobody registered gets the line to invite them (/moi)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from handlers.context import Request
from handlers.extensions.notices import notice_time
from handlers.guards import not_registered
from handlers.messages import Button, Outgoing
from handlers.permissions import is_leader
from handlers.short_text import short
from handlers.tasks.access import task_by_number
from handlers.tasks.listing import Entry, entry_lines, legend, task_refs
from handlers.tasks.view import CLOSED, deadline_in_words, status_buttons, status_label
from locales import _, ngettext
from models import status_store
from models.outbox import OutboxItem, Owed, upsert
from models.people import Membership, Person
from models.plans import StatusUpdate, Task
from models.progress import classify, current_facts
from models.queries import get_task
from scheduler.workdays import WorkCalendar

NUDGE = "nudge"  # button data "nudge:<task id>", the history row's and the outbox row's kind
OFFICER_ROLES = ("officer", "leader", "admin")  # whoever is registered in the unit
NUDGE_BUTTONS_PER_ROW = 3
# Three lines a task: the summary stays well under Telegram's 4096 and Zalo's 2000 characters.
ESCALATION_LIMIT = 15
ESCALATION_TEXT_LIMIT = 8
MAX_NAMES = 4  # officers named on a line of the summary


async def unit_officers(session: AsyncSession, task: Task) -> list[tuple[str, list[Person]]]:
    """Each lead unit of ``task`` with the people registered in it (by name)."""
    units = task.units("lead")
    if not units:
        return []
    rows = await session.scalars(
        select(Membership)
        .where(Membership.unit_id.in_([u.id for u in units]), Membership.role.in_(OFFICER_ROLES))
        .options(selectinload(Membership.person))
    )
    people: dict[int, dict[int, Person]] = {u.id: {} for u in units}
    for membership in rows:
        people[membership.unit_id][membership.person_id] = membership.person
    return [
        (u.name, sorted(people[u.id].values(), key=lambda p: (p.display_name, p.id))) for u in units
    ]


def officers_line(found: list[tuple[str, list[Person]]], lead_note: str | None) -> str:
    """ "Phòng Văn hóa - Xã hội: Lan, Hùng"; a unit without anyone says to invite."""
    if not found:
        return _("{unit}: chưa rõ đơn vị chủ trì").format(unit=lead_note or "—")
    parts = []
    for unit, people in found:
        if not people:
            parts.append(_("{unit}: chưa có ai đăng ký").format(unit=unit))
            continue
        names = ", ".join(p.display_name for p in people[:MAX_NAMES])
        if len(people) > MAX_NAMES:
            names += ", …"
        parts.append(f"{unit}: {names}")
    return "; ".join(parts)


async def escalation(
    session: AsyncSession,
    tasks: list[Task],
    today: date,
    calendar: WorkCalendar,
    *,
    has_buttons: bool,
) -> tuple[list[str], list[list[Button]]]:
    """The leaders' overdue summary: each task with its unit and officers; a "Nhắc lại"
    button per task on Telegram, /nhac SỐ elsewhere."""
    limit = ESCALATION_LIMIT if has_buttons else ESCALATION_TEXT_LIMIT
    hidden = len(tasks) - limit
    tasks = tasks[:limit]
    refs = task_refs(tasks)
    lines = [_("Nhiệm vụ quá hạn cần lãnh đạo đôn đốc:")]
    marks: set[str] = set()
    for task in tasks:
        found = await unit_officers(session, task)
        entry = Entry(task, unit=officers_line(found, task.lead_note))
        more, used = entry_lines(entry, refs[task.id], today, calendar)
        lines += more
        marks |= used
    if (said := legend(marks)) is not None:
        lines.append(said)
    if hidden > 0:
        lines.append(ngettext("… và {n} nhiệm vụ quá hạn khác: /viec quahan.", "… và {n} nhiệm vụ quá hạn khác: /viec quahan.", hidden).format(n=hidden))
    buttons: list[list[Button]] = []
    if has_buttons:
        lines.append(_("Bấm «Nhắc lại» để dondoc nhắc cán bộ phụ trách; chi tiết: /viec SỐ."))
        flat = [
            Button(_("Nhắc lại {number}").format(number=refs[t.id]), f"{NUDGE}:{t.id}")
            for t in tasks
        ]
        step = NUDGE_BUTTONS_PER_ROW
        buttons = [flat[i : i + step] for i in range(0, len(flat), step)]
    else:
        lines.append(_("Nhắn /nhac SỐ để dondoc nhắc lại cán bộ phụ trách; chi tiết: /viec SỐ."))
    return lines, buttons


def day_start(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=ZoneInfo(zone))


async def nudged_today(
    session: AsyncSession, task: Task, today: date, zone: str
) -> StatusUpdate | None:
    """The task's nudge of ``today`` (local day), if there was one."""
    start = day_start(today, zone)
    return await session.scalar(
        select(StatusUpdate)
        .where(
            StatusUpdate.task_id == task.id,
            StatusUpdate.kind == NUDGE,
            StatusUpdate.created_at >= start,
            StatusUpdate.created_at < start + timedelta(days=1),
        )
        .options(selectinload(StatusUpdate.person))
        .order_by(StatusUpdate.id)
        .limit(1)
    )


async def nudge_command(request: Request, args: str) -> list[Outgoing]:
    if not request.grants:
        return not_registered()
    if not is_leader(request.grants, request.organization.id):
        return [Outgoing(_("Chỉ lãnh đạo UBND mới dùng được lệnh /nhac."))]
    number = args.split()[0][:20] if args.split() else ""
    if not number:
        return [
            Outgoing(_("Cách dùng: /nhac SỐ — nhắc lại cán bộ phụ trách nhiệm vụ, ví dụ: /nhac 12"))
        ]
    task, problem = await task_by_number(request, number)
    if task is None:
        return [Outgoing(problem or "")]
    return await nudge(request, task)


async def button(request: Request, kind: str, rest: str) -> list[Outgoing]:
    """A leader's «Nhắc lại» under an overdue summary (``nudge:TASK``)."""
    key = rest.isascii() and rest.isdigit() and len(rest) < 10
    task = await get_task(request.session, int(rest)) if key else None
    if task is None:
        return [Outgoing(_("Nút này không còn dùng được. Nhắn /quahan để xem lại."))]
    return await nudge(request, task)


async def nudge(request: Request, task: Task) -> list[Outgoing]:
    """Send the lead unit's officers a reminder from the leader, once a day per task."""
    org_id = task.plan.organization_id
    if not is_leader(request.grants, org_id):
        return [Outgoing(_("Chỉ lãnh đạo UBND mới dùng được lệnh /nhac."))]
    if task.status in CLOSED:
        return [
            Outgoing(
                _("Nhiệm vụ {number} đã ở tình trạng «{status}»; không cần nhắc lại.").format(
                    number=task.number, status=status_label(task.status)
                )
            )
        ]
    org = request.organizations.get(org_id) or request.organization
    today = request.today(org)
    earlier = await nudged_today(request.session, task, today, org.timezone)
    if earlier is not None:
        when = earlier.created_at.astimezone(ZoneInfo(org.timezone)).strftime("%H:%M")
        who = earlier.person.display_name if earlier.person else "dondoc"
        return [
            Outgoing(
                _(
                    "Nhiệm vụ {number} đã được nhắc lại hôm nay lúc {time} (do {who} đề nghị). Mỗi nhiệm vụ nhắc lại tối đa một lần mỗi ngày."
                ).format(number=task.number, time=when, who=who)
            )
        ]
    found = await unit_officers(request.session, task)
    recipients = {p.id: p for _unit, people in found for p in people if p.id != request.person.id}
    if not recipients:
        if not found:
            return [
                Outgoing(
                    _(
                        "Nhiệm vụ {number} chưa có đơn vị chủ trì cụ thể («{note}») nên dondoc không biết nhắc ai."
                    ).format(number=task.number, note=task.lead_note or "—")
                )
            ]
        units = ", ".join(unit for unit, _people in found)
        return [
            Outgoing(
                _(
                    "Đơn vị {units} chưa có cán bộ nào đăng ký nên dondoc chưa nhắc được. Anh/chị đề nghị quản trị tạo mã mời: /moi {unit} rồi gửi cho cán bộ phụ trách."
                ).format(units=units, unit=found[0][0])
            )
        ]
    row = await status_store.record(
        request.session,
        task,
        request.person,
        kind=NUDGE,
        text=", ".join(p.display_name for p in recipients.values()),
        now=request.now,
        channel=request.incoming.channel,
    )
    when = notice_time(request)
    await upsert(
        request.session,
        [
            Owed(org_id, task.id, NUDGE, today.isoformat(), person_id, when, detail=str(row.id))
            for person_id in sorted(recipients)
        ],
    )
    names = ", ".join(p.display_name for p in recipients.values())
    answer = _("Đã nhắc lại nhiệm vụ {number} cho {names}.").format(number=task.number, names=names)
    if when > request.now + timedelta(minutes=1):
        local = when.astimezone(ZoneInfo(org.timezone))
        answer += " " + _("Tin nhắc sẽ đi lúc {time} ngày {date} (ngoài giờ làm việc).").format(
            time=local.strftime("%H:%M"), date=local.strftime("%d/%m/%Y")
        )
    return [Outgoing(answer, task_id=task.id)]


async def nudge_notice(
    session: AsyncSession,
    item: OutboxItem,
    *,
    today: date,
    calendar: WorkCalendar,
    has_buttons: bool,
) -> tuple[str, list[list[Button]], Task | None]:
    """The officer's reminder: the leader asked, the task, its deadline, how to answer."""
    task = await get_task(session, item.task_id) if item.task_id else None
    if task is None or task.status in CLOSED:
        return "", [], None
    row = (
        await session.get(StatusUpdate, int(item.detail))
        if item.detail and item.detail.isdigit()
        else None
    )
    person = await session.get(Person, row.person_id) if row and row.person_id else None
    who = person.display_name if person else _("Lãnh đạo")
    words = deadline_in_words(task, today, calendar)
    overdue = classify(current_facts(task), today, deadline_end=calendar.deadline_end) == "overdue"
    # "khẩn trương" only for a task past its deadline; before it, the leader asks how it goes
    ask = (
        _(
            "{who} (lãnh đạo) đề nghị anh/chị khẩn trương thực hiện và báo cáo nhiệm vụ {number}: {content}"
        )
        if overdue
        else _("{who} (lãnh đạo) đề nghị anh/chị báo cáo tiến độ nhiệm vụ {number}: {content}")
    )
    lines = [
        ask.format(who=who, number=task.number, content=short(task.content, 200)),
        words[:1].upper() + words[1:],
        _("Tình trạng: {status}").format(status=status_label(task.status, task.percent)),
        _(
            "Anh/chị trả lời tin này với tình trạng, ví dụ «Hoàn thành, QĐ số 12/QĐ-UBND ngày 09/01/2026» hoặc «Chưa thực hiện, lý do: …»."
        ),
    ]
    return "\n".join(lines), status_buttons(task), task
