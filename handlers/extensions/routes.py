"""What the extensions feature adds to the router: /duyet, /tuchoi, their buttons, and
the reason a leader types after deciding."""

from __future__ import annotations

from handlers.choices import AWAIT_DECISION
from handlers.context import Request
from handlers.extensions import decisions
from handlers.messages import Outgoing
from handlers.router import Router

LEADERS = ("leader", "admin")


async def _reason(request: Request, row_id: str, text: str) -> list[Outgoing]:
    return await decisions.decision_note(request, row_id, text)


def register(router: Router) -> None:
    router.command("duyet", decisions.approve_command, roles=LEADERS)
    router.command("tuchoi", decisions.reject_command, roles=LEADERS)
    router.button(("extok", "extno"), decisions.button)
    router.step(AWAIT_DECISION, _reason, left=decisions.reason_left)
