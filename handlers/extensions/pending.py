"""The extension requests waiting for a decision, in one message: /duyet alone, for the
leaders and admins of the organization (task number and short content, unit, who
asked and when, the date asked for, the reason), with Approve / Reject buttons for each
on Telegram and numbered choices elsewhere; and the same, shorter, in the weekly digest."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from handlers.context import Request
from handlers.extensions.notices import button_label
from handlers.guards import not_registered
from handlers.messages import Button, Outgoing
from handlers.permissions import can_decide_extension
from handlers.short_text import short
from handlers.tasks.view import lead_names
from language.formats import format_date, format_moment
from locales import _, ngettext
from models.extension_store import Pending, pending_requests

FROM_LIST = "l"  # marks a button of this list: its answer comes apart, the list stays
LIST_LIMIT = 8  # requests listed in one message; the others are counted
DIGEST_LIMIT = 10  # requests named in the weekly digest


def unit_of(pending: Pending) -> str:
    return ", ".join(lead_names(pending.task)) or pending.task.lead_note or _("Chưa rõ đơn vị")


def who_of(pending: Pending) -> str:
    person = pending.request.person
    return person.display_name if person is not None else "?"


def entry(pending: Pending, zone: ZoneInfo) -> str:
    """One request, in short lines (a phone shows about 60 characters)."""
    task, row = pending.task, pending.request
    asked = _("Xin đến {until}").format(until=format_date(row.until) if row.until else "?")
    if task.deadline_due:
        asked += " " + _("(hạn hiện tại {date})").format(date=format_date(task.deadline_due))
    lines = [
        _("• NV {number} «{content}»").format(number=task.number, content=short(task.content, 48)),
        "  "
        + _("{unit}; {who} gửi lúc {when}").format(
            unit=unit_of(pending),
            who=who_of(pending),
            when=format_moment(row.created_at.astimezone(zone)),
        ),
        "  " + asked,
    ]
    if row.reason:
        lines.append("  " + _("Lý do: {reason}.").format(reason=short(row.reason, 160).rstrip(".")))
    return "\n".join(lines)


async def pending_list(request: Request) -> list[Outgoing]:
    """/duyet alone: every request waiting in the organizations the person decides for."""
    if not request.grants:
        return not_registered()
    org_ids = sorted({g.organization_id for g in request.grants})
    deciding = [o for o in org_ids if can_decide_extension(request.grants, o)]
    if not deciding:
        return [Outgoing(_("Chỉ lãnh đạo mới duyệt được đề nghị gia hạn."))]
    found = await pending_requests(request.session, deciding)
    if not found:
        return [Outgoing(_("Hiện không có đề nghị gia hạn nào đang chờ duyệt."))]
    org = request.organization
    zone = ZoneInfo(org.timezone if org is not None else request.services.timezone)
    shown = found[:LIST_LIMIT]
    lines = [_("Đề nghị gia hạn đang chờ duyệt ({n}):").format(n=len(found))]
    lines += [entry(p, zone) for p in shown]
    if len(found) > len(shown):
        lines.append(
            ngettext(
                "… và {n} đề nghị khác; nhắn /duyet SỐ hoặc /tuchoi SỐ lý do cho từng nhiệm vụ.", "… và {n} đề nghị khác; nhắn /duyet SỐ hoặc /tuchoi SỐ lý do cho từng nhiệm vụ.", len(found) - len(shown)).format(n=len(found) - len(shown))
        )
    if not request.has_buttons:
        # The numbered choices follow this line on a text channel: "…, or:" leads to them.
        lines.append(_("Nhắn /duyet SỐ để duyệt, /tuchoi SỐ lý do để từ chối, hoặc:"))
    buttons = [
        [
            Button(
                button_label(_("Duyệt"), p.task.number),
                f"extok:{p.request.id}:{FROM_LIST}",
            ),
            Button(
                button_label(_("Từ chối"), p.task.number),
                f"extno:{p.request.id}:{FROM_LIST}",
            ),
        ]
        for p in shown
    ]
    return [Outgoing("\n".join(lines), buttons=buttons, task_ids=tuple(p.task.id for p in shown))]


def digest_lines(found: list[Pending]) -> list[str]:
    """The weekly digest's part on waiting requests ("" lines when none)."""
    if not found:
        return []
    lines = [_("Đề nghị gia hạn chờ duyệt: {n}").format(n=len(found))]
    for p in found[:DIGEST_LIMIT]:
        until = format_date(p.request.until) if p.request.until else "?"
        lines.append(
            "  "
            + _("NV {number} – {unit} – {who} xin đến {until}").format(
                number=p.task.number, unit=unit_of(p), who=who_of(p), until=until
            )
        )
    if len(found) > DIGEST_LIMIT:
        lines.append("  " + ngettext("… và {n} đề nghị khác", "… và {n} đề nghị khác", len(found) - DIGEST_LIMIT).format(n=len(found) - DIGEST_LIMIT))
    lines.append("  " + _("Nhắn /duyet để xem và quyết định."))
    return lines
