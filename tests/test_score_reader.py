"""Score sheets read from real .docx, .xlsx and pasted text (built by tests/score_sheet.py):
the tree, the points with decimal commas, the arithmetic check, filled and empty
versions; and the pure readers of points and of officers' score replies."""

from __future__ import annotations

from decimal import Decimal

import pytest

from documents.plan_file_error import PlanFileError
from documents.plan_reader import read_plan
from documents.score_reader import read_score_sheet
from language.score_words import parse_score_words
from models.score_tree import format_points, parse_points
from tests.conftest import SAMPLES
from tests.score_sheet import (
    LEAVES,
    MAX_TOTAL,
    SELF_TOTAL,
    sheet_docx,
    sheet_rows,
    sheet_text,
    sheet_xlsx,
)

D = Decimal
FORMATS = {
    "docx": lambda rows: ("bang-diem.docx", sheet_docx(rows)),
    "xlsx": lambda rows: ("bang-diem.xlsx", sheet_xlsx(rows)),
    "xlsx-text": lambda rows: ("bang-diem.xlsx", sheet_xlsx(rows, numbers=False)),
    "txt": lambda rows: ("bang-diem.txt", sheet_text(rows).encode()),
}


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,9", D("1.9")), ("96,8", D("96.8")), ("10", D(10)), ("0.5", D("0.5")), (1.0, D(1)),
     (10.0, D(10)), ("0,25 điểm", D("0.25")), ("", None), ("mười", None), ("1.077/TB", None)],
)  # fmt: skip
def test_parse_points(text: object, value: Decimal | None) -> None:
    assert parse_points(text) == value


@pytest.mark.parametrize(
    ("value", "text"), [(D("96.8"), "96,8"), (D(100), "100"), (D("0.25"), "0,25"), (D("1.90"), "1,9")]
)
def test_points_the_vietnamese_way(value: Decimal, text: str) -> None:
    assert format_points(value) == text


@pytest.mark.parametrize(
    ("args", "ref", "points", "text"),
    [
        ("1.2 0,5 Đã công khai đầy đủ", "1.2", D("0.5"), "Đã công khai đầy đủ"),
        ("1.2 tự chấm 0,5", "1.2", D("0.5"), ""),
        ("1.2 tu cham 0,5", "1.2", D("0.5"), ""),
        ("4.3 đạt 1 điểm, Kế hoạch số 12/KH-UBND ngày 09/01/2026", "4.3", D(1),
         "Kế hoạch số 12/KH-UBND ngày 09/01/2026"),
        ("5.1 Thông báo số 1077/TB-UBND ngày 15/5/2026, tự chấm 2,5", "5.1", D("2.5"),
         "Thông báo số 1077/TB-UBND ngày 15/5/2026"),
        ("7.3", "7.3", None, ""),
        ("#12 3 điểm", "#12", D(3), ""),
        ("6 Đạt 92%", "6", None, "Đạt 92%"),
    ],
)  # fmt: skip
def test_score_words(args: str, ref: str, points: Decimal | None, text: str) -> None:
    words = parse_score_words(args)
    assert words is not None
    assert (words.ref, words.points, words.text) == (ref, points, text)


def test_score_words_need_an_item() -> None:
    assert parse_score_words("đã làm xong") is None


@pytest.mark.parametrize("kind", FORMATS)
def test_filled_sheet_in_every_format(kind: str) -> None:
    name, data = FORMATS[kind](sheet_rows())
    sheet = read_score_sheet(data, name)
    assert sheet is not None
    assert sheet.warnings == [] and sheet.sheet_review is None
    assert "6 THÁNG ĐẦU NĂM 2026" in (sheet.title or "")
    assert [c.ref for c in sheet.criteria] == ["I", "II", "III", "IV"]
    assert [c.max_points for c in sheet.criteria] == [24, 26, 25, 25]
    assert sheet.total_max == MAX_TOTAL and sheet.total_self == SELF_TOTAL
    assert sheet.self_total == SELF_TOTAL and sheet.filled
    assert len(sheet.leaves()) == LEAVES
    by_ref = {row.ref: row for row in sheet.rows()}
    first = by_ref["1.1"]  # "- Công khai mức thu phí…": no number, three levels down
    assert (first.level, first.number, first.max_points, first.self_points) == (3, "", 1, 1)
    assert first.lead_text == "Trung tâm phục vụ hành chính công xã"
    assert first.cooperating_text == "Các cơ quan, đơn vị liên quan"
    assert by_ref["7.3"].self_points == D("1.9")
    assert by_ref["7.3"].evidence == "Quyết định công nhận sáng kiến"
    assert by_ref["2.2"].number == "2.2" and by_ref["2.2"].self_points == D("3.6")  # numbered sub-item
    assert not by_ref["3"].children and by_ref["3"].max_points == 6  # a sub-criterion scored itself
    assert by_ref["8.2"].number == "" and not by_ref["8.2"].content.startswith("-")  # no number, no dash
    assert "1077/TB-UBND" in by_ref["5.1"].result


@pytest.mark.parametrize("kind", ["docx", "xlsx", "txt"])
def test_empty_sheet(kind: str) -> None:
    name, data = FORMATS[kind](sheet_rows(filled=False))
    sheet = read_score_sheet(data, name)
    assert sheet is not None and not sheet.filled
    assert sheet.self_total is None and sheet.total_self is None
    assert sheet.total_max == MAX_TOTAL and len(sheet.leaves()) == LEAVES


@pytest.mark.parametrize("kind", ["docx", "xlsx", "txt"])
def test_arithmetic_that_does_not_add_up_is_named_and_imported(kind: str) -> None:
    rows = sheet_rows(changes={"- Công khai mức thu phí": {2: "2"}, "TIÊU CHÍ 4": {2: "26"}})
    name, data = FORMATS[kind](rows)
    sheet = read_score_sheet(data, name)
    assert sheet is not None and len(sheet.leaves()) == LEAVES
    by_ref = {row.ref: row for row in sheet.rows()}
    assert by_ref["1"].review == ["Điểm chuẩn các mục con cộng lại 11, khác điểm chuẩn 10 của mục"]
    assert by_ref["IV"].review and not by_ref["I"].review
    # Rows as the person sees them: of the Word table, of the worksheet, of the text.
    total_row = 2 if kind == "docx" else 3
    assert sheet.sheet_review == (
        f"Dòng {total_row} (Tổng): các tiêu chí cộng lại 101 điểm, khác tổng điểm chuẩn 100."
    )
    assert any(
        w.startswith(f"Dòng {total_row + 2} (1. «Chính quyền công khai") for w in sheet.warnings
    ), sheet.warnings
    assert sheet.total_max == MAX_TOTAL


def test_score_above_the_maximum_in_the_file_is_flagged() -> None:
    rows = sheet_rows(changes={"- Tổ chức họp không giấy": {7: "5,5"}})
    sheet = read_score_sheet(sheet_xlsx(rows), "a.xlsx")
    assert sheet is not None
    assert {r.ref: r for r in sheet.rows()}["9.3"].review == ["Điểm tự đánh giá 5,5 vượt điểm chuẩn 5"]


def test_a_plan_is_not_a_score_sheet() -> None:
    data = (SAMPLES / "ke-hoach-cchc-2026-mau.docx").read_bytes()
    assert read_score_sheet(data, "ke-hoach.docx") is None
    assert read_plan(data, "ke-hoach.docx").tasks  # and still a plan


def test_a_score_sheet_is_not_read_as_a_plan() -> None:
    with pytest.raises(PlanFileError):
        read_plan(sheet_docx(sheet_rows()), "bang-diem.docx")


@pytest.mark.parametrize("filler", [" ", "1", "1,", "dat ", "- ", "1.", "đạt  "])
def test_score_words_stay_linear_on_repeated_characters(filler: str) -> None:
    import time

    start = time.perf_counter()
    parse_score_words("1.2 " + "dat" + filler * 10_000 + "x")
    parse_score_words("1.2 " + filler * 10_000)
    parse_points(filler * 10_000)
    assert time.perf_counter() - start < 0.5


def test_sub_criteria_numbered_again_in_each_criterion() -> None:
    from documents.score_reader import build_sheet
    from tests.score_sheet import HEADER

    rows = [
        HEADER,
        ["I", "TIÊU CHÍ 1: A", "3", "", "", "", "", ""],
        ["1", "Một", "2", "", "", "", "", ""],
        ["", "- a", "1", "Phòng Kinh tế", "", "", "", ""],
        ["", "- b", "1", "Phòng Kinh tế", "", "", "", ""],
        ["2", "Hai", "1", "Phòng Kinh tế", "", "", "", ""],
        ["", "chi tiết của mục hai, không có điểm", "", "", "", "", "", ""],
        ["II", "TIÊU CHÍ 2: B", "2", "", "", "", "", ""],
        ["1", "Một", "2", "", "", "", "", ""],
        ["a", "Mục a", "1,5", "", "", "", "", "1,5"],
        ["b", "Mục b", "0,5", "", "", "", "", ""],
    ]
    sheet = build_sheet(rows, source="x")
    assert [r.ref for r in sheet.rows()] == ["I", "I.1", "I.1.1", "I.1.2", "I.2", "II", "II.1", "II.1.a", "II.1.b"]
    assert {r.ref: r for r in sheet.rows()}["I.2"].content == "Hai\nchi tiết của mục hai, không có điểm"
    assert sheet.total_max == 5 and sheet.self_total == D("1.5") and not sheet.warnings
