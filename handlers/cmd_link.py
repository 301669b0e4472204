"""One person on Telegram and Zalo: /lienket gives a code that, typed on the other
channel (/lienket MÃ), joins both accounts into one person with one history; /kenh
chooses where reminders go (default: the channel used last)."""

from __future__ import annotations

from sqlalchemy import select

from handlers.context import Request
from handlers.messages import Outgoing
from locales import _
from models.invites import reload_person
from models.linking import merge_people, new_link_code, redeem_link_code
from models.people import CHANNELS, Identity

CHANNEL_NAMES = {"telegram": "Telegram", "zalo": "Zalo", "console": "dòng lệnh"}


async def link(request: Request, args: str) -> list[Outgoing]:
    person = request.person
    if not args:
        if not request.grants:  # only a registered account can be joined from elsewhere
            return [
                Outgoing(
                    _(
                        "Chỉ tài khoản đã đăng ký mới tạo được mã liên kết. Nhắn /lienket trên tài khoản đã đăng ký, rồi nhập mã ở đây."
                    )
                )
            ]
        code = await new_link_code(request.session, person, request.now)
        return [
            Outgoing(
                _(
                    "Mã liên kết: {code} (dùng trong 15 phút). Mở dondoc trên kênh kia (Telegram hoặc Zalo) và nhắn: /lienket {code}"
                ).format(code=code)
            )
        ]
    owner = await redeem_link_code(request.session, args.split()[0], request.now)
    if owner is None:
        return [
            Outgoing(
                _(
                    "Mã liên kết không đúng hoặc đã hết hạn. Nhắn /lienket trên kênh kia để lấy mã mới."
                )
            )
        ]
    if request.grants and owner.id != person.id:
        # Joining two registered accounts could merge two different people: refuse.
        return [
            Outgoing(
                _(
                    "Tài khoản này đã đăng ký với dondoc nên không liên kết bằng mã được. Nếu cần gộp hai tài khoản, vui lòng liên hệ quản trị."
                )
            )
        ]
    if owner.id == person.id:
        return [Outgoing(_("Mã này là của chính tài khoản này; hãy nhập nó trên kênh còn lại."))]
    await merge_people(request.session, owner, person)
    owner = await reload_person(request.session, owner.id)
    owner.last_channel = request.incoming.channel
    request.person = owner  # the rest of this request speaks for the joined person
    identities = await request.session.scalars(
        select(Identity.channel).where(Identity.person_id == owner.id)
    )
    channels = sorted(set(identities))
    names = ", ".join(CHANNEL_NAMES.get(c, c) for c in channels)
    return [
        Outgoing(
            _(
                "Đã liên kết: {name} dùng dondoc trên {channels}, chung một lịch sử. Lời nhắc sẽ gửi tới kênh anh/chị dùng gần nhất; đổi bằng /kenh telegram hoặc /kenh zalo."
            ).format(name=owner.display_name, channels=names)
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
