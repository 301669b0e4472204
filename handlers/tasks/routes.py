"""What the tasks feature adds to the router: /viec, /quahan, /tim and a list's buttons."""

from __future__ import annotations

from handlers.router import Router
from handlers.tasks import commands, search
from handlers.tasks.listing import OPEN


def register(router: Router) -> None:
    router.command("viec", commands.my_tasks)
    router.command("quahan", commands.overdue)
    router.command("tim", search.search)
    router.button(OPEN, commands.open_button)
