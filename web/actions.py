"""What a leader does from a task's page: approve or reject the extension request that
waits (with the reason), nudge the lead unit, give an instruction. Each is a POST with
the session's CSRF token, and each calls the rule function the chat's handler calls
(``handlers.extensions.decisions.decide``, ``handlers.reminders.nudge.nudge``,
``handlers.assigned.instruction.send``), so the history row, the outbox notice and
the answer are the chat's own; the answer is shown on a page with the way back.

Refused, with nothing changed: a missing or wrong CSRF token (403), a task the person
may not see (404), a leader's action asked by someone who is not one (403). A second
submit of the same form records nothing twice: the decision names the request it was
for, a nudge is once a day, and the same instruction within ``SAME_WORDS`` is not sent
again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.assigned import instruction
from handlers.assigned.notices import INSTRUCTION
from handlers.context import Request
from handlers.extensions.decisions import decide
from handlers.permissions import can_decide_extension, is_leader
from handlers.reminders.nudge import nudge, unit_officers
from handlers.tasks.access import names_plans
from handlers.tasks.view import CLOSED
from language.formats import format_date
from locales import _
from models import status_store
from models.people import Person
from models.plans import StatusUpdate, Task
from web.app import DB, VISITOR, render, site_of
from web.chat_request import chat_request
from web.gate import Visitor
from web.security import check_csrf
from web.task_page import visible_task

MAX_WORDS = 2000  # characters of a reason or an instruction
SAME_WORDS = timedelta(minutes=30)  # the same instruction again this soon is a double submit


@dataclass(frozen=True)
class Pending:
    row_id: int
    until: str
    who: str
    reason: str


@dataclass(frozen=True)
class TaskActions:
    """The forms the task page shows the visitor."""

    pending: Pending | None  # the extension request that waits, for someone who decides
    can_nudge: bool
    can_instruct: bool


async def task_actions(db: AsyncSession, visitor: Visitor, task: Task) -> TaskActions:
    org_id = task.plan.organization_id
    leader = is_leader(visitor.grants, org_id)
    pending = None
    if can_decide_extension(visitor.grants, org_id):
        row = await status_store.pending_extension(db, task)
        if row is not None and row.person_id != visitor.person.id:
            who = await db.get(Person, row.person_id) if row.person_id else None
            pending = Pending(
                row.id,
                format_date(row.until) if row.until else "—",
                who.display_name if who else "—",
                row.reason or "",
            )
    open_task = task.status not in CLOSED
    return TaskActions(pending, leader and open_task, leader)


@dataclass(frozen=True)
class Asked:
    task: Task
    request: Request
    form: dict[str, str]


async def asked(request: web.Request) -> Asked | web.StreamResponse:
    """The task, the chat's request and the form of a POST; or the refusal."""
    visitor: Visitor = request[VISITOR]
    site = site_of(request)
    form = {key: str(value) for key, value in (await request.post()).items()}
    if not check_csrf(site.gate.settings.secret, visitor.session_token, form.get("csrf")):
        return answer(request, None, 403, _("Yêu cầu không hợp lệ"), _("Trang đã cũ; xin tải lại trang rồi thử lại."))
    text = request.match_info["task"]
    task = await visible_task(request[DB], visitor, int(text)) if text.isdigit() and len(text) < 12 else None
    if task is None:
        raise web.HTTPNotFound()
    # Two submits at once take turns: a write to the task's row first (a row lock on
    # PostgreSQL, the one writer's lock on SQLite, held to the commit), so the second
    # reads what the first recorded and records nothing.
    await request[DB].execute(update(Task).where(Task.id == task.id).values(number=Task.number))
    org = visitor.organizations[task.plan.organization_id]
    return Asked(task, chat_request(request[DB], visitor, org, site.services), form)


def answer(request: web.Request, task: Task | None, status: int, title: str, text: str) -> web.Response:
    return render(request, "action_done.html", status=status, title=title, lines=text.splitlines(), task=task)


def not_a_leader(request: web.Request, task: Task) -> web.Response:
    return answer(request, task, 403, _("Không thực hiện được"), _("Chỉ lãnh đạo UBND mới làm được việc này."))


async def done(request: web.Request, got: Asked, text: str, *, changed: bool) -> web.Response:
    """Show the rule's answer, and keep what it recorded (nothing when it refused). The
    page is made first: a commit or rollback expires the rows it reads."""
    title = _("Đã ghi nhận") if changed else _("Không thực hiện được")
    response = answer(request, got.task, 200 if changed else 409, title, text)
    if changed:
        await got.request.session.commit()
    else:
        await got.request.session.rollback()
    return response


async def decision(request: web.Request) -> web.StreamResponse:
    """Approve or reject the request the page showed (``request`` in the form)."""
    got = await asked(request)
    if isinstance(got, web.StreamResponse):
        return got
    chat, task, form = got.request, got.task, got.form
    if not can_decide_extension(chat.grants, task.plan.organization_id):
        return not_a_leader(request, task)
    approve = form.get("decision") == "approve"
    note = " ".join(form.get("note", "").split())[:MAX_WORDS]
    if not approve and not note:
        return answer(
            request, task, 400, _("Chưa ghi lý do"), _("Anh/chị ghi lý do từ chối để người đề nghị được biết; chưa có gì được ghi.")
        )
    row_id = form.get("request", "")
    named = await chat.session.get(StatusUpdate, int(row_id)) if row_id.isdigit() and len(row_id) < 12 else None
    if named is None or named.task_id != task.id or named.kind != status_store.REQUEST:
        return answer(request, task, 400, _("Không thực hiện được"), _("Không rõ đề nghị gia hạn nào; xin tải lại trang."))
    before = await decisions_count(chat.session, task)
    out = await decide(chat, task, approve, note, named=named)
    changed = await decisions_count(chat.session, task) > before
    text = out[0].text
    if changed and not note:  # the chat's "type the words in your next message" is not for a page
        text = text.split(". ", 1)[0].rstrip(".") + "."
    return await done(request, got, text, changed=changed)


async def decisions_count(session: AsyncSession, task: Task) -> int:
    await session.flush()
    rows = await session.scalars(
        select(StatusUpdate.id).where(
            StatusUpdate.task_id == task.id, StatusUpdate.kind.in_(status_store.DECIDED)
        )
    )
    return len(list(rows))


async def nudge_unit(request: web.Request) -> web.StreamResponse:
    got = await asked(request)
    if isinstance(got, web.StreamResponse):
        return got
    if not is_leader(got.request.grants, got.task.plan.organization_id):
        return not_a_leader(request, got.task)
    before = await kinds_count(got.request.session, got.task, "nudge")
    out = await nudge(got.request, got.task)
    changed = await kinds_count(got.request.session, got.task, "nudge") > before
    return await done(request, got, out[0].text, changed=changed)


async def kinds_count(session: AsyncSession, task: Task, *kinds: str) -> int:
    await session.flush()
    rows = await session.scalars(
        select(StatusUpdate.id).where(StatusUpdate.task_id == task.id, StatusUpdate.kind.in_(kinds))
    )
    return len(list(rows))


async def give_instruction(request: web.Request) -> web.StreamResponse:
    """The leader's words become a note, then the task's instruction sent to the lead
    unit's people (``instruction.send``, what «Gửi cho …» does in the chat)."""
    got = await asked(request)
    if isinstance(got, web.StreamResponse):
        return got
    chat, task = got.request, got.task
    if not is_leader(chat.grants, task.plan.organization_id):
        return not_a_leader(request, task)
    text = got.form.get("text", "").strip()[:MAX_WORDS]
    if not text:
        return answer(request, task, 400, _("Chưa có nội dung"), _("Anh/chị nhập ý kiến chỉ đạo rồi bấm Gửi; chưa có gì được ghi."))
    earlier = await same_words(chat.session, task, chat, text)
    if earlier is not None:
        zone = ZoneInfo(chat.organization.timezone)
        return await done(
            request,
            got,
            _("Ý kiến chỉ đạo này đã được ghi lúc {time}; dondoc không gửi lại lần nữa.").format(
                time=earlier.astimezone(zone).strftime("%H:%M")
            ),
            changed=False,
        )
    note = await status_store.record(
        chat.session, task, chat.person, kind="note", text=text, now=chat.now, channel=chat.incoming.channel
    )
    found = await unit_officers(chat.session, task)
    if not any(p.id != chat.person.id for _unit, people in found for p in people):
        units = ", ".join(unit for unit, _people in found) or (task.lead_note or "—")
        said = _(
            "Đã lưu ý kiến này thành ghi chú của nhiệm vụ {number}. {units} chưa có ai đăng ký nên chưa gửi được."
        ).format(number=task.number, units=units)
        return await done(request, got, said, changed=True)
    said = await instruction.send(chat, task, note, several=await names_plans(chat))
    return await done(request, got, said, changed=True)


async def same_words(session: AsyncSession, task: Task, chat: Request, text: str) -> datetime | None:
    """When the same person gave ``text`` on ``task`` lately, if they did."""
    return await session.scalar(
        select(StatusUpdate.created_at)
        .where(
            StatusUpdate.task_id == task.id,
            StatusUpdate.person_id == chat.person.id,
            StatusUpdate.kind.in_(("note", INSTRUCTION)),
            StatusUpdate.text == text,
            StatusUpdate.created_at >= chat.now - SAME_WORDS,
        )
        .limit(1)
    )


def add_routes(app: web.Application) -> None:
    app.router.add_post("/web/viec/{task}/giahan", decision)
    app.router.add_post("/web/viec/{task}/nhac", nudge_unit)
    app.router.add_post("/web/viec/{task}/chidao", give_instruction)
