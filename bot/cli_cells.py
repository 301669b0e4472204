"""``dondoc import``'s questions about deadline cells not read (issue 26): after the
plan is stored, the cells the grammar could not read are listed with numbered meanings
built from the numbers in them; at a terminal (or with ``--ask``) the operator types a
number per cell (Enter leaves it for later), and the choice is kept for the next import
of the same text and put on the tasks at once, as a tap in the chat does. ``--json``
lists the cells and their choices and asks nothing."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli_common import open_session
from bot.config import Config
from handlers.imports.unread_cells import Cell, choice_label, choose, unread_cells
from locales import _, ngettext
from models.deadline_readings import DeadlineReading
from models.plan_store import find_organization


async def cells_after_import(
    session: AsyncSession, organization: str, plan_id: int | None, now: datetime, today: date
) -> list[Cell]:
    """The unread cells of the plan just stored (each asked about), in plan order."""
    org = await find_organization(session, organization)
    if org is None or plan_id is None:
        return []
    return await unread_cells(session, org.id, plan_id, now, today)


def cells_json(cells: list[Cell]) -> list[dict[str, Any]]:
    return [
        {
            "text": c.row.text,
            "tasks": c.numbers,
            "choices": [{"phrase": p, "label": choice_label(p, r)} for p, r in c.choices],
        }
        for c in cells
    ]


def cell_lines(cell: Cell) -> list[str]:
    """A cell and its numbered meanings, as the terminal shows them."""
    lines = [
        _("Ô thời hạn «{text}» (nhiệm vụ {numbers}) nghĩa là gì?").format(
            text=" ".join(cell.row.text.split()), numbers=", ".join(cell.numbers)
        )
    ]
    lines += [f"  {i} = {choice_label(p, r)}" for i, (p, r) in enumerate(cell.choices, 1)]
    lines.append("  " + _("Enter = để sau"))
    return lines


def list_text(cells: list[Cell]) -> str:
    head = ngettext(
        "Có {n} ô thời hạn chưa đọc được:", "Có {n} ô thời hạn chưa đọc được:", len(cells)
    ).format(n=len(cells))
    return "\n".join([head, *(line for c in cells for line in cell_lines(c))])


async def ask_cells(
    config: Config,
    cells: list[Cell],
    *,
    now: datetime,
    today: date,
    read: Callable[[str], str] = input,
) -> None:
    """Ask each cell in turn at the terminal; keep and apply each answer at once."""
    print(_("Chọn nghĩa của từng ô (gõ số rồi Enter); lần nhập sau sẽ tự hiểu như vậy."))
    for cell in cells:
        print("\n".join(cell_lines(cell)))
        try:
            typed = read("> ").strip()
        except EOFError:
            break
        if not (typed.isascii() and typed.isdigit() and 1 <= int(typed) <= len(cell.choices)):
            print(_("Để sau: ô này vẫn nằm trong danh sách cần xem lại."))
            continue
        phrase, reading = cell.choices[int(typed) - 1]
        async with open_session(config) as session:
            row = await session.get(DeadlineReading, cell.row.id)
            if row is None:
                continue
            count = await choose(session, row, phrase, person_id=None, now=now, today=today)
        print(
            ngettext(
                "Đã ghi: {meaning}, cho {n} nhiệm vụ.",
                "Đã ghi: {meaning}, cho {n} nhiệm vụ.",
                count,
            ).format(meaning=choice_label(phrase, reading), n=count)
        )


def wants_questions(args: argparse.Namespace) -> bool:
    """Ask at a terminal, or when ``--ask`` says so; never with ``--json``."""
    return not args.json and (getattr(args, "ask", False) or sys.stdin.isatty())
