"""What the task page shows: content, units, deadline, status, the whole history (who,
when, what; instructions and extension decisions among it) and the evidence files, for
someone who may read the task: who may see it in the chat, and a viewer of its commune
(``handlers.permissions.can_read_task``)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.context import Services
from handlers.permissions import can_read_task
from handlers.tasks.access import task_units
from handlers.tasks.view import cooperating_names, deadline_in_words, lead_names, status_label
from language.formats import format_date
from locales import _
from models.evidence import EvidenceFile, files_of_task
from models.plans import StatusUpdate, Task
from models.queries import get_task, history
from web.gate import Visitor


@dataclass(frozen=True)
class HistoryLine:
    when: str
    who: str
    what: str


@dataclass
class TaskView:
    task: Task
    leads: list[str]
    cooperating: list[str]
    deadline: str
    status: str
    history: list[HistoryLine]
    files: list[EvidenceFile]


def what_happened(row: StatusUpdate) -> str:
    """One line of history in words."""
    until = format_date(row.until) if row.until else ""
    reason = f" — {row.reason}" if row.reason else ""
    if row.kind == "status" and row.status:
        return status_label(row.status, row.percent) + reason
    if row.kind == "undo":
        return _("Hoàn tác một cập nhật trước")
    if row.kind == "extension_request":
        return _("Xin gia hạn đến {date}").format(date=until) + reason
    if row.kind == "extension_approved":
        return _("Đồng ý gia hạn đến {date}").format(date=until) + reason
    if row.kind == "extension_rejected":
        return _("Không đồng ý gia hạn") + reason
    if row.kind == "import":
        return _("Nhập lại kế hoạch: {text}").format(text=row.text)
    return row.text or row.kind


async def visible_task(db: AsyncSession, visitor: Visitor, task_id: int) -> Task | None:
    task = await get_task(db, task_id)
    if task is None or not can_read_task(visitor.grants, task_units(task)):
        return None
    return task


async def task_view(
    db: AsyncSession, visitor: Visitor, task_id: int, services: Services
) -> TaskView | None:
    task = await visible_task(db, visitor, task_id)
    if task is None:
        return None
    zone = ZoneInfo(visitor.organizations[task.plan.organization_id].timezone)
    today = services.clock.now(zone).date()
    lines = []
    for row in await history(db, task):
        when = row.created_at.astimezone(zone)
        who = row.person.display_name if row.person else "dondoc"
        lines.append(HistoryLine(f"{format_date(when.date())} {when:%H:%M}", who, what_happened(row)))
    return TaskView(
        task,
        lead_names(task) or ([task.lead_note] if task.lead_note else []),
        cooperating_names(task) or ([task.cooperating_note] if task.cooperating_note else []),
        deadline_in_words(task, today, services.calendar),
        status_label(task.status, task.percent),
        lines,
        await files_of_task(db, task.id),
    )
