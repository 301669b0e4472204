"""What the scores feature adds to the router: /diem, /chamdiem, the which-item button,
and its readers of free text (an item typed to the which-item question, a score said
in words or replying to the score reminder)."""

from __future__ import annotations

from handlers.router import BEFORE_TASKS, SHORT, Router
from handlers.scores import commands, replies


def register(router: Router) -> None:
    router.command("diem", commands.scores)
    router.command("chamdiem", commands.confirm, roles=("admin",))
    router.button(replies.ANSWER, replies.answer_button)
    router.reader(SHORT, replies.typed_item)  # "1.2" answering which score item
    router.reader(BEFORE_TASKS, commands.typed_score)  # "mục 1.2 đạt 1 điểm"
    router.reader(BEFORE_TASKS, replies.focused_reply)  # "đạt 1 điểm" under the reminder
