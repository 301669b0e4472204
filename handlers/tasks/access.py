"""Finding the tasks a request may see or change, by number or by the message it
replies to, with the permission rules applied in one place."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from handlers.context import Request
from handlers.permissions import (
    TaskUnits,
    can_report_task,
    can_update_task,
    can_view_task,
    is_leader,
    officer_units,
)
from handlers.tasks.view import CLOSED
from language.plan_codes import TaskRef, read_task_ref
from locales import _
from models.conversation import Focus, chat_focus, chat_state, focus_of_message
from models.plans import Task
from models.queries import active_plans, find_tasks_by_number, get_task, list_tasks

# A bare reply goes to the task shown last only while that is recent (over a weekend).
FOCUS_FRESH = timedelta(days=3)


class SeveralPlans(LookupError):
    """A task number that several plans share, where one task is needed (``/capnhat 6
    …``). Raised by ``task_by_number``; the conversation keeps what was typed, asks which
    task with one tap each (``handlers.replies.which_plan``) and runs it again with the
    answer in ``Request.chosen_task``: one way for every command."""

    def __init__(self, tasks: list[Task], number: str) -> None:
        super().__init__(number)
        self.tasks = tasks
        self.number = number


def task_units(task: Task) -> TaskUnits:
    return TaskUnits(
        organization_id=task.plan.organization_id,
        lead_unit_ids=frozenset(u.id for u in task.units("lead")),
        cooperating_unit_ids=frozenset(u.id for u in task.units("cooperating")),
    )


def may_view(request: Request, task: Task) -> bool:
    return can_view_task(request.grants, task_units(task))


def may_update(request: Request, task: Task) -> bool:
    return can_update_task(request.grants, task_units(task))


def may_report(request: Request, task: Task) -> bool:
    return can_report_task(request.grants, task_units(task))


async def visible_tasks(request: Request) -> list[Task]:
    org = request.organization
    if org is None:
        return []
    if is_leader(request.grants, org.id):
        return await list_tasks(request.session, org, today=request.today())
    units = officer_units(request.grants, org.id)
    if not units:
        return []
    return await list_tasks(request.session, org, unit_ids=sorted(units), today=request.today())


async def plan_codes(request: Request) -> list[str]:
    """The codes of the plans the person's organization follows now."""
    org = request.organization
    if org is None:
        return []
    return [p.code for p in await active_plans(request.session, org, request.today())]


async def names_plans(request: Request) -> bool:
    """Are tasks named with their plan's code ("CĐS 6"): does the organization follow
    more than one plan? Asked once a request."""
    if request.several_plans is None:
        request.several_plans = len(await plan_codes(request)) > 1
    return request.several_plans


def task_ref(task: Task, several: bool) -> str:
    """How a task is named: "6", or "CĐS 6" when the organization has several plans."""
    return f"{task.plan.code} {task.number}" if several and task.plan.code else task.number


async def tasks_by_ref(request: Request, text: str) -> tuple[list[Task], str | None]:
    """The visible tasks a typed reference names ("6", "II.6", "CĐS 6", "cds6", "6
    CĐS"): one, several (a bare number in several plans, none of them the only open
    one), or none and why, in one line that says nothing about tasks the person may
    not see."""
    org = request.organization
    if org is None:
        return [], _(
            "Anh/chị chưa đăng ký với dondoc. Vui lòng nhắn /dangky kèm mã mời do văn phòng cấp, ví dụ: /dangky ABCD2345."
        )
    ref = read_task_ref(text, await plan_codes(request)) or TaskRef(None, text.strip())
    in_org = await find_tasks_by_number(
        request.session, org, ref.number, code=ref.code, today=request.today()
    )
    found = [t for t in in_org if may_view(request, t)]
    if not found:
        named = f"{ref.code} {ref.number}" if ref.code else ref.number
        lead = "; ".join(u.name for u in in_org[0].units("lead")) if len(in_org) == 1 else ""
        if lead := lead or (in_org[0].lead_note if len(in_org) == 1 else ""):
            # /tim lists the commune's tasks, so say whose it is rather than "no such task"
            return [], _(
                "Nhiệm vụ {number} do {unit} chủ trì, không thuộc các nhiệm vụ của đơn vị anh/chị nên anh/chị không mở hoặc báo cáo được; vui lòng liên hệ đơn vị chủ trì."
            ).format(number=named, unit=lead)
        return [], _("Không có nhiệm vụ số {number} trong các nhiệm vụ anh/chị theo dõi.").format(
            number=named
        )
    if len({t.plan_id for t in found}) > 1:
        chosen = [t for t in found if t.id == request.chosen_task]
        if chosen:  # the answer to "which plan's task 6?" (``SeveralPlans``)
            return chosen, None
        still_open = [t for t in found if t.status not in CLOSED]
        if len(still_open) == 1:  # only one of their open tasks has the number
            return still_open, None
    return found, None


async def task_by_number(
    request: Request, number: str, *, ask: bool = True
) -> tuple[Task | None, str | None]:
    """The visible task ``number`` names (see ``tasks_by_ref``); else None and why. A
    number several plans share raises ``SeveralPlans`` (the person is asked), unless
    ``ask`` is False (a reader that only looks)."""
    found, problem = await tasks_by_ref(request, number)
    if not found:
        return None, problem
    if len(found) > 1 and ask and len({t.plan_id for t in found}) > 1:
        raise SeveralPlans(found, number)
    if len(found) > 1:
        return None, several_text(found, number)
    return found[0], None


def several_text(found: list[Task], number: str) -> str:
    """Why a number is not enough, with the ways to name each task."""
    if len({t.plan_id for t in found}) > 1:
        choices = ", ".join(task_ref(t, True) for t in found)
        return _(
            "Có nhiều nhiệm vụ số {number} trong các kế hoạch; vui lòng ghi cả mã kế hoạch, "
            "ví dụ: {choices}."
        ).format(number=number, choices=choices)
    choices = ", ".join(f"{t.section.numeral}.{t.number}" for t in found)
    return _("Có nhiều nhiệm vụ số {number}; vui lòng ghi cả mục, ví dụ: {choices}.").format(
        number=number, choices=choices
    )


async def reply_focus(request: Request) -> Focus:
    """What a reply without a task number is about, when that is known for sure: the bot
    message it answers (a reply to a message dondoc has no record of is asked about,
    never guessed), else in a private chat the task shown or reminded last, while
    fresh. An empty Focus means: ask."""
    incoming = request.incoming
    if incoming.reply_to:
        focus = await focus_of_message(
            request.session,
            channel=incoming.channel,
            chat_id=incoming.chat_id,
            message_id=incoming.reply_to,
        )
        return focus or Focus()
    if request.person is None or incoming.chat_type != "private":
        return Focus()
    state = await chat_state(request.session, request.person.id, incoming.channel, request.now)
    if state.focus_at is None or request.now - state.focus_at > FOCUS_FRESH:
        return Focus()
    return chat_focus(state)


async def tasks_of(request: Request, task_ids: Iterable[int]) -> list[Task]:
    """The tasks among ``task_ids`` the person may see, in the order given."""
    found = []
    for task_id in task_ids:
        task = await get_task(request.session, task_id)
        if task is not None and may_view(request, task):
            found.append(task)
    return found
