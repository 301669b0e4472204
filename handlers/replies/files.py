"""Which task a file sent in the chat is evidence of.

- A plan file of an admin is imported, not kept (``handlers.evidence.rules.is_plan_import``).
- With words (a caption, "/capnhat 12 …"): the words are handled as always, and the
  file is kept for each task they were recorded for; when dondoc asks which task the
  words are about, the file waits for the same answer.
- Alone: for the task of the message it replies to; else, in a private chat, for the
  task in focus if it was shown or reported on within ``EVIDENCE_WINDOW`` (a photo of
  the decision right after "Hoàn thành"); a focus on several tasks, or none, is asked
  about with one tap per task, the file held until the answer.
- The same for the items of a score sheet in focus (``handlers.scores.replies``): with
  a score reply, or alone right after one or after the score reminder.
A file that may not be kept (type, size, the organization's room) is not stored, and
the answer says why; the words are still recorded.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from handlers.choices import focus_of
from handlers.context import Request
from handlers.evidence import files as evidence
from handlers.evidence import score_items as score_evidence
from handlers.evidence.rules import is_plan_import
from handlers.guards import not_registered
from handlers.messages import Outgoing
from handlers.permissions import is_admin
from handlers.replies.questions import WHICH_LIMIT, ask_which
from handlers.scores import replies as score_replies
from handlers.tasks.access import reply_focus, tasks_of, visible_tasks
from handlers.tasks.view import CLOSED, sort_key
from locales import _
from models.conversation import Focus, chat_focus, chat_state, open_questions

EVIDENCE_WINDOW = timedelta(minutes=30)  # a file alone goes to the task in focus this long


def plan_import(request: Request) -> bool:
    """Is the file of this message a plan to import (see ``is_plan_import``)?"""
    attachment, org = request.incoming.attachment, request.organization
    if attachment is None or org is None:
        return False
    return is_plan_import(
        admin=is_admin(request.grants, org.id),
        name=attachment.filename,
        caption=request.incoming.text,
        kind=attachment.kind,
    )


async def with_words(
    request: Request, run: Callable[[], Awaitable[list[Outgoing]]]
) -> list[Outgoing]:
    """Handle the words of a message that carries a file (``run``), then keep the file
    for the tasks they were about."""
    screened, problem = await evidence.screen(request)
    evidence.without_file(request, screened)
    before = await _newest_which(request)
    before_item = await _newest_which(request, score_replies.QUESTION)
    out = await run()
    if not out:
        return out  # not for dondoc (a group message), or nothing to answer: nothing kept
    lines = [problem] if problem else []
    if screened is not None:
        lines += await _after_words(request, screened, out, before, before_item)
    return _add(out, lines)


async def _after_words(
    request: Request,
    screened: evidence.Screened,
    out: list[Outgoing],
    before: int | None,
    before_item: int | None,
) -> list[str]:
    focus = focus_of(out)
    if focus:
        tasks = await tasks_of(request, focus.tasks)
        if tasks:
            return await evidence.keep(request, screened, tasks)
        if focus.score_items and (kept := await score_replies.keep_for(request, screened, focus.score_items)):
            return kept  # a score recorded for one item: the file is its evidence
    question = await _newest_which(request)
    if question is not None and question != before:
        return [await evidence.hold(request, screened, question)]
    asked = await _newest_which(request, score_replies.QUESTION)
    if asked is not None and asked != before_item:
        await evidence.hold(request, screened, asked)
        return [score_evidence.held_line(screened)]
    return [_("Tệp «{name}» chưa được lưu.").format(name=screened.name)] if out else []


async def file_alone(request: Request) -> list[Outgoing]:
    """A file sent with no words."""
    if not request.grants:
        return not_registered()
    incoming = request.incoming
    if incoming.chat_type != "private" and not incoming.reply_to:
        return []  # in a group, only replies to dondoc's messages are for dondoc
    screened, problem = await evidence.screen(request)
    if screened is None:
        return [Outgoing(problem or "")] if problem else []
    focus = await _focus(request)
    if focus.score_items and not focus.tasks:  # right after a score reply or reminder
        found = await score_replies.file_alone(request, screened, focus.score_items)
        if found is not None:
            return found
    tasks = await tasks_of(request, focus.tasks)
    if focus.task_id is not None and tasks:
        lines = await evidence.keep(request, screened, tasks)
        return [Outgoing("\n".join(lines), task_id=tasks[0].id)]
    if tasks:
        lead = _(
            "Tin vừa rồi nói về {n} nhiệm vụ; tệp «{name}» là minh chứng của nhiệm vụ nào?"
        ).format(n=len(tasks), name=screened.name)
        candidates = [t.id for t in tasks]
    else:
        open_tasks = sorted(
            (t for t in await visible_tasks(request) if t.status not in CLOSED), key=sort_key
        )
        if not open_tasks:
            return [
                Outgoing(
                    _(
                        "Anh/chị không còn nhiệm vụ nào đang mở nên tôi chưa lưu tệp «{name}»."
                    ).format(name=screened.name)
                )
            ]
        lead = _(
            "Tệp «{name}» là minh chứng của nhiệm vụ nào? Chọn một nhiệm vụ dưới đây, hoặc lần sau gửi tệp kèm lời, ví dụ «12 hoàn thành»."
        ).format(name=screened.name)
        candidates = [t.id for t in open_tasks[:WHICH_LIMIT]]
    before = await _newest_which(request)
    out = await ask_which(request, "", candidates, lead=lead)
    question = await _newest_which(request)
    if question is not None and question != before:
        await evidence.hold(request, screened, question)
    return out


async def _focus(request: Request) -> Focus:
    """The task a file alone is about: the message it replies to, else a recent focus."""
    incoming = request.incoming
    if incoming.reply_to:
        return await reply_focus(request)
    state = await chat_state(request.session, request.person.id, incoming.channel, request.now)
    if state.focus_at is None or request.now - state.focus_at > EVIDENCE_WINDOW:
        return Focus()
    return chat_focus(state)


async def _newest_which(request: Request, kind: str = "which") -> int | None:
    """The person's newest open which-task (or which-item) question on this channel
    asked now."""
    found = await open_questions(
        request.session,
        request.person.id,
        request.incoming.channel,
        since=request.now,
        kind=kind,
    )
    return found[0].id if found else None


def _add(out: list[Outgoing], lines: list[str]) -> list[Outgoing]:
    if not lines:
        return out
    own = [m for m in out if m.chat_id is None]
    if not own:
        return [*out, Outgoing("\n".join(lines))]
    target = next((m for m in reversed(own) if m.task_id or m.task_ids), own[-1])
    # Right under what was recorded, before any advice or question that follows it:
    # "the file is kept" after "you could reply «Hoàn thành»…" read as an afterthought.
    first, sep, rest = target.text.partition("\n")
    target.text = "\n".join([first, *lines, rest] if sep else [first, *lines] if first else lines)
    return out
