"""Requests that no longer stand are withdrawn: when the task is recorded done (or not
applicable), when the officer undoes the request, and when a new request for the same
task replaces it. The request row stays; a withdrawal row says so. The leaders who were
shown the request are told once, briefly, why (a replacement says it in the new
request's notice instead); the ones not shown it yet never are. A request repeated
with the same date is not sent again."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from handlers.context import Request
from handlers.extensions.notices import cancel_unsent, notice_time, queue_withdrawn_notices
from language.formats import format_date, format_moment
from locales import _
from models import extension_store, status_store
from models.plans import StatusUpdate, Task

CLOSING_STATUSES = ("done", "not_applicable")


async def withdraw(request: Request, task: Task, row: StatusUpdate, cause: str) -> StatusUpdate:
    """Mark ``row`` withdrawn for ``cause`` and tell the leaders who saw it."""
    withdrawal = await extension_store.record_withdrawal(
        request.session,
        task,
        row,
        request.person,
        cause=cause,
        now=request.now,
        channel=request.incoming.channel,
    )
    if cause == "replaced":  # the new request's notice says it replaces this one
        await cancel_unsent(request.session, row)
    else:
        await queue_withdrawn_notices(request.session, task, row, withdrawal, notice_time(request))
    return withdrawal


async def after_status(request: Request, task: Task) -> str:
    """After a status is recorded: a request pending on a task now closed is withdrawn.
    Returns the line to add to the officer's answer ("" when nothing was pending)."""
    if task.status not in CLOSING_STATUSES:
        return ""
    row = await status_store.pending_extension(request.session, task)
    if row is None:
        return ""
    await withdraw(request, task, row, task.status)
    return _("Đề nghị gia hạn đến {date} đang chờ duyệt đã được rút lại.").format(
        date=format_date(row.until) if row.until else "?"
    )


async def after_request(request: Request, task: Task, new: StatusUpdate) -> StatusUpdate | None:
    """After a new request is recorded: the one it replaces (withdrawn), if any."""
    earlier = await status_store.pending_extension(request.session, task, ignoring=new.id)
    if earlier is not None:
        await withdraw(request, task, earlier, "replaced")
    return earlier


async def before_undo(request: Request, task: Task, update: StatusUpdate) -> str:
    """Before ``update`` is undone: if it is the pending request, it is withdrawn.
    Returns the line to add to the answer."""
    if update.kind != status_store.REQUEST:
        return ""
    row = await status_store.pending_extension(request.session, task)
    if row is None or row.id != update.id:
        return ""
    await withdraw(request, task, row, "undone")
    return _("Đề nghị gia hạn đã được rút lại.")


async def repeated(request: Request, task: Task, until: date | None) -> str | None:
    """The line for a request repeating the pending one (same date), else None: it is
    kept as a note and the leaders get no second notice."""
    row = await status_store.pending_extension(request.session, task)
    if row is None or until is None or row.until != until:
        return None
    org = request.organization
    zone = ZoneInfo(org.timezone if org is not None else request.services.timezone)
    return _(
        "Đề nghị gia hạn nhiệm vụ {number} đến {date} đã được gửi lúc {when} và đang chờ lãnh đạo xem xét; tôi không gửi lại."
    ).format(
        number=task.number,
        date=format_date(until),
        when=format_moment(row.created_at.astimezone(zone)),
    )
