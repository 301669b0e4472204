"""Several tasks in one message, readable on a phone (60 columns): a compact line pair
per task (number and short content, then the deadline in words and the status), a mark
for what is overdue or waits for an extension decision, pages that stay under the
channel's length limit, and on Telegram a button per task that opens its card.

Used by /viec, /tim and the reminders that bundle several tasks. Pure: the caller
looks up what the lines need (``Entry``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from handlers.messages import Button
from handlers.short_text import short
from handlers.tasks.view import CLOSED, is_overdue, status_label
from language.command_names import fold_word
from locales import _, ngettext
from models.plans import Task
from scheduler.workdays import WorkCalendar

WIDTH = 60  # columns of a phone screen
INDENT = "   "
OVERDUE_MARK = "❗"
PENDING_MARK = "⏳"
# Tasks per message: 30 × two lines of ≤ 60 stays under Telegram's 4096 characters,
# 12 under Zalo's 2000 (the third line of a search result included).
PAGE = {"telegram": 30, "console": 30}  # the console demo has no limit
TEXT_PAGE = 12
BUTTONS_PER_ROW = 5
OPEN = "open"  # callback "open:<task id>": the task's card


@dataclass(frozen=True)
class Entry:
    """One task of a list, with what the caller looked up for it."""

    task: Task
    pending_until: date | None = None  # an extension asked for and not decided yet
    has_pending: bool = False
    unit: str | None = None  # the lead unit, shown when the list spans units (search)
    said: str | None = None  # instead of the deadline (a report reminder: the status)


def page_size(channel: str) -> int:
    return PAGE.get(channel, TEXT_PAGE)


def short_date(day: date, today: date) -> str:
    """14/01 in the current year, 14/01/2027 otherwise."""
    return day.strftime("%d/%m") if day.year == today.year else day.strftime("%d/%m/%Y")


def compact_deadline(task: Task, today: date, calendar: WorkCalendar) -> str:
    """The deadline in words, short: "hạn 14/01 — còn 7 ngày làm việc", "hạn hôm nay
    14/01", "hạn 09/01 — quá hạn 3 ngày làm việc" (working days, as on the card)."""
    kind, due = task.deadline_kind, task.deadline_due
    if kind == "continuous":
        return _("thường xuyên")
    if kind == "on_request":
        return _("theo yêu cầu")
    if due is None:
        return shorten(task.deadline_text or _("chưa rõ thời hạn"), 30)
    when = short_date(due, today)
    if task.status in CLOSED:
        return _("hạn {date}").format(date=when)
    end = calendar.deadline_end(due)
    if end == today:  # a due date on a day off runs to this working day: say which
        return _("hạn hôm nay {date}").format(date=short_date(end, today))
    days = calendar.working_days_between(today, end)
    if days > 0:
        return _("hạn {date} — còn {n}").format(
            date=when, n=ngettext("{n} ngày làm việc", "{n} ngày làm việc", days).format(n=days)
        )
    if end > today:
        return _("hạn {date}").format(date=when)
    late = max(1, -days)
    return _("hạn {date} — quá hạn {n}").format(
        date=when, n=ngettext("{n} ngày làm việc", "{n} ngày làm việc", late).format(n=late)
    )


def shorten(text: str, limit: int) -> str:
    return short(text, max(limit, 2))


def task_refs(tasks: list[Task], several: bool = False) -> dict[int, str]:
    """Task id → how to name it: its number, with its plan's code ("CĐS 6") when the
    organization has ``several`` plans or the list spans plans, with the section ("II.3")
    where two listed tasks of one plan share a number."""
    if several or len({t.plan_id for t in tasks}) > 1:
        return {t.id: f"{t.plan.code} {t.number}" if t.plan.code else t.number for t in tasks}
    counts = Counter(t.number for t in tasks)
    return {
        t.id: f"{t.section.numeral}.{t.number}"
        if counts[t.number] > 1 and t.section.numeral
        else t.number
        for t in tasks
    }


def entry_lines(
    entry: Entry, ref: str, today: date, calendar: WorkCalendar
) -> tuple[list[str], set[str]]:
    """The lines of one task and the marks they use."""
    task = entry.task
    marks: set[str] = set()
    mark = ""
    if is_overdue(task, today, calendar):
        mark = OVERDUE_MARK
    elif entry.has_pending:
        mark = PENDING_MARK
    if mark:
        marks.add(mark)
    head = f"{mark}{ref}. "
    # Room for the indent a reply may be shown with (the console demo's 3 columns), so a
    # title cut short never wraps a lone last word ("cơ…") onto a line of its own.
    lines = [head + shorten(task.content, WIDTH - len(head) - 1 - len(INDENT))]
    said = entry.said or compact_deadline(task, today, calendar)
    second = f"{said} · {status_label(task.status, task.percent)}"
    if entry.has_pending:
        if entry.pending_until is not None:
            asked = _("chờ duyệt gia hạn đến {date}").format(
                date=short_date(entry.pending_until, today)
            )
        else:
            asked = _("chờ duyệt gia hạn")
        marks.add(PENDING_MARK)
        if len(INDENT + second + " · " + asked) <= WIDTH:
            second += f" · {asked}"
        else:  # on a line of its own, within the phone's width
            lines.append(INDENT + second)
            second = asked
    lines.append(INDENT + second)
    if entry.unit:
        lines.append(INDENT + shorten(entry.unit, WIDTH - len(INDENT)))
    return lines, marks


def legend(marks: set[str]) -> str | None:
    parts = []
    if OVERDUE_MARK in marks:
        parts.append(_("{mark} quá hạn").format(mark=OVERDUE_MARK))
    if PENDING_MARK in marks:
        parts.append(_("{mark} đang chờ duyệt gia hạn").format(mark=PENDING_MARK))
    return " · ".join(parts) if parts else None


@dataclass(frozen=True)
class Listing:
    text: str
    buttons: list[list[Button]]
    task_ids: tuple[int, ...]  # the tasks shown: a bare reply is asked about


def open_buttons(entries: list[Entry], refs: dict[int, str]) -> list[list[Button]]:
    flat = [Button(refs[e.task.id], f"{OPEN}:{e.task.id}") for e in entries]
    return [flat[i : i + BUTTONS_PER_ROW] for i in range(0, len(flat), BUTTONS_PER_ROW)]


def render(
    header: str,
    entries: list[Entry],
    *,
    today: date,
    calendar: WorkCalendar,
    has_buttons: bool,
    footer: tuple[str, ...] = (),
    openable: set[int] | None = None,
    several: bool = False,
) -> Listing:
    """One message: the header, each entry's lines, the marks' legend, the footer; on a
    channel with buttons one "open" button per task (only those in ``openable`` when
    given)."""
    refs = task_refs([e.task for e in entries], several)
    lines = [header]
    marks: set[str] = set()
    for entry in entries:
        more, used = entry_lines(entry, refs[entry.task.id], today, calendar)
        lines += more
        marks |= used
    if (said := legend(marks)) is not None:
        lines.append(said)
    lines += list(footer)
    buttons: list[list[Button]] = []
    if has_buttons:
        shown = [e for e in entries if openable is None or e.task.id in openable]
        buttons = open_buttons(shown, refs)
    return Listing("\n".join(lines), buttons, tuple(e.task.id for e in entries))


def page_of(items: list, page: int, size: int) -> tuple[list, int, int]:  # type: ignore[type-arg]
    """(the items of ``page`` (1-based, clamped), that page, the number of pages)."""
    pages = max(1, -(-len(items) // size))
    page = min(max(page, 1), pages)
    return items[(page - 1) * size : page * size], page, pages


@dataclass(frozen=True)
class ListArgs:
    overdue_only: bool = False
    page: int = 1


def parse_list_args(args: str) -> ListArgs | None:
    """ "quahan", "quá hạn", "trang 2", "quahan trang 2" → what to list; None when the
    arguments name a task instead ("/viec 12")."""
    words = [fold_word(w) for w in args.split()[:6]]
    words = [w for w in words if w]
    if not words:
        return ListArgs()
    overdue_only, page = False, 1
    i = 0
    while i < len(words):
        word = words[i]
        if word == "quahan":
            overdue_only = True
        elif word == "qua" and i + 1 < len(words) and words[i + 1] == "han":
            overdue_only, i = True, i + 1
        elif word == "trang" and i + 1 < len(words) and words[i + 1].isdigit():
            page, i = int(words[i + 1][:4]), i + 1
        elif word.startswith("trang") and word[5:].isdigit():  # "trang2"
            page = int(word[5:][:4])
        else:
            return None
        i += 1
    return ListArgs(overdue_only, page)
