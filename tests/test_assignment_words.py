"""Reading /giao's words and a forwarded letter into unit, content, deadline and source
(language.assignment_words): each part found, each part missing in turn, an unreadable
or doubled deadline reported rather than guessed, and hostile lengths read fast."""

from __future__ import annotations

import time
from datetime import date

import pytest

from language.assignment_words import combine, read_assignment, read_deadline, read_letter

TODAY = date(2026, 12, 2)
EXAMPLE = (
    "Phòng Văn hóa - Xã hội: Báo cáo kết quả tự kiểm tra CCHC trước 15/12/2026 "
    "(Công văn số 1234/UBND-NV ngày 01/12/2026 của UBND thành phố)"
)
SOURCE = "Công văn số 1234/UBND-NV ngày 01/12/2026 của UBND thành phố"


def test_the_issue_example() -> None:
    read = read_assignment(EXAMPLE, TODAY)
    assert read.unit == "Phòng Văn hóa - Xã hội"
    assert read.content == "Báo cáo kết quả tự kiểm tra CCHC"
    assert read.deadline_text == "trước 15/12/2026" and read.deadline is not None
    assert read.deadline.due == date(2026, 12, 14)  # "trước ngày X", as the plans read it
    assert read.source == SOURCE and read.missing() == []


def test_comma_form_with_theo() -> None:
    read = read_assignment(
        "Phòng Kinh tế: Rà soát hộ nghèo, hạn 20/12/2026, theo Công văn số 55/UBND-KT ngày "
        "28/11/2026 của UBND thành phố",
        TODAY,
    )
    assert (read.unit, read.content, read.deadline_text) == ("Phòng Kinh tế", "Rà soát hộ nghèo", "hạn 20/12/2026")
    assert read.source == "Công văn số 55/UBND-KT ngày 28/11/2026 của UBND thành phố"
    assert read.deadline is not None and read.deadline.due == date(2026, 12, 20)


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("Báo cáo kết quả tự kiểm tra CCHC trước 15/12/2026 (" + SOURCE + ")", ["unit"]),
        ("Phòng Văn hóa - Xã hội: trước 15/12/2026 (" + SOURCE + ")", ["content"]),
        ("Phòng Văn hóa - Xã hội: Báo cáo kết quả tự kiểm tra CCHC (" + SOURCE + ")", ["deadline"]),
        ("Phòng Văn hóa - Xã hội: Báo cáo kết quả tự kiểm tra CCHC trước 15/12/2026", ["source"]),
        ("", ["unit", "content", "deadline", "source"]),
    ],
)
def test_each_part_missing_in_turn(text: str, missing: list[str]) -> None:
    assert read_assignment(text, TODAY).missing() == missing


def test_unclear_deadlines_are_problems_not_guesses() -> None:
    wrong = read_assignment("Phòng Kinh tế: Rà soát hạn 31/02/2026", TODAY)
    assert wrong.deadline is not None and wrong.deadline.kind == "unknown"
    assert "không đúng hoặc không rõ" in (wrong.problem or "") and "deadline" in wrong.missing()
    two = read_assignment("Phòng Kinh tế: Rà soát hạn 20/12/2026 và báo cáo trước 10/12/2026", TODAY)
    assert two.problem == "Có nhiều hạn khác nhau (hạn 20/12/2026; trước 10/12/2026)."
    assert "deadline" in two.missing()
    past = read_assignment("Phòng Kinh tế: Rà soát hạn 20/11/2026", TODAY)
    assert past.problem == "Hạn «hạn 20/11/2026» đã qua." and "deadline" in past.missing()
    same = read_assignment("Phòng Kinh tế: Rà soát hạn 20/12/2026, hạn chót 20/12/2026", TODAY)
    assert same.problem is None and same.content == "Rà soát"


def test_a_date_without_year_is_the_next_one() -> None:
    assert read_deadline("trước 1/1", TODAY).due == date(2026, 12, 31)
    assert read_deadline("20/3", TODAY).due == date(2027, 3, 20)
    assert read_deadline("Quý I/2027", TODAY).due == date(2027, 3, 31)


def test_a_forwarded_letter() -> None:
    letter = (
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG\nSố: 1234/UBND-NV\n"
        "V/v báo cáo kết quả tự kiểm tra công tác CCHC năm 2026\n"
        "Hải Phòng, ngày 01 tháng 12 năm 2026\nKính gửi: UBND các xã, phường\n"
        "Thực hiện Kế hoạch số 12/KH-UBND ngày 10/01/2026, UBND thành phố đề nghị UBND các "
        "xã, phường tự kiểm tra và gửi báo cáo về Sở Nội vụ trước ngày 15/12/2026."
    )
    read = read_letter(letter, TODAY)
    assert read.content == "Báo cáo kết quả tự kiểm tra công tác CCHC năm 2026"
    assert read.source == SOURCE
    assert read.deadline is not None and read.deadline.due == date(2026, 12, 14)
    assert read.missing() == ["unit"]
    merged = combine(read_assignment("Phòng Văn hóa - Xã hội", TODAY), read)
    assert merged.unit == "Phòng Văn hóa - Xã hội" and merged.missing() == []
    later = combine(read_assignment("Phòng Văn hóa - Xã hội: hạn 10/12/2026", TODAY), read)
    assert later.deadline is not None and later.deadline.due == date(2026, 12, 10)
    assert later.content == read.content


def test_hostile_lengths_read_fast() -> None:
    for text in ("hạn " * 3000, "(" * 10000, "Công văn số 1/" * 800, "trước 1" * 1500):
        start = time.perf_counter()
        read_assignment(text, TODAY)
        read_letter(text, TODAY)
        assert time.perf_counter() - start < 1.0
