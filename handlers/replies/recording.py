"""Recording one reading of what a person said about one task, and saying what was
recorded so a mistake shows.

Every path that writes a status goes through ``record_reading``: free text, /capnhat,
the status buttons and a confirmed question. What was typed is always kept: understood
text becomes a status row (or an extension request), anything else a note, and a
reading that is not sure or moves the task backwards is kept as a note and asked about
(``handlers.replies.rules``). The answer lines of several tasks go out as one message.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from handlers.context import Request
from handlers.extensions import withdrawal as extension_withdrawal
from handlers.extensions.notices import notice_time, notify_leaders
from handlers.messages import Button, Outgoing
from handlers.replies import product_ask
from handlers.replies.rules import CONFIRM, NOTE, RECORD, Current, outcome
from handlers.short_text import short
from handlers.tasks.access import may_report, may_update, names_plans, task_ref
from handlers.tasks.view import status_buttons, status_label
from language.extension_dates import check_extension, day_off_line, year_offer
from language.formats import format_date
from language.status_text import StatusReading
from locales import _
from models import status_store
from models.completion import completion_in_future, documents_in_future
from models.conversation import Question
from models.plans import StatusUpdate, Task
from scheduler.planner import replan_task

# How the person said it: free text is weighed; a command or a tap says it outright.
TEXT, COMMAND, BUTTON, CONFIRMED = "text", "command", "button", "confirmed"


@dataclass
class Result:
    task: Task
    line: str
    buttons: list[Button] = field(default_factory=list)
    update: StatusUpdate | None = None
    kind: str = RECORD  # RECORD | CONFIRM | NOTE
    understood: bool = True  # False: the note was not understood (offer the choices)
    product: tuple[str, Button] | None = None  # done with no document: asked, with a skip


def choices_text() -> str:
    return _(
        "Anh/chị có thể trả lời: «Hoàn thành» (kèm số văn bản nếu có), «Đang thực hiện 60%», "
        "«Chưa thực hiện, lý do: …», «Chưa phát sinh hồ sơ» hoặc «Xin gia hạn đến 20/12»."
    )


def what_text(reading: StatusReading) -> str:
    if reading.status == "extension":
        return (
            _("Xin gia hạn đến {date}").format(date=format_date(reading.until))
            if reading.until
            else _("Xin gia hạn")
        )
    return status_label(reading.status, reading.percent)


def recorded_text(task: Task, reading: StatusReading, several: bool = False) -> str:
    parts = [
        _("Đã ghi nhận nhiệm vụ {number} «{content}»: {what}.").format(
            number=task_ref(task, several), content=short(task.content, 70),
            what=what_text(reading),
        )  # fmt: skip
    ]
    if reading.reason:
        parts.append(_("Lý do: {reason}.").format(reason=reading.reason.rstrip(".")))
    if reading.evidence:
        parts.append(_("Minh chứng: {items}.").format(items="; ".join(reading.evidence)))
    return " ".join(parts)


def reading_to_json(reading: StatusReading) -> dict:
    return reading.to_json() | {"text": reading.text}


def reading_from_json(data: dict) -> StatusReading:
    until = date.fromisoformat(data["until"]) if data.get("until") else None
    return StatusReading(
        data["status"],
        data.get("percent"),
        data.get("reason"),
        tuple(data.get("evidence") or ()),
        until,
        data.get("text", ""),
    )


async def record_reading(
    request: Request,
    task: Task,
    reading: StatusReading,
    *,
    via: str,
    note: StatusUpdate | None = None,
    attachment: str | None = None,
) -> Result:
    """Record what the person said about ``task``; the result's line says what was done.
    ``note``: the note kept when dondoc asked, which a confirmation turns into the status
    (one row for what was typed). ``attachment``: a file kept with a question."""
    incoming = request.incoming
    was_done = task.status == "done"  # a product is asked for once, when it becomes done
    evidence = list(reading.evidence)
    if incoming.attachment is not None and note is None:
        attachment = incoming.attachment.ref or incoming.attachment.filename
        evidence.append(_("Tệp đính kèm: {name}").format(name=incoming.attachment.filename))
    allowed = may_report(request, task) if via == TEXT else may_update(request, task)
    problem = offered = None
    if allowed and reading.status == "extension":
        asked = (task.deadline_due, task.status, reading.until, reading.text, request.today())
        months = request.services.extension_max_months
        until, problem = check_extension(*asked, months, confirmed=via == CONFIRMED)
        if problem and via != CONFIRMED and (offered := year_offer(*asked, months)):
            until, problem = offered, None  # "15/11" is far: asked with one tap, not refused
        reading = replace(reading, until=until)
        if problem is None:  # the same request again: kept, not sent twice
            problem = await extension_withdrawal.repeated(request, task, until)
    if allowed and reading.status == "done" and completion_in_future(reading.text, request.today()):
        problem = _("Ngày hoàn thành anh/chị ghi còn ở sau hôm nay nên tôi chưa ghi là hoàn thành.")
    elif allowed and reading.status == "done" and (
        later := documents_in_future(reading.evidence, request.today())
    ):
        problem = _(
            "Văn bản «{document}» ghi ngày sau hôm nay nên tôi chưa ghi là hoàn thành; nếu ngày ghi nhầm, vui lòng gửi lại với ngày đúng."
        ).format(document=short(later[0], 80))
    if via == CONFIRMED:
        decided = RECORD if allowed and reading.status != "unknown" else NOTE
    else:
        decided = outcome(reading, Current(task.status, task.percent), may_report=allowed)
    if problem:
        decided = NOTE
    if offered and not problem:
        decided = CONFIRM
    if decided == RECORD:
        kind = "extension_request" if reading.status == "extension" else "status"
    else:
        kind = "note"  # kept on the task, whatever it says
    values = dict(
        status=reading.status if kind == "status" else None,
        percent=reading.percent if kind == "status" else None,
        reason=reading.reason if kind != "note" else None,
        until=reading.until if kind == "extension_request" else None,
    )
    if note is not None:
        update = note
        if kind != "note":
            await status_store.promote(
                request.session, task, note, kind=kind, now=request.now, **values
            )
    else:
        update = await status_store.record(
            request.session,
            task,
            request.person,
            kind=kind,
            text=reading.text,
            now=request.now,
            evidence=evidence,
            attachment=attachment,
            channel=incoming.channel,
            **values,
        )
    undo = [Button(_("Hoàn tác"), f"undo:{update.id}")]
    if decided == RECORD:
        line = await _after_record(request, task, update, reading)
        asked = None
        if kind == "status" and reading.status == "done":
            asked = await product_ask.question(request, task, reading.text, evidence, was_done)
        if kind == "status" and reading.status == "not_started" and not reading.reason and via != BUTTON:
            # The appendix prints "Chưa thực hiện. Lý do: …": ask for it once (a tap on
            # "Chưa thực hiện" asks in its own words).
            line += "\n" + _(
                "Anh/chị nhắn thêm lý do để ghi vào phụ lục, ví dụ «Chưa thực hiện, lý do: chờ hướng dẫn»."
            )
        return Result(task, line, undo, update, product=asked)
    if decided == CONFIRM:
        return await _ask_to_confirm(request, task, update, reading, attachment)
    if not allowed:
        return Result(task, _refused_line(request, task, via), undo, update, NOTE)
    if problem:
        line = (
            problem
            + " "
            + _("Nội dung anh/chị gửi đã được lưu thành ghi chú của nhiệm vụ {number}.").format(
                number=task.number
            )
        )
        return Result(task, line, undo, update, NOTE)
    line = _(
        "Tôi đã lưu nội dung này thành ghi chú của nhiệm vụ {number}, nhưng chưa hiểu tình trạng."
    ).format(number=task.number)
    return Result(task, line, undo, update, NOTE, understood=False)


async def _after_record(
    request: Request, task: Task, update: StatusUpdate, reading: StatusReading
) -> str:
    line = recorded_text(task, reading, await names_plans(request))  # "CĐS 6" with several plans
    services = request.services
    if update.kind == "extension_request":
        if await extension_withdrawal.after_request(request, task, update) is not None:
            line += " " + _("Đề nghị này thay cho đề nghị gia hạn trước đó.")
        if update.until is not None:  # a Tết day asked for is met on the next working day
            if off := day_off_line(update.until, services.calendar.deadline_end(update.until)):
                line += " " + off
        if await notify_leaders(request.session, task, update, notice_time(request)):
            line += " " + _("Đề nghị đã được gửi tới lãnh đạo để xem xét.")
        else:
            line += " " + _(
                "Hiện chưa có lãnh đạo nào đăng ký với dondoc để duyệt; anh/chị vui lòng báo trực tiếp cho lãnh đạo."
            )
    else:
        if withdrawn := await extension_withdrawal.after_status(request, task):
            line += " " + withdrawn
        await replan_task(request.session, task, request.now, services.planning, services.calendar)
    return line


def _refused_line(request: Request, task: Task, via: str) -> str:
    if via == TEXT and may_update(request, task):
        # A leader's words are never an officer's report.
        return _(
            "Tôi đã lưu ý kiến của anh/chị thành ghi chú của nhiệm vụ {number}; tình trạng không thay đổi. Để cập nhật tình trạng, nhắn /capnhat {number} nội dung."
        ).format(number=task.number)
    return _(
        "Nhiệm vụ {number} do đơn vị khác chủ trì nên anh/chị không cập nhật được tình trạng; tôi đã lưu nội dung này thành ghi chú của nhiệm vụ."
    ).format(number=task.number)


async def _ask_to_confirm(
    request: Request,
    task: Task,
    note: StatusUpdate,
    reading: StatusReading,
    attachment: str | None,
) -> Result:
    question = Question(
        person_id=request.person.id,
        channel=request.incoming.channel,
        kind="confirm",
        task_id=task.id,
        note_id=note.id,
        candidates=[task.id],
        text=reading.text,
        reading=reading_to_json(reading),
        attachment=attachment,
        created_at=request.now,
    )
    request.session.add(question)
    await request.session.flush()
    what = what_text(reading)
    if task.status != "not_started" and Current(task.status, task.percent) != Current(
        reading.status, reading.percent
    ):
        said = _(
            "Nhiệm vụ {number} «{content}» đang ghi «{current}»; tin này sẽ đổi thành «{what}»."
        ).format(
            number=task.number,
            content=short(task.content, 60),
            current=status_label(task.status, task.percent),
            what=what,
        )
    else:
        said = _("Nhiệm vụ {number} «{content}»: tôi hiểu là «{what}».").format(
            number=task.number, content=short(task.content, 60), what=what
        )
    line = said + " " + _("Anh/chị xác nhận giúp; nội dung đã được lưu thành ghi chú.")
    buttons = [
        Button(_("Ghi: {what}").format(what=what), f"qy:{question.id}"),
        Button(_("Không phải"), f"qn:{question.id}"),
    ]
    return Result(task, line, buttons, note, CONFIRM)


def answer(results: list[Result], *, choices: str) -> list[Outgoing]:
    """One message for every task the person spoke about, with the buttons to confirm
    or undo each. ``choices`` (what can be typed) is added when a note was not understood."""
    if not results:
        return []
    if len(results) == 1:
        result = results[0]
        text, rows = result.line, [result.buttons]
        if result.product is not None:  # the product's document, asked once, one tap to skip
            text += "\n" + result.product[0]
            rows = [result.buttons + [result.product[1]]]
        if not result.understood:
            text += "\n" + choices
            rows = status_buttons(result.task) + rows
        return [Outgoing(text, buttons=rows, task_id=result.task.id)]
    rows = [
        [
            Button(_("NV {number} — {label}").format(number=r.task.number, label=b.label), b.data)
            for b in r.buttons
        ]
        for r in results
        if r.kind == CONFIRM
    ]
    undo = [
        Button(_("Hoàn tác NV {number}").format(number=r.task.number), r.buttons[0].data)
        for r in results
        if r.kind == RECORD
    ]
    rows += [undo[i : i + 3] for i in range(0, len(undo), 3)]
    lines = [f"• {r.line}" for r in results]
    if asked := [r.task.number for r in results if r.product is not None]:
        lines.append(product_ask.several_line(asked))  # one line for them all, no button
    if any(not r.understood for r in results):
        lines.append(choices)
    return [Outgoing("\n".join(lines), buttons=rows, task_ids=tuple(r.task.id for r in results))]
