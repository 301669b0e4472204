"""A leader's instruction reaches the unit. A leader's free text that names one task
("nhiệm vụ 16 đề nghị khẩn trương hoàn thành trước 20/3") is an instruction (chỉ đạo):
it is kept at once as a note of the task, and dondoc asks once "Gửi ý kiến chỉ đạo này
cho Phòng X?" (one tap; a number on Zalo). «Gửi» makes the note an ``instruction`` row
of the task's history (the card shows it) and sends it through the outbox to the lead
unit's people, whose reply to that message is recorded on the task; «Chỉ lưu ghi chú»
leaves it a note. A leader who is also an officer of the lead unit is reporting, not
instructing: their text goes on to the replies."""

from __future__ import annotations

from datetime import timedelta

from handlers.assigned.notices import INSTRUCTION
from handlers.context import Request
from handlers.extensions.notices import notice_time
from handlers.messages import Button, Outgoing, small_id
from handlers.permissions import is_leader
from handlers.reminders.nudge import unit_officers
from handlers.short_text import short
from handlers.tasks.access import may_report, task_by_number
from language.task_refs import split_by_task
from locales import _
from models import status_store
from models.conversation import Question
from models.outbox import Owed, upsert
from models.plans import StatusUpdate, Task
from models.queries import get_task

QUESTION_KIND = "instruction"
SEND, KEEP = "ins", "inn"  # button kinds: send to the unit, keep as a note
LAPSE = timedelta(days=2)


async def read_instruction(request: Request, text: str) -> list[Outgoing] | None:
    """A ``BEFORE_TASKS`` reader: a leader's text naming exactly one task they do not
    report on; None for anything else (it goes on to the replies)."""
    org = request.organization
    if org is None or not is_leader(request.grants, org.id):
        return None
    parts = split_by_task(text)
    numbers = {p.number for p in parts}
    if len(numbers) != 1 or None in numbers or not all(p.sure for p in parts):
        return None
    task, _problem = await task_by_number(request, parts[0].number or "")
    if task is None or may_report(request, task) or not task.units("lead"):
        return None
    found = await unit_officers(request.session, task)
    people = [p for _unit, members in found for p in members if p.id != request.person.id]
    units = ", ".join(unit for unit, _members in found)
    note = await status_store.record(
        request.session,
        task,
        request.person,
        kind="note",
        text=text,
        now=request.now,
        channel=request.incoming.channel,
    )
    if not people:
        return [
            Outgoing(
                _(
                    "Tôi đã lưu ý kiến này thành ghi chú của nhiệm vụ {number}. {units} chưa có ai đăng ký nên chưa gửi được; quản trị tạo mã mời: /moi {unit}"
                ).format(number=task.number, units=units, unit=found[0][0]),
                task_id=task.id,
            )
        ]
    question = Question(
        person_id=request.person.id,
        channel=request.incoming.channel,
        kind=QUESTION_KIND,
        task_id=task.id,
        note_id=note.id,
        candidates=[task.id],
        text=text,
        created_at=request.now,
    )
    request.session.add(question)
    await request.session.flush()
    lines = [
        _("Gửi ý kiến chỉ đạo này cho {units}?").format(units=units),
        _(
            "Nhiệm vụ {number} «{content}»; người nhận: {names}. Ý kiến đã được lưu thành ghi chú."
        ).format(
            number=task.number,
            content=short(task.content, 80),
            names=", ".join(p.display_name for p in people),
        ),
    ]
    buttons = [
        [
            Button(
                _("Gửi cho {unit}").format(unit=short(found[0][0], 40)), f"{SEND}:{question.id}"
            ),
            Button(_("Chỉ lưu ghi chú"), f"{KEEP}:{question.id}"),
        ]
    ]
    return [Outgoing("\n".join(lines), buttons=buttons, task_id=task.id)]


async def button(request: Request, kind: str, rest: str) -> list[Outgoing]:
    """«Gửi cho …» (``ins:ID``) or «Chỉ lưu ghi chú» (``inn:ID``)."""
    qid = small_id(rest)
    question = await request.session.get(Question, qid) if qid else None
    gone = _("Nút này không còn dùng được. Nhắn /viec để xem lại nhiệm vụ.")
    if (
        question is None
        or question.kind != QUESTION_KIND
        or question.person_id != request.person.id
    ):
        return [Outgoing(gone)]
    if question.answered_at is not None:
        return [Outgoing(_("Câu hỏi này đã được trả lời rồi."))]
    question.answered_at = request.now
    task = await get_task(request.session, question.task_id) if question.task_id else None
    note = await request.session.get(StatusUpdate, question.note_id) if question.note_id else None
    if task is None or note is None:
        return [Outgoing(gone)]
    if request.now - question.created_at > LAPSE:
        return [Outgoing(_("Câu hỏi này đã hết hạn; nội dung anh/chị gửi vẫn được lưu."))]
    if kind == KEEP:
        return [
            Outgoing(
                _(
                    "Vâng, tôi giữ ý kiến này làm ghi chú của nhiệm vụ {number}; chưa gửi cho đơn vị."
                ).format(number=task.number),
                task_id=task.id,
                edit=True,
            )
        ]
    return await send(request, task, note)


async def send(request: Request, task: Task, note: StatusUpdate) -> list[Outgoing]:
    """The note becomes the task's instruction and goes to the lead unit's people."""
    note.kind = INSTRUCTION
    found = await unit_officers(request.session, task)
    people = {p.id: p for _unit, members in found for p in members if p.id != request.person.id}
    when = notice_time(request)
    org_id = task.plan.organization_id
    await upsert(
        request.session,
        [
            Owed(org_id, task.id, INSTRUCTION, str(note.id), person_id, when, detail=str(note.id))
            for person_id in sorted(people)
        ],
    )
    names = ", ".join(p.display_name for p in people.values())
    units = ", ".join(unit for unit, _members in found)
    return [
        Outgoing(
            _("Đã gửi ý kiến chỉ đạo về nhiệm vụ {number} cho {names} ({units}).").format(
                number=task.number, names=names or "—", units=units
            ),
            task_id=task.id,
            edit=True,
        )
    ]
