"""A leader's /viec on one phone screen: the whole organization's open tasks counted by
status and by lead unit (the units with overdue tasks first), then the tasks a page at a
time, overdue first and then the nearest deadlines. A leader follows the commune, so the
counts come before any list; a list of all 39 tasks at once is 75 lines on a phone.

Pure: the caller looks the tasks up and renders the page's entries (``listing``)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from handlers.tasks.listing import OVERDUE_MARK, PENDING_MARK, WIDTH, shorten
from handlers.tasks.view import is_overdue, lead_names, sort_key
from locales import _, ngettext
from models.org_names import org_name
from models.plans import Task
from scheduler.workdays import WorkCalendar

LEADER_PAGE = 8  # tasks a page: the counts above them stay on the same screen
UNITS_SHOWN = 6  # lead units named; the others are summed on one line


def leader_order(tasks: list[Task], today: date, calendar: WorkCalendar) -> list[Task]:
    """Overdue first, then the nearest deadline (``sort_key``)."""
    return sorted(tasks, key=lambda t: (not is_overdue(t, today, calendar), sort_key(t)))


def status_line(
    tasks: list[Task], today: date, calendar: WorkCalendar, pending: set[int]
) -> str:
    """ "Gồm: ❗ 2 quá hạn · 5 đang thực hiện · 32 chưa thực hiện · ⏳ 1 chờ duyệt gia hạn":
    each open task once, overdue before its status."""
    overdue = sum(is_overdue(t, today, calendar) for t in tasks)
    doing = sum(t.status == "in_progress" and not is_overdue(t, today, calendar) for t in tasks)
    parts = [_("{mark} {n} quá hạn").format(mark=OVERDUE_MARK, n=overdue)] if overdue else []
    if doing:
        parts.append(_("{n} đang thực hiện").format(n=doing))
    if rest := len(tasks) - overdue - doing:
        parts.append(_("{n} chưa thực hiện").format(n=rest))
    if waiting := len(pending & {t.id for t in tasks}):
        parts.append(_("{mark} {n} chờ duyệt gia hạn").format(mark=PENDING_MARK, n=waiting))
    # Never a line that starts with a count: "39 chưa thực hiện" reads as task 39.
    return _("Gồm: {parts}").format(parts=" · ".join(parts))


def unit_lines(tasks: list[Task], today: date, calendar: WorkCalendar) -> list[str]:
    """One line per lead unit, those with overdue tasks first, then the most tasks:
    "• Phòng Văn hóa - Xã hội: 16 (❗ 1 quá hạn)"."""
    counts: Counter[str] = Counter()
    late: Counter[str] = Counter()
    for task in tasks:
        for unit in lead_names(task) or [task.lead_note or _("Chưa rõ đơn vị")]:
            counts[unit] += 1
            late[unit] += is_overdue(task, today, calendar)
    ordered = sorted(counts, key=lambda u: (-late[u], -counts[u], u))
    lines = []
    named = ordered if len(ordered) <= UNITS_SHOWN + 1 else ordered[:UNITS_SHOWN]
    for unit in named:
        said = f"{counts[unit]}"
        if late[unit]:
            said += " " + _("({mark} {n} quá hạn)").format(mark=OVERDUE_MARK, n=late[unit])
        lines.append(f"• {shorten(unit, WIDTH - 14)}: {said}")
    if others := ordered[len(named) :]:
        lines.append(
            ngettext("• {n} đơn vị khác: {count}", "• {n} đơn vị khác: {count}", len(others)).format(
                n=len(others), count=sum(counts[u] for u in others)
            )
        )
    return lines


def leader_header(
    org: str,
    tasks: list[Task],
    shown: list[Task],
    *,
    page: int,
    pages: int,
    today: date,
    calendar: WorkCalendar,
    pending: set[int],
) -> str:
    """The counts (first page only), then what the page lists."""
    total = ngettext("{n} nhiệm vụ đang mở", "{n} nhiệm vụ đang mở", len(tasks)).format(
        n=len(tasks)
    )
    org = org_name(org).of_whom  # "Toàn xã X", not "Toàn Xã X"
    if page > 1:
        return _("Toàn {org}: {total}, trang {page}/{pages}:").format(
            org=org, total=total, page=page, pages=pages
        )
    lines = [
        _("Toàn {org}: {total}.").format(org=org, total=total),
        status_line(tasks, today, calendar, pending),
        _("Theo đơn vị chủ trì:"),
        *unit_lines(tasks, today, calendar),
    ]
    if any(is_overdue(t, today, calendar) for t in shown):
        listed = _("Quá hạn trước, rồi hạn gần nhất")
    else:
        listed = _("Hạn gần nhất trước")
    if pages > 1:
        listed += " " + _("(trang {page}/{pages})").format(page=page, pages=pages)
    lines.append("\n" + listed + ":")
    return "\n".join(lines)


def leader_footer(page: int, pages: int, left: int, *, overdue: bool) -> list[str]:
    """The next page, and the overdue-only list when some are overdue."""
    if page >= pages:
        return []
    more = ngettext(
        "Còn {n} nhiệm vụ: /viec trang {page}", "Còn {n} nhiệm vụ: /viec trang {page}", left
    ).format(n=left, page=page + 1)
    if overdue:
        more += " · " + _("chỉ việc quá hạn: /viec quahan")
    return [more]


def only_pages(pages: int, count: int, command: str = "/viec") -> str:
    """A page asked for past the last one: said, instead of the last page again."""
    return ngettext(
        "Danh sách chỉ có {pages} trang ({n} nhiệm vụ), anh/chị đã xem hết. Nhắn {command} để xem lại từ đầu.",
        "Danh sách chỉ có {pages} trang ({n} nhiệm vụ), anh/chị đã xem hết. Nhắn {command} để xem lại từ đầu.",
        pages,
    ).format(pages=pages, n=count, command=command)
