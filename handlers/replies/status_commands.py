"""Reporting on a task by command or tap: /capnhat SỐ nội dung, the status buttons
(``st:``, ``ext:``), /giahan, /hoantac and the undo button (one 2-day rule for both).
Free text is ``handlers.replies.free_text``; recording is
``handlers.replies.recording``."""

from __future__ import annotations

import re
from datetime import timedelta

from handlers.choices import AWAIT_EXTENSION, await_next
from handlers.context import Request
from handlers.extensions import withdrawal as extension_withdrawal
from handlers.guards import not_registered
from handlers.messages import MAX_REPLY, Outgoing, small_id
from handlers.replies.recording import BUTTON, COMMAND, answer, choices_text, record_reading
from handlers.replies.rules import RECORD
from handlers.tasks.access import may_update, task_by_number
from handlers.tasks.view import status_label
from language.status_text import StatusReading, understand_status
from locales import _
from models import status_store
from models.plans import StatusUpdate
from models.queries import get_task
from scheduler.planner import replan_task

UNDO_WINDOW = timedelta(days=2)
_STATUS_FROM_BUTTON = {"done", "in_progress", "not_started"}
UNDOABLE = ("status", "note", "extension_request")


_UPDATE_ARGS = re.compile(r"^(\S+)\s*[:,.-]?\s*(.*)$", re.DOTALL)


async def update_command(request: Request, args: str) -> list[Outgoing]:
    if not request.grants:
        return not_registered()
    match = _UPDATE_ARGS.match(args.strip())
    if not match or not match.group(2).strip():
        return [
            Outgoing(
                _(
                    "Cách dùng: /capnhat SỐ nội dung, ví dụ: /capnhat 12 Hoàn thành, QĐ số 12/QĐ-UBND ngày 09/01/2026"
                )
            )
        ]
    task, problem = await task_by_number(request, match.group(1))
    if task is None:
        return [Outgoing(problem or "")]
    reading = understand_status(match.group(2).strip()[:MAX_REPLY], request.today())
    result = await record_reading(request, task, reading, via=COMMAND)
    return answer([result], choices=choices_text())


async def extension_command(request: Request, args: str) -> list[Outgoing]:
    if not request.grants:
        return not_registered()
    parts = args.split(maxsplit=1)
    if len(parts) < 2:
        return [
            Outgoing(
                _(
                    "Cách dùng: /giahan số nhiệm vụ, ngày mới và lý do, ví dụ: /giahan 12 20/12 chờ kinh phí"
                )
            )
        ]
    task, problem = await task_by_number(request, parts[0])
    if task is None:
        return [Outgoing(problem or "")]
    rest = parts[1]
    reading = understand_status(f"xin gia hạn đến {rest}", request.today())
    if reading.status != "extension" or reading.until is None:
        return [
            Outgoing(
                _(
                    "Tôi chưa đọc được ngày xin gia hạn trong «{text}». Ví dụ: /giahan 12 20/12 chờ kinh phí"
                ).format(text=rest)
            )
        ]
    reading = StatusReading(
        "extension", None, reading.reason, reading.evidence, reading.until, request.incoming.text
    )
    result = await record_reading(request, task, reading, via=COMMAND)
    return answer([result], choices=choices_text())


async def undo_command(request: Request, args: str) -> list[Outgoing]:
    if not request.grants:
        return not_registered()
    update = await status_store.last_undoable(request.session, request.person)
    if update is None or request.now - update.created_at > UNDO_WINDOW:
        return [Outgoing(_("Không có cập nhật nào gần đây để hoàn tác."))]
    return await _undo(request, update)


async def _undo(request: Request, update: StatusUpdate) -> list[Outgoing]:
    task = await get_task(request.session, update.task_id)
    if task is None or update.person_id != request.person.id:
        return [Outgoing(_("Chỉ người đã cập nhật mới hoàn tác được."))]
    if update.kind not in UNDOABLE or request.now - update.created_at > UNDO_WINDOW:
        return [Outgoing(_("Chỉ hoàn tác được cập nhật trong vòng 2 ngày."))]
    if update.id in await status_store.undone_ids(request.session, task):
        return [Outgoing(_("Cập nhật này đã được hoàn tác rồi."))]
    withdrawn = await extension_withdrawal.before_undo(request, task, update)
    before = status_label(task.status, task.percent)
    await status_store.undo(
        request.session,
        task,
        update,
        request.person,
        now=request.now,
        channel=request.incoming.channel,
    )
    await replan_task(
        request.session, task, request.now, request.services.planning, request.services.calendar
    )
    after = status_label(task.status, task.percent)
    text = undo_text(task.number, update.kind, before, after, task.status_row is not None, withdrawn)
    return [Outgoing(text, task_id=task.id, edit=True)]


def undo_text(
    number: str, kind: str, before: str, after: str, reported: bool, withdrawn: str = ""
) -> str:
    """What an undo says: what it did (``withdrawn``: the request taken back), then where
    the task stands now, in words that fit what was undone. "trở lại: Chưa thực hiện"
    after undoing a "Chưa thực hiện" read as if nothing had happened, so a task left
    with no report says so, and one whose status did not move says it still stands
    from the report before."""
    head = _("Đã hoàn tác ghi chú vừa rồi.") if kind == "note" else _("Đã hoàn tác.")
    if not reported:
        tail = _("Nhiệm vụ {number} chưa có báo cáo nào.")
    elif after != before:
        tail = _("Nhiệm vụ {number} trở lại: {status}.")
    elif kind == "status":
        tail = _("Nhiệm vụ {number} vẫn ghi «{status}» theo báo cáo trước.")
    else:
        tail = _("Nhiệm vụ {number} vẫn ghi «{status}».")
    return " ".join(part for part in (head, withdrawn, tail.format(number=number, status=after)) if part)


async def undo_button(request: Request, kind: str, rest: str) -> list[Outgoing]:
    """"Hoàn tác" under a recorded update (``undo:ROW``)."""
    row_id = small_id(rest)
    update = await request.session.get(StatusUpdate, row_id) if row_id else None
    if update is None:
        return [Outgoing(_("Không tìm thấy cập nhật cần hoàn tác."))]
    return await _undo(request, update)


async def status_button(request: Request, kind: str, rest: str) -> list[Outgoing]:
    """A task's status buttons: ``st:TASK:done|in_progress|not_started`` and
    ``ext:TASK`` (which asks for the date and reason next)."""
    task_id, _sep, status = rest.partition(":")
    task_key = small_id(task_id)
    task = await get_task(request.session, task_key) if task_key else None
    if task is None or not may_update(request, task):
        return [Outgoing(_("Anh/chị không cập nhật được nhiệm vụ này."))]
    if kind == "ext":
        await await_next(
            request.session,
            request.person.id,
            request.incoming.channel,
            f"{AWAIT_EXTENSION}{task.id}",
            request.now,
        )
        return [
            Outgoing(
                _(
                    "Nhiệm vụ {number}: anh/chị trả lời tin này với ngày xin gia hạn và lý do, ví dụ «Xin gia hạn đến 20/12 vì chờ kinh phí»."
                ).format(number=task.number),
                task_id=task.id,
            )
        ]
    if kind != "st" or status not in _STATUS_FROM_BUTTON:
        return [Outgoing(_("Nút này không còn dùng được. Nhắn /viec để xem lại nhiệm vụ."))]
    label = status_label(status)
    reading = StatusReading(status, 100 if status == "done" else None, None, (), None, label)
    result = await record_reading(request, task, reading, via=BUTTON)
    out = answer([result], choices=choices_text())
    if result.kind != RECORD or result.product is not None:
        return out  # the product was asked for already: one question, not two
    follow = {
        "done": _(
            "Nếu có văn bản minh chứng, anh/chị trả lời tin này với số văn bản (ví dụ «QĐ số 12/QĐ-UBND ngày 09/01/2026»)."
        ),
        "in_progress": _("Anh/chị có thể trả lời tin này với tỷ lệ, ví dụ «đang thực hiện 60%»."),
        "not_started": _(
            "Anh/chị vui lòng trả lời tin này với lý do, ví dụ «Chưa thực hiện, lý do: chờ hướng dẫn»."
        ),
    }[status]
    out[-1].text += "\n" + follow
    return out
