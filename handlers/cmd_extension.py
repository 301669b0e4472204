"""Extension requests and decisions. An officer's request ("xin gia hạn đến 20/12",
/giahan) reaches whoever may decide (leaders and admins, never the requester) through
the outbox, with Approve / Reject buttons on Telegram and /duyet SỐ, /tuchoi SỐ
everywhere. Approval moves the due date and keeps the plan's date in ``original_due``
and in the history; the requester is told. After a decision made without words, the
leader's next text is its reason or instruction: kept with the decision and sent to
the requester (a leader's words are never an officer's report)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.choices import AWAIT_DECISION, await_next
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
DECIDERS = ("leader", "admin")  # the roles that may decide (permissions.can_decide_extension)
# A decision's notice waits this long, so the reason typed right after goes with it.
REASON_GRACE = timedelta(minutes=2)
REASON_LAPSE = timedelta(hours=2)  # a reason typed later than this is not tied to the decision


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
            Membership.organization_id == org_id, Membership.role.in_(DECIDERS)
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
    if item.kind == "extension_note":
        return _decision_note_text(row, task), []
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
            text = _("Đề nghị gia hạn nhiệm vụ {number} đã được duyệt: hạn mới {date}.").format(
                number=task.number, date=format_date(decision.until)
            )
            if decision.reason:
                text += " " + _("Chỉ đạo: {note}.").format(note=decision.reason.rstrip("."))
            return text, []
        text = _("Đề nghị gia hạn nhiệm vụ {number} «{content}» chưa được chấp thuận.").format(
            number=task.number, content=short(task.content, 70)
        )
        if decision.reason:
            text += " " + _("Lý do: {reason}.").format(reason=decision.reason.rstrip("."))
        if task.deadline_due:
            text += " " + _("Hạn vẫn là {date}.").format(date=format_date(task.deadline_due))
        return text, []
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
    if row.person_id == request.person.id:
        return [
            Outgoing(
                _(
                    "Anh/chị không tự quyết định đề nghị gia hạn của chính mình được; một lãnh đạo khác sẽ xem xét."
                )
            )
        ]
    if approve and task.status in ("done", "not_applicable"):
        return [
            Outgoing(
                _("Nhiệm vụ {number} đã hoàn thành nên không cần gia hạn.").format(
                    number=task.number
                )
            )
        ]
    if approve and row.until is not None and row.until < request.today():
        return [
            Outgoing(
                _(
                    "Ngày xin gia hạn {date} đã qua nên không duyệt được; vui lòng nhắn /tuchoi {number} và đề nghị gửi lại với ngày mới."
                ).format(date=format_date(row.until), number=task.number)
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
        decision = await status_store.record(
            request.session,
            task,
            request.person,
            kind="extension_approved",
            text=note or N_("Duyệt gia hạn"),  # kept in the history: Vietnamese
            reason=note or None,
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
        decision = await status_store.record(
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
    when = notice_time(request)
    if not note:
        answer += " " + (
            _(
                "Anh/chị nhắn lý do hoặc chỉ đạo trong tin tiếp theo; tôi sẽ ghi kèm quyết định và chuyển cho người đề nghị."
            )
        )
        await await_next(
            request.session,
            request.person.id,
            request.incoming.channel,
            f"{AWAIT_DECISION}{decision.id}",
            request.now,
        )
        when = max(when, request.now + REASON_GRACE)
    if row.person_id is not None:
        await upsert(
            request.session,
            [Owed(org_id, task.id, "extension_decision", str(row.id), row.person_id, when)],
        )
    return [Outgoing(answer, task_id=task.id)]


async def decision_note(request: Request, row_id: str, text: str) -> list[Outgoing]:
    """A leader's text right after a decision: its reason or instruction. Kept with the
    decision and sent to the requester; never a status of the task."""
    decision = await request.session.get(StatusUpdate, int(row_id)) if row_id.isdigit() else None
    task = await get_task(request.session, decision.task_id) if decision else None
    if (
        decision is None
        or task is None
        or decision.kind not in status_store.DECIDED
        or decision.person_id != request.person.id
        or request.now - decision.created_at > REASON_LAPSE
    ):
        return [
            Outgoing(_("Tôi chưa rõ nội dung này dành cho quyết định nào; chưa có gì được ghi."))
        ]
    decision.reason = f"{decision.reason}; {text}" if decision.reason else text
    decision.text = decision.reason
    request_row = await _request_before(request.session, decision)
    if request_row is not None and request_row.person_id is not None:
        notice = await request.session.scalar(
            select(OutboxItem).where(
                OutboxItem.key
                == Owed(
                    0,
                    task.id,
                    "extension_decision",
                    str(request_row.id),
                    request_row.person_id,
                    request.now,
                ).key
            )
        )
        if notice is None or notice.state != "pending":
            # The decision already went out: the words follow in a notice of their own.
            await upsert(
                request.session,
                [
                    Owed(
                        task.plan.organization_id,
                        task.id,
                        "extension_note",
                        str(decision.id),
                        request_row.person_id,
                        notice_time(request),
                    )
                ],
            )
    return [
        Outgoing(
            _(
                "Đã ghi kèm quyết định về nhiệm vụ {number} và sẽ chuyển cho người đề nghị: «{text}»."
            ).format(number=task.number, text=short(text, 200)),
            task_id=task.id,
        )
    ]


async def _request_before(session: AsyncSession, decision: StatusUpdate) -> StatusUpdate | None:
    return await session.scalar(
        select(StatusUpdate)
        .where(
            StatusUpdate.task_id == decision.task_id,
            StatusUpdate.kind == "extension_request",
            StatusUpdate.id < decision.id,
        )
        .order_by(StatusUpdate.id.desc())
        .limit(1)
    )


def _decision_note_text(decision: StatusUpdate, task: Task) -> str:
    text = _("Lãnh đạo ghi thêm về đề nghị gia hạn nhiệm vụ {number} «{content}»: {note}.").format(
        number=task.number,
        content=short(task.content, 70),
        note=(decision.reason or "").rstrip("."),
    )
    if decision.kind == "extension_rejected" and task.deadline_due:
        text += " " + _("Hạn vẫn là {date}.").format(date=format_date(task.deadline_due))
    return text


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
