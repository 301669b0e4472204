"""The notices of extension requests that travel through the outbox, composed at send
time: the request to each leader (with Approve / Reject buttons on Telegram, the
commands elsewhere), the decision and the leader's words to the requester, and the
brief line that a request a leader was shown has been withdrawn."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.context import Request
from handlers.messages import Button
from handlers.short_text import short
from language.formats import format_date
from locales import _
from models import extension_store, status_store
from models.outbox import CANCELLED, PENDING, SENT, OutboxItem, Owed, upsert
from models.people import Membership, Person
from models.plans import StatusUpdate, Task
from models.queries import get_task
from scheduler.reminder_policy import next_send_moment

DECIDERS = ("leader", "admin")  # the roles that may decide (permissions.can_decide_extension)
WITHDRAWN_NOTICE = "extension_withdrawn"  # the outbox kind of a withdrawal's notice
NOTICE_KINDS = ("extension_request", "extension_decision", "extension_note", WITHDRAWN_NOTICE)
_CHAIN = 5  # how many replaced requests a notice looks back through


def button_label(action: str, number: str) -> str:
    """ "Duyệt NV 6": a decision's button names its task (several may share a message)."""
    return _("{action} NV {number}").format(action=action, number=number)


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
    owed = [
        Owed(org_id, task.id, "extension_request", str(request_row.id), p, now)
        for p in await _deciders(session, org_id)
        if p != request_row.person_id
    ]
    return await upsert(session, owed)


async def _deciders(session: AsyncSession, organization_id: int) -> set[int]:
    return set(
        await session.scalars(
            select(Membership.person_id).where(
                Membership.organization_id == organization_id, Membership.role.in_(DECIDERS)
            )
        )
    )


async def cancel_unsent(session: AsyncSession, request_row: StatusUpdate) -> None:
    """A request that no longer stands is not shown to leaders who have not seen it yet."""
    await session.execute(
        update(OutboxItem)
        .where(
            OutboxItem.task_id == request_row.task_id,
            OutboxItem.kind == extension_store.NOTICE,
            OutboxItem.occurrence == str(request_row.id),
            OutboxItem.state == PENDING,
        )
        .values(state=CANCELLED)
    )


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
        return await _decision_text(session, row, task), []
    if item.kind == WITHDRAWN_NOTICE:
        return await _withdrawn_text(session, row, task, item.recipient_id), []
    pending = await status_store.pending_extension(session, task)
    if pending is None or pending.id != row.id:
        return "", []  # decided by another leader, withdrawn or replaced meanwhile
    return await _request_text(session, row, task, item.recipient_id, has_buttons=has_buttons)


async def _request_text(
    session: AsyncSession, row: StatusUpdate, task: Task, leader_id: int, *, has_buttons: bool
) -> tuple[str, list[list[Button]]]:
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
    earlier = await _replaced_seen(session, row, leader_id)
    if earlier is not None and earlier.until is not None:
        text += " " + _("Đề nghị này thay cho đề nghị trước (đến {date}).").format(
            date=format_date(earlier.until)
        )
    buttons = [  # named: several notices may go out as one message
        [
            Button(button_label(_("Duyệt"), task.number), f"extok:{row.id}"),
            Button(button_label(_("Từ chối"), task.number), f"extno:{row.id}"),
        ]
    ]
    if not has_buttons:
        text += "\n" + _(
            "Nhắn /duyet {number} để duyệt hoặc /tuchoi {number} lý do để từ chối."
        ).format(number=task.number)
    return text, buttons


async def _replaced_seen(
    session: AsyncSession, row: StatusUpdate, leader_id: int
) -> StatusUpdate | None:
    """The earlier request ``row`` replaced that this leader was shown, if any."""
    current = row
    for _step in range(_CHAIN):
        withdrawal = await session.scalar(
            select(StatusUpdate)
            .where(
                StatusUpdate.task_id == row.task_id,
                StatusUpdate.kind == status_store.WITHDRAWN,
                StatusUpdate.reason == "replaced",
                StatusUpdate.id > current.id,
            )
            .order_by(StatusUpdate.id)
            .limit(1)
        )
        target = status_store.withdrawn_target(withdrawal) if withdrawal else None
        earlier = await session.get(StatusUpdate, target) if target else None
        if earlier is None or earlier.id >= current.id:
            return None
        if await extension_store.got_notice(session, earlier.id, leader_id):
            return earlier
        current = earlier
    return None


async def _decision_text(session: AsyncSession, row: StatusUpdate, task: Task) -> str:
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
        return ""
    if decision.kind == "extension_approved":
        text = _("Đề nghị gia hạn nhiệm vụ {number} đã được duyệt: hạn mới {date}.").format(
            number=task.number, date=format_date(decision.until)
        )
        if decision.reason:
            text += " " + _("Chỉ đạo: {note}.").format(note=decision.reason.rstrip("."))
        return text
    text = _("Đề nghị gia hạn nhiệm vụ {number} «{content}» chưa được chấp thuận.").format(
        number=task.number, content=short(task.content, 70)
    )
    if decision.reason:
        text += " " + _("Lý do: {reason}.").format(reason=decision.reason.rstrip("."))
    if task.deadline_due:
        text += " " + _("Hạn vẫn là {date}.").format(date=format_date(task.deadline_due))
    return text


def withdrawal_cause(cause: str | None) -> str:
    """Why a request was withdrawn, in words."""
    return {
        "done": _("nhiệm vụ đã được ghi nhận hoàn thành"),
        "not_applicable": _("nhiệm vụ được ghi là không phát sinh"),
        "undone": _("người đề nghị không xin gia hạn nữa"),
        "replaced": _("người đề nghị đã gửi đề nghị mới thay thế"),
    }.get(cause or "", _("đề nghị không còn hiệu lực"))


async def _withdrawn_text(
    session: AsyncSession, withdrawal: StatusUpdate, task: Task, leader_id: int
) -> str:
    target = status_store.withdrawn_target(withdrawal)
    request = await session.get(StatusUpdate, target) if target else None
    if request is not None and not await extension_store.got_notice(session, request.id, leader_id):
        request = await _replaced_seen(session, request, leader_id) or request  # what they saw
    person = await session.get(Person, request.person_id) if request and request.person_id else None
    until = request.until if request is not None else withdrawal.until
    return _(
        "Đề nghị gia hạn nhiệm vụ {number} «{content}» đến {until} của {who} đã được rút lại: {why}. Anh/chị không cần xem xét nữa."
    ).format(
        number=task.number,
        content=short(task.content, 70),
        until=format_date(until) if until else "?",
        who=person.display_name if person else "?",
        why=withdrawal_cause(withdrawal.reason),
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


async def queue_withdrawn_notices(
    session: AsyncSession,
    task: Task,
    request_row: StatusUpdate,
    withdrawal: StatusUpdate,
    when: datetime,
) -> int:
    """Tell the leaders who were shown ``request_row`` (or a request it replaced) that it
    was withdrawn, once each; the ones who were not shown it yet never will be."""
    org_id = task.plan.organization_id
    shown = {
        n.recipient_id
        for n in await extension_store.request_notices(session, request_row)
        if n.state == SENT
    }
    seen = [
        p
        for p in sorted(await _deciders(session, org_id))
        if p in shown or await _replaced_seen(session, request_row, p) is not None
    ]
    await cancel_unsent(session, request_row)
    owed = [Owed(org_id, task.id, WITHDRAWN_NOTICE, str(withdrawal.id), p, when) for p in seen]
    return await upsert(session, owed)
