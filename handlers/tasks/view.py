"""How a task is shown: status labels, the deadline in words ("còn 3 ngày",
"quá hạn 2 ngày"), a task as JSON for the CLI, and a task as a chat message."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.messages import Button
from language.formats import format_date
from locales import N_, _, ngettext
from models.plans import Task
from models.progress import classify, current_facts
from models.queries import evidence_of
from scheduler.workdays import WorkCalendar

STATUS_LABELS = {
    "not_started": N_("Chưa thực hiện"),
    "in_progress": N_("Đang thực hiện"),
    "done": N_("Hoàn thành"),
    "not_applicable": N_("Chưa phát sinh"),
}
CLOSED = ("done", "not_applicable")


def status_label(status: str, percent: int | None = None) -> str:
    label = _(STATUS_LABELS.get(status, status))
    if status == "in_progress" and percent is not None:
        return f"{label} {percent}%"
    return label


def deadline_in_words(task: Task, today: date, calendar: WorkCalendar) -> str:
    """The deadline as a colleague would say it, in working days: "hạn 14/01/2026 — còn
    1 ngày làm việc", "… — quá hạn 3 ngày làm việc"; the plan's date too if extended.
    A due date on a day off counts until the end of the next working day (Bộ luật Dân
    sự 2015, article 148); between the two the words say so."""
    kind, due = task.deadline_kind, task.deadline_due
    if kind == "continuous":
        return _("thường xuyên")
    if kind == "on_request":
        return _("theo yêu cầu")
    if due is None:
        return task.deadline_text or _("chưa rõ thời hạn")
    when = format_date(due)
    if task.original_due and task.original_due != due:
        when += ", " + _("đã gia hạn từ {date}").format(date=format_date(task.original_due))
    if task.status in CLOSED:
        return _("hạn {date}").format(date=when)
    end = calendar.deadline_end(due)
    if due < end and due <= today <= end:  # the plan's date has come, the deadline runs on
        when += ", " + _("ngày nghỉ, tính đến hết {date}").format(date=format_date(end))
    if end == today:
        return _("hạn hôm nay {date}").format(date=when)
    days = calendar.working_days_between(today, end)
    if days > 0:
        return _("hạn {date} — còn {n}").format(
            date=when, n=ngettext("{n} ngày làm việc", "{n} ngày làm việc", days).format(n=days)
        )
    if end > today:  # only days off left before the last day
        return _("hạn {date}").format(date=when)
    late = max(1, -days)
    return _("hạn {date} — quá hạn {n}").format(
        date=when, n=ngettext("{n} ngày làm việc", "{n} ngày làm việc", late).format(n=late)
    )


def is_overdue(task: Task, today: date, calendar: WorkCalendar) -> bool:
    """Overdue by the rule of the report figures (``models.progress.classify``), with
    due dates on days off moved to the next working day."""
    return classify(current_facts(task), today, deadline_end=calendar.deadline_end) == "overdue"


def sort_key(task: Task) -> tuple[int, date, int]:
    """Nearest deadline first; tasks without a date last, in plan order."""
    due = task.deadline_due or date.max
    return (0 if task.deadline_due else 1, due, task.position)


def lead_names(task: Task) -> list[str]:
    return [u.name for u in task.units("lead")]


def cooperating_names(task: Task) -> list[str]:
    return [u.name for u in task.units("cooperating")]


async def task_to_json(session: AsyncSession, task: Task) -> dict[str, Any]:
    return {
        "number": task.number,
        "plan": {"id": task.plan_id, "code": task.plan.code, "title": task.plan.title},
        "section": f"{task.section.numeral}. {task.section.title}"
        if task.section.numeral
        else task.section.title,
        "content": task.content,
        "product": task.product,
        "lead_units": lead_names(task),
        "cooperating_units": cooperating_names(task),
        "lead_note": task.lead_note,
        "cooperating_note": task.cooperating_note,
        "deadline": {
            "text": task.deadline_text,
            "kind": task.deadline_kind,
            "start": task.deadline_start.isoformat() if task.deadline_start else None,
            "due": task.deadline_due.isoformat() if task.deadline_due else None,
            "every": task.deadline_every,
        },
        "status": task.status,
        "status_label": status_label(task.status, task.percent),
        "percent": task.percent,
        "evidence": await evidence_of(session, task),
        "needs_review": task.review_reason if task.needs_review else None,
    }


def status_buttons(task: Task) -> list[list[Button]]:
    return [
        [
            Button(_("Hoàn thành"), f"st:{task.id}:done"),
            Button(_("Đang thực hiện"), f"st:{task.id}:in_progress"),
        ],
        [
            Button(_("Chưa thực hiện"), f"st:{task.id}:not_started"),
            Button(_("Xin gia hạn"), f"ext:{task.id}"),
        ],
    ]
