"""Extension decisions. An officer's request ("xin gia hạn đến 20/12", /giahan) reaches
whoever may decide (leaders and admins, never the requester) through the outbox
(``extension_notices``), with Approve / Reject buttons on Telegram and /duyet SỐ,
/tuchoi SỐ everywhere; /duyet alone lists what waits (``extension_list``). Approval
moves the due date and keeps the plan's date in ``original_due`` and in the history;
the requester is told. After a decision made without words, the leader's next text is
its reason or instruction: kept with the decision and sent to the requester (a
leader's words are never an officer's report). A button of a request that was
withdrawn, replaced or already decided says so and decides nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.choices import AWAIT_DECISION, await_next
from handlers.context import Request
from handlers.extensions import pending
from handlers.extensions.notices import cancel_unsent, notice_time, withdrawal_cause
from handlers.guards import not_registered
from handlers.messages import Outgoing
from handlers.permissions import can_decide_extension
from handlers.short_text import short
from handlers.tasks.access import task_by_number
from language.extension_dates import day_off_line
from language.formats import format_date
from locales import N_, _
from models import extension_store, status_store
from models.outbox import OutboxItem, Owed, upsert
from models.people import Person
from models.plans import StatusUpdate, Task
from models.queries import get_task
from scheduler.planner import replan_task

# A decision's notice waits this long, so the reason typed right after goes with it.
REASON_GRACE = timedelta(minutes=2)
REASON_LAPSE = timedelta(hours=2)  # a reason typed later than this is not tied to the decision


async def _no_longer(request: Request, task: Task, row: StatusUpdate | None) -> str:
    """Why there is nothing to decide: ``row`` (the request a button named) was closed,
    or no request of ``task`` waits."""
    closed = await extension_store.fate(request.session, row) if row is not None else None
    until = format_date(row.until) if row is not None and row.until else "?"
    if closed is not None and closed.kind == status_store.WITHDRAWN and closed.reason != "replaced":
        return _(
            "Đề nghị gia hạn nhiệm vụ {number} đến {date} đã được rút lại ({why}) nên không cần quyết định nữa."
        ).format(number=task.number, date=until, why=withdrawal_cause(closed.reason))
    if closed is not None and closed.kind in status_store.DECIDED:
        person = await request.session.get(Person, closed.person_id) if closed.person_id else None
        return (
            _("Đề nghị gia hạn nhiệm vụ {number} đến {date} đã được {who} duyệt.")
            if closed.kind == "extension_approved"
            else _("Đề nghị gia hạn nhiệm vụ {number} đến {date} đã được {who} từ chối.")
        ).format(number=task.number, date=until, who=person.display_name if person else "?")
    if closed is not None:  # a newer request
        return _(
            "Đề nghị gia hạn nhiệm vụ {number} đến {date} đã được thay bằng đề nghị mới; nhắn /duyet để xem các đề nghị đang chờ."
        ).format(number=task.number, date=until)
    if row is not None and row.kind == status_store.REQUEST:
        return _("Người đề nghị đã hoàn tác đề nghị gia hạn nhiệm vụ {number}.").format(
            number=task.number
        )
    if task.status in ("done", "not_applicable"):
        return _(
            "Nhiệm vụ {number} đã hoàn thành nên không cần gia hạn; không có đề nghị nào đang chờ."
        ).format(number=task.number)
    return _("Nhiệm vụ {number} không có đề nghị gia hạn nào đang chờ.").format(number=task.number)


async def decide(
    request: Request,
    task: Task,
    approve: bool,
    note: str,
    *,
    named: StatusUpdate | None = None,
) -> list[Outgoing]:
    """Approve or reject the request of ``task`` that waits; ``named``: the request a
    button was for, decided only if it is still the one that waits."""
    org_id = task.plan.organization_id
    if not can_decide_extension(request.grants, org_id):
        return [Outgoing(_("Chỉ lãnh đạo mới duyệt được đề nghị gia hạn."))]
    row = await status_store.pending_extension(request.session, task)
    if row is None and named is None and note:
        # "/tuchoi 6 lý do" again after a decision made without words: the words of it
        own = await _own_wordless(request, task, approve)
        if own is not None:
            return await decision_note(request, str(own.id), note)
    if row is None or (named is not None and named.id != row.id):
        return [Outgoing(await _no_longer(request, task, named), task_id=task.id)]
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
        if off := day_off_line(row.until, services.calendar.deadline_end(row.until)):
            answer += " " + off
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
    await cancel_unsent(request.session, row)  # leaders not shown it yet need not be
    when = notice_time(request)
    if not note:
        answer += " " + (
            _(
                "Nếu cần, anh/chị nhắn chỉ đạo kèm theo trong tin tiếp theo (không bắt buộc); tôi sẽ chuyển cho người đề nghị cùng quyết định."
            )
            if approve
            else _(
                "Anh/chị nhắn lý do từ chối trong tin tiếp theo; tôi sẽ ghi kèm quyết định và chuyển cho người đề nghị."
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
        if notice is not None and notice.state == "pending":
            # The words are in: the decision need not wait out the grace for them.
            notice.send_at = min(notice.send_at, notice_time(request))
        else:
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


async def _own_wordless(request: Request, task: Task, approve: bool) -> StatusUpdate | None:
    """This leader's latest decision on ``task`` of that kind, if it is recent and was
    made without words (its reason can still be added)."""
    kind = "extension_approved" if approve else "extension_rejected"
    decision = await request.session.scalar(
        select(StatusUpdate)
        .where(StatusUpdate.task_id == task.id, StatusUpdate.kind.in_(status_store.DECIDED))
        .order_by(StatusUpdate.id.desc())
        .limit(1)
    )
    if (
        decision is None
        or decision.kind != kind
        or decision.person_id != request.person.id
        or decision.reason
        or request.now - decision.created_at > REASON_LAPSE
    ):
        return None
    return decision


async def reason_left(request: Request, row_id: str) -> list[Outgoing]:
    """A command or a button came where the reason of a rejection was asked for: say
    how to give it later, so the requester does not get a refusal without a why."""
    decision = await request.session.get(StatusUpdate, int(row_id)) if row_id.isdigit() else None
    if decision is None or decision.kind != "extension_rejected" or decision.reason:
        return []
    task = await get_task(request.session, decision.task_id)
    if task is None:
        return []
    return [
        Outgoing(
            _(
                "Lưu ý: quyết định từ chối gia hạn nhiệm vụ {number} chưa có lý do. Khi cần, anh/chị nhắn /tuchoi {number} kèm lý do; tôi sẽ ghi kèm quyết định và chuyển cho người đề nghị."
            ).format(number=task.number)
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


async def _by_number(request: Request, args: str, approve: bool) -> list[Outgoing]:
    if not request.grants:
        return not_registered()
    parts = args.split(maxsplit=1)
    if not parts:  # /duyet alone: what waits
        return await pending.pending_list(request)
    task, problem = await task_by_number(request, parts[0])
    if task is None:
        return [Outgoing(problem or "")]
    return await decide(request, task, approve, parts[1] if len(parts) > 1 else "")


async def approve_command(request: Request, args: str) -> list[Outgoing]:
    return await _by_number(request, args, True)


async def reject_command(request: Request, args: str) -> list[Outgoing]:
    return await _by_number(request, args, False)


async def button(request: Request, kind: str, rest: str) -> list[Outgoing]:
    """Approve / Reject pressed (or its numbered choice): on a request's notice the
    answer replaces that message; in the /duyet list it comes apart, the list stays."""
    row_id, _sep, where = rest.partition(":")
    row = await request.session.get(StatusUpdate, int(row_id)) if row_id.isdigit() else None
    task = await get_task(request.session, row.task_id) if row else None
    if row is None or task is None or row.kind != status_store.REQUEST:
        return [Outgoing(_("Nút này không còn dùng được."))]
    out = await decide(request, task, kind == "extok", "", named=row)
    out[0].edit = where != pending.FROM_LIST
    return out
