"""A planning pass gives the event loop back often (people's messages do not wait behind
it): at most ``planner.TASKS_PER_TURN`` tasks are computed between two turns of the loop, and
another task runs between any two of those computations and between organizations."""

from __future__ import annotations

import asyncio

from scheduler import planner
from scheduler.planner import PlanningSettings, all_organizations, plan_in_steps
from scheduler.workdays import WorkCalendar
from tests.planner_rows import START, build


async def test_the_pass_yields_between_computations_and_organizations(
    sessions, monkeypatch
) -> None:  # noqa: ANN001
    await build(sessions)
    turns = 0
    done = False

    async def other() -> None:  # stands for a person's message waiting its turn
        nonlocal turns
        while not done:
            turns += 1
            await asyncio.sleep(0)

    seen: list[tuple[int, int]] = []  # (turns of the other task, tasks computed)
    compute = planner.plan_batch

    def watched(tasks, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        seen.append((turns, len(tasks)))
        return compute(tasks, *args, **kwargs)

    monkeypatch.setattr(planner, "plan_batch", watched)
    runner = asyncio.create_task(other())
    await asyncio.sleep(0)
    async with sessions() as session:
        ids = [org.id for org in await all_organizations(session)]
    starts = []
    for org_id in ids:
        starts.append(turns)
        assert (
            await plan_in_steps(sessions, org_id, START, PlanningSettings(batch=20), WorkCalendar())
            >= 0
        )
    done = True
    await runner
    assert len(seen) >= 6 and all(0 < n <= planner.TASKS_PER_TURN for _, n in seen)
    assert all(a[0] < b[0] for a, b in zip(seen, seen[1:], strict=False)), (
        seen
    )  # the other task ran between
    assert all(a < b for a, b in zip(starts, starts[1:], strict=False)), starts
