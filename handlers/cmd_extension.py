"""Extension requests and decisions. An officer's request ("xin gia hạn đến 20/12",
/giahan) reaches the leaders through the outbox, with Approve / Reject buttons on
Telegram and /duyet SỐ, /tuchoi SỐ everywhere. Approval moves the due date and keeps
the plan's date in ``original_due`` and in the history; the requester is told."""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.cmd_register import not_registered
from handlers.cmd_tasks import short
from handlers.context import Request
from handlers.messages import Button, Outgoing
from handlers.permissions import can_decide_extension
from handlers.task_access import task_by_number
from handlers.task_view import format_date
from locales import N_, _
from models import status_store
from models.outbox import OutboxItem, Owed, upsert
from models.people import Membership, Person
from models.plans import StatusUpdate, Task
from models.queries import get_task
from scheduler.planner import replan_task
from scheduler.reminder_policy import next_send_moment

_MORE = re.compile(r"\bth[eê]m\b", re.IGNORECASE)


def check_extension(
    due: date | None, status: str, until: date | None, text: str, today: date
) -> tuple[date | None, str | None]:
    """The date an extension request really asks for, or why it cannot be sent.

    "thêm 10 ngày" counts from the current deadline, not from today."""
    if status in ("done", "not_applicable"):
        return None, _("Nhiệm vụ này đã hoàn thành nên không cần gia hạn.")
    if until is None:
        return None, _(
            "Tôi chưa đọc được ngày xin gia hạn. Ví dụ: «Xin gia hạn đến 20/12 vì chờ kinh phí»."
        )
    if due is not None and _MORE.search(text) and until > today:
        until = due + (until - today)
    if (until - today).days > 180 and not re.search(
        rf"\b0?{until.day}[/.-]0?{until.month}[/.-]\d{{2,4}}\b", text
    ):
        # "đến 2/1" written in January of the plan year means a day that has passed, not next year.
        return None, _(
            "Ngày xin gia hạn {date} còn hơn 6 tháng nữa; nếu đúng, vui lòng ghi rõ cả năm, ví dụ {date}."
        ).format(date=format_date(until))
    if until <= today:
        return None, _("Ngày xin gia hạn {date} đã qua; vui lòng ghi một ngày sắp tới.").format(
            date=format_date(until)
        )
    if due is not None and until <= due:
        return None, _("Ngày xin gia hạn {date} phải sau hạn hiện tại {due}.").format(
            date=format_date(until), due=format_date(due)
        )
    return until, None


def notice_time(request: Request) -> datetime:
    """Notices people cause go out at once, but never at night or on a day off."""
    services = request.services
    org = request.organization
    zone = org.timezone if org is not None else services.timezone
    return next_send_moment(request.now, services.planning.reminders, services.calendar, zone)


async def notify_leaders(
    session: AsyncSession, task: Task, request_row: StatusUpdate, now: datetime
) -> int:
    """Queue the request for every leader of the task's organization, to go at ``now``."""
    org_id = task.plan.organization_id
    leaders = await session.scalars(
        select(Membership.person_id).where(
            Membership.organization_id == org_id, Membership.role == "leader"
        )
    )
    owed = [
        Owed(org_id, task.id, "extension_request", str(request_row.id), p, now)
        for p in set(leaders)
        if p != request_row.person_id
    ]
    return await upsert(session, owed)


async def extension_notice(
    session: AsyncSession, item: OutboxItem, *, has_buttons: bool
) -> tuple[str, list[list[Button]]]:
    row = (
        await session.get(StatusUpdate, int(item.occurrence)) if item.occurrence.isdigit() else None
    )
    task = await get_task(session, item.task_id) if item.task_id else None
    if row is None or task is None:
        return "", []
    if item.kind == "extension_decision":
        decision = await session.scalar(
            select(StatusUpdate)
            .where(
                StatusUpdate.task_id == task.id,
                StatusUpdate.kind.in_(status_store.DECIDED),
                StatusUpdate.id > row.id,
            )
            .order_by(StatusUpdate.id)
            .limit(1)
        )
        if decision is None:
            return "", []
        if decision.kind == "extension_approved":
            return _("Đề nghị gia hạn nhiệm vụ {number} đã được duyệt: hạn mới {date}.").format(
                number=task.number, date=format_date(decision.until)
            ), []
        reason = f" {_('Lý do')}: {decision.reason}." if decision.reason else ""
        return _("Đề nghị gia hạn nhiệm vụ {number} chưa được chấp thuận.").format(
            number=task.number
        ) + reason, []
    if await status_store.pending_extension(session, task) is None:
        return "", []  # already decided by another leader
    person = await session.get(Person, row.person_id) if row.person_id else None
    who = person.display_name if person else "?"
    until = format_date(row.until) if row.until else "?"
    text = _("{who} xin gia hạn nhiệm vụ {number} «{content}» đến {until}.").format(
        who=who, number=task.number, content=short(task.content, 80), until=until
    )
    if row.reason:
        text += " " + _("Lý do: {reason}.").format(reason=row.reason.rstrip("."))
    if task.deadline_due:
        text += " " + _("Hạn hiện tại: {date}.").format(date=format_date(task.deadline_due))
    buttons = [[Button(_("Duyệt"), f"extok:{row.id}"), Button(_("Từ chối"), f"extno:{row.id}")]]
    if not has_buttons:
        text += "\n" + _(
            "Nhắn /duyet {number} để duyệt hoặc /tuchoi {number} lý do để từ chối."
        ).format(number=task.number)
    return text, buttons


async def decide(request: Request, task: Task, approve: bool, note: str) -> list[Outgoing]:
    org_id = task.plan.organization_id
    if not can_decide_extension(request.grants, org_id):
        return [Outgoing(_("Chỉ lãnh đạo mới duyệt được đề nghị gia hạn."))]
    row = await status_store.pending_extension(request.session, task)
    if row is None:
        return [
            Outgoing(
                _("Nhiệm vụ {number} không có đề nghị gia hạn nào đang chờ.").format(
                    number=task.number
                )
            )
        ]
    if approve:
        if row.until is None:
            return [
                Outgoing(
                    _(
                        "Đề nghị không ghi ngày gia hạn; vui lòng nhắn /tuchoi {number} và đề nghị gửi lại kèm ngày."
                    ).format(number=task.number)
                )
            ]
        task.original_due = task.original_due or task.deadline_due
        task.deadline_due = row.until
        await status_store.record(
            request.session,
            task,
            request.person,
            kind="extension_approved",
            text=note or N_("Duyệt gia hạn"),  # kept in the history: Vietnamese
            until=row.until,
            now=request.now,
            channel=request.incoming.channel,
        )
        services = request.services
        await replan_task(request.session, task, request.now, services.planning, services.calendar)
        answer = _("Đã duyệt gia hạn nhiệm vụ {number} đến {date} (hạn cũ {old}).").format(
            number=task.number,
            date=format_date(row.until),
            old=format_date(task.original_due) if task.original_due else "—",
        )
    else:
        await status_store.record(
            request.session,
            task,
            request.person,
            kind="extension_rejected",
            text=note or N_("Không duyệt gia hạn"),
            reason=note or None,
            now=request.now,
            channel=request.incoming.channel,
        )
        answer = _("Đã từ chối đề nghị gia hạn nhiệm vụ {number}.").format(number=task.number)
    if row.person_id is not None:
        await upsert(
            request.session,
            [
                Owed(
                    org_id,
                    task.id,
                    "extension_decision",
                    str(row.id),
                    row.person_id,
                    notice_time(request),
                )
            ],
        )
    return [Outgoing(answer, task_id=task.id)]


async def _by_number(request: Request, args: str, approve: bool) -> list[Outgoing]:
    if not request.grants:
        return not_registered()
    parts = args.split(maxsplit=1)
    if not parts:
        usage = _("Cách dùng: /duyet SỐ") if approve else _("Cách dùng: /tuchoi SỐ lý do")
        return [Outgoing(usage)]
    task, problem = await task_by_number(request, parts[0])
    if task is None:
        return [Outgoing(problem or "")]
    return await decide(request, task, approve, parts[1] if len(parts) > 1 else "")


async def approve_command(request: Request, args: str) -> list[Outgoing]:
    return await _by_number(request, args, True)


async def reject_command(request: Request, args: str) -> list[Outgoing]:
    return await _by_number(request, args, False)


async def button(request: Request, kind: str, row_id: str) -> list[Outgoing]:
    row = await request.session.get(StatusUpdate, int(row_id)) if row_id.isdigit() else None
    task = await get_task(request.session, row.task_id) if row else None
    if task is None:
        return [Outgoing(_("Nút này không còn dùng được."))]
    out = await decide(request, task, kind == "extok", "")
    out[0].edit = True
    return out
