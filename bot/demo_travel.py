"""The demo's time jumps (``/tua``): the bot runs through the jump as if it had been up
all along, and then says what it sent meanwhile, to whom — a few short lines, one per
person, that read on a 60-column screen:

    Trong lúc tua, dondoc đã gửi 9 tin cho 3 người:
    • Nguyễn Thị Lan (Phòng VH-XH): nhắc NV 3, 7; quá hạn NV 5
    • Đoàn Phụng Trinh (Chủ tịch): đôn đốc NV 5; tổng hợp tuần ×2

What was sent is read back from the outbox (what the dispatcher marked sent in the
window), so the summary is the record, not the channel's guess. :func:`sent_summary` is
the pure part the tests call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.channels.console import ConsoleChannel
from bot.reminders import ReminderService
from locales import _, ngettext
from models.outbox import FOLDED, PENDING, SENT, OutboxItem
from models.people import Identity, Person
from models.plans import Task
from scheduler.clock import Clock

STEP = timedelta(days=28)  # plan the outbox again this often during a long jump
MAX_NUMBERS = 8  # task numbers named per kind; more are counted
REMINDER_KINDS = ("before_due", "due_day", "report")


@dataclass(frozen=True)
class SentItem:
    """One outbox row sent during the jump."""

    recipient: str  # the person's name
    chat_id: str
    message_id: str
    kind: str
    to_leaders: bool = False
    task_number: str | None = None
    task_position: int = 0


def _label(item: SentItem) -> str:
    if item.task_number is not None:
        if item.to_leaders:
            return _("đôn đốc NV")
        if item.kind == "overdue":
            return _("quá hạn NV")
        if item.kind == "cooperating_note":
            return _("phối hợp NV")
        if item.kind.startswith("extension"):
            return _("gia hạn NV")
        if item.kind in REMINDER_KINDS:
            return _("nhắc NV")
    return {
        "weekly_digest": _("tổng hợp tuần"),
        "no_recipient": _("đơn vị chưa có người nhận"),
        "unreachable": _("báo không nhắn được"),
        "send_failed": _("báo gửi lỗi"),
        "link_request": _("liên kết tài khoản"),
        "score_due": _("nhắc chấm điểm"),
    }.get(item.kind, _("thông báo"))


def _numbers(items: list[SentItem]) -> str:
    seen: dict[str, int] = {}
    for item in items:
        if item.task_number is not None:
            seen.setdefault(item.task_number, item.task_position)
    numbers = sorted(seen, key=lambda n: seen[n])
    shown = ", ".join(numbers[:MAX_NUMBERS])
    if len(numbers) > MAX_NUMBERS:
        shown += ngettext(" và {n} NV khác", " và {n} NV khác", len(numbers) - MAX_NUMBERS).format(n=len(numbers) - MAX_NUMBERS)
    return shown


def sent_summary(items: Sequence[SentItem], who: Mapping[str, str]) -> list[str]:
    """The lines that say what was sent during a jump: a headline with the number of
    messages and people, then one line per person (in the order first sent), each
    kind once, with its task numbers. ``who``: a short label per chat (the unit)."""
    if not items:
        return [_("Trong lúc tua, dondoc không gửi tin nào.")]
    people: dict[str, list[SentItem]] = {}
    for item in items:
        people.setdefault(item.chat_id, []).append(item)
    messages = len({(i.chat_id, i.message_id) for i in items})
    lines = [
        _("Trong lúc tua, dondoc đã gửi {messages} cho {people}:").format(
            messages=ngettext("{n} tin", "{n} tin", messages).format(n=messages),
            people=ngettext("{n} người", "{n} người", len(people)).format(n=len(people)),
        )
    ]
    for chat_id, mine in people.items():
        kinds: dict[str, list[SentItem]] = {}
        for item in mine:
            kinds.setdefault(_label(item), []).append(item)
        parts = []
        for label, group in kinds.items():
            if group[0].task_number is not None:
                parts.append(f"{label} {_numbers(group)}")
            else:
                count = len({i.message_id for i in group})
                parts.append(label if count == 1 else f"{label} ×{count}")
        name = mine[0].recipient
        if who.get(chat_id):
            name = f"{name} ({who[chat_id]})"
        lines.append(f"• {name}: {'; '.join(parts)}")
    return lines


async def sent_between(
    reminders: ReminderService, start: datetime, end: datetime
) -> list[SentItem]:
    """The outbox rows sent (or folded into a message) in ``start < sent_at < end``."""
    async with reminders.sessions() as session:
        rows = await session.execute(
            select(
                OutboxItem, Person.display_name, Identity.external_id, Task.number, Task.position
            )
            .join(Person, Person.id == OutboxItem.recipient_id)
            .outerjoin(
                Identity,
                (Identity.person_id == Person.id) & (Identity.channel == OutboxItem.channel),
            )
            .outerjoin(Task, Task.id == OutboxItem.task_id)
            .where(
                OutboxItem.state.in_((SENT, FOLDED)),
                OutboxItem.sent_at > start,
                OutboxItem.sent_at < end,
            )
            .order_by(OutboxItem.sent_at, OutboxItem.id)
        )
        return [
            SentItem(
                recipient=name,
                chat_id=chat or f"#{item.recipient_id}",
                message_id=item.message_id or str(item.id),
                kind=item.kind,
                to_leaders=item.to_leaders,
                task_number=number,
                task_position=position or 0,
            )
            for item, name, chat, number, position in rows
        ]


async def travel(
    reminders: ReminderService,
    channel: ConsoleChannel,
    clock: Clock,
    target: datetime,
    who: Mapping[str, str],
) -> list[str]:
    """Run the bot through the jump: stop at each moment a reminder was due and send it
    (not printed), then print what is due at the moment reached. Returns the summary of
    what went out on the way, printed before those."""
    start = clock.now()
    channel.quiet, channel.muted, channel.held = True, {}, {}
    try:
        lower = start
        first = True
        while True:
            step_end = min(lower + STEP, target)
            clock.move_to(lower)
            await reminders.plan()
            async with reminders.sessions() as session:
                since = OutboxItem.send_at > lower if first else OutboxItem.send_at >= lower
                moments = list(
                    await session.scalars(
                        select(OutboxItem.send_at)
                        .where(OutboxItem.state == PENDING, since, OutboxItem.send_at < step_end)
                        .distinct()
                        .order_by(OutboxItem.send_at)
                    )
                )
            for moment in moments:
                clock.move_to(moment)
                await reminders.tick()
            if step_end >= target:
                break
            lower, first = step_end, False
    finally:
        channel.quiet = False
    clock.move_to(target)
    sent = await sent_between(reminders, start, target)
    return sent_summary(sent, who)


def show_my_last(channel: ConsoleChannel) -> None:
    """The last message the person you are got during the jump, in full: a summary line
    "nhắc NV 1" gave nothing to answer."""
    last = channel.held.pop(channel.me.key, None)
    if last is not None:
        channel.say(_("Tin gần nhất dondoc gửi cho anh/chị trong lúc tua:"))
        channel.show(last)


async def after_travel(reminders: ReminderService) -> None:
    """What is due at the moment reached goes out (printed) once the summary is shown."""
    await reminders.plan()
    await reminders.tick()
