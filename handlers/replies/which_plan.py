"""A bare task number that several plans have ("6 hoàn thành" when both CCHC and CĐS
have an open task 6): the text is kept and dondoc asks which, one tap per task, each
named with its plan's code. On Zalo and the console the taps come as numbered choices
("1 = CCHC 6: …, 2 = CĐS 6: …"), so a typed "2" answers; the answer is a which-question
(``qt:QUESTION:TASK``) like any other, recorded by ``handlers.replies.questions``."""

from __future__ import annotations

from handlers.context import Request
from handlers.messages import Button, Outgoing
from handlers.replies.questions import keep_which
from handlers.short_text import short
from handlers.tasks.access import task_ref
from locales import _
from models.plans import Task


async def ask_which_plan(
    request: Request, text: str, tasks: list[Task], number: str
) -> list[Outgoing]:
    """Keep ``text`` and ask which of ``tasks`` (same number, several plans) it is about."""
    question = await keep_which(request, text, tasks)
    lead = _(
        "Có {n} nhiệm vụ số {number} trong các kế hoạch; nội dung anh/chị gửi là cho nhiệm vụ "
        "nào? Tôi đã giữ lại nội dung. Lần sau anh/chị có thể ghi kèm mã kế hoạch, ví dụ «{ref}»."
    ).format(n=len(tasks), number=number, ref=task_ref(tasks[-1], True))
    rows = [
        [
            Button(
                _("{ref}: {content}").format(ref=task_ref(t, True), content=short(t.content, 40)),
                f"qt:{question.id}:{t.id}",
            )
        ]
        for t in tasks
    ]
    return [Outgoing(lead, buttons=rows, task_ids=tuple(t.id for t in tasks))]
