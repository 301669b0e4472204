"""/moi ĐƠN_VỊ [vai_trò]: an admin makes an invite code for a unit and a role."""

from __future__ import annotations

from handlers.context import Request
from handlers.guards import admin_only
from handlers.messages import Outgoing
from handlers.people.register import role_name
from locales import _
from models.invites import create_invite
from models.plan_store import resolve_unit
from models.queries import units_of
from models.unit_names import fold

ROLE_WORDS = {
    "canbo": "officer",
    "officer": "officer",
    "cb": "officer",
    "lanhdao": "leader",
    "leader": "leader",
    "ld": "leader",
    "quantri": "admin",
    "admin": "admin",
    "theodoi": "viewer",
    "viewer": "viewer",
}


async def invite(request: Request, args: str) -> list[Outgoing]:
    if refusal := admin_only(request):
        return refusal
    if request.incoming.chat_type != "private":  # an invite code is a credential
        return [
            Outgoing(
                _(
                    "Vì an toàn, mã mời chỉ được tạo trong trò chuyện riêng với dondoc. Anh/chị vui lòng nhắn /moi cho dondoc ở cửa sổ riêng."
                )
            )
        ]
    org = request.organization
    words = args.split()
    role = "officer"
    for size in (2, 1):  # "canbo", "cán bộ", "lãnh đạo", "admin"…
        tail = fold("".join(words[-size:])) if len(words) >= size else ""
        if tail in ROLE_WORDS:
            role = ROLE_WORDS[tail]
            words = words[:-size]
            break
    unit = None
    if words:
        unit = await resolve_unit(request.session, org, " ".join(words))
        if unit is None:
            known = "; ".join(u.name for u in await units_of(request.session, org))
            text = _("Không tìm thấy đơn vị «{name}» trong {org}.").format(
                name=" ".join(words), org=org.name
            )
            return [Outgoing(text + "\n" + _("Các đơn vị: {units}").format(units=known))]
    elif role == "officer":
        return [
            Outgoing(
                _(
                    "Cách dùng: /moi tên đơn vị và vai (canbo: cán bộ, lanhdao: lãnh đạo, quantri: quản trị, theodoi: người theo dõi), ví dụ: /moi Phòng Kinh tế canbo"
                )
            )
        ]
    created = await create_invite(
        request.session, org, role=role, unit=unit, uses=1, now=request.now
    )
    where = unit.name if unit else org.name
    return [
        Outgoing(
            _(
                "Mã mời cho {where} (vai trò {role}): {code}\nNgười được mời nhắn cho dondoc: /dangky {code}\nMã dùng được một lần, trong 30 ngày."
            ).format(where=where, role=role_name(role), code=created.code)
        )
    ]
