"""Questions dondoc asks before recording, and their one-tap answers.

- ``confirm``: a reading that is not sure or moves a task backwards was kept as a note;
  "Ghi: Đang thực hiện 50%" (``qy:ID``) turns that note into the status, "Không phải"
  (``qn:ID``) leaves it a note. On text channels the same come as numbered choices, and
  a typed "đúng", "có" or "không phải" answers the one open question.
- ``which``: a reply that does not say which task it is about (a reminder listing
  several, a message dondoc has no record of) keeps the text here and asks, one button
  per task (``qt:ID:TASK``) and "Tất cả" (``qt:ID:all``) — not offered, nor taken when
  typed, when the text names another count ("cả 2 đều xong" under 12 tasks); typed
  numbers "3, 7" answer for several tasks (``qt:ID:T1+T2``).
A question is answered once, by the person asked, within ``LAPSE``; after that the text
stays as it was kept (a note, or here) and nothing more is recorded.
"""

from __future__ import annotations

import re
from datetime import timedelta

from handlers.context import Request
from handlers.evidence import files as evidence_files
from handlers.messages import Button, Outgoing, small_id
from handlers.replies.recording import (
    CONFIRMED,
    TEXT,
    Result,
    answer,
    choices_text,
    reading_from_json,
    record_reading,
)
from handlers.short_text import short
from handlers.tasks.access import task_by_number, tasks_of
from handlers.tasks.view import status_label
from language.plan_codes import read_task_ref
from language.status_text import understand_status
from language.task_refs import fold_same_length, named_count
from locales import _
from models import status_store
from models.conversation import Question, chat_state, open_questions
from models.plans import StatusUpdate, Task
from models.queries import get_task

LAPSE = timedelta(days=2)
WHICH_LIMIT = 8  # buttons offered when a reply names no task

_YES = {"dung", "dung roi", "co", "co a", "dung a", "vang dung", "dong y", "ghi", "ghi di", "yes"}
_NO = {"khong phai", "sai", "khong dung", "khong ghi", "no", "not"}
_FOLD = re.compile(r"[\s.,!?…]+")
_NUMBER_WORDS = re.compile(r"\b(?:nhiem vu|nv|viec|so)\b")
_LIST_SEPARATORS = re.compile(r"\s*(?:\bva\b|\band\b|&|,|;|/|\s)\s*")
_ALL_WORDS = {"tat ca", "ca hai", "ca 2", "ca ba", "ca 3", "all", "both", "het", "toan bo"}
_DECISIONS = {
    "dong y": "extok", "duyet": "extok", "dong y gia han": "extok", "chap thuan": "extok",
    "ok duyet": "extok", "tu choi": "extno", "khong dong y": "extno", "khong duyet": "extno",
    "khong chap thuan": "extno",
}  # fmt: skip


def yes_or_no(folded: str) -> str | None:
    """ "qy" for a typed yes, "qn" for a typed no, else None (``folded``: no diacritics)."""
    words = _FOLD.sub(" ", folded).strip()
    if words in _YES:
        return "qy"
    if words in _NO:
        return "qn"
    return None


async def latest_open(request: Request, kind: str) -> Question | None:
    """The person's open question of ``kind`` if it is the last thing dondoc said to them
    on this channel (a question from yesterday does not catch today's "6")."""
    person, channel = request.person, request.incoming.channel
    found = await open_questions(
        request.session, person.id, channel, since=request.now - LAPSE, kind=kind
    )
    if not found:
        return None
    state = await chat_state(request.session, person.id, channel, request.now)
    newest = found[0]
    if state.updated_at is not None and newest.created_at < state.updated_at:
        return None
    same_moment = [q for q in found if q.created_at == newest.created_at]
    return newest if len(same_moment) == 1 else None


async def typed_answer(request: Request, folded: str) -> list[Outgoing] | None:
    """A typed yes/no to the confirmation dondoc just asked, or "duyệt"/"từ chối" to the
    extension request it just showed (numbered choices), else None."""
    kind = yes_or_no(folded)
    if kind is not None:
        question = await latest_open(request, "confirm")
        if question is not None:
            return await answer_button(request, kind, str(question.id))
    decision = _DECISIONS.get(_FOLD.sub(" ", folded).strip())
    if decision is not None:
        state = await chat_state(
            request.session, request.person.id, request.incoming.channel, request.now
        )
        offered = [c for c in state.choices if c.startswith(f"{decision}:")]
        if len(offered) == 1:
            return await request.router.press(request, offered[0])
    return None


async def typed_which(request: Request, text: str) -> list[Outgoing] | None:
    """A task number (or "tất cả") typed to the which-task question dondoc just asked."""
    question = await latest_open(request, "which")
    if question is None:
        return None
    words = _FOLD.sub(" ", fold_same_length(text)).strip()
    if words in _ALL_WORDS:
        named, count = named_count(text), len(question.candidates)
        if named is not None and named != count:  # "cả 2" typed to a question about 12
            return [Outgoing(count_mismatch(text, count, how=True))]
        return await answer_button(request, "qt", f"{question.id}:all")
    asked = await tasks_of(request, question.candidates)
    if len({t.plan_id for t in asked}) > 1:  # "CĐS 6" answering about tasks of two plans
        ref = read_task_ref(text, [t.plan.code for t in asked])
        picked = [t for t in asked if ref and ref.code == t.plan.code and ref.number == t.number]
        if len(picked) == 1:
            return await answer_button(request, "qt", f"{question.id}:{picked[0].id}")
    words = _NUMBER_WORDS.sub(" ", words)
    numbers = _LIST_SEPARATORS.split(words.strip())
    if not numbers or not all(n.isdigit() for n in numbers):
        return None
    shared = {t.number for t in asked if sum(o.number == t.number for o in asked) > 1}
    # A number two plans share names neither: the numbered choices answer instead.
    by_number = {t.number: t for t in asked if t.number not in shared}
    if not question.text.strip():  # a file alone: any task of theirs will do
        for n in numbers:
            task, _problem = (
                (None, None) if n in by_number else await task_by_number(request, n, ask=False)
            )
            if task is not None:
                by_number[n] = task
                question.candidates = [*question.candidates, task.id]
    if not all(n in by_number for n in numbers):
        return None  # a number that is not one of the tasks asked about: read as a reply
    ids = "+".join(str(by_number[n].id) for n in dict.fromkeys(numbers))
    return await answer_button(request, "qt", f"{question.id}:{ids}")


def all_allowed(text: str, count: int) -> bool:
    """May "Tất cả" answer a which-question about ``count`` tasks? Not when the text
    itself names another number of tasks ("cả 2 đều xong" under a reminder of 12)."""
    named = named_count(text)
    return count > 1 and (named is None or named == count)


def count_mismatch(text: str, count: int, *, how: bool = False) -> str:
    """Why "tất cả" is not taken; with ``how``, what to type instead."""
    line = _(
        "Anh/chị viết «{named} nhiệm vụ» nhưng ở đây có {count} nhiệm vụ, nên tôi chưa ghi cho tất cả."
    ).format(named=named_count(text), count=count)
    if how:
        line += " " + _("Xin nhắn số của các nhiệm vụ đó, cách nhau bằng dấu phẩy.")
    return line


async def keep_which(
    request: Request, text: str, tasks: list[Task], *, kind: str = "which"
) -> Question:
    """Keep ``text`` (and the file it came with) in a which-task question about ``tasks``
    (``kind`` "command": a command to run again with the task chosen, ``which_plan``)."""
    incoming = request.incoming
    question = Question(
        person_id=request.person.id,
        channel=incoming.channel,
        kind=kind,
        candidates=[t.id for t in tasks],
        text=text,
        attachment=(incoming.attachment.ref or incoming.attachment.filename)
        if incoming.attachment
        else None,
        created_at=request.now,
    )
    request.session.add(question)
    await request.session.flush()
    return question


async def ask_which(
    request: Request, text: str, candidates: list[int], *, lead: str
) -> list[Outgoing]:
    """Keep ``text`` and ask which of ``candidates`` it is about."""
    tasks = await tasks_of(request, candidates)
    if not tasks:
        return [Outgoing(lead)]
    question = await keep_which(request, text, tasks)
    with_all = all_allowed(text, len(tasks))
    if len(tasks) > 1 and not with_all:
        lead += "\n" + count_mismatch(text, len(tasks))
    if not request.has_buttons:
        # Typed numbers are the tasks' own numbers, never "1 = NV 6": no clash to guess at.
        lines = [lead, *(f"• {t.number}. {short(t.content, 60)}" for t in tasks)]
        if len(tasks) > 1:
            example = ", ".join(t.number for t in tasks[:2])
            hint = (
                _("Nhắn số nhiệm vụ, ví dụ «{number}» hoặc «{numbers}», hoặc «tất cả».")
                if with_all
                else _("Nhắn số nhiệm vụ, ví dụ «{number}» hoặc «{numbers}».")
            )
            lines.append(hint.format(number=tasks[0].number, numbers=example))
        else:
            lines.append(_("Nhắn số nhiệm vụ, ví dụ «{number}».").format(number=tasks[0].number))
        return [Outgoing("\n".join(lines))]
    rows = [
        [
            Button(
                _("NV {number}: {content}").format(number=t.number, content=short(t.content, 40)),
                f"qt:{question.id}:{t.id}",
            )
        ]
        for t in tasks
    ]
    if with_all:
        rows.append([Button(_("Tất cả"), f"qt:{question.id}:all")])
    if len(tasks) > 1:
        lead += "\n" + _("Nếu là vài nhiệm vụ, nhắn các số, ví dụ «{numbers}».").format(
            numbers=", ".join(t.number for t in tasks[:2])
        )
    return [Outgoing(lead, buttons=rows)]


async def answer_button(request: Request, kind: str, rest: str) -> list[Outgoing]:
    """A tap (or numbered choice) answering a question: ``qy``/``qn``:ID, ``qt``:ID:TASK."""
    qid_text, _sep, choice = rest.partition(":")
    qid = small_id(qid_text)
    question = await request.session.get(Question, qid) if qid else None
    if question is None or question.person_id != request.person.id:
        return [Outgoing(_("Nút này không còn dùng được. Nhắn /viec để xem lại nhiệm vụ."))]
    if question.answered_at is not None:
        return [Outgoing(_("Câu hỏi này đã được trả lời rồi."), edit=True)]  # its buttons go
    if request.now - question.created_at > LAPSE:
        question.answered_at = request.now
        return [Outgoing(_("Câu hỏi này đã hết hạn; nội dung anh/chị gửi vẫn được lưu."))]
    if kind in ("qy", "qn") and question.kind == "confirm":
        question.answered_at = request.now
        return await _confirm(request, question, kind == "qy")
    if kind == "qt" and question.kind == "which":
        return await _which(request, question, choice)
    return [Outgoing(_("Nút này không còn dùng được. Nhắn /viec để xem lại nhiệm vụ."))]


async def _confirm(request: Request, question: Question, yes: bool) -> list[Outgoing]:
    task = await get_task(request.session, question.task_id) if question.task_id else None
    note = await request.session.get(StatusUpdate, question.note_id) if question.note_id else None
    if task is None or note is None:
        return [Outgoing(_("Nút này không còn dùng được. Nhắn /viec để xem lại nhiệm vụ."))]
    if not yes:
        text = _(
            "Vâng, tôi giữ nội dung này làm ghi chú của nhiệm vụ {number}; tình trạng vẫn là «{status}». Anh/chị có thể nhắn lại tình trạng bất cứ lúc nào."
        ).format(number=task.number, status=status_label(task.status, task.percent))
        return [Outgoing(text, task_id=task.id, edit=True)]
    if note.id in await status_store.undone_ids(request.session, task):
        return [Outgoing(_("Ghi chú này đã được hoàn tác nên tôi không ghi nữa."), task_id=task.id)]
    reading = reading_from_json(question.reading or {"status": "unknown"})
    result = await record_reading(request, task, reading, via=CONFIRMED, note=note)
    out = answer([result], choices="")
    out[0].edit = True
    return out


async def _which(request: Request, question: Question, choice: str) -> list[Outgoing]:
    if choice == "all":
        ids = list(question.candidates)
        if not all_allowed(question.text, len(ids)):  # typed, or an old or forged button
            return [Outgoing(count_mismatch(question.text, len(ids), how=True))]
    else:
        picked = [small_id(part) for part in choice.split("+")[:WHICH_LIMIT * 8]]
        ids = [i for i in dict.fromkeys(picked) if i in question.candidates]
        if len(ids) != len(picked):
            ids = []  # one number that was not asked about: record none of them
    tasks = await tasks_of(request, ids)
    if not tasks:
        return [Outgoing(_("Nút này không còn dùng được. Nhắn /viec để xem lại nhiệm vụ."))]
    question.answered_at = request.now
    kept = await evidence_files.assign_held(request, question.id, tasks)
    if not question.text.strip():  # a file alone: it is the whole answer
        lines = kept or [_("Nút này không còn dùng được. Nhắn /viec để xem lại nhiệm vụ.")]
        focus = {"task_id": tasks[0].id} if len(tasks) == 1 else {"task_ids": tuple(t.id for t in tasks)}
        return [Outgoing("\n".join(lines), edit=True, **focus)]
    results: list[Result] = []
    for task in tasks:
        reading = understand_status(question.text, request.today())
        results.append(
            await record_reading(request, task, reading, via=TEXT, attachment=question.attachment)
        )
    out = answer(results, choices=choices_text())
    out[0].edit = True
    if kept:
        out[0].text += "\n" + "\n".join(kept)
    return out
