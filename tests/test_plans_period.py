"""Issue 21: the tasks the city gave count in the report period (Biểu mẫu 1 rows
4.1–4.1.3 and /tiendo's line) by the rule of ``models.plans_assigned_period``; the
active plans are those of the year of today plus any plan with undone tasks due this
year (a list dated next year hides nothing); the all-plans /tiendo names overdue tasks
with their plan's code. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from documents.form_one import form_one
from documents.report_rows import Period, build_report
from models.assigned import Given, add_assigned_task
from models.plan_store import find_organization, resolve_unit
from models.plans_assigned_period import counts_in_period, period_start
from models.progress import TaskFacts
from models.queries import active_plans
from scheduler.workdays import WorkCalendar
from tests.conftest import BACKENDS, TZ
from tests.harness import ORG, Harness, text_of
from tests.test_assigned import VHXH
from tests.test_many_plans import import_cds

SOURCE = "Công văn số 88/UBND-NV của UBND thành phố"


def facts(due: date | None, done_on: date | None = None, kind: str = "due") -> TaskFacts:
    status = "done" if done_on else "not_started"
    return TaskFacts(1, "1", "G", (VHXH,), status, kind, due, done_on)


def test_the_period_rule() -> None:
    q3 = (date(2026, 7, 1), date(2026, 9, 30))
    assert period_start("quy", 2026, 3) == q3[0] and period_start("6thang", 2026) == date(2026, 1, 1)
    assert counts_in_period(facts(date(2026, 12, 1)), date(2026, 7, 5), *q3)  # given in it
    assert counts_in_period(facts(date(2026, 8, 15)), date(2026, 4, 2), *q3)  # due in it
    assert counts_in_period(facts(date(2026, 5, 1)), date(2026, 4, 2), *q3)  # overdue, still open
    assert counts_in_period(facts(date(2026, 5, 1), date(2026, 7, 20)), date(2026, 4, 2), *q3)  # done late in it
    assert not counts_in_period(facts(date(2026, 5, 1), date(2026, 6, 20)), date(2026, 4, 2), *q3)  # closed before
    assert not counts_in_period(facts(date(2026, 12, 1)), date(2026, 4, 2), *q3)  # given before, due after
    assert not counts_in_period(facts(date(2026, 9, 20)), date(2026, 10, 2), *q3)  # given after
    assert counts_in_period(facts(None, kind="continuous"), date(2026, 2, 2), *q3)  # standing work


async def give(bot: Harness, content: str, due: date, on: datetime, year: int | None = None) -> None:
    bot.clock.move_to(on)
    async with bot.sessions() as session, session.begin():
        org = await find_organization(session, ORG)
        unit = await resolve_unit(session, org, VHXH)
        given = Given(unit, content, due.strftime("%d/%m/%Y"), "due", due, source=SOURCE)
        await add_assigned_task(session, org, given, year=year or on.year, person=None, now=bot.clock.now())


async def form_rows(bot: Harness, period: Period, as_of: date) -> tuple:
    async with bot.sessions() as session:
        org = await find_organization(session, ORG)
        report = await build_report(
            session, org, period=period, as_of=as_of, deadline_end=WorkCalendar().deadline_end
        )
    rows = {row.number: row.value for row in form_one(report)}
    return rows["4.1."], rows["4.1.1."], rows["4.1.2."], rows["4.1.3."]


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_assigned_tasks_count_in_the_report_period(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock)
    await bot.import_sample()
    await bot.register("lan", "officer", VHXH)
    await bot.register("trinh", "leader")
    await give(bot, "Việc A", date(2026, 3, 20), datetime(2026, 2, 10, 9, 0, tzinfo=TZ))
    await give(bot, "Việc B", date(2026, 8, 14), datetime(2026, 2, 11, 9, 0, tzinfo=TZ))
    await give(bot, "Việc C", date(2026, 3, 25), datetime(2026, 2, 12, 9, 0, tzinfo=TZ))
    clock.move_to(datetime(2026, 3, 16, 9, 0, tzinfo=TZ))
    await bot.say("lan", "/capnhat G.1 hoàn thành, BC số 5/BC-UBND")  # A on time; C stays undone
    await give(bot, "Việc D", date(2026, 9, 30), datetime(2026, 7, 10, 9, 0, tzinfo=TZ))
    # Q1: A (done on time), C (overdue) are due in it, B was given in it.
    assert await form_rows(bot, Period("quy", 2026, 1), date(2026, 3, 31)) == (3, 1, 0, 1)
    # Q3 on 10/7: B is due in it, C is still overdue, D was given in it; A closed in Q1.
    assert await form_rows(bot, Period("quy", 2026, 3), date(2026, 7, 10)) == (3, 0, 0, 1)
    # The year: every task given in it.
    assert await form_rows(bot, Period("nam", 2026), date(2026, 7, 10)) == (4, 1, 0, 1)
    progress = text_of(await bot.say("trinh", "/tiendo"))
    assert "Nhiệm vụ UBND thành phố giao (quý III/2026): hoàn thành 0/3 (0%)" in progress, progress
    assert "quá hạn chưa hoàn thành: 1" in progress
    first = text_of(await bot.say("trinh", "/tiendo quy1"))
    assert "Nhiệm vụ UBND thành phố giao (quý I/2026): hoàn thành 1/3" in first, first


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_a_list_dated_next_year_hides_no_plan_of_this_year(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock)
    await bot.import_sample()
    await import_cds(bot)
    await bot.register("lan", "officer", VHXH)
    await give(bot, "Việc của năm sau", date(2027, 1, 20), datetime(2026, 12, 20, 9, 0, tzinfo=TZ), 2027)
    async with bot.sessions() as session:
        org = await find_organization(session, ORG)
        first = await active_plans(session, org, date(2026, 12, 20))
    assert [p.code for p in first] == ["CCHC", "CĐS"]
    listing = text_of(await bot.say("lan", "/viec"))
    assert "CCHC " in listing and "CĐS " in listing
    # In 2027 the 2026 plans stay only while one of their tasks is due in 2027 and not done.
    async with bot.sessions() as session:
        org = await find_organization(session, ORG)
        later = await active_plans(session, org, date(2027, 1, 5))
    assert [p.year for p in later] == [2027]


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_all_plans_progress_names_overdue_tasks_with_codes(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock)
    await bot.import_sample()
    await import_cds(bot)
    await bot.register("trinh", "leader")
    clock.move_to(datetime(2026, 7, 15, 9, 0, tzinfo=TZ))
    both = text_of(await bot.say("trinh", "/tiendo"))
    overdue = next(line for line in both.splitlines() if line.startswith("Nhiệm vụ quá hạn: số "))
    assert "CCHC " in overdue and "CĐS 1" in overdue, overdue
    one = text_of(await bot.say("trinh", "/tiendo CĐS"))
    line = next(line for line in one.splitlines() if line.startswith("Nhiệm vụ quá hạn: số "))
    assert "CĐS" not in line  # one plan: its own numbers
