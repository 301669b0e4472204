"""An invite code typed in a group (issue 25, small ones): it is never used there.

Everyone in the group has seen it, so whoever reads fastest could join with the role it
gives; and a person who registers in a group has never opened a private chat, so
Telegram would not let dondoc remind them there. So ``/dangky MÃ`` (or ``/start MÃ``)
in a group does not register anyone: a real, still usable code is voided at once, the
group is told politely to ask the admin for a new code and to register in a private
chat with dondoc, and the organization's admins are told through the outbox (the invite
does not record which admin made it; codes made on the command line have none). A
wrong code counts as a guess, like in a private chat. The answer is the same for a real
and a wrong code. Link codes follow the same rule (``people.linking``)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.context import Request
from handlers.messages import Button, Outgoing
from handlers.people import register as registration
from handlers.people.register import guess_scopes, role_name
from locales import _
from models.attempts import locked_until, record_failure
from models.invites import ALPHABET, CODE_LENGTH, normalize_code
from models.outbox import OutboxItem, Owed, upsert
from models.people import Invite, Membership

INVITE_SEEN = "invite_seen"  # the outbox kind that tells the admins a code was voided
CODE_SHAPE = re.compile(rf"[{ALPHABET}]{{{CODE_LENGTH}}}")  # a whole message that is a code


def in_group(request: Request) -> bool:
    return request.incoming.chat_type != "private"


def private_chat_hint() -> list[Outgoing]:
    return [
        Outgoing(
            _(
                "Đăng ký với dondoc được làm trong trò chuyện riêng, không trong nhóm: anh/chị vui lòng mở trò chuyện riêng với dondoc và nhắn /dangky kèm mã mời do quản trị cấp."
            )
        )
    ]


async def register(request: Request, args: str) -> list[Outgoing]:
    """/dangky [MÃ]: in a private chat as always; in a group, never."""
    if not in_group(request):
        return await registration.register(request, args)
    return await refuse_in_group(request, args.split()[0]) if args.split() else private_chat_hint()


async def start(request: Request, args: str) -> list[Outgoing]:
    """/start [MÃ] (a deep link carries the code): the same rule in a group."""
    if not in_group(request) or (request.grants and not args.split()):
        return await registration.start(request, args)
    return await register(request, args)


async def bare_code(request: Request, text: str) -> list[Outgoing] | None:
    """A registered person's message in a group that is nothing but a live invite code
    ("ABCD-EFGH-23" read aloud included): voided like ``/dangky MÃ``. Anything else,
    and a code-shaped word that is no invite, is not ours (None)."""
    if not in_group(request) or len(text) > 3 * CODE_LENGTH:
        return None
    typed = normalize_code(text)
    if not CODE_SHAPE.fullmatch(typed):
        return None
    if await request.session.scalar(select(Invite.id).where(Invite.code == typed)) is None:
        return None
    return await refuse_in_group(request, typed)


async def refuse_in_group(request: Request, typed: str) -> list[Outgoing]:
    """The answer to an invite code typed in a group; the code is void afterwards."""
    session, now = request.session, request.now
    invite = await session.scalar(select(Invite).where(Invite.code == normalize_code(typed)))
    if invite is None:
        scopes = guess_scopes(request)
        if await locked_until(session, scopes, now) is None:
            await record_failure(session, scopes, now)
    elif invite.uses_left > 0 and (invite.expires_at is None or invite.expires_at > now):
        # Expired rather than used up: a later try reads "đã hết hạn", which is true.
        invite.uses_left, invite.expires_at = 0, now - timedelta(seconds=1)
        await tell_admins(session, invite, now)
    return [
        Outgoing(
            _(
                "Vì an toàn, mã mời chỉ dùng trong trò chuyện riêng với dondoc, không dùng trong nhóm. Cả nhóm đã thấy mã này nên mã đã bị hủy. Anh/chị vui lòng xin quản trị một mã mới, rồi mở trò chuyện riêng với dondoc và nhắn: /dangky MÃ_MỚI"
            )
        )
    ]


async def tell_admins(session: AsyncSession, invite: Invite, now: datetime) -> None:
    """One notice to each admin of the code's organization."""
    admins = await session.scalars(
        select(Membership.person_id).where(
            Membership.organization_id == invite.organization_id, Membership.role == "admin"
        )
    )
    owed = [
        Owed(invite.organization_id, None, INVITE_SEEN, str(invite.id), person_id, now)
        for person_id in sorted(set(admins))
    ]
    await upsert(session, owed)


async def invite_seen_notice(
    session: AsyncSession, item: OutboxItem
) -> tuple[str, list[list[Button]]]:
    """The admin's notice for an outbox row of kind ``INVITE_SEEN``."""
    invite = await session.get(Invite, int(item.occurrence)) if item.occurrence.isdigit() else None
    if invite is None:
        return "", []
    await session.refresh(invite, ["organization", "unit"])
    where = invite.unit.name if invite.unit is not None else invite.organization.name
    return _(
        "Mã mời cho {where} (vai trò {role}) vừa được gửi vào một nhóm trò chuyện nên dondoc đã hủy mã để giữ an toàn. Nếu người được mời vẫn cần đăng ký, anh/chị vui lòng tạo mã mới bằng /moi và gửi riêng cho họ; họ nhắn /dangky MÃ trong trò chuyện riêng với dondoc."
    ).format(where=where, role=role_name(invite.role)), []
