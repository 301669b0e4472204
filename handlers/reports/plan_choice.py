"""Which plan a report or progress request means: a code at the start of its words
("/tiendo CĐS", "/baocao CCHC quy1"), or the plan tapped for it; without one, the only
plan there is, or for /baocao a question with one tap per plan (each plan has its own
appendix and decision: ``handlers.replies.which_plan.ask_plan``)."""

from __future__ import annotations

from handlers.context import Request
from handlers.messages import Outgoing
from handlers.replies.which_plan import ask_plan
from language.plan_codes import fold_code
from models.plans import Plan


def plan_in_args(plans: list[Plan], text: str) -> tuple[Plan | None, str]:
    """The plan a code at the start of ``text`` names ("CĐS", "cds"), and the rest."""
    first, _sep, rest = text.strip().partition(" ")
    for plan in plans:
        if first and plan.code and fold_code(first) == fold_code(plan.code):
            return plan, rest.strip()
    return None, text


def one_plan(request: Request, plans: list[Plan], text: str) -> tuple[Plan | None, str]:
    """The plan ``text`` names at its start, or the one tapped for this command (then
    ``text`` is all the rest), and the rest."""
    tapped = [p for p in plans if p.id == request.chosen_plan]
    if tapped:
        return tapped[0], text
    return plan_in_args(plans, text)


async def ask_which(request: Request, plans: list[Plan], args: str) -> list[Outgoing]:
    """Ask which of ``plans`` the command typed is about, the command kept; the example
    for next time is the same command with a code before ``args``."""
    typed, rest = request.incoming.text.strip(), args.strip()
    head = typed[: len(typed) - len(rest)].rstrip() if rest and typed.endswith(rest) else typed
    example = " ".join(part for part in (head, plans[-1].code, rest) if part)
    return await ask_plan(request, plans, example)
