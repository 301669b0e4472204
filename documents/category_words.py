"""The official categories in words, one rule for every place that shows them
(/tiendo, the appendix's figures, Biểu mẫu 1, the draft report): done on time, done
late, overdue and not done, in progress within the deadline, not started, not
applicable — and, on a line of its own right after "done on time", the ongoing tasks
counted there because they were carried out ("đã thực hiện và tiếp tục thực hiện", the
seeds' wording), so a continuous task being worked on is never shown as "hoàn thành"
without saying so.

Labels are gettext message ids (``N_``): the chat shows them in the person's language,
documents in Vietnamese.
"""

from __future__ import annotations

from dataclasses import dataclass

from locales import N_
from models.progress import Tally

# Biểu mẫu 1 wording, in the order the chart stacks them.
CATEGORY_LABELS: tuple[tuple[str, str], ...] = (
    ("done_on_time", N_("Hoàn thành đúng hạn")),
    ("done_late", N_("Hoàn thành nhưng quá hạn")),
    ("overdue", N_("Quá hạn nhưng chưa hoàn thành")),
    ("in_progress", N_("Đang thực hiện trong hạn")),
    ("not_started", N_("Chưa thực hiện, chưa đến hạn")),
    ("not_applicable", N_("Chưa phát sinh")),
)
CONTINUING_LABEL = N_(
    "trong đó đã thực hiện và tiếp tục thực hiện (nhiệm vụ thường xuyên, định kỳ)"
)
ALWAYS = ("overdue", "in_progress")  # shown even at 0: they are what a leader asks about


@dataclass(frozen=True)
class CategoryLine:
    key: str  # a category, or "continuing"
    label: str  # a message id: translate with _() to show it
    count: int
    inner: bool = False  # a "trong đó" line under the one before


def category_lines(t: Tally, *, all_lines: bool = False) -> list[CategoryLine]:
    """The lines of ``t`` in order; without ``all_lines`` the empty categories other
    than overdue and in progress are left out (the chat), with it every one (documents)."""
    lines: list[CategoryLine] = []
    for key, label in CATEGORY_LABELS:
        if all_lines or t.counts[key] or key in ALWAYS:
            lines.append(CategoryLine(key, label, t.counts[key]))
        if key == "done_on_time" and t.continuing:
            lines.append(CategoryLine("continuing", CONTINUING_LABEL, t.continuing, inner=True))
    return lines
