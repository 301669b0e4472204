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
from locales import _
from models.conversation import Focus, chat_focus, chat_state, focus_of_message
from models.plans import Task
from models.queries import find_tasks_by_number, get_task, list_tasks

# A bare reply goes to the task shown last only while that is recent (over a weekend).
FOCUS_FRESH = timedelta(days=3)


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
        return await list_tasks(request.session, org)
    units = officer_units(request.grants, org.id)
    if not units:
        return []
    return await list_tasks(request.session, org, unit_ids=sorted(units))


async def task_by_number(request: Request, number: str) -> tuple[Task | None, str | None]:
    """The visible task numbered ``number``; else None and why, in one line that says
    nothing about tasks the person may not see."""
    org = request.organization
    if org is None:
        return None, _("Anh/chị chưa đăng ký với dondoc. Vui lòng nhắn /dangky MÃ_MỜI.")
    found = [
        t for t in await find_tasks_by_number(request.session, org, number) if may_view(request, t)
    ]
    if not found:
        return None, _("Không có nhiệm vụ số {number} trong các nhiệm vụ anh/chị theo dõi.").format(
            number=number
        )
    if len(found) > 1:
        choices = ", ".join(f"{t.section.numeral}.{t.number}" for t in found)
        return None, _(
            "Có nhiều nhiệm vụ số {number}; vui lòng ghi cả mục, ví dụ: {choices}."
        ).format(number=number, choices=choices)
    return found[0], None


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
