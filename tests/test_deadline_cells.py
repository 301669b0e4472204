"""The deadline grammar against a table of deadline cells as real plans write them
(tests/data/deadline_cells.tsv): kind, current window, rhythm and the number of
windows in the plan year, each decided by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from language.deadlines import describe_problem, occurrences, parse_deadline

TABLE = Path(__file__).parent / "data" / "deadline_cells.tsv"
YEAR, TODAY = 2026, date(2026, 5, 20)


def _day(value: str) -> date | None:
    return None if value == "-" else date.fromisoformat(value)


def _cells() -> list[tuple[str, str, date | None, date | None, str | None, int, str]]:
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, kind, start, due, every, windows, *note = line.split("\t")
        every_ = None if every == "-" else every
        rows.append((text, kind, _day(start), _day(due), every_, int(windows), "".join(note)))
    return rows


CELLS = _cells()


def test_the_table_is_large_and_has_no_duplicates() -> None:
    texts = [c[0] for c in CELLS]
    assert len(texts) >= 400
    assert len(set(texts)) == len(texts)


def test_every_unknown_cell_says_why() -> None:
    assert all(note for _t, kind, *_r, note in CELLS if kind == "unknown")


@pytest.mark.parametrize(("text", "kind", "start", "due", "every", "windows", "note"), CELLS)
def test_cell(text, kind, start, due, every, windows, note) -> None:  # noqa: ANN001
    d = parse_deadline(text, YEAR, TODAY)
    assert (d.kind, d.start, d.due, d.every) == (kind, start, due, every)
    assert len(occurrences(d, YEAR)) == windows
    assert (describe_problem(d) is None) == (kind != "unknown")
