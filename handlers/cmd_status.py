"""Reporting on a task: free text in reply to a task message (or about the task in
focus), /capnhat SỐ nội dung, the status buttons, /giahan, and /hoantac.

What a person typed is always kept: understood text becomes a status row, anything
else a note on the task, and the answer says what was recorded so a mistake shows.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from handlers import cmd_extension
from handlers.choices import AWAIT_EXTENSION, await_next
from handlers.cmd_extension import check_extension, notice_time, notify_leaders
from handlers.cmd_register import not_registered
from handlers.cmd_tasks import short, status_buttons
from handlers.context import Request
from handlers.messages import Button, Outgoing
from handlers.status_text import StatusReading, understand_status
from handlers.task_access import may_update, task_by_number, task_in_focus
from handlers.task_view import format_date, status_label
from locales import _
from models import status_store
from models.plans import StatusUpdate, Task
from models.queries import get_task
from scheduler.planner import replan_task

UNDO_WINDOW = timedelta(days=2)
_STATUS_FROM_BUTTON = {"done", "in_progress", "not_started"}


def undo_button(update: StatusUpdate) -> list[list[Button]]:
    return [[Button(_("Hoàn tác"), f"undo:{update.id}")]]


def choices_text() -> str:
    return _(
        "Anh/chị có thể trả lời: «Hoàn thành» (kèm số văn bản nếu có), «Đang thực hiện 60%», "
        "«Chưa thực hiện, lý do: …», «Chưa phát sinh hồ sơ» hoặc «Xin gia hạn đến 20/12»."
    )


def recorded_text(task: Task, reading: StatusReading) -> str:
    what = status_label(reading.status, reading.percent)
    if reading.status == "extension":
        what = (
            _("Xin gia hạn đến {date}").format(date=format_date(reading.until))
            if reading.until
            else _("Xin gia hạn")
        )
    parts = [
        _("Đã ghi nhận nhiệm vụ {number} «{content}»: {what}.").format(
            number=task.number, content=short(task.content, 70), what=what
        )
    ]
    if reading.reason:
        parts.append(_("Lý do: {reason}.").format(reason=reading.reason.rstrip(".")))
    if reading.evidence:
        parts.append(_("Minh chứng: {items}.").format(items="; ".join(reading.evidence)))
    return " ".join(parts)


async def apply_reading(request: Request, task: Task, reading: StatusReading) -> list[Outgoing]:
    """Record what the person said about ``task`` and confirm it in one line."""
    incoming = request.incoming
    attachment = None
    evidence = list(reading.evidence)
    if incoming.attachment is not None:
        attachment = incoming.attachment.ref or incoming.attachment.filename
        evidence.append(_("Tệp đính kèm: {name}").format(name=incoming.attachment.filename))
    allowed = may_update(request, task)
    problem = None
    if allowed and reading.status == "extension":
        until, problem = check_extension(
            task.deadline_due, task.status, reading.until, reading.text, request.today()
        )
        reading = replace(reading, until=until)
    if not allowed or reading.status == "unknown" or problem:
        kind = "note"  # kept on the task, whatever it says
    else:
        kind = "extension_request" if reading.status == "extension" else "status"
    update = await status_store.record(
        request.session,
        task,
        request.person,
        kind=kind,
        text=reading.text,
        now=request.now,
        status=reading.status if kind == "status" else None,
        percent=reading.percent if kind == "status" else None,
        reason=reading.reason if kind != "note" else None,
        until=reading.until if kind == "extension_request" else None,
        evidence=evidence,
        attachment=attachment,
        channel=incoming.channel,
    )
    if not allowed:
        text = _(
            "Nhiệm vụ {number} do đơn vị khác chủ trì nên anh/chị không cập nhật được tình trạng; tôi đã lưu nội dung này thành ghi chú của nhiệm vụ."
        ).format(number=task.number)
        return [Outgoing(text, task_id=task.id)]
    if problem:
        text = (
            problem
            + " "
            + _("Nội dung anh/chị gửi đã được lưu thành ghi chú của nhiệm vụ {number}.").format(
                number=task.number
            )
        )
        return [Outgoing(text, buttons=undo_button(update), task_id=task.id)]
    if kind == "note":
        text = _(
            "Tôi đã lưu nội dung này thành ghi chú của nhiệm vụ {number}, nhưng chưa hiểu tình trạng."
        ).format(number=task.number)
        buttons = status_buttons(task) + undo_button(update)
        return [Outgoing(text + "\n" + choices_text(), buttons=buttons, task_id=task.id)]
    text = recorded_text(task, reading)
    if kind == "extension_request":
        await notify_leaders(request.session, task, update, notice_time(request))
        text += " " + _("Đề nghị đã được gửi tới lãnh đạo để xem xét.")
    else:
        services = request.services
        await replan_task(request.session, task, request.now, services.planning, services.calendar)
    return [Outgoing(text, buttons=undo_button(update), task_id=task.id)]


async def free_text(request: Request) -> list[Outgoing]:
    if not request.grants:
        return not_registered()
    incoming = request.incoming
    task = await task_in_focus(request)
    if task is None:
        if incoming.chat_type != "private":
            return []  # in a group, only replies to dondoc's messages are for dondoc
        return [
            Outgoing(
                _(
                    "Anh/chị muốn báo cáo nhiệm vụ nào? Hãy trả lời trực tiếp vào tin nhắn của nhiệm vụ đó, hoặc nhắn /capnhat SỐ nội dung. Nhắn /viec để xem danh sách."
                )
            )
        ]
    text = incoming.text.strip()
    if not text and incoming.attachment is None:
        return []
    reading = understand_status(text, request.today())
    if request.awaited == f"{AWAIT_EXTENSION}{task.id}" and reading.status != "extension":
        # "4 = Xin gia hạn" asked for a date and a reason: "15/4 vì chờ ý kiến của Sở".
        asked = understand_status(f"xin gia hạn đến {text}", request.today())
        if asked.until is not None:
            reading = StatusReading(
                "extension", None, asked.reason, reading.evidence, asked.until, text
            )
    if not text:  # a file alone is evidence for the task, kept as a note
        reading = StatusReading("unknown", None, None, (), None, "")
    return await apply_reading(request, task, reading)


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
    return await apply_reading(
        request, task, understand_status(match.group(2).strip(), request.today())
    )


async def extension_command(request: Request, args: str) -> list[Outgoing]:
    if not request.grants:
        return not_registered()
    parts = args.split(maxsplit=1)
    if len(parts) < 2:
        return [
            Outgoing(
                _("Cách dùng: /giahan SỐ NGÀY_MỚI lý do, ví dụ: /giahan 12 20/12 chờ kinh phí")
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
    return await apply_reading(request, task, reading)


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
    if update.id in await status_store.undone_ids(request.session, task):
        return [Outgoing(_("Cập nhật này đã được hoàn tác rồi."))]
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
    text = _("Đã hoàn tác. Nhiệm vụ {number} trở lại: {status}.").format(
        number=task.number, status=status_label(task.status, task.percent)
    )
    return [Outgoing(text, task_id=task.id, edit=True)]


async def button(request: Request, data: str) -> list[Outgoing]:
    if not request.grants:
        return not_registered()
    kind, _sep, rest = data.partition(":")
    if kind == "undo" and rest.isdigit():
        update = await request.session.get(StatusUpdate, int(rest))
        if update is None:
            return [Outgoing(_("Không tìm thấy cập nhật cần hoàn tác."))]
        return await _undo(request, update)
    if kind in ("extok", "extno"):
        return await cmd_extension.button(request, kind, rest)
    task_id, _sep, status = rest.partition(":")
    task = await get_task(request.session, int(task_id)) if task_id.isdigit() else None
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
    out = await apply_reading(request, task, reading)
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
