"""/baocao: placeholder until the reports issue lands (being written)."""

from __future__ import annotations

from handlers.context import Request
from handlers.messages import Outgoing
from locales import _


async def report(request: Request, args: str) -> list[Outgoing]:
    return [Outgoing(_("Chức năng xuất báo cáo đang được hoàn thiện."))]
