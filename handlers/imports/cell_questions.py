"""/nhap's questions about deadline cells not read (issue 26): after a plan is stored,
the admin sees the list of cells dondoc could not read and, one cell at a time, a tap
per meaning built from the numbers in it («30/09/2026 là hạn chót», «Từ 01/07/2026
đến 30/09/2026», …) and "Để sau" (``dlc:ROW:INDEX``, ``dlc:ROW:s``); on Zalo and the
console the same come as numbered choices. A choice is kept for the next import of
the same text and put on the tasks at once; then the next cell is asked.
"""

from __future__ import annotations

from handlers.context import Request
from handlers.guards import admin_only
from handlers.imports.plans import QUOTE_CHARS, clip
from handlers.imports.unread_cells import Cell, choice_label, choose, tasks_with, unread_cells
from handlers.messages import Button, Outgoing, small_id
from language.deadline_choices import all_choices
from locales import _, ngettext
from models.deadline_readings import DeadlineReading, waiting_readings

CELL_BUTTON = "dlc"
LISTED = 10  # cells listed one a line; more are counted


def _numbers(numbers: list[str]) -> str:
    shown = ", ".join(numbers[:8]) + (", …" if len(numbers) > 8 else "")
    return ngettext("nhiệm vụ {numbers}", "nhiệm vụ {numbers}", len(numbers)).format(
        numbers=shown
    )


def _quoted(cell_text: str) -> str:
    return clip(" ".join(cell_text.split()), QUOTE_CHARS)


def question(cell: Cell) -> Outgoing:
    """One cell and its meanings, a tap each, and "later"."""
    row = cell.row
    text = _("Ô thời hạn «{text}» ({tasks}) nghĩa là gì?").format(
        text=_quoted(row.text), tasks=_numbers(cell.numbers)
    )
    buttons = [
        [Button(choice_label(phrase, reading), f"{CELL_BUTTON}:{row.id}:{index}")]
        for index, (phrase, reading) in enumerate(cell.choices)
    ]
    buttons.append([Button(_("Để sau"), f"{CELL_BUTTON}:{row.id}:s")])
    return Outgoing(text, buttons=buttons)


async def ask_after_import(request: Request, plan_id: int | None) -> list[Outgoing]:
    """The list of the plan's cells not read and the question about the first; nothing
    when every cell was read (or answered before)."""
    if plan_id is None:
        return []
    org = request.organization
    cells = await unread_cells(request.session, org.id, plan_id, request.now, request.today())
    if not cells:
        return []
    lines = [
        ngettext(
            "Có {n} ô thời hạn tôi chưa đọc được; anh/chị chọn giúp nghĩa của từng ô, lần nhập sau tôi sẽ tự hiểu:",
            "Có {n} ô thời hạn tôi chưa đọc được; anh/chị chọn giúp nghĩa của từng ô, lần nhập sau tôi sẽ tự hiểu:",
            len(cells),
        ).format(n=len(cells))
    ]
    lines += [f"• «{_quoted(c.row.text)}» ({_numbers(c.numbers)})" for c in cells[:LISTED]]
    if len(cells) > LISTED:
        lines.append(
            ngettext("… và {n} ô khác.", "… và {n} ô khác.", len(cells) - LISTED).format(
                n=len(cells) - LISTED
            )
        )
    return [Outgoing("\n".join(lines)), question(cells[0])]


async def _next_question(request: Request) -> list[Outgoing]:
    """The next cell still waiting for an answer, if any."""
    org = request.organization
    for row in await waiting_readings(request.session, org.id):
        tasks = await tasks_with(request.session, org.id, row.text_key)
        if tasks:
            choices = all_choices(row.text, row.year, request.today())
            return [question(Cell(row, [t.number for t in tasks], choices))]
    return [Outgoing(_("Đã xong các ô thời hạn cần hỏi."))]


async def answer_button(request: Request, _kind: str, rest: str) -> list[Outgoing]:
    """The admin's tap on a meaning (or "later")."""
    if refusal := admin_only(request):
        return refusal
    row_text, _sep, choice = rest.partition(":")
    row_id = small_id(row_text)
    row = await request.session.get(DeadlineReading, row_id) if row_id else None
    if row is None or row.organization_id != request.organization.id:
        return [
            Outgoing(
                _("Câu hỏi này không còn dùng được; vui lòng nhập lại tệp với /nhap."), edit=True
            )
        ]
    quoted = _quoted(row.text)
    if choice == "s":
        row.skipped = True
        answer = _("Để sau: ô «{text}» vẫn nằm trong danh sách cần xem lại.").format(text=quoted)
        return [Outgoing(answer, edit=True), *await _next_question(request)]
    choices = all_choices(row.text, row.year, request.today())
    index = int(choice) if choice.isascii() and choice.isdigit() and len(choice) < 3 else None
    if index is None or index >= len(choices):
        return [
            Outgoing(_("Lựa chọn này không còn đúng; vui lòng nhập lại tệp với /nhap."), edit=True)
        ]
    phrase, reading = choices[index]
    count = await choose(
        request.session, row, phrase, person_id=request.person.id, now=request.now,
        today=request.today(),
    )  # fmt: skip
    answer = ngettext(
        "Đã ghi: «{text}» — {meaning}, cho {n} nhiệm vụ; lần nhập sau tôi tự hiểu như vậy.",
        "Đã ghi: «{text}» — {meaning}, cho {n} nhiệm vụ; lần nhập sau tôi tự hiểu như vậy.",
        count,
    ).format(text=quoted, meaning=choice_label(phrase, reading), n=count)
    return [Outgoing(answer, edit=True), *await _next_question(request)]
