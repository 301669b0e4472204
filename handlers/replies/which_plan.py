"""A bare task number that several plans have ("6 hoàn thành" when both CCHC and CĐS
have an open task 6): the text is kept and dondoc asks which, one tap per task, each
named with its plan's code. On Zalo and the console the taps come as numbered choices
("1 = CCHC 6: …, 2 = CĐS 6: …"), so a typed "2" answers; the answer is a which-question
(``qt:QUESTION:TASK``) like any other, recorded by ``handlers.replies.questions``.

A command with such a number ("/capnhat 6 hoàn thành", "/giahan 6 …", "/nhac 6", "/duyet
6", "/ketqua 6 …", a leader's "nhiệm vụ 6 đề nghị …") is asked the same way: whatever
resolves the number raises ``SeveralPlans``, the conversation keeps the whole text (and
its file) in a ``command`` question, and the tap (``qp:QUESTION:TASK``) runs it again
with that task chosen.

A command that needs one plan (``/baocao kehoach 45/QĐ-UBND …``, ``/baocao quy1``) when
several are followed and none is named is asked the same way, one tap per plan
(``qk:QUESTION:PLAN``), and runs again with ``Request.chosen_plan``."""

from __future__ import annotations

from dataclasses import replace

from handlers.context import Request
from handlers.evidence import files as evidence_files
from handlers.messages import Button, Outgoing, small_id
from handlers.replies.questions import LAPSE, keep_which
from handlers.short_text import short
from handlers.tasks.access import SeveralPlans, several_text, task_ref, tasks_of
from locales import _
from models.conversation import Question
from models.plans import Plan, Task

PICK = "qp"  # button kind: the task a kept command is about
COMMAND = "command"  # the question's kind
PLAN_PICK = "qk"  # button kind: the plan a kept command is about
PLAN_COMMAND = "plan_command"  # the question's kind


async def ask_which_plan(
    request: Request, text: str, tasks: list[Task], number: str
) -> list[Outgoing]:
    """Keep ``text`` and ask which of ``tasks`` (same number, several plans) it is about."""
    question = await keep_which(request, text, tasks)
    return [_asked(question, tasks, "qt", number, lead=None)]


def _asked(
    question: Question, tasks: list[Task], kind: str, number: str, *, lead: str | None
) -> Outgoing:
    lead = lead or _(
        "Có {n} nhiệm vụ số {number} trong các kế hoạch; nội dung anh/chị gửi là cho nhiệm vụ "
        "nào? Tôi đã giữ lại nội dung. Lần sau anh/chị có thể ghi kèm mã kế hoạch, ví dụ «{ref}»."
    ).format(n=len(tasks), number=number, ref=task_ref(tasks[-1], True))
    rows = [
        [
            Button(
                _("{ref}: {content}").format(ref=task_ref(t, True), content=short(t.content, 40)),
                f"{kind}:{question.id}:{t.id}",
            )
        ]
        for t in tasks
    ]
    return Outgoing(lead, buttons=rows, task_ids=tuple(t.id for t in tasks))


async def ask_command_plan(request: Request, several: SeveralPlans) -> list[Outgoing]:
    """Keep the command (or leader's text) whose number several plans share, with its
    file, and ask which task it is about."""
    incoming = request.incoming
    text = incoming.text.strip()
    if incoming.callback or request.person is None or not text:
        return [Outgoing(several_text(several.tasks, several.number))]
    question = await keep_which(request, text, several.tasks, kind=COMMAND)
    lead = _(
        "Có {n} nhiệm vụ số {number} trong các kế hoạch; «{text}» là cho nhiệm vụ nào? Tôi đã "
        "giữ lại nội dung và sẽ thực hiện ngay khi anh/chị chọn. Lần sau anh/chị có thể ghi "
        "kèm mã kế hoạch, ví dụ «{ref}»."
    ).format(
        n=len(several.tasks),
        number=several.number,
        text=short(text, 80),
        ref=task_ref(several.tasks[-1], True).replace(" ", ""),  # "CĐS6": one word in a command
    )
    asked = _asked(question, several.tasks, PICK, several.number, lead=lead)
    screened, problem = await evidence_files.screen(request)
    if screened is not None:  # "/capnhat 6 …" with a photo: the file waits for the tap
        asked.text += "\n" + await evidence_files.hold(request, screened, question.id)
    elif problem:
        asked.text += "\n" + problem
    return [asked]


async def pick_button(request: Request, kind: str, rest: str) -> list[Outgoing]:
    """The tap (or typed number) answering which task a kept command is about: the
    command runs again as typed, with that task for the number."""
    qid_text, _sep, choice = rest.partition(":")
    qid, task_id = small_id(qid_text), small_id(choice)
    question = await request.session.get(Question, qid) if qid else None
    gone = [Outgoing(_("Nút này không còn dùng được. Nhắn /viec để xem lại nhiệm vụ."))]
    if question is None or question.person_id != request.person.id or question.kind != COMMAND:
        return gone
    if question.answered_at is not None:
        return [Outgoing(_("Câu hỏi này đã được trả lời rồi."))]
    tasks = await tasks_of(request, [task_id] if task_id in question.candidates else [])
    if not tasks:  # not one of the tasks asked about: the question stays open
        return gone
    question.answered_at = request.now
    if request.now - question.created_at > LAPSE:
        return [Outgoing(_("Câu hỏi này đã hết hạn; anh/chị vui lòng gửi lại lệnh."))]
    request.chosen_task = tasks[0].id
    out = await _again(request, question)
    kept = await evidence_files.assign_held(request, question.id, tasks)
    own = [m for m in out if m.chat_id is None]
    if own and kept:
        own[0].text += "\n" + "\n".join(kept)
    return out


async def _again(request: Request, question: Question) -> list[Outgoing]:
    """Run the kept text again, as typed, with what the tap chose on the request."""
    request.incoming = replace(request.incoming, text=question.text, callback=None, attachment=None)
    request.awaited = None  # what was awaited is the tap's business, said once after it
    try:
        out = await request.router.dispatch(request)
    except SeveralPlans as several:  # a second shared number: named with codes instead
        return [Outgoing(several_text(several.tasks, several.number))]
    own = [m for m in out if m.chat_id is None]
    if own:
        own[0].edit = True  # the answer takes the question's place
    return out


async def ask_plan(request: Request, plans: list[Plan], example: str) -> list[Outgoing]:
    """Keep the command typed and ask which of ``plans`` it is about, one tap each;
    ``example``: the command with a code, for next time."""
    text = request.incoming.text.strip()
    question = Question(
        person_id=request.person.id,
        channel=request.incoming.channel,
        kind=PLAN_COMMAND,
        candidates=[p.id for p in plans],
        text=text,
        created_at=request.now,
    )
    request.session.add(question)
    await request.session.flush()
    lead = _(
        "Xã/phường đang theo dõi {n} kế hoạch; «{text}» là cho kế hoạch nào? Tôi đã giữ lại "
        "lệnh và sẽ thực hiện ngay khi anh/chị chọn. Lần sau anh/chị có thể ghi kèm mã kế "
        "hoạch, ví dụ «{example}»."
    ).format(n=len(plans), text=short(text, 80), example=example)
    rows = [
        [Button(f"{p.code} — {short(p.title, 50)}", f"{PLAN_PICK}:{question.id}:{p.id}")]
        for p in plans
    ]
    return [Outgoing(lead, buttons=rows)]


async def plan_button(request: Request, kind: str, rest: str) -> list[Outgoing]:
    """The tap (or typed number) answering which plan a kept command is about."""
    qid_text, _sep, choice = rest.partition(":")
    qid, plan_id = small_id(qid_text), small_id(choice)
    question = await request.session.get(Question, qid) if qid else None
    plan = await request.session.get(Plan, plan_id) if plan_id else None
    if (
        question is None
        or question.person_id != request.person.id
        or question.kind != PLAN_COMMAND
        or plan is None
        or plan.id not in question.candidates
        or plan.organization_id not in request.organizations
    ):
        return [Outgoing(_("Nút này không còn dùng được."))]
    if question.answered_at is not None:
        return [Outgoing(_("Câu hỏi này đã được trả lời rồi."))]
    question.answered_at = request.now
    if request.now - question.created_at > LAPSE:
        return [Outgoing(_("Câu hỏi này đã hết hạn; anh/chị vui lòng gửi lại lệnh."))]
    request.chosen_plan = plan.id
    return await _again(request, question)
