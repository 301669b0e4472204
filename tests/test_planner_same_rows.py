"""The planner plans exactly what it planned before it was made faster: the story of
``tests/planner_rows.py`` (five organizations, four passes with changes between them)
gives the same outbox rows (recipients, send times, kinds, occurrences, states, notes)
and watermarks, pass by pass, as the planner of main did (``tests/data/planner_rows.tsv``,
written by the per-task planner before the set-based one replaced it), on SQLite and
PostgreSQL. One difference on purpose: the counts of new rows per pass now include the
"no one to remind" notices of units, which main made but did not count (the first two
"added" lines). ``DONDOC_WRITE_PLANNER_ROWS=1`` writes the file again (only for a change
of the policy itself, said so in the commit)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import BACKENDS
from tests.planner_rows import story

EXPECTED = Path(__file__).parent / "data" / "planner_rows.tsv"


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_the_planner_plans_the_same_rows_as_before(sessions) -> None:  # noqa: ANN001
    lines = await story(sessions)
    if os.environ.get("DONDOC_WRITE_PLANNER_ROWS") == "1":
        EXPECTED.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = EXPECTED.read_text(encoding="utf-8").splitlines()
    assert len(lines) > 500 and any("\tcancelled\t" in line for line in lines)
    missing = [line for line in expected if line not in set(lines)]
    extra = [line for line in lines if line not in set(expected)]
    assert not missing and not extra, ("missing:", missing[:8], "extra:", extra[:8])
    assert lines == expected
