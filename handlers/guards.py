"""The answers that stop a request before a feature runs: the person is not registered,
or the command is for admins only."""

from __future__ import annotations

from handlers.context import Request
from handlers.messages import Outgoing
from handlers.permissions import is_admin
from locales import _


def not_registered() -> list[Outgoing]:
    return [
        Outgoing(
            _(
                "Anh/chị chưa đăng ký với dondoc. Vui lòng nhắn /dangky kèm mã mời do văn phòng cấp, ví dụ: /dangky ABCD2345."
            )
        )
    ]


def admin_only(request: Request) -> list[Outgoing] | None:
    """The answer to a person who may not use admin commands; None for an admin."""
    if request.organization is None:
        return not_registered()
    if not is_admin(request.grants, request.organization.id):
        return [Outgoing(_("Lệnh này chỉ dành cho quản trị của xã/phường."))]
    return None
