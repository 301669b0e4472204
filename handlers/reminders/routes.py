"""What the reminders feature adds to the router: /nhac and the «Nhắc lại» button."""

from __future__ import annotations

from handlers.reminders import nudge
from handlers.router import Router


def register(router: Router) -> None:
    router.command("nhac", nudge.nudge_command, roles=("leader", "admin"))
    router.button(nudge.NUDGE, nudge.button)
