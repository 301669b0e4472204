"""/web: the answer with a sign-in link to the web view."""

from __future__ import annotations

from handlers.context import Request
from handlers.guards import not_registered
from handlers.messages import Button, Outgoing
from locales import _


async def web_command(request: Request, args: str) -> list[Outgoing]:
    if not request.grants or request.person is None:
        return not_registered()
    links = request.services.web
    if links is None:
        return [Outgoing(_("Trang web của dondoc chưa được bật. Xin báo quản trị của xã/phường."))]
    if request.incoming.chat_type != "private":
        return [
            Outgoing(
                _("Liên kết đăng nhập chỉ gửi trong tin nhắn riêng. Anh/chị vui lòng nhắn /web riêng cho dondoc.")
            )
        ]
    url = await links.issue(request.session, request.person)
    answer = Outgoing(
        _(
            "Mở trang tiến độ: {url}\nLiên kết chỉ dùng được một lần, trong 15 phút, và chỉ cho anh/chị; xin đừng chuyển cho người khác."
        ).format(url=url)
    )
    mini_app = links.mini_app_url() if request.incoming.channel == "telegram" else None
    if mini_app:  # Telegram opens the Mini App in the chat, signed in by its initData
        answer.buttons = [[Button(_("Mở trong Telegram"), "", web_app=mini_app)]]
    return [answer]
