"""Which plan a report or progress request means: a code at the start of its words
("/tiendo CĐS", "/baocao CCHC quy1"); without one, the only plan there is, or for
/baocao a question listing the codes (each plan has its own appendix)."""

from __future__ import annotations

from language.plan_codes import fold_code
from locales import _
from models.plans import Plan


def plan_in_args(plans: list[Plan], text: str) -> tuple[Plan | None, str]:
    """The plan a code at the start of ``text`` names ("CĐS", "cds"), and the rest."""
    first, _sep, rest = text.strip().partition(" ")
    for plan in plans:
        if first and plan.code and fold_code(first) == fold_code(plan.code):
            return plan, rest.strip()
    return None, text


def which_plan_text(plans: list[Plan], command: str) -> str:
    """The question when a request needs one plan and the organization has several."""
    return _(
        "Xã/phường đang theo dõi {n} kế hoạch: {plans}. Anh/chị muốn kế hoạch nào? Nhắn "
        "{command} kèm mã, ví dụ «{command} {code}»."
    ).format(
        n=len(plans),
        plans="; ".join(f"{p.code} — {p.title}" for p in plans),
        command=command,
        code=plans[0].code,
    )
