"""What the replies feature adds to the router: /capnhat (a file may come with it),
/giahan, /hoantac, the status, undo and question buttons, and everything that is not a
command or a button (``entry.text_or_file``)."""

from __future__ import annotations

from handlers.replies import entry, product_ask, questions, status_commands, which_plan
from handlers.router import Router


def register(router: Router) -> None:
    router.command("capnhat", entry.with_file(status_commands.update_command))
    router.command("giahan", status_commands.extension_command)
    router.command("hoantac", status_commands.undo_command, aliases=("undo",))
    router.button(("st", "ext"), status_commands.status_button)
    router.button("undo", status_commands.undo_button)
    router.button(product_ask.SKIP, product_ask.skip_button)
    router.button(("qy", "qn", "qt"), questions.answer_button)
    router.button(which_plan.PICK, which_plan.pick_button)
    router.button(which_plan.PLAN_PICK, which_plan.plan_button)
    router.text = entry.text_or_file
