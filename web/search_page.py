"""Search on the web view: the rules of the chat's /tim (``handlers.tasks.search``'s
``matching``: words of the content, product, units and recorded evidence, without
diacritics) over the communes the person sees, narrowed by a GET form — commune, plan,
unit, status (or overdue) and deadline month. Every id in the form is checked against
the person's communes (404 otherwise); a result links to its task page only when the
person may read the task (``handlers.permissions.can_read_task``).

Without words, the filters alone list the tasks (a leader asking "what is overdue in
Phòng Kinh tế"); without words or filters, the form alone is shown."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.permissions import can_read_task
from handlers.tasks.access import task_units
from handlers.tasks.search import matching
from handlers.tasks.search_rank import MAX_QUERY, read_query
from handlers.tasks.view import STATUS_LABELS, deadline_in_words, lead_names, sort_key, status_label
from locales import _
from models.people import Organization, Unit
from models.plans import Plan, Task
from models.progress import classify, current_facts
from models.queries import list_tasks, organization_plans
from models.search_queries import status_texts
from web.app import DB, VISITOR, render, site_of
from web.gate import Visitor

SHOWN = 50  # results on one page
OVERDUE = "overdue"
STATUS_CHOICES = (*STATUS_LABELS, OVERDUE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass
class Filters:
    org: Organization | None = None
    plan: Plan | None = None
    unit: Unit | None = None
    status: str = ""
    month: tuple[int, int] | None = None
    text: str = ""  # the words, as typed

    @property
    def any(self) -> bool:
        return bool(self.plan or self.unit or self.status or self.month)


@dataclass(frozen=True)
class Result:
    task: Task
    org: str
    units: str
    status: str
    when: str
    openable: bool


@dataclass
class SearchView:
    filters: Filters
    orgs: list[Organization]
    plans: list[Plan]
    units: list[Unit]
    statuses: list[tuple[str, str]]
    results: list[Result] = field(default_factory=list)
    found: int = 0
    problem: str = ""
    searched: bool = False


def number(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) <= 12 else None


async def read_filters(db: AsyncSession, visitor: Visitor, query: dict[str, str]) -> Filters:
    """The form's values, each id checked against the visitor's communes (404)."""
    found = Filters(text=query.get("q", "").strip())
    if raw := query.get("xa", ""):
        found.org = visitor.organizations.get(number(raw) or -1)
        if found.org is None:
            raise web.HTTPNotFound()
    if raw := query.get("ke_hoach", ""):
        plan = await db.get(Plan, number(raw) or -1)
        if plan is None or plan.organization_id not in visitor.organizations:
            raise web.HTTPNotFound()
        found.plan, found.org = plan, found.org or visitor.organizations[plan.organization_id]
        if plan.organization_id != found.org.id:
            raise web.HTTPNotFound()
    if raw := query.get("don_vi", ""):
        unit = await db.get(Unit, number(raw) or -1)
        if unit is None or unit.organization_id not in visitor.organizations:
            raise web.HTTPNotFound()
        found.unit, found.org = unit, found.org or visitor.organizations[unit.organization_id]
        if unit.organization_id != found.org.id:
            raise web.HTTPNotFound()
    status = query.get("tinh_trang", "")
    found.status = status if status in STATUS_CHOICES else ""
    if (month := _MONTH.match(query.get("thang", ""))) and 1 <= int(month.group(2)) <= 12:
        found.month = (int(month.group(1)), int(month.group(2)))
    return found


def kept(task: Task, filters: Filters, today: date, deadline_end) -> bool:  # noqa: ANN001
    if filters.month and (
        task.deadline_due is None
        or (task.deadline_due.year, task.deadline_due.month) != filters.month
    ):
        return False
    if filters.status == OVERDUE:
        return classify(current_facts(task), today, deadline_end=deadline_end) == OVERDUE
    return not filters.status or task.status == filters.status


async def search(request: web.Request) -> web.StreamResponse:
    db, visitor = request[DB], request[VISITOR]
    services = site_of(request).services
    filters = await read_filters(db, visitor, dict(request.query))
    orgs = sorted(visitor.organizations.values(), key=lambda o: o.name)
    scope = [filters.org] if filters.org else orgs
    one = filters.org or (orgs[0] if len(orgs) == 1 else None)
    plans = await organization_plans(db, one) if one else []
    units = (
        list(
            await db.scalars(select(Unit).where(Unit.organization_id == one.id).order_by(Unit.name))
        )
        if one
        else []
    )
    statuses = [(key, _(STATUS_LABELS[key])) for key in STATUS_LABELS] + [(OVERDUE, _("Quá hạn"))]
    view = SearchView(filters, orgs, plans, units, statuses)
    query, problem = read_query(filters.text) if filters.text else (None, None)
    if problem == "long":
        view.problem = _("Từ khóa dài quá; anh/chị gõ ngắn hơn (tối đa {n} ký tự, 8 từ).").format(
            n=MAX_QUERY
        )
    elif query is None and not filters.any:
        if filters.text:
            view.problem = _("Anh/chị gõ từ khóa có chữ hoặc số, ví dụ: dan chu.")
        return render(request, "search.html", view=view)
    if view.problem:
        return render(request, "search.html", view=view)
    tasks: list[Task] = []
    for org in sorted(scope, key=lambda o: o.id):
        found = await list_tasks(
            db, org, plan=filters.plan, unit_ids=[filters.unit.id] if filters.unit else None
        )
        today = services.clock.now(ZoneInfo(org.timezone)).date()
        tasks += [t for t in found if kept(t, filters, today, services.calendar.deadline_end)]
    if query is not None:
        evidence = await status_texts(db, [t.id for t in tasks])
        ranked = [task for _score, task in matching(query, tasks, evidence)]
    else:
        ranked = sorted(tasks, key=lambda t: (t.plan.organization_id, sort_key(t)))
    view.searched, view.found = True, len(ranked)
    several = len(scope) > 1
    for task in ranked[:SHOWN]:
        org = visitor.organizations[task.plan.organization_id]
        today = services.clock.now(ZoneInfo(org.timezone)).date()
        view.results.append(
            Result(
                task,
                org.name if several else "",
                ", ".join(lead_names(task)) or task.lead_note or "",
                status_label(task.status, task.percent),
                deadline_in_words(task, today, services.calendar),
                can_read_task(visitor.grants, task_units(task)),
            )
        )
    return render(request, "search.html", view=view)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/web/tim", search)
