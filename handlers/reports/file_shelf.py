"""What handlers know of the download shelf (``bot.download_links``): who a file is put
there for, and the refusal when the shelf is full. Each person has a quota of their own,
so nobody's requests push out another person's links; when the whole shelf is full
of live links, a new file is refused (the links already given keep working)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from locales import _

if TYPE_CHECKING:
    from handlers.context import Request


class ShelfFull(Exception):
    """The shelf holds as many live files as it may; nothing was removed to make room."""


def owner_of(request: Request) -> str:
    """The shelf's name for the person asking (their id, never their name)."""
    return f"p{request.person.id}" if request.person is not None else "anonymous"


def shelf_full_text() -> str:
    return _(
        "Máy chủ đang giữ quá nhiều tệp chờ tải nên chưa tạo được liên kết mới. Anh/chị vui lòng thử lại sau ít giờ, hoặc dùng dondoc trên Telegram để nhận tệp trực tiếp."
    )
