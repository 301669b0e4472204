"""Choices for a deadline cell the grammar cannot read, built from its numbers (issue 26)."""

from __future__ import annotations

import time
from datetime import date

import pytest

from language.deadline_choices import MAX_CHOICES, choices
from language.deadlines import parse_deadline

TODAY = date(2026, 5, 20)


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("Đầu quý III/2026", ["Quý III/2026", "Chậm nhất ngày 30/09/2026"]),
        ("30/9/2026 hoặc sớm hơn", ["Chậm nhất ngày 30/09/2026"]),
        ("Tháng 9/2026 hoặc tháng 10/2026",
         ["Tháng 9/2026", "Chậm nhất ngày 30/09/2026", "Tháng 10/2026", "Chậm nhất ngày 31/10/2026"]),
        ("Giữa tháng 6", ["Tháng 6/2026", "Chậm nhất ngày 30/06/2026"]),
        ("Trước Tết Nguyên đán 2027", ["Năm 2027"]),
        ("31/02/2026", []),
        ("Sớm", []),
    ],
)  # fmt: skip
def test_choices_from_the_numbers(text: str, phrases: list[str]) -> None:
    assert parse_deadline(text, 2026, TODAY).kind == "unknown"
    got = choices(text, 2026, TODAY)
    assert [p for p, _d in got] == phrases
    for phrase, reading in got:
        assert reading == parse_deadline(phrase, 2026, TODAY)


def test_few_choices_and_fast_on_long_cells() -> None:
    text = "Tháng 3/2026, " * 2000
    started = time.process_time()
    got = choices(text, 2026, TODAY)
    assert time.process_time() - started < 0.05
    assert len(got) <= MAX_CHOICES


def test_the_deadline_problem_leaves_the_review_reason_and_the_rest_stays() -> None:
    from handlers.imports.unread_cells import without_problem
    from language.deadlines import Deadline, describe_problem

    problem = describe_problem(Deadline("unknown", None, None, None, "Đầu quý III"))
    assert without_problem(problem, "Đầu quý III") is None
    assert without_problem(f"{problem}; Chưa có đơn vị chủ trì", "Đầu quý III") == "Chưa có đơn vị chủ trì"
