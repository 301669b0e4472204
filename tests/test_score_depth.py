"""Score sheets of any depth (issue 22): the real four-level shape, read from .docx and
.xlsx, totals right at every level, the import and /diem saying 100 and 96,8."""

from __future__ import annotations

from decimal import Decimal

import pytest

from documents.score_reader import read_score_sheet
from handlers.messages import Attachment
from models.score_tree import Node, totals
from tests.harness import Harness, text_of
from tests.score_sheet import sheet_docx, sheet_xlsx
from tests.score_sheet_deep import CRITERIA, LEAVES, MAX_TOTAL, SELF_TOTAL, deep_rows


@pytest.mark.parametrize("name", ["bang-diem.docx", "bang-diem.xlsx"])
def test_four_levels_read_and_total_right(name: str) -> None:
    build = sheet_docx if name.endswith(".docx") else sheet_xlsx
    sheet = read_score_sheet(build(deep_rows()), name)
    assert sheet is not None and not sheet.warnings, sheet and sheet.warnings
    assert [c.ref for c in sheet.criteria] == list(CRITERIA)
    assert {c.ref: c.max_points for c in sheet.criteria} == {k: Decimal(v) for k, v in CRITERIA.items()}
    assert sheet.total_max == MAX_TOTAL and sheet.self_total == SELF_TOTAL
    assert sheet.total_self == SELF_TOTAL  # the file's own "Tổng" agrees
    assert len(sheet.leaves()) == LEAVES
    rows = {r.ref: r for r in sheet.rows()}
    third = rows["III"]
    assert [c.ref for c in third.children] == ["III.1", "III.2"]
    assert [c.ref for c in rows["III.1"].children] == ["III.1.1", "III.1.2"]
    assert [c.level for c in (third, rows["III.1"], rows["III.1.1"])] == [1, 2, 3]
    items = rows["III.1.1"].children
    assert [i.level for i in items] == [4, 4] and [i.ref for i in items] == ["III.1.1.1", "III.1.1.2"]
    assert rows["III.1"].max_points == 15 and rows["III.1.1"].max_points == 9

    def node(row) -> Node:  # noqa: ANN001
        return Node(row.ref, row.max_points, row.self_points, [node(c) for c in row.children])

    figures = {ref: totals(node(rows[ref])) for ref in ("III", "III.1", "III.1.1", "III.2")}
    assert {k: (v.points, v.max_points) for k, v in figures.items()} == {
        "III": (Decimal("25.3"), 26),
        "III.1": (Decimal("14.8"), 15),
        "III.1.1": (Decimal("8.8"), 9),
        "III.2": (Decimal("10.5"), 11),
    }


async def test_the_import_and_diem_say_100_and_96_8(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="telegram")
    await bot.import_sample()
    await bot.register("trinh", "admin")
    await bot.say("trinh", "/nhap")
    answer = text_of(
        await bot.say("trinh", attachment=Attachment("bang-diem.xlsx", sheet_xlsx(deep_rows())))
    )
    assert "Đã nhập bảng điểm" in answer, answer
    assert "tổng điểm chuẩn 100" in answer and "96,8/100" in answer, answer
    assert "105,8" not in answer
    figures = text_of(await bot.say("trinh", "/diem"))
    assert "III" in figures and "25,3/26" in figures, figures
    assert "35" not in figures.split("III", 1)[1].split("\n", 1)[0]
