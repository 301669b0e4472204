"""/tim TỪ KHÓA: tasks found by words of their content, product, units or recorded
evidence, in one message in the compact line format of /viec, with a button to open
each task the person may see (/viec SỐ elsewhere). Officers search their
organization's tasks, viewers the organizations they follow, leaders and admins
their organization. The matching rules are ``handlers.tasks.search_rank``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from handlers.context import Request
from handlers.guards import not_registered
from handlers.messages import Outgoing
from handlers.tasks.access import may_view
from handlers.tasks.commands import list_entries
from handlers.tasks.listing import Entry, render
from handlers.tasks.search_rank import MAX_QUERY, Haystack, Query, rank, read_query
from handlers.tasks.view import cooperating_names, lead_names, sort_key
from locales import _, ngettext
from models.plans import Task
from models.queries import list_tasks
from models.search_queries import status_texts

# Three lines a result: 20 stay under Telegram's 4096 characters, 9 under Zalo's 2000.
RESULTS = {"telegram": 20}
TEXT_RESULTS = 9


def haystack(task: Task, evidence: Sequence[str]) -> Haystack:
    """What a task is searched in: its content, product, units and recorded evidence."""
    return Haystack.of(
        task.content,
        [
            task.product or "",
            task.lead_note or "",
            task.cooperating_note or "",
            *lead_names(task),
            *cooperating_names(task),
            *evidence,
        ],
    )


def matching(
    query: Query, tasks: Iterable[Task], evidence: Mapping[int, Sequence[str]]
) -> list[tuple[int, Task]]:
    """The tasks ``query`` finds, best first (``rank``), then by organization and plan
    order: the one rule of /tim and the web view's search (``evidence``: task id → its
    status texts, ``models.search_queries.status_texts``)."""
    found = [
        (score, task)
        for task in tasks
        if (score := rank(query, haystack(task, evidence.get(task.id, ())))) is not None
    ]
    found.sort(key=lambda pair: (pair[0], pair[1].plan.organization_id, sort_key(pair[1])))
    return found


async def search(request: Request, args: str) -> list[Outgoing]:
    if not request.grants:
        return not_registered()
    query, problem = read_query(args)
    if problem == "long":
        return [
            Outgoing(
                _("Từ khóa dài quá; anh/chị gõ ngắn hơn (tối đa {n} ký tự, 8 từ).").format(
                    n=MAX_QUERY
                )
            )
        ]
    if query is None:
        return [Outgoing(_("Cách dùng: /tim TỪ KHÓA, ví dụ: /tim dan chu hoặc /tim Phòng Kinh tế"))]
    tasks: list[Task] = []
    for org in sorted(request.organizations.values(), key=lambda o: o.id):
        tasks += await list_tasks(request.session, org, today=request.today(org))
    evidence = await status_texts(request.session, [t.id for t in tasks])
    found = matching(query, tasks, evidence)
    shown_query = " ".join(args.split())
    if not found:
        return [
            Outgoing(
                _("Không tìm thấy nhiệm vụ nào có «{query}». Anh/chị thử từ khóa khác.").format(
                    query=shown_query
                )
            )
        ]
    limit = RESULTS.get(request.incoming.channel, TEXT_RESULTS)
    results = [task for _score, task in found[:limit]]
    several = len(request.organizations) > 1
    entries = []
    for entry in await list_entries(request, results, unit=True):
        if several:
            org = request.organizations[entry.task.plan.organization_id].name
            entry = Entry(
                entry.task, entry.pending_until, entry.has_pending, f"{org} · {entry.unit}"
            )
        entries.append(entry)
    openable = {t.id for t in results if may_view(request, t)}
    footer = []
    if len(found) > limit:
        footer.append(
            ngettext("… và {n} nhiệm vụ khác; anh/chị thêm từ khóa để thu hẹp.", "… và {n} nhiệm vụ khác; anh/chị thêm từ khóa để thu hẹp.", len(found) - limit).format(
                n=len(found) - limit
            )
        )
    if openable and request.has_buttons:
        footer.append(_("Bấm số nhiệm vụ bên dưới để mở."))
    elif openable:
        footer.append(_("Xem một nhiệm vụ: /viec SỐ."))
    header = _("Tìm thấy {n} nhiệm vụ có «{query}»:").format(n=len(found), query=shown_query)
    listing = render(
        header,
        entries,
        today=request.today(),
        calendar=request.services.calendar,
        has_buttons=request.has_buttons,
        footer=tuple(footer),
        openable=openable,
    )
    return [
        Outgoing(
            listing.text,
            buttons=listing.buttons,
            task_ids=tuple(t for t in listing.task_ids if t in openable),
        )
    ]
