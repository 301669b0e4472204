"""The compiler's word on a score item goes to the unit that leads it: after
`/chamdiem SỐ ĐIỂM [ghi chú]`, every officer of the item's lead units gets one notice
through the outbox (kind "score_confirmed", one per confirmation), composed at send
time: the item, the confirmed score beside the unit's own self-assessment, and the note.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.context import Request
from locales import _
from models.outbox import OutboxItem, Owed, upsert
from models.people import Membership
from models.score_tree import format_points
from models.scores import ScoreEntry, ScoreItem
from scheduler.reminder_policy import next_send_moment

KIND = "score_confirmed"


def _send_time(request: Request) -> datetime:
    """At once, but never at night or on a day off (as the extension notices)."""
    services, org = request.services, request.organization
    zone = org.timezone if org is not None else services.timezone
    return next_send_moment(request.now, services.planning.reminders, services.calendar, zone)


async def tell_lead_units(request: Request, item: ScoreItem, entry: ScoreEntry) -> int:
    """Queue the notice of ``entry`` (a confirmation) for the item's lead officers other
    than the one who confirmed; the number queued."""
    session, organization_id = request.session, request.organization.id
    send_at = _send_time(request)
    units = [u.id for u in item.units("lead")]
    if not units or entry.id is None:
        return 0
    people = set(
        await session.scalars(
            select(Membership.person_id).where(
                Membership.organization_id == organization_id,
                Membership.unit_id.in_(units),
                Membership.role == "officer",
            )
        )
    )
    people.discard(entry.person_id)
    owed = [
        Owed(organization_id, None, KIND, str(entry.id), person, send_at, detail=str(entry.id))
        for person in sorted(people)
    ]
    return await upsert(session, owed)


async def score_confirmed_notice(session: AsyncSession, outbox: OutboxItem) -> str:
    """The text of a "score_confirmed" notice; "" when its entry is gone."""
    entry = await session.get(ScoreEntry, int(outbox.occurrence)) if outbox.occurrence.isdigit() else None
    item = await session.get(ScoreItem, entry.item_id) if entry is not None else None
    if entry is None or item is None:
        return ""
    lines = [
        _("Mục {ref} «{content}» đã được chấm {points}/{max} điểm.").format(
            ref=item.ref,
            content=" ".join(item.content.lstrip("-+• ").split())[:80],
            points=format_points(entry.points),
            max=format_points(item.max_points, "—"),
        )
    ]
    if item.self_points is not None:
        lines.append(
            _("Đơn vị tự đánh giá: {points} điểm.").format(points=format_points(item.self_points))
        )
    if entry.text:
        lines.append(_("Ghi chú: {note}").format(note=entry.text))
    lines.append(_("Xem lại mục: /diem {ref}").format(ref=item.ref))
    return "\n".join(lines)
