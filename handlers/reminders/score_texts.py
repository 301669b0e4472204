"""The text of a "score_due" notice: the self-assessment date of the sheet and the
recipient's units' items not yet scored, with the way to report one (/diem), and the
items listed (the message's focus: a bare reply to it is about them)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.short_text import short, without_bullet
from language.formats import format_date
from locales import _, ngettext
from models.outbox import OutboxItem
from models.people import Membership
from models.score_tree import format_points
from models.scores import ScoreSheet
from scheduler.score_reminders import ScoreReminderSettings, assessment_date, unscored_items

SHOWN = 10


def _due(item: OutboxItem) -> date | None:
    """The date the notice was planned for ("sheet7:2026-06-10:2026-06-03")."""
    parts = item.occurrence.split(":")
    try:
        return date.fromisoformat(parts[1]) if len(parts) == 3 else None
    except ValueError:
        return None


async def score_notice(session: AsyncSession, item: OutboxItem) -> tuple[str, tuple[int, ...]]:
    sheet = await session.get(ScoreSheet, int(item.detail)) if (item.detail or "").isdigit() else None
    if sheet is None:
        return "", ()
    units = set(
        await session.scalars(
            select(Membership.unit_id).where(
                Membership.person_id == item.recipient_id,
                Membership.organization_id == sheet.organization_id,
                Membership.unit_id.is_not(None),
            )
        )
    )
    items = await unscored_items(session, sheet.id, units)
    if not items:
        return "", ()
    due = _due(item) or assessment_date(sheet.period, sheet.year, ScoreReminderSettings())
    lines = [
        ngettext("Nhắc tự chấm điểm «{title}» trước ngày {date}: đơn vị anh/chị còn {n} mục chưa báo điểm:", "Nhắc tự chấm điểm «{title}» trước ngày {date}: đơn vị anh/chị còn {n} mục chưa báo điểm:", len(items)).format(
            title=sheet.title, date=format_date(due), n=len(items)
        )
    ]
    lines += [f"• {i.ref}: {short(without_bullet(i.content), 80)} ({format_points(i.max_points)})" for i in items[:SHOWN]]
    if len(items) > SHOWN:
        lines.append(ngettext("… và {n} mục khác.", "… và {n} mục khác.", len(items) - SHOWN).format(n=len(items) - SHOWN))
    lines.append(_("Báo điểm: /diem SỐ ĐIỂM kết quả, ví dụ /diem {ref} {max} Đã thực hiện …").format(
        ref=items[0].ref, max=format_points(items[0].max_points)))
    if len(items[:SHOWN]) == 1:
        lines.append(_("Anh/chị cũng có thể trả lời tin này, ví dụ «đạt {max} điểm, đã thực hiện …», kèm tệp minh chứng nếu có.").format(
            max=format_points(items[0].max_points)))
    else:
        lines.append(_("Hoặc trả lời tin này kèm số mục, ví dụ «mục {ref} đạt {max} điểm».").format(
            ref=items[0].ref, max=format_points(items[0].max_points)))
    return "\n".join(lines), tuple(i.id for i in items[:SHOWN])
