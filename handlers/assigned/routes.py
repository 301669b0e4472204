"""What the assigned-tasks feature adds to the router: /giao (leaders and admins), the
step answering what /giao asked, its buttons (a unit, no document, cancel), and the
reader that takes a leader's text naming a task as an instruction for the unit."""

from __future__ import annotations

from handlers.assigned import giving, instruction, list_import
from handlers.router import BEFORE_TASKS, SHORT, Router


def register(router: Router) -> None:
    router.command("giao", giving.give_command, roles=("leader", "admin"))
    router.step(giving.STEP, giving.step)
    router.reader(SHORT, giving.short_answer)  # "hủy", "không", a date: before thanks
    router.button((giving.UNIT, giving.NO_SOURCE, giving.CANCEL), giving.button)
    router.button((instruction.SEND, instruction.KEEP), instruction.button)
    router.button(list_import.BUTTON, list_import.button)  # a file of given tasks
    router.reader(BEFORE_TASKS, instruction.read_instruction)
