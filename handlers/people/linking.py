"""One person on Telegram and Zalo. /lienket, in a private chat of a registered account,
gives a code; typed on the other channel (/lienket MÃ) it asks to join the two
accounts, and the account that made the code answers "Tài khoản Zalo «…» xin liên
kết — [Đồng ý] [Không]" (buttons, numbered choices, or /lienket dongy | khong). Only
then are both joined into one person with one history. /kenh chooses where reminders go
(default: the channel used last).

A code is a credential: never shown or accepted in a group, used once, and wrong
guesses are limited per account and per organization (models/attempts.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.context import Request
from handlers.messages import Button, Outgoing
from handlers.people.newcomers import drop_unless_joined
from handlers.people.register import guess_scopes, refused_for_guessing
from locales import _
from models.attempts import forget, record_failure, scopes_for
from models.invites import reload_person
from models.linking import (
    CONFIRM_VALID,
    LinkCode,
    claim,
    drop_code,
    merge_people,
    new_link_code,
    open_code,
    pending_request,
    show_code,
)
from models.outbox import CANCELLED, PENDING, OutboxItem, Owed, request_replan, upsert
from models.people import CHANNELS, Identity, Membership, Person
from models.unit_names import fold

CHANNEL_NAMES = {"telegram": "Telegram", "zalo": "Zalo", "console": "dòng lệnh"}
LINK_REQUEST = "link_request"  # the outbox kind that asks the owner to agree
YES_WORDS = {"dongy", "co", "ok", "yes"}
NO_WORDS = {"khong", "tuchoi", "no"}
# Button data: "lkok:<link_code id>" agrees, "lkno:<id>" refuses.
BUTTON_KINDS = ("lkok", "lkno")


async def link(request: Request, args: str) -> list[Outgoing]:
    word = fold(args).replace(" ", "")
    if not word:
        return await _make_code(request)
    if word in YES_WORDS or word in NO_WORDS:
        return await answer(request, None, agree=word in YES_WORDS)
    return await _redeem(request, args)


async def _make_code(request: Request) -> list[Outgoing]:
    if not request.grants:  # only a registered account can be joined from elsewhere
        return [
            Outgoing(
                _(
                    "Chỉ tài khoản đã đăng ký mới tạo được mã liên kết. Nhắn /lienket trên tài khoản đã đăng ký, rồi nhập mã ở đây."
                )
            )
        ]
    if request.incoming.chat_type != "private":
        return [
            Outgoing(
                _(
                    "Mã liên kết chỉ được gửi trong cuộc trò chuyện riêng. Vui lòng nhắn /lienket riêng cho dondoc."
                )
            )
        ]
    await _cancel_questions(request.session, request.person.id)  # their requests are void
    code = show_code(await new_link_code(request.session, request.person, request.now))
    return [
        Outgoing(
            _(
                "Mã liên kết: {code} (dùng một lần, trong 15 phút; không đưa mã cho người khác). Mở dondoc trên kênh kia (Telegram hoặc Zalo), nhắn riêng: /lienket {code} — rồi đồng ý ở đây."
            ).format(code=code)
        )
    ]


async def _redeem(request: Request, typed: str) -> list[Outgoing]:
    session, person, now = request.session, request.person, request.now
    scopes = guess_scopes(request)
    refused = await refused_for_guessing(request, scopes)
    if refused:
        return refused
    row = await open_code(session, typed, now)
    if request.incoming.chat_type != "private":
        # The whole group has seen it: a real code is void, a wrong one counts as a guess.
        if row is not None:
            await drop_code(session, row.id)
        else:
            await record_failure(session, scopes, now)
        return [
            Outgoing(
                _(
                    "Mã liên kết chỉ dùng trong cuộc trò chuyện riêng với dondoc. Nếu mã vừa gửi là mã thật, mã đó đã bị hủy vì cả nhóm đã thấy; vui lòng lấy mã mới."
                )
            )
        ]
    if row is not None and row.person_id == person.id:
        return [Outgoing(_("Mã này là của chính tài khoản này; hãy nhập nó trên kênh còn lại."))]
    if row is not None and request.grants:
        # Joining two registered accounts could merge two different people: refuse.
        await drop_code(session, row.id)
        return [
            Outgoing(
                _(
                    "Tài khoản này đã đăng ký với dondoc nên không liên kết bằng mã được. Nếu cần gộp hai tài khoản, vui lòng liên hệ quản trị."
                )
            )
        ]
    if row is None or not await claim(session, row, person, request.incoming.channel, now):
        await record_failure(session, scopes, now)
        return [
            Outgoing(
                _(
                    "Mã liên kết không đúng hoặc đã hết hạn. Nhắn /lienket trên kênh kia để lấy mã mới."
                )
            )
        ]
    await forget(session, scopes[0])
    await _ask_owner(session, row, now)
    return [
        Outgoing(
            _(
                "Đã gửi yêu cầu liên kết tới tài khoản đã tạo mã. Vui lòng đồng ý trên tài khoản đó trong {minutes} phút; sau đó anh/chị dùng được dondoc ở đây."
            ).format(minutes=int(CONFIRM_VALID.total_seconds() // 60))
        )
    ]


async def _ask_owner(session: AsyncSession, row: LinkCode, now: datetime) -> None:
    """Queue the question for the owner: on their own channel, which may be another."""
    org_id = await session.scalar(
        select(Membership.organization_id)
        .where(Membership.person_id == row.person_id)
        .order_by(Membership.id)
        .limit(1)
    )
    if org_id is None:
        return  # the owner left every organization: the request simply expires
    await upsert(
        session,
        [Owed(org_id, None, LINK_REQUEST, str(row.id), row.person_id, now, row.expires_at)],
    )


async def _cancel_questions(session: AsyncSession, owner_id: int) -> None:
    """Questions not yet sent about requests that are answered or void."""
    await session.execute(
        update(OutboxItem)
        .where(
            OutboxItem.recipient_id == owner_id,
            OutboxItem.kind == LINK_REQUEST,
            OutboxItem.state == PENDING,
        )
        .values(state=CANCELLED)
        .execution_options(synchronize_session=False)
    )


async def link_notice(
    session: AsyncSession, item: OutboxItem, *, has_buttons: bool
) -> tuple[str, list[list[Button]]]:
    """The owner's question for an outbox row of kind ``LINK_REQUEST``."""
    row = await session.get(LinkCode, int(item.occurrence)) if item.occurrence.isdigit() else None
    if row is None or row.claimant_id is None or row.person_id != item.recipient_id:
        return "", []  # answered, replaced or expired meanwhile
    claimant = await session.get(Person, row.claimant_id)
    name = claimant.display_name if claimant else "?"
    channel = CHANNEL_NAMES.get(row.claim_channel or "", row.claim_channel or "?")
    text = _(
        "Tài khoản {channel} «{name}» xin liên kết với tài khoản dondoc của anh/chị, bằng mã liên kết vừa tạo. Nếu không phải anh/chị, chọn «Không»."
    ).format(channel=channel, name=name)
    text += "\n" + _("Hoặc nhắn /lienket dongy để đồng ý, /lienket khong để từ chối.")
    buttons = [[Button(_("Đồng ý"), f"lkok:{row.id}"), Button(_("Không"), f"lkno:{row.id}")]]
    return text, buttons


async def button(request: Request, kind: str, row_id: str) -> list[Outgoing]:
    """A pressed [Đồng ý] / [Không] (or its number on a text channel)."""
    if kind not in BUTTON_KINDS or not row_id.isdigit() or len(row_id) > 12:
        return [Outgoing(_("Nút này không còn dùng được."))]
    out = await answer(request, int(row_id), agree=kind == "lkok")
    out[0].edit = True
    return out


async def answer(request: Request, row_id: int | None, *, agree: bool) -> list[Outgoing]:
    """The owner agrees to, or refuses, the request waiting for them."""
    session, owner, now = request.session, request.person, request.now
    row = await pending_request(session, owner.id, now, row_id)
    if row is None or row.claimant_id is None:
        return [Outgoing(_("Không có yêu cầu liên kết nào đang chờ anh/chị trả lời."))]
    claimant = await reload_person(session, row.claimant_id)
    channel = row.claim_channel or ""
    await drop_code(session, row.id)
    await _cancel_questions(session, owner.id)
    where = _("tài khoản {channel} «{name}»").format(
        channel=CHANNEL_NAMES.get(channel, channel), name=claimant.display_name
    )
    if not agree:
        # Someone had the code and the owner says no: that counts as a wrong guess.
        for identity in claimant.identities:
            await record_failure(session, scopes_for(identity.channel, identity.external_id, [])[:1], now)
        await drop_unless_joined(session, claimant)  # a refused stranger leaves no row
        return [
            Outgoing(
                _(
                    "Đã từ chối: {where} không được liên kết. Nếu anh/chị không đưa mã cho ai, mã có thể đã bị lộ; mã đó đã bị hủy."
                ).format(where=where)
            )
        ]
    if claimant.memberships:
        return [
            Outgoing(
                _(
                    "{where} đã đăng ký riêng với dondoc nên không liên kết được. Nếu cần gộp hai tài khoản, vui lòng liên hệ quản trị."
                ).format(where=where[:1].upper() + where[1:])
            )
        ]
    await merge_people(session, owner, claimant)
    owner = await reload_person(session, owner.id)
    for membership in owner.memberships:  # who and where changed: plan again at once
        await request_replan(session, membership.organization_id, request.now)
    request.person = owner  # the rest of this request speaks for the joined person
    identities = await session.scalars(
        select(Identity.channel).where(Identity.person_id == owner.id)
    )
    names = ", ".join(CHANNEL_NAMES.get(c, c) for c in sorted(set(identities)))
    # This answer is the message to the original account that every link must send.
    return [
        Outgoing(
            _(
                "Đã liên kết {where} vào tài khoản của anh/chị: {name} dùng dondoc trên {channels}, chung một lịch sử. Nếu không phải anh/chị, vui lòng báo quản trị ngay. Lời nhắc sẽ gửi tới kênh anh/chị dùng gần nhất; đổi bằng /kenh telegram hoặc /kenh zalo."
            ).format(where=where, name=owner.display_name, channels=names)
        )
    ]


async def choose_channel(request: Request, args: str) -> list[Outgoing]:
    person = request.person
    wanted = args.strip().lower()
    if wanted in ("", "tudong", "auto"):
        person.preferred_channel = None
        return [Outgoing(_("Lời nhắc sẽ gửi tới kênh anh/chị dùng gần nhất."))]
    if wanted not in CHANNELS:
        return [Outgoing(_("Cách dùng: /kenh telegram, /kenh zalo hoặc /kenh tudong"))]
    if wanted not in {i.channel for i in person.identities}:
        return [
            Outgoing(
                _(
                    "Tài khoản chưa liên kết với {channel}. Nhắn /lienket để lấy mã liên kết."
                ).format(channel=CHANNEL_NAMES[wanted])
            )
        ]
    person.preferred_channel = wanted
    return [
        Outgoing(_("Từ nay lời nhắc sẽ gửi qua {channel}.").format(channel=CHANNEL_NAMES[wanted]))
    ]
