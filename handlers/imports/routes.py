"""What the imports feature adds to the router: /nhap (admins), the tap that applies
a file to an existing plan, the taps on deadline cells not read, and /kehoach (the
plans and their codes)."""

from __future__ import annotations

from handlers.imports import cell_questions, command, confirm, plan_codes
from handlers.router import Router


def register(router: Router) -> None:
    router.command("nhap", command.import_plan, roles=("admin",))
    router.button(confirm.IMPORT_BUTTON, confirm.answer_button)
    router.button(cell_questions.CELL_BUTTON, cell_questions.answer_button)
    router.command("kehoach", plan_codes.plans_command)
