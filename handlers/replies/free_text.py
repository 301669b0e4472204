"""Free text from a registered person: which task it is about, then what it says.

In order: the reason a leader was asked for after a decision; a typed yes/no to an open
question; thanks and acknowledgements (one friendly line, nothing recorded); a score
for an item of the score sheet, named ("mục 1.2 đạt 1 điểm") or in focus (a reply to
the score reminder, ``handlers.scores.replies``); tasks named
in the text ("nhiệm vụ 32 …", "31 hoàn thành, 32 đang thực hiện 20%"), each recorded on
its own; else the task the reply is about for sure (the message it answers, or the task
shown last). When that is not known — a reminder listing several tasks, a message
dondoc has no record of, nothing shown lately — the text is kept and dondoc asks which
task, one tap each. Nothing typed is dropped.
"""

from __future__ import annotations

from dataclasses import replace

from handlers.choices import AWAIT_EXTENSION
from handlers.context import Request
from handlers.guards import not_registered
from handlers.messages import MAX_REPLY, Outgoing, small_id
from handlers.replies.questions import WHICH_LIMIT, ask_which, typed_answer, yes_or_no
from handlers.replies.recording import TEXT, answer, choices_text, record_reading
from handlers.replies.unsure_answers import unsure_answer
from handlers.replies.which_plan import ask_which_plan
from handlers.router import BEFORE_TASKS
from handlers.tasks.access import (
    names_plans,
    plan_codes,
    reply_focus,
    several_text,
    task_ref,
    tasks_by_ref,
    tasks_of,
    visible_tasks,
)
from handlers.tasks.commands import task_message
from handlers.tasks.view import CLOSED, sort_key
from language.plan_codes import mark_plan_refs
from language.small_talk import small_talk_kind
from language.status_text import StatusReading, understand_status
from language.task_refs import Part, fold_same_length, split_by_task
from locales import _
from models.plans import Task

_BARE = " \t\r\n.,:;!?)-–—…"  # what is left of "1." or "nv 1:" once the number is read
_PARTICLES = {"", "ạ", "a", "à", "nhé", "nhe", "nha"}
UNSURE_PART = 0.5  # below SURE: a part cut at a bare number is asked before recording
NUMBERS_SHOWN = 20
_CANCEL = {"huy", "thoi", "khong", "khong can", "bo qua", "cancel"}


def acknowledgement_answer(text: str) -> Outgoing:
    """One friendly line for small talk; nothing is recorded."""
    folded = " ".join(fold_same_length(text).strip(" .!?…").split())
    kind = small_talk_kind(text)
    if folded in _CANCEL or kind == "cancel":
        return Outgoing(_("Vâng, tôi không ghi gì thêm."), aside=True)
    if kind == "help":
        return Outgoing(
            _(
                "Anh/chị cần tôi giúp gì ạ? Nhắn /viec để xem nhiệm vụ của mình, /trogiup để xem các lệnh. Để báo cáo, nhắn số nhiệm vụ kèm tình trạng, ví dụ «12 hoàn thành»."
            ),
            aside=True,
        )
    if kind == "greeting":
        return Outgoing(
            _("Chào anh/chị! Nhắn /viec để xem nhiệm vụ của mình, hoặc /trogiup để xem các lệnh."),
            aside=True,
        )
    return Outgoing(_("Dạ, cảm ơn anh/chị!"), aside=True)


async def free_text(request: Request) -> list[Outgoing]:
    if not request.grants:
        return not_registered()
    incoming = request.incoming
    text = incoming.text.strip()[:MAX_REPLY]
    if not text and incoming.attachment is None:
        return []
    awaited = request.awaited or ""
    if text and incoming.attachment is None:
        typed = await typed_answer(request, fold_same_length(text))
        if typed is not None:
            return typed
        if small_talk_kind(text) or yes_or_no(fold_same_length(text)) == "qy":
            return [acknowledgement_answer(text)]  # "đúng" with nothing asked: a thank-you
    if text and (step := await request.router.awaited_step(request, text)) is not None:
        return step  # the reason a leader was asked for after a decision
    if text and (read := await request.router.read(BEFORE_TASKS, request, text)) is not None:
        return read  # "mục 1.2 đạt 1 điểm": an item of the score sheet, not a task
    # "CĐS 6 hoàn thành": the plan's code names which plan's task 6.
    marked, coded = mark_plan_refs(text, await plan_codes(request))
    parts = split_by_task(marked)
    if parts[0].number is not None:
        return await _named(request, parts, coded, text)
    if awaited.startswith(AWAIT_EXTENSION):
        task_id = small_id(awaited[len(AWAIT_EXTENSION) :])
        tasks = await tasks_of(request, [task_id] if task_id else [])
        if tasks:
            return await _one(request, tasks[0], text, asked_extension=True)
    if (unsure := await unsure_answer(request, text)) is not None:
        return unsure  # a reminder may have arrived unrecorded: the focus is in doubt
    focus = await reply_focus(request)
    if focus.task_id is not None:
        tasks = await tasks_of(request, [focus.task_id])
        if tasks:
            return await _one(request, tasks[0], text)
    if focus.task_ids:
        listed = await tasks_of(request, focus.task_ids)
        lead = _(
            "Tin vừa rồi nói về {n} nhiệm vụ; nội dung anh/chị gửi là cho nhiệm vụ nào? Tôi đã giữ lại nội dung. Lần sau anh/chị có thể ghi kèm số, ví dụ «{number} hoàn thành»."
        ).format(n=len(listed), number=listed[0].number if listed else "12")
        return await ask_which(request, text, [t.id for t in listed], lead=lead)
    if incoming.chat_type != "private" and not incoming.reply_to:
        return []  # in a group, only replies to dondoc's messages are for dondoc
    open_tasks = [t for t in await visible_tasks(request) if t.status not in CLOSED]
    open_tasks.sort(key=sort_key)
    return await ask_which(
        request,
        text,
        [t.id for t in open_tasks[:WHICH_LIMIT]],
        lead=_(
            "Nội dung này về nhiệm vụ nào? Chọn một nhiệm vụ dưới đây (tôi đã giữ lại nội dung), hoặc gửi lại kèm số nhiệm vụ, ví dụ «12 hoàn thành». Nhắn /viec để xem danh sách."
        ),
    )


async def _one(
    request: Request, task: Task, text: str, *, asked_extension: bool = False
) -> list[Outgoing]:
    reading = _read(request, text, asked_extension=asked_extension)
    result = await record_reading(request, task, reading, via=TEXT)
    return answer([result], choices=choices_text())


def _read(request: Request, text: str, *, asked_extension: bool) -> StatusReading:
    if not text:  # a file alone is evidence for the task, kept as a note
        return StatusReading("unknown", None, None, (), None, "")
    reading = understand_status(text, request.today())
    if asked_extension and reading.status != "extension":
        # "4 = Xin gia hạn" asked for a date and a reason: "15/4 vì chờ ý kiến của Sở".
        asked = understand_status(f"xin gia hạn đến {text}", request.today())
        if asked.until is not None:
            return StatusReading(
                "extension", None, asked.reason, reading.evidence, asked.until, text
            )
    return reading


async def _named(
    request: Request, parts: list[Part], coded: dict[str, str], text: str
) -> list[Outgoing]:
    """Each task named gets its own part; a number that is not one of the person's
    tasks stops the whole message, and nothing is recorded. A bare number that names
    tasks of several plans is asked about, one tap per task, the text kept."""
    found: list[tuple[Task, str]] = []
    for part in parts:
        number = part.number or ""
        ref = f"{coded[number]} {number}" if number in coded else number
        tasks, problem = await tasks_by_ref(request, ref)
        if len(tasks) > 1 and len(parts) == 1:
            return await ask_which_plan(request, text, tasks, number)
        if len(tasks) != 1:
            problem = problem or several_text(tasks, number)
            return [Outgoing(problem + " " + await _their_numbers(request))]
        found.append((tasks[0], part.text))
    if request.incoming.attachment is None and all(_says_nothing(said) for _t, said in found):
        return await _only_named(request, [task for task, _said in found])
    results = []
    for (task, said), part in zip(found, parts, strict=True):
        reading = _read(request, said, asked_extension=False)
        if not part.sure:  # "…, 3 theo yêu cầu chưa phát sinh": task 3, or "3 văn bản"?
            reading = replace(reading, confidence=min(reading.confidence, UNSURE_PART))
        results.append(await record_reading(request, task, reading, via=TEXT))
    return answer(results, choices=choices_text())


def _says_nothing(said: str) -> bool:
    """Nothing but punctuation or a polite particle ("ạ") beside a task's number."""
    return all(word.strip(_BARE).lower() in _PARTICLES for word in said.split())


async def _only_named(request: Request, tasks: list[Task]) -> list[Outgoing]:
    """ "1.", "nv 1", "#6": a task named and nothing said about it is no report and no
    note. One task: its card, whose choices ask what the person means; several: how to
    say it. Nothing is recorded."""
    if len(tasks) == 1:
        return await task_message(request, tasks[0])
    numbers = ", ".join(t.number for t in tasks)
    return [
        Outgoing(
            _(
                "Anh/chị muốn báo cáo gì về nhiệm vụ {numbers}? Nhắn tình trạng của từng nhiệm vụ, ví dụ «{first} hoàn thành, {last} đang thực hiện 50%». Chưa có gì được ghi."
            ).format(numbers=numbers, first=tasks[0].number, last=tasks[-1].number),
            task_ids=tuple(t.id for t in tasks),
        )
    ]


async def _their_numbers(request: Request) -> str:
    tasks = sorted(
        (t for t in await visible_tasks(request) if t.status not in CLOSED),
        key=lambda t: (int(t.number) if t.number.isdigit() else 10**6, t.number),
    )
    if not tasks:
        return _("Anh/chị không còn nhiệm vụ nào đang mở. Chưa có gì được ghi.")
    several = await names_plans(request)
    numbers = ", ".join(task_ref(t, several) for t in tasks[:NUMBERS_SHOWN])
    more = "…" if len(tasks) > NUMBERS_SHOWN else ""
    return _(
        "Các nhiệm vụ đang mở của anh/chị: {numbers}{more} (nhắn /viec để xem). Chưa có gì được ghi."
    ).format(numbers=numbers, more=more)
