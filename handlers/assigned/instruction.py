"""A leader's instruction reaches the unit. A leader's free text that names one task
("nhiệm vụ 16 đề nghị khẩn trương hoàn thành trước 20/3") is an instruction (chỉ đạo):
it is kept at once as a note of the task, and dondoc asks once "Gửi ý kiến chỉ đạo này
cho Phòng X?" (one tap; a number on Zalo). «Gửi» makes the note an ``instruction`` row
of the task's history (the card shows it) and sends it through the outbox to the lead
unit's people, whose reply to that message is recorded on the task; «Chỉ lưu ghi chú»
leaves it a note. A text naming a few tasks ("nhiệm vụ 16 và 17 đề nghị …") is one
question too: each task keeps the note, and one tap sends it to each lead unit, an
instruction row on each task. A leader who is also an officer of the lead unit is
reporting, not instructing: their text goes on to the replies."""

from __future__ import annotations

from datetime import timedelta

from handlers.assigned.notices import INSTRUCTION
from handlers.context import Request
from handlers.extensions.notices import notice_time
from handlers.messages import Button, Outgoing, small_id
from handlers.permissions import is_leader
from handlers.reminders.nudge import unit_officers
from handlers.short_text import short
from handlers.tasks.access import may_report, names_plans, task_by_number, task_ref
from language.task_refs import split_by_task
from locales import _
from models import status_store
from models.conversation import Question
from models.outbox import Owed, upsert
from models.people import Person
from models.plans import StatusUpdate, Task
from models.queries import get_task

QUESTION_KIND = "instruction"
SEND, KEEP = "ins", "inn"  # button kinds: send to the unit, keep as a note
LAPSE = timedelta(days=2)
MAX_TASKS = 5  # tasks one instruction may name ("nhiệm vụ 16 và 17 …")


async def read_instruction(request: Request, text: str) -> list[Outgoing] | None:
    """A ``BEFORE_TASKS`` reader: a leader's text naming one task, or a few ("nhiệm vụ
    16 và 17 đề nghị …"), none of which they report on; None for anything else (it goes
    on to the replies). Each task keeps the text as a note at once; one question asks
    whether to send it to every lead unit."""
    org = request.organization
    if org is None or not is_leader(request.grants, org.id):
        return None
    parts = split_by_task(text)
    numbers = list(dict.fromkeys(p.number for p in parts))
    if not numbers or None in numbers or len(numbers) > MAX_TASKS or not all(p.sure for p in parts):
        return None
    tasks: list[Task] = []
    for number in numbers:
        task, _problem = await task_by_number(request, number or "")
        if task is None or may_report(request, task) or not task.units("lead"):
            return None
        tasks.append(task)
    several = await names_plans(request)
    reach: list[tuple[Task, StatusUpdate, list[tuple[str, list[Person]]]]] = []
    for task in tasks:
        note = await status_store.record(
            request.session,
            task,
            request.person,
            kind="note",
            text=text,
            now=request.now,
            channel=request.incoming.channel,
        )
        reach.append((task, note, await unit_officers(request.session, task)))
    ready = [(t, n, f) for t, n, f in reach if _people(request, f)]
    lines = [_nobody_line(task_ref(t, several), f) for t, _n, f in reach if not _people(request, f)]
    if not ready:
        return [Outgoing("\n".join(lines), task_id=tasks[0].id if len(tasks) == 1 else None)]
    question = Question(
        person_id=request.person.id,
        channel=request.incoming.channel,
        kind=QUESTION_KIND,
        task_id=ready[0][0].id,
        note_id=ready[0][1].id,
        candidates=[t.id for t, _n, _f in ready],
        text=text,
        reading={"notes": [n.id for _t, n, _f in ready]},
        created_at=request.now,
    )
    request.session.add(question)
    await request.session.flush()
    units = list(dict.fromkeys(unit for _t, _n, found in ready for unit, _m in found))
    asked = [_("Gửi ý kiến chỉ đạo này cho {units}?").format(units=", ".join(units))]
    for task, _note, found in ready:
        asked.append(
            _(
                "Nhiệm vụ {number} «{content}»; người nhận: {names}. Ý kiến đã được lưu thành ghi chú."
            ).format(
                number=task_ref(task, several),
                content=short(task.content, 80),
                names=", ".join(p.display_name for p in _people(request, found)),
            )
        )
    label = (
        _("Gửi cho {unit}").format(unit=short(units[0], 40))
        if len(units) == 1
        else _("Gửi cho {n} đơn vị").format(n=len(units))
    )
    buttons = [
        [
            Button(label, f"{SEND}:{question.id}"),
            Button(_("Chỉ lưu ghi chú"), f"{KEEP}:{question.id}"),
        ]
    ]
    focus = (
        {"task_id": ready[0][0].id}
        if len(ready) == 1
        else {"task_ids": tuple(t.id for t, _n, _f in ready)}
    )
    return [Outgoing("\n".join(asked + lines), buttons=buttons, **focus)]


def _people(request: Request, found: list[tuple[str, list[Person]]]) -> list[Person]:
    """The lead unit's people other than the leader writing."""
    return [p for _unit, members in found for p in members if p.id != request.person.id]


def _nobody_line(number: str, found: list[tuple[str, list[Person]]]) -> str:
    units = ", ".join(unit for unit, _members in found)
    return _(
        "Tôi đã lưu ý kiến này thành ghi chú của nhiệm vụ {number}. {units} chưa có ai đăng ký nên chưa gửi được; quản trị tạo mã mời: /moi {unit}"
    ).format(number=number, units=units, unit=found[0][0])


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
    note_ids = (question.reading or {}).get("notes") or [question.note_id]
    pairs = []
    for task_id, note_id in zip(question.candidates, note_ids, strict=False):
        task = await get_task(request.session, task_id)
        note = await request.session.get(StatusUpdate, note_id) if note_id else None
        if task is not None and note is not None:
            pairs.append((task, note))
    if not pairs:
        return [Outgoing(gone)]
    if request.now - question.created_at > LAPSE:
        return [Outgoing(_("Câu hỏi này đã hết hạn; nội dung anh/chị gửi vẫn được lưu."))]
    focus = (
        {"task_id": pairs[0][0].id}
        if len(pairs) == 1
        else {"task_ids": tuple(t.id for t, _n in pairs)}
    )
    several = await names_plans(request)
    if kind == KEEP:
        return [
            Outgoing(
                _(
                    "Vâng, tôi giữ ý kiến này làm ghi chú của nhiệm vụ {number}; chưa gửi cho đơn vị."
                ).format(number=", ".join(task_ref(t, several) for t, _n in pairs)),
                edit=True,
                **focus,
            )
        ]
    lines = [await send(request, task, note, several=several) for task, note in pairs]
    return [Outgoing("\n".join(lines), edit=True, **focus)]


async def send(request: Request, task: Task, note: StatusUpdate, *, several: bool = False) -> str:
    """The note becomes the task's instruction and goes to the lead unit's people; the
    line saying so."""
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
    return _("Đã gửi ý kiến chỉ đạo về nhiệm vụ {number} cho {names} ({units}).").format(
        number=task_ref(task, several), names=names or "—", units=units
    )
