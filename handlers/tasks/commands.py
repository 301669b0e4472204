"""Seeing tasks: /viec (my open tasks, nearest deadline first), /viec SỐ (one task with
its history), /quahan (overdue tasks by unit)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from zoneinfo import ZoneInfo

from documents.result_words import names_a_file
from handlers.context import Request
from handlers.evidence import files as evidence_files
from handlers.guards import not_registered
from handlers.messages import Button, Outgoing, small_id
from handlers.permissions import is_leader, officer_units
from handlers.short_text import short
from handlers.tasks.access import (
    may_report,
    may_update,
    may_view,
    names_plans,
    several_text,
    task_ref,
    tasks_by_ref,
    visible_tasks,
)
from handlers.tasks.listing import (
    OPEN,
    Entry,
    open_buttons,
    page_of,
    page_size,
    parse_list_args,
    render,
    task_refs,
)
from handlers.tasks.overview import (
    LEADER_PAGE,
    leader_footer,
    leader_header,
    leader_order,
    only_pages,
)
from handlers.tasks.view import (
    CLOSED,
    cooperating_names,
    deadline_in_words,
    is_overdue,
    lead_names,
    sort_key,
    status_buttons,
    status_label,
)
from language.formats import format_date
from locales import _, ngettext
from models import status_store
from models.completion import completed_on
from models.plans import StatusUpdate, Task
from models.queries import evidence_of, get_task, history

HISTORY_LINES = 8
_COMMAND_PREFIX = re.compile(r"^/(?:capnhat|giahan)\S*\s+\S+\s*")
HISTORY_KINDS = (
    "status",
    "note",
    "extension_request",
    "extension_approved",
    "extension_rejected",
    "extension_withdrawn",
    "undo",
    "appendix_text",
    "nudge",
    "assigned",  # handlers.assigned: the task was given
    "instruction",  # a leader's instruction sent to the unit
)


def task_card(task: Task, request: Request) -> str:
    today = request.today()
    several = bool(request.several_plans)  # known once ``names_plans`` was asked
    lines = [
        _("Nhiệm vụ {number}: {content}").format(
            number=task_ref(task, several), content=short(task.content, 300)
        )
    ]
    if several:
        lines.append(_("Kế hoạch: {title} ({code})").format(title=task.plan.title, code=task.plan.code))
    lead = "; ".join(lead_names(task)) or task.lead_note or "—"
    lines.append(_("Chủ trì: {units}").format(units=lead))
    cooperating = "; ".join(cooperating_names(task)) or task.cooperating_note
    if cooperating:
        lines.append(_("Phối hợp: {units}").format(units=cooperating))
    lines.append(_("Thời hạn: {text}").format(text=task.deadline_text or "—"))
    if task.deadline_due is not None:  # as the plan says it, then in working days
        words = deadline_in_words(task, today, request.services.calendar)
        lines.append(words[:1].upper() + words[1:])
    if task.product:
        lines.append(_("Sản phẩm: {product}").format(product=short(task.product, 200)))
    if task.source:  # a task the city gave: the document it came with
        lines.append(_("Theo: {source}").format(source=short(task.source, 200)))
    lines.append(_("Tình trạng: {status}").format(status=status_label(task.status, task.percent)))
    return "\n".join(lines)


def task_line(task: Task, request: Request) -> str:
    """Two short lines, readable on a phone: what, then when."""
    return f"{task.number}. {short(task.content, 80)}\n    {deadline_in_words(task, request.today(), request.services.calendar)}"


async def my_tasks(request: Request, args: str) -> list[Outgoing]:
    if not request.grants:
        return not_registered()
    wanted = parse_list_args(args)
    if wanted is None:
        return await one_task(request, " ".join(args.split()[:3]))  # "6", "CĐS 6"
    if request.role == "viewer":
        return [Outgoing(_("Tài khoản theo dõi chỉ xem tiến độ: nhắn /tiendo."))]
    today, calendar = request.today(), request.services.calendar
    tasks = sorted(
        (t for t in await visible_tasks(request) if t.status not in CLOSED), key=sort_key
    )
    if wanted.overdue_only:
        tasks = [t for t in tasks if is_overdue(t, today, calendar)]
    led, cooperating = split_by_role(request, tasks)
    tasks = led + cooperating  # what the unit leads first, then what it helps with
    if not tasks:
        if wanted.overdue_only:
            return [Outgoing(_("Hiện không có nhiệm vụ nào quá hạn."))]
        return [Outgoing(_("Anh/chị không còn nhiệm vụ nào đang mở. Cảm ơn anh/chị!"))]
    # A leader follows the whole organization: counts first, overdue first, short pages.
    overview = not wanted.overdue_only and is_leader(request.grants, request.organization.id)
    size = page_size(request.incoming.channel)
    if overview:
        tasks, size = leader_order(tasks, today, calendar), min(size, LEADER_PAGE)
    shown, page, pages = page_of(tasks, wanted.page, size)
    if wanted.page > pages:  # never the last page again as if it were the one asked for
        listed = "/viec quahan" if wanted.overdue_only else "/viec"
        return [Outgoing(only_pages(pages, len(tasks), listed))]
    if len(tasks) == 1 and not wanted.overdue_only:  # one task: its card, ready to answer
        return await task_message(request, tasks[0])
    footer = []
    if overview:
        pending = await status_store.pending_extensions(request.session, tasks)
        header = leader_header(
            request.organization.name, tasks, shown, page=page, pages=pages, today=today,
            calendar=calendar, pending=set(pending),
        )  # fmt: skip
        late = is_overdue(tasks[0], today, calendar)  # overdue come first
        footer += leader_footer(page, pages, len(tasks) - page * size, overdue=late)
    elif wanted.overdue_only:
        header = _("{n} nhiệm vụ quá hạn:").format(n=len(tasks))
    else:
        header = _("Anh/chị có {n} nhiệm vụ đang mở (hạn gần nhất trước):").format(n=len(tasks))
    if pages > 1 and not overview:
        header = (
            header.rstrip(":") + ", " + _("trang {page}/{pages}:").format(page=page, pages=pages)
        )
    if page < pages and not overview:
        command = "/viec quahan" if wanted.overdue_only else "/viec"
        footer.append(
            ngettext("… còn {n} nhiệm vụ nữa: {command} trang {page}.", "… còn {n} nhiệm vụ nữa: {command} trang {page}.", len(tasks) - page * size).format(
                n=len(tasks) - page * size, command=command, page=page + 1
            )
        )
        if not wanted.overdue_only:
            footer.append(_("Chỉ xem việc quá hạn: /viec quahan."))
    if wanted.overdue_only and is_leader(request.grants, request.organization.id):
        footer.append(_("Nhắc lại cán bộ phụ trách: /nhac SỐ."))
    if request.has_buttons and officer_units(request.grants, request.organization.id):
        footer.append(_("Bấm số nhiệm vụ bên dưới để mở và báo cáo."))
    elif request.has_buttons:
        footer.append(_("Bấm số nhiệm vụ bên dưới để mở."))
    elif not officer_units(request.grants, request.organization.id):
        footer.append(_("Nhắn /viec SỐ để mở một nhiệm vụ."))  # a leader reports nothing
    else:
        footer.append(_("Nhắn /viec SỐ để mở một nhiệm vụ và báo cáo tình trạng."))
    several = await names_plans(request)
    led, cooperating = split_by_role(request, shown)
    first = render(
        header,
        await list_entries(request, led),
        today=today,
        calendar=calendar,
        has_buttons=request.has_buttons,
        footer=() if cooperating else tuple(footer),
        several=several,
    )
    if not cooperating:
        return [Outgoing(first.text, buttons=first.buttons, task_ids=first.task_ids)]
    second = render(
        _("Đơn vị khác chủ trì, đơn vị anh/chị phối hợp ({n}):").format(n=len(cooperating)),
        [
            replace(e, unit=_("Chủ trì: {units}").format(units=e.unit))
            for e in await list_entries(request, cooperating, unit=True)
        ],
        today=today,
        calendar=calendar,
        has_buttons=request.has_buttons,
        footer=tuple(footer),
        several=several,
    )
    text = second.text if not led else f"{first.text}\n\n{second.text}"
    return [
        Outgoing(
            text,
            buttons=first.buttons + second.buttons,
            task_ids=first.task_ids + second.task_ids,
        )
    ]


def split_by_role(request: Request, tasks: list[Task]) -> tuple[list[Task], list[Task]]:
    """(tasks one of the person's units leads, tasks it only cooperates on); a leader
    sees every task as the organization's own."""
    org = request.organization
    if is_leader(request.grants, org.id):
        return tasks, []
    units = officer_units(request.grants, org.id)
    led = [t for t in tasks if any(u.id in units for u in t.units("lead"))]
    return led, [t for t in tasks if t not in led]


async def list_entries(request: Request, tasks: list[Task], *, unit: bool = False) -> list[Entry]:
    """What the list lines of ``tasks`` need: the pending extension, the lead unit."""
    open_tasks = [t for t in tasks if t.status not in CLOSED]
    pending = await status_store.pending_extensions(request.session, open_tasks)
    entries = []
    for task in tasks:
        row = pending.get(task.id)
        entries.append(
            Entry(
                task,
                pending_until=row.until if row is not None else None,
                has_pending=row is not None,
                        unit=("; ".join(lead_names(task)) or task.lead_note or "—") if unit else None,
            )
        )
    return entries


async def open_button(request: Request, kind: str, rest: str) -> list[Outgoing]:
    """A list's button (``open:TASK``): the task's card."""
    key = small_id(rest)
    return await open_task(request, await get_task(request.session, key) if key else None)


async def open_task(request: Request, task: Task | None) -> list[Outgoing]:
    """A list's button: the card of the task, if the person may see it."""
    if task is None or not may_view(request, task):
        return [Outgoing(_("Không mở được nhiệm vụ này. Nhắn /viec để xem lại danh sách."))]
    return await task_message(request, task)


async def one_task(request: Request, number: str) -> list[Outgoing]:
    found, problem = await tasks_by_ref(request, number)
    if len(found) > 1:  # the same number in several plans: one tap opens each
        buttons = [
            [Button(f"{task_ref(t, True)}: {short(t.content, 40)}", f"{OPEN}:{t.id}")]
            for t in found
        ]
        return [Outgoing(several_text(found, number), buttons=buttons)]
    if not found:
        return [Outgoing(problem or "")]
    return await task_message(request, found[0])


async def task_message(request: Request, task: Task) -> list[Outgoing]:
    """The card of one task with its history, the status buttons where it may be
    updated, and how to report."""
    await names_plans(request)
    lines = [task_card(task, request)]
    pending = await status_store.pending_extension(request.session, task)
    if pending is not None and pending.until is not None:
        lines.append(
            _("Đang chờ lãnh đạo duyệt gia hạn đến {date}.").format(date=format_date(pending.until))
        )

    file_lines, file_buttons = await evidence_files.card(request, task)
    evidence = await evidence_of(request.session, task)
    if file_lines:  # the files are listed below: not again as "Tệp đính kèm: …"
        evidence = [item for item in evidence if not names_a_file(item)]
    if evidence:
        lines.append(_("Minh chứng: {items}").format(items="; ".join(evidence)))
    lines += file_lines
    rows = [u for u in await history(request.session, task) if u.kind in HISTORY_KINDS]
    if rows:
        zone = ZoneInfo(request.organization.timezone)
        lines.append(_("Lịch sử:"))
        for update in rows[-HISTORY_LINES:]:
            when = update.created_at.astimezone(zone).strftime("%d/%m/%Y %H:%M")
            who = update.person.display_name if update.person else "dondoc"
            line = f"• {when} — {who}: {history_text(update)}"
            if update.kind == "status" and update.status == "done":  # the work's own day too
                typed = update.created_at.astimezone(zone).date()
                done = completed_on(update.text or "", update.evidence or (), typed)
                if done != typed:
                    line += " " + _("(hoàn thành ngày {date})").format(date=format_date(done))
            lines.append(line)
    updatable, reports = may_update(request, task), may_report(request, task)
    if updatable and task.status in CLOSED:
        # Finished: no invitation to report, no buttons that would move it back by a tap.
        lines.append(
            _(
                "Nhiệm vụ đã xong. Nếu cần sửa, nhắn tình trạng mới (tôi sẽ hỏi lại trước khi ghi) hoặc /hoantac."
            )
            if reports  # a leader's words are notes and /hoantac undoes only their own
            else _("Nhiệm vụ đã xong. Nếu cần sửa tình trạng, nhắn /capnhat {number} nội dung.").format(
                number=task.number
            )
        )
        return [Outgoing("\n".join(lines), buttons=file_buttons, task_id=task.id)]
    if reports:
        lines.append(
            _("Để báo cáo, nhắn tình trạng, ví dụ: «Hoàn thành, QĐ số 12/QĐ-UBND ngày 09/01/2026».")
        )
    elif updatable:  # a leader's words are notes; a status is set by command
        lines.append(
            _("Để cập nhật tình trạng, nhắn /capnhat {number} nội dung.").format(number=task.number)
        )
    rows = status_buttons(task) if updatable else []
    if not reports:  # a leader decides extensions and never asks one of himself
        rows = [[b for b in row if not b.data.startswith("ext:")] for row in rows]
    buttons = rows + file_buttons
    return [Outgoing("\n".join(lines), buttons=buttons, task_id=task.id)]


def history_text(update: StatusUpdate) -> str:
    if update.kind == "extension_approved" and update.until:
        return _("Duyệt gia hạn đến {date}").format(date=format_date(update.until))
    if update.kind == "extension_rejected":
        return _("Không duyệt gia hạn") + (f": {update.reason}" if update.reason else "")
    if update.kind == "extension_withdrawn":  # handlers.extensions.withdrawal
        why = {
            "done": _("nhiệm vụ đã hoàn thành"),
            "not_applicable": _("nhiệm vụ không phát sinh"),
            "undone": _("người xin đã hoàn tác"),
            "replaced": _("có đề nghị mới thay thế"),
        }.get(update.reason or "", update.reason or "")
        said = _("Rút đề nghị gia hạn đến {date}").format(
            date=format_date(update.until) if update.until else "?"
        )
        return said + (f" ({why})" if why else "")
    if update.kind == "undo":
        return _("Hoàn tác lần cập nhật trước")
    if update.kind == "nudge":  # handlers.reminders.nudge: the leader had the officers reminded
        return _("Đề nghị nhắc lại cán bộ phụ trách: {names}").format(names=short(update.text, 120))
    if update.kind == "instruction":
        return _("Chỉ đạo (đã gửi đơn vị): {text}").format(text=short(update.text, 300))
    if update.kind == "assigned":
        return _("Giao nhiệm vụ") + (f" ({short(update.text, 120)})" if update.text else "")
    if update.kind == "appendix_text":
        return _("Nội dung ghi vào phụ lục: {text}").format(text=short(update.text, 160))
    if update.kind == "extension_request" and update.until:
        said = _("Xin gia hạn đến {date}").format(date=format_date(update.until))
        return said + (f": {update.reason}" if update.reason else "")
    # What was typed is kept whole; a leading "/capnhat 12" says nothing more here.
    text = _COMMAND_PREFIX.sub("", update.text)
    if update.kind == "note":  # words kept with the task: never read as its status
        return _("(ghi chú) {text}").format(text=short(text, 160))
    return short(text, 160) or status_label(update.status or "")


async def overdue(request: Request, args: str) -> list[Outgoing]:
    if not request.grants:
        return not_registered()
    today = request.today()
    calendar = request.services.calendar
    tasks = sorted(
        (t for t in await visible_tasks(request) if is_overdue(t, today, calendar)), key=sort_key
    )
    if not tasks:
        return [Outgoing(_("Hiện không có nhiệm vụ nào quá hạn."))]
    by_unit: dict[str, list[Task]] = defaultdict(list)
    for task in tasks:
        for unit in lead_names(task) or [task.lead_note or _("Chưa rõ đơn vị")]:
            by_unit[unit].append(task)
    lines = [_("{n} nhiệm vụ quá hạn:").format(n=len(tasks))]
    for unit, items in sorted(by_unit.items(), key=lambda kv: -len(kv[1])):
        lines.append(f"\n{unit} ({len(items)}):")
        lines.extend(f"  {task_line(t, request)}" for t in items)
    if is_leader(request.grants, request.organization.id):
        lines.append("\n" + _("Nhắc lại cán bộ phụ trách: /nhac SỐ."))
    # A button per task on Telegram opens its card; a bare reply is asked about, never guessed.
    buttons = open_buttons([Entry(t) for t in tasks], task_refs(tasks)) if request.has_buttons else []
    if not request.has_buttons:
        lines.append(_("Xem một nhiệm vụ: /viec SỐ."))
    return [Outgoing("\n".join(lines), buttons=buttons, task_ids=tuple(t.id for t in tasks))]
