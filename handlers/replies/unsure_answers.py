"""A plain answer (no task number, not a reply to a message) right after a fault: a
reminder may have reached the person without dondoc having recorded it (in flight at a
crash, unanswered at a stop, a timeout), so the task in focus may not be the one they
answer. Then the answer is kept and asked about — "nhiệm vụ 1 hay nhiệm vụ 2?", one
tap, or the number on Zalo — never read against the older focus. Which reminders make
an answer uncertain is ``models.outbox_faults.unsure_tasks``."""

from __future__ import annotations

from handlers.context import Request
from handlers.messages import Outgoing
from handlers.replies.questions import ask_which
from handlers.tasks.access import FOCUS_FRESH, tasks_of
from locales import _
from models.conversation import chat_focus, chat_state
from models.outbox_faults import unsure_tasks


async def unsure_answer(request: Request, text: str) -> list[Outgoing] | None:
    """The question to ask when a plain answer's task is uncertain after a fault; None
    when the focus can be trusted (or the message replies to one of dondoc's)."""
    incoming, person = request.incoming, request.person
    if incoming.reply_to or person is None or incoming.chat_type != "private":
        return None
    state = await chat_state(request.session, person.id, incoming.channel, request.now)
    written = incoming.written_at
    if written is not None:  # stamped by the platform's clock: into ours
        written = request.services.clock.from_wall(written)
    in_doubt, before_repeat = await unsure_tasks(
        request.session, person.id, focus_at=state.focus_at, written_at=written
    )
    if not in_doubt and not before_repeat:
        return None
    fresh = state.focus_at is not None and request.now - state.focus_at <= FOCUS_FRESH
    focus = chat_focus(state).tasks if fresh else ()
    if not before_repeat and set(in_doubt) <= set(focus) and len(focus) == 1:
        return None  # the reminder in doubt is about the task in focus: no doubt
    # Written before a repeat arrived: the focus it was written under is not known.
    tasks = await tasks_of(request, list(dict.fromkeys([*before_repeat, *in_doubt, *focus])))
    if not tasks:
        return None
    numbers = [t.number for t in tasks]
    if len(tasks) == 1:
        lead = _(
            "Anh/chị trả lời nhiệm vụ {number} phải không? Tin nhắc nhiệm vụ này có thể đã đến lúc dondoc gặp sự cố, nên tôi hỏi lại cho chắc (tôi đã giữ lại nội dung)."
        ).format(number=numbers[0])
    else:
        lead = _(
            "Anh/chị trả lời nhiệm vụ {numbers} hay nhiệm vụ {last}? Một tin nhắc có thể đã đến lúc dondoc gặp sự cố, nên tôi hỏi lại cho chắc (tôi đã giữ lại nội dung)."
        ).format(numbers=", ".join(numbers[:-1]), last=numbers[-1])
    return await ask_which(request, text, [t.id for t in tasks], lead=lead)
