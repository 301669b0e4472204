"""What a reminder says: the task's number and content, the deadline in working days
("hạn 14/01/2026 — còn 1 ngày làm việc"), the expected product, and how to answer.
Several reminders for one person at one moment make one message. Also the notices
that travel through the outbox: the leaders' weekly digest, "no one to remind for unit
X", "person Y blocked dondoc", extension requests and decisions."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.assigned.notices import KINDS as FOLLOW_KINDS
from handlers.assigned.notices import follow_notice
from handlers.extensions.notices import NOTICE_KINDS, extension_notice
from handlers.extensions.pending import digest_lines
from handlers.messages import Button, Outgoing
from handlers.people.group_codes import INVITE_SEEN, invite_seen_notice
from handlers.people.linking import LINK_REQUEST, link_notice
from handlers.reminders.known import TASK_KINDS, KnownReads
from handlers.reminders.nudge import NUDGE, escalation, nudge_notice
from handlers.reminders.score_texts import score_notice
from handlers.scores.notices import KIND as SCORE_CONFIRMED
from handlers.scores.notices import score_confirmed_notice
from handlers.short_text import short
from handlers.tasks.access import task_ref
from handlers.tasks.listing import TEXT_PAGE, Entry, render
from handlers.tasks.view import CLOSED, deadline_in_words, is_overdue, lead_names, status_buttons
from language.formats import format_date
from locales import _, ngettext
from models.conversation import Focus
from models.extension_store import pending_requests
from models.org_names import org_name
from models.outbox import OutboxItem
from models.people import Organization, Person, Unit
from models.plans import Task
from models.queries import get_task, list_tasks
from scheduler.score_reminders import KIND as SCORE_KIND
from scheduler.workdays import WorkCalendar

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
BUNDLE_LIMIT = 30  # tasks listed in one reminder on Telegram (TEXT_PAGE elsewhere)


def _headline(kind: str, to_leaders: bool) -> str:
    if to_leaders:
        return _("Nhiệm vụ quá hạn cần lãnh đạo đôn đốc")
    return {
        "before_due": _("Nhắc việc"),
        "due_day": _("Hôm nay đến hạn"),
        "overdue": _("Nhiệm vụ đã quá hạn"),
        "report": _("Sắp đến kỳ báo cáo: anh/chị cập nhật kết quả nhiệm vụ"),
        "cooperating_note": _("Để phối hợp: nhiệm vụ đến hạn hôm nay"),
    }.get(kind, _("Nhắc việc"))


def _task_block(
    task: Task, today: date, calendar: WorkCalendar, several: bool = False
) -> list[str]:
    lines = [
        _("Nhiệm vụ {number}: {content}").format(
            number=task_ref(task, several), content=short(task.content, 200)
        )
    ]
    if several:  # the organization follows several plans: say which one
        lines.append(_("Kế hoạch: {title} ({code})").format(title=task.plan.title, code=task.plan.code))
    words = deadline_in_words(task, today, calendar)
    lines.append(words[:1].upper() + words[1:])  # str.capitalize would lower "Quý I"
    if task.product:
        lines.append(_("Sản phẩm: {product}").format(product=short(task.product, 160)))
    return lines


def _report_date(items: list[OutboxItem]) -> date | None:
    for item in items:
        if item.kind == "report" and (found := _DATE.search(item.occurrence)):
            return date.fromisoformat(found.group())
    return None


def _by_deadline(pair: tuple[OutboxItem, Task]) -> tuple[date, int]:
    return (pair[1].deadline_due or date.max, pair[1].position)


async def _open_tasks(
    session: AsyncSession, items: list[OutboxItem], known: KnownReads
) -> list[tuple[OutboxItem, Task]]:
    tasks: list[tuple[OutboxItem, Task]] = []
    for item in items:
        if (
            item.kind not in TASK_KINDS
            or item.task_id is None
            or any(t.id == item.task_id for _, t in tasks)
        ):
            continue
        task = await known.task(session, item.task_id)
        if task is not None and task.status not in CLOSED:
            tasks.append((item, task))
    return sorted(tasks, key=_by_deadline)


def _officer_parts(
    tasks: list[tuple[OutboxItem, Task]],
    today: date,
    calendar: WorkCalendar,
    *,
    offline: bool,
    has_buttons: bool,
    several: bool = False,
) -> tuple[list[str], list[list[Button]], Focus]:
    if len(tasks) == 1 and not offline:
        item, task = tasks[0]
        headline = _headline(item.kind, False)
        if item.kind == "due_day" and task.deadline_due and task.deadline_due > today:
            # Sent the working day before a due date that falls on a day off.
            headline = _("Hạn rơi vào ngày nghỉ {date}").format(date=format_date(task.deadline_due))
        parts = [headline + ":", *_task_block(task, today, calendar, several)]
        if item.kind == "cooperating_note":
            return parts, [], Focus(task.id)
        parts.append(
            _(
                "Anh/chị trả lời tin này với tình trạng, ví dụ «Hoàn thành, QĐ số 12/QĐ-UBND ngày 09/01/2026» hoặc «Chưa thực hiện, lý do: …»."
            )
        )
        return parts, status_buttons(task), Focus(task.id)
    report_day = _report_date([item for item, _task in tasks])
    if offline:
        header = ""
    elif report_day is not None:
        header = ngettext(
            "Sắp đến hạn báo cáo (trước ngày {date}): anh/chị cập nhật kết quả {n} nhiệm vụ sau:", "Sắp đến hạn báo cáo (trước ngày {date}): anh/chị cập nhật kết quả {n} nhiệm vụ sau:", len(tasks)).format(date=format_date(report_day), n=len(tasks))
    else:
        header = ngettext("Nhắc việc ({n} nhiệm vụ):", "Nhắc việc ({n} nhiệm vụ):", len(tasks)).format(n=len(tasks))
    first = tasks[0][1]
    limit = BUNDLE_LIMIT if has_buttons else TEXT_PAGE
    shown, rest = tasks[:limit], len(tasks) - limit
    footer = []
    if rest > 0:  # a long bundle stays one readable message
        footer.append(ngettext("… và {n} nhiệm vụ khác: nhắn /viec để xem tất cả.", "… và {n} nhiệm vụ khác: nhắn /viec để xem tất cả.", rest).format(n=rest))
    footer += [
        _(
            "Anh/chị trả lời tin này kèm số nhiệm vụ, mỗi nhiệm vụ một dòng, ví dụ «{number} hoàn thành»."
        ).format(number=task_ref(first, several))
    ]
    footer.append(
        _("Bấm số nhiệm vụ bên dưới để mở.") if has_buttons else _("Xem một nhiệm vụ: /viec SỐ.")
    )
    # Before a report what matters is what dondoc has on record; the line shows both.
    entries = [Entry(task) for _item, task in shown]
    listing = render(
        header,
        entries,
        today=today,
        calendar=calendar,
        has_buttons=has_buttons,
        footer=tuple(footer),
        several=several,
    )
    text = listing.text if header else listing.text.split("\n", 1)[1]
    return [text], listing.buttons, Focus(task_ids=listing.task_ids)


async def compose(
    session: AsyncSession,
    person: Person,
    items: list[OutboxItem],
    *,
    today: date,
    calendar: WorkCalendar,
    offline_digest: bool,
    has_buttons: bool,
    known: KnownReads | None = None,
) -> Outgoing:
    """One message for ``person`` carrying all ``items``; ``known``: the tasks and
    plans read ahead for many messages at once (``known.read_ahead``)."""
    known = known if known is not None else KnownReads()
    tasks = await _open_tasks(session, items, known)
    mine = [pair for pair in tasks if not pair[0].to_leaders]
    escalated = [
        pair for pair in tasks if pair[0].to_leaders and all(pair[1].id != t.id for _, t in mine)
    ]
    parts: list[str] = []
    buttons: list[list[Button]] = []
    focus = Focus()
    score_items: list[int] = []
    if offline_digest:
        parts.append(_("Trong lúc dondoc tạm ngừng, anh/chị đã lỡ các lời nhắc sau:"))
    if mine:
        org = mine[0][1].plan.organization_id
        several = await known.several_plans(session, org, today)
        more, buttons, focus = _officer_parts(
            mine, today, calendar, offline=offline_digest, has_buttons=has_buttons,
            several=several,
        )  # fmt: skip
        parts += more
    if escalated:
        more, extra = await escalation(
            session, [t for _item, t in escalated], today, calendar, has_buttons=has_buttons
        )
        parts += ([""] if parts else []) + more
        buttons += extra
    for item in items:
        if item.kind == NUDGE:
            text, extra, task = await nudge_notice(
                session, item, today=today, calendar=calendar, has_buttons=has_buttons
            )
            if task is None or task.id in focus.task_ids or task.id == focus.task_id:
                continue  # done since, or already in this message
            parts.append(("\n" if parts else "") + text)
            if focus:  # with other tasks: a bare reply is asked about, no second set of buttons
                ids = (focus.task_id,) if focus.task_id else focus.task_ids
                focus = Focus(task_ids=(*ids, task.id))
            else:
                focus, buttons = Focus(task.id), buttons + extra
            continue
        if item.kind in FOLLOW_KINDS:  # a task given to the unit, a leader's instruction
            text, extra, task = await follow_notice(session, item, today=today, calendar=calendar)
            if task is None:
                continue
            parts.append(("\n" if parts else "") + text)
            if not focus:  # travels alone (dispatch_rules.ALONE_KINDS): a reply is about it
                focus, buttons = Focus(task.id), buttons + extra
            continue
        if item.kind == SCORE_KIND:  # the items listed become the message's focus
            text, listed = await score_notice(session, item)
            if text:
                parts.append(("\n" if parts else "") + text)
                score_items += [i for i in listed if i not in score_items]
            continue
        if item.kind not in TASK_KINDS:
            text, extra = await _notice(
                session, item, today=today, calendar=calendar, has_buttons=has_buttons
            )
            if text:
                parts.append(("\n" if parts else "") + text)
                buttons += extra
    if not parts:
        parts.append(_("Các nhiệm vụ được nhắc đã hoàn thành. Cảm ơn anh/chị!"))
    return Outgoing(
        "\n".join(parts),
        buttons=buttons,
        task_id=focus.task_id,
        task_ids=focus.task_ids,
        score_item_ids=tuple(score_items),
    )


async def _notice(
    session: AsyncSession,
    item: OutboxItem,
    *,
    today: date,
    calendar: WorkCalendar,
    has_buttons: bool,
) -> tuple[str, list[list[Button]]]:
    if item.kind == "weekly_digest":
        org = await session.get(Organization, item.organization_id)
        return (await weekly_digest(session, org, today, calendar) if org else ""), []
    if item.kind == "no_recipient":
        if item.task_id is not None:
            task = await get_task(session, item.task_id)
            number = task.number if task else "?"
            return _(
                "Nhiệm vụ {number} chưa có đơn vị chủ trì cụ thể («{note}») nên dondoc không biết nhắc ai. Vui lòng sửa trong tệp kế hoạch rồi nhập lại."
            ).format(number=number, note=item.detail or ""), []
        unit = (
            await session.get(Unit, int(item.detail))
            if item.detail and item.detail.isdigit()
            else None
        )
        name = unit.name if unit else (item.detail or "?")
        return _(
            "Đơn vị «{unit}» chưa có ai đăng ký nên dondoc chưa nhắc việc được cho đơn vị này. Tạo mã mời: /moi {unit}"
        ).format(unit=name), []
    if item.kind == "reminders_lost":
        who, _bar, tasks = (item.detail or "").partition("|")
        person = await session.get(Person, int(who)) if who.isdigit() else None
        return _(
            "Không gửi được tin nhắc cho {name} trước khi hết thời hạn của nó (nhiệm vụ {tasks}): kênh nhắn tin gặp sự cố suốt thời gian đó. Vui lòng báo trực tiếp cho người này."
        ).format(name=person.display_name if person else "?", tasks=tasks or "?"), []
    if item.kind in ("unreachable", "send_failed"):
        person = (
            await session.get(Person, int(item.detail))
            if item.detail and item.detail.isdigit()
            else None
        )
        name = person.display_name if person else "?"
        if item.kind == "unreachable":
            return _(
                "Không gửi được tin nhắc cho {name}: người này đã chặn dondoc hoặc xóa cuộc trò chuyện. Vui lòng liên hệ trực tiếp; khi họ nhắn lại cho dondoc, việc nhắc sẽ tiếp tục."
            ).format(name=name), []
        return _(
            "Không gửi được tin nhắc cho {name}: kênh nhắn tin từ chối nội dung tin. Vui lòng báo người quản trị kỹ thuật và liên hệ trực tiếp với người này."
        ).format(name=name), []
    if item.kind in NOTICE_KINDS:
        return await extension_notice(session, item, has_buttons=has_buttons)
    if item.kind == LINK_REQUEST:
        return await link_notice(session, item, has_buttons=has_buttons)
    if item.kind == INVITE_SEEN:
        return await invite_seen_notice(session, item)
    if item.kind == SCORE_CONFIRMED:
        return await score_confirmed_notice(session, item), []
    return "", []


async def weekly_digest(
    session: AsyncSession, org: Organization, today: date, calendar: WorkCalendar
) -> str:
    """Overdue tasks and tasks due this week, by unit; the extension requests waiting."""
    tasks = await list_tasks(session, org, today=today)
    week_end = today + timedelta(days=6 - today.weekday())
    overdue = [t for t in tasks if is_overdue(t, today, calendar)]
    due_soon = [
        t
        for t in tasks
        if t.status not in CLOSED
        and t.deadline_due
        and today <= calendar.deadline_end(t.deadline_due)
        and t.deadline_due <= week_end
        and t.deadline_kind in ("due", "period", "recurring")
    ]
    waiting = digest_lines(await pending_requests(session, [org.id]))
    if not overdue and not due_soon:
        line = _(
            "Tổng hợp tuần của {org}: không có nhiệm vụ quá hạn hay đến hạn trong tuần."
        ).format(org=org_name(org.name).of_whom)
        return "\n".join([line, *waiting])
    lines = [_("Tổng hợp tuần của {org}:").format(org=org_name(org.name).of_whom)]
    for title, group in ((_("Quá hạn"), overdue), (_("Đến hạn trong tuần"), due_soon)):
        lines.append(f"{title}: {len(group)}")
        by_unit: dict[str, list[Task]] = defaultdict(list)
        for task in group:
            for unit in lead_names(task) or [task.lead_note or _("Chưa rõ đơn vị")]:
                by_unit[unit].append(task)
        for unit, items in sorted(by_unit.items(), key=lambda kv: -len(kv[1])):
            dated = sorted((t for t in items if t.deadline_due), key=lambda t: t.deadline_due)
            listed = "; ".join(
                _("NV {number} – hạn {date}").format(
                    number=t.number, date=format_date(t.deadline_due)[:5]
                )
                for t in dated
            )
            lines.append(f"  {unit}: {listed}")
    return "\n".join(lines + waiting)
