"""What the imports feature adds to the router: /nhap (admins) and the tap that applies
a file to an existing plan."""

from __future__ import annotations

from handlers.imports import command, confirm
from handlers.router import Router


def register(router: Router) -> None:
    router.command("nhap", command.import_plan, roles=("admin",))
    router.button(confirm.IMPORT_BUTTON, confirm.answer_button)
