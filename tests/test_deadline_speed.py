"""The deadline grammar stays linear on hostile plan cells: every piece its patterns
use, repeated 10,000 times and mixed, is read in under 50 ms (the issue's cases took
7–16 s: "<" × 100,000 and "1/qd " × 20,000). The same inputs are timed by
``make bench`` (bench/bench_parsers.py)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.bench_parsers import DEADLINE_PIECES, REPEAT, best_time
from language.deadlines import MAX_CELL, _parse, parse_deadline

LIMIT = 0.050  # seconds
TODAY = date(2026, 5, 20)
AROUND = ("", "Quý III/2026 ", "Trước ngày 15/01/2026 ")


def _read(text: str) -> object:
    return parse_deadline(text, 2026, TODAY)


def _grammar(text: str) -> object:
    """The grammar without the length cap, to show each pattern is linear by itself."""
    return _parse(text, 2026, TODAY)


def _to_length(piece: str, chars: int) -> str:
    return (piece * (chars // len(piece) + 1))[:chars]


@pytest.mark.parametrize("text", ["<" * 100_000, "1/qd " * 20_000])
def test_the_cases_of_the_issue(text: str) -> None:
    assert best_time(_read, text) < LIMIT
    assert best_time(_grammar, text[:REPEAT]) < LIMIT
    assert parse_deadline(text, 2026, TODAY).kind == "unknown"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(DEADLINE_PIECES), min_size=1, max_size=4).map("".join),
    st.sampled_from(AROUND),
    st.sampled_from(("", " Quý III/2026", " hằng năm")),
)
def test_long_adversarial_cells_are_read_fast(piece: str, before: str, after: str) -> None:
    repeated = before + piece * REPEAT + after
    assert best_time(_read, repeated) < LIMIT
    bounded = before + _to_length(piece, REPEAT) + after
    assert best_time(_grammar, bounded) < LIMIT


def test_a_cell_over_the_cap_is_not_read() -> None:
    cell = "Quý III/2026" + " " * MAX_CELL
    assert parse_deadline(cell, 2026, TODAY).kind == "unknown"
    assert parse_deadline(cell.strip(), 2026, TODAY).kind == "period"
