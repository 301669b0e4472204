"""Progress figures: the Biểu mẫu 1 categories (table-driven over ``classify``), the
standing status of a task on a date read from its history (undo included) on SQLite
and PostgreSQL, /tiendo in text and with a chart, quarters, units, a viewer of several
organizations, and ``dondoc progress --json``."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from sqlalchemy import select

from bot.cli import main as cli_main
from handlers.reports.progress import parse_quarter
from models.plan_store import find_organization
from models.plans import Task
from models.progress import (
    TaskFacts,
    classify,
    current_facts,
    in_scope,
    is_ongoing,
    missed,
    quarter_end,
    rate_text,
    tally,
)
from models.progress_queries import task_facts
from models.queries import is_city_assigned
from scheduler.workdays import WorkCalendar
from tests.conftest import BACKENDS, TZ
from tests.harness import ORG, Harness, sample_harness, text_of

D = date
MARCH_END = D(2026, 3, 31)
END = WorkCalendar().deadline_end  # a due date on a day off ends on the next working day
SUNDAY, MONDAY, TUESDAY = D(2026, 3, 29), D(2026, 3, 30), D(2026, 3, 31)
TET, AFTER_TET = D(2026, 2, 17), D(2026, 2, 23)  # Tết runs 14–22/2/2026


def facts(
    status: str = "not_started",
    kind: str = "due",
    due: date | None = MARCH_END,
    done_on: date | None = None,
    start: date | None = None,
    every: str | None = None,
    units: tuple[str, ...] = ("Phòng Kinh tế",),
    number: str = "1",
    section: str = "I",
) -> TaskFacts:
    return TaskFacts(1, number, section, units, status, kind, due, done_on, start, every)


@dataclass(frozen=True)
class Case:
    name: str
    facts: TaskFacts
    as_of: date
    expected: str


WHOLE_YEAR = dict(kind="period", start=D(2026, 1, 1), due=D(2026, 12, 31))
CASES = [
    Case("done before the due date", facts("done", done_on=D(2026, 3, 1)), D(2026, 6, 9), "done_on_time"),
    Case("done on the due date", facts("done", done_on=D(2026, 3, 31)), D(2026, 6, 9), "done_on_time"),
    Case("done after the due date", facts("done", done_on=D(2026, 4, 1)), D(2026, 6, 9), "done_late"),
    Case("not done, due passed", facts("not_started"), D(2026, 4, 1), "overdue"),
    Case("in progress, due passed", facts("in_progress"), D(2026, 4, 1), "overdue"),
    Case("due today is not overdue", facts("in_progress"), D(2026, 3, 31), "in_progress"),
    Case("in progress within the deadline", facts("in_progress"), D(2026, 3, 1), "in_progress"),
    Case("not started, not yet due", facts("not_started"), D(2026, 3, 1), "not_started"),
    Case("not applicable is never overdue", facts("not_applicable"), D(2026, 6, 9), "not_applicable"),
    Case("quarter period, done late", facts("done", kind="period", start=D(2026, 7, 1), due=D(2026, 9, 30), done_on=D(2026, 10, 2)), D(2026, 10, 9), "done_late"),
    Case("continuous carried out counts done", facts("in_progress", kind="continuous", due=None), D(2026, 6, 9), "done_on_time"),
    Case("continuous done", facts("done", kind="continuous", due=None, done_on=D(2026, 2, 1)), D(2026, 6, 9), "done_on_time"),
    Case("continuous never reported", facts("not_started", kind="continuous", due=None), D(2026, 12, 31), "not_started"),
    Case("on request carried out", facts("in_progress", kind="on_request", due=None), D(2026, 6, 9), "done_on_time"),
    Case("on request, nothing yet", facts("not_started", kind="on_request", due=None), D(2026, 6, 9), "not_started"),
    Case("on request, not applicable", facts("not_applicable", kind="on_request", due=None), D(2026, 6, 9), "not_applicable"),
    # a whole-year task has an end to reach: at 30% in June it is in progress, not done
    Case("whole year in progress mid-year", facts("in_progress", **WHOLE_YEAR), D(2026, 6, 9), "in_progress"),
    Case("whole year in progress after the year", facts("in_progress", **WHOLE_YEAR), D(2027, 1, 4), "overdue"),
    Case("whole year done in December", facts("done", done_on=D(2026, 12, 20), **WHOLE_YEAR), D(2027, 1, 5), "done_on_time"),
    Case("whole year not started mid-year", facts("not_started", **WHOLE_YEAR), D(2026, 6, 9), "not_started"),
    Case("whole year not started after the year", facts("not_started", **WHOLE_YEAR), D(2027, 1, 1), "overdue"),
    Case("monthly task carried out", facts("in_progress", kind="recurring", every="month", due=D(2026, 1, 31)), D(2026, 6, 9), "done_on_time"),
    Case("monthly task never misses one date", facts("not_started", kind="recurring", every="quarter", due=D(2026, 3, 31)), D(2026, 6, 9), "not_started"),
    Case("yearly task (Tháng 10 hàng năm) is dated", facts("not_started", kind="recurring", every="year", start=D(2026, 10, 1), due=D(2026, 10, 31)), D(2026, 11, 3), "overdue"),
    Case("yearly task due Saturday 31/10 is met on Monday", facts("not_started", kind="recurring", every="year", start=D(2026, 10, 1), due=D(2026, 10, 31)), D(2026, 11, 2), "not_started"),
    Case("unknown deadline is never overdue", facts("in_progress", kind="unknown", due=None), D(2026, 12, 31), "in_progress"),
    Case("done without a known date is on time", facts("done", done_on=None), D(2026, 6, 9), "done_on_time"),
    # Bộ luật Dân sự 2015, article 148: a due date on a day off is met until the end of the next working day
    Case("due Sunday, not overdue on Monday", facts("in_progress", due=SUNDAY), MONDAY, "in_progress"),
    Case("due Sunday, overdue on Tuesday", facts("in_progress", due=SUNDAY), TUESDAY, "overdue"),
    Case("due Saturday, not started, Monday", facts("not_started", due=D(2026, 3, 28)), MONDAY, "not_started"),
    Case("due Sunday, done Monday is on time", facts("done", due=SUNDAY, done_on=MONDAY), D(2026, 6, 9), "done_on_time"),
    Case("due Sunday, done Tuesday is late", facts("done", due=SUNDAY, done_on=TUESDAY), D(2026, 6, 9), "done_late"),
    Case("due in Tết, not overdue until after it", facts("not_started", due=TET), AFTER_TET, "not_started"),
    Case("due in Tết, overdue the day after", facts("not_started", due=TET), D(2026, 2, 24), "overdue"),
    Case("due in Tết, done on its first working day", facts("done", due=TET, done_on=AFTER_TET), D(2026, 6, 9), "done_on_time"),
    Case("due Friday stays due Friday", facts("in_progress", due=D(2026, 3, 27)), D(2026, 3, 28), "overdue"),
    Case("period ending on a Sunday", facts("in_progress", kind="period", start=D(2026, 5, 1), due=D(2026, 5, 31)), D(2026, 6, 1), "in_progress"),
    # the new readings of the grammar
    Case("several years in progress (2026-2030)", facts("in_progress", kind="period", start=D(2026, 1, 1), due=D(2030, 12, 31)), D(2026, 6, 9), "in_progress"),
    Case("several years not started is not overdue", facts("not_started", kind="period", start=D(2026, 1, 1), due=D(2030, 12, 31)), D(2027, 6, 9), "not_started"),
    Case("a list (Tháng 3, 6, 9, 12) carried out", facts("in_progress", kind="recurring", every="list", due=D(2026, 3, 31)), D(2026, 6, 9), "done_on_time"),
    Case("a list never misses one date", facts("not_started", kind="recurring", every="list", due=D(2026, 3, 31)), D(2026, 6, 9), "not_started"),
    Case("half-yearly never misses one date", facts("not_started", kind="recurring", every="half", due=D(2026, 6, 30)), D(2026, 7, 9), "not_started"),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_classify(case: Case) -> None:
    assert classify(case.facts, case.as_of, deadline_end=END) == case.expected


def test_the_rule_is_the_calendar_passed_in() -> None:
    sunday = facts("in_progress", due=SUNDAY)
    assert classify(sunday, MONDAY, deadline_end=lambda d: d) == "overdue"  # no grace
    own = WorkCalendar.from_dates(days_off=["2026-03-30"])  # the commune closes Monday too
    assert classify(sunday, TUESDAY, deadline_end=own.deadline_end) == "in_progress"
    assert missed(SUNDAY, TUESDAY, END) and not missed(SUNDAY, MONDAY, END)
    assert not missed(MARCH_END, MARCH_END, END)


def test_figures_count_a_sunday_deadline_from_the_next_working_day() -> None:
    items = [
        facts("not_started", due=SUNDAY, number="1"),
        facts("done", due=SUNDAY, done_on=MONDAY, number="2"),
        facts("not_started", due=TET, number="3"),
    ]
    assert tally(items, AFTER_TET, deadline_end=END).overdue_numbers == []
    assert tally(items, D(2026, 2, 24), deadline_end=END).overdue_numbers == ["3"]
    monday = tally(items, MONDAY, deadline_end=END)
    assert monday.overdue_numbers == ["3"] and monday.overall.counts["done_on_time"] == 1
    assert tally(items, TUESDAY, deadline_end=END).overdue_numbers == ["1", "3"]


def test_current_facts_of_a_task() -> None:
    task = Task(
        id=5,
        number="5",
        status="in_progress",
        deadline_kind="due",
        deadline_due=SUNDAY,
        deadline_start=None,
        deadline_every=None,
    )
    f = current_facts(task)
    assert (f.task_id, f.number, f.status, f.deadline_kind, f.due) == (
        5,
        "5",
        "in_progress",
        "due",
        SUNDAY,
    )
    assert classify(f, MONDAY, deadline_end=END) == "in_progress"
    assert classify(f, TUESDAY, deadline_end=END) == "overdue"


def test_ongoing_and_quarter_scope() -> None:
    assert is_ongoing(facts(**WHOLE_YEAR))
    assert not is_ongoing(facts(kind="period", start=D(2026, 1, 1), due=D(2026, 5, 31)))
    q3 = quarter_end(2026, 3)
    assert q3 == D(2026, 9, 30) and quarter_end(2026, 1) == D(2026, 3, 31)
    assert in_scope(facts(due=D(2026, 9, 30)), q3)
    assert not in_scope(facts(due=D(2026, 10, 31)), q3)
    assert in_scope(facts(kind="continuous", due=None), q3)
    assert in_scope(facts(**WHOLE_YEAR), q3)


def test_rate_written_as_officials_write_it() -> None:
    assert rate_text(27, 52) == "27/52 = 51,9%"
    assert rate_text(1, 39) == "1/39 = 2,6%"
    assert rate_text(0, 0) == "0/0"


def test_tally_by_unit_section_and_overdue_numbers() -> None:
    items = [
        facts("done", done_on=D(2026, 1, 2), number="1", units=("A",)),
        facts("not_started", number="2", units=("A", "B"), section="II"),
        facts("in_progress", kind="continuous", due=None, number="3", units=("B",)),
    ]
    result = tally(items, D(2026, 6, 9), deadline_end=END)
    assert result.overall.to_json() == {
        "total": 3, "done_on_time": 2, "done_late": 0, "overdue": 1,
        "in_progress": 0, "not_started": 0, "not_applicable": 0, "continuing": 1,
    }  # fmt: skip
    # The continuous task worked on counts done, and is said apart (one rule, issue 22).
    assert result.by_unit["B"].continuing == 1 and result.by_unit["A"].continuing == 0
    assert result.by_unit["A"].total == 2 and result.by_unit["B"].counts["overdue"] == 1
    assert set(result.by_section) == {"I", "II"}
    assert result.overdue_numbers == ["2"]
    narrowed = tally(items, D(2026, 3, 1), until=D(2026, 3, 31), deadline_end=END)
    assert narrowed.overall.total == 3
    early = tally(items, D(2026, 1, 10), until=D(2026, 2, 1), deadline_end=END)
    assert early.overall.total == 1  # continuous only


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("quy3", (3, "")),
        ("quý III", (3, "")),
        ("Q3 Phòng Kinh tế", (3, "Phòng Kinh tế")),
        ("Phòng Kinh tế quý 2", (2, "Phòng Kinh tế")),
        ("q.4", (4, "")),
        ("Phòng Văn hóa - Xã hội", (None, "Phòng Văn hóa - Xã hội")),
        ("", (None, "")),
    ],
)
def test_parse_quarter(args: str, expected: tuple[int | None, str]) -> None:
    assert parse_quarter(args) == expected


def test_city_assigned_plan_titles() -> None:
    assert is_city_assigned("Nhiệm vụ UBND thành phố giao năm 2026")
    assert is_city_assigned("Danh mục nhiệm vụ cấp trên giao 2026")
    assert not is_city_assigned("Kế hoạch cải cách hành chính năm 2026")


# ---------------------------------------------------------------- with the database


@pytest.fixture
async def bot(sessions, clock) -> Harness:  # noqa: ANN001
    return await sample_harness(sessions, clock, "console", ("trinh", "leader"))


async def at(bot: Harness, moment: datetime, user: str, text: str) -> str:
    bot.clock.move_to(moment)
    return text_of(await bot.say(user, text))


async def facts_on(bot: Harness, day: date) -> dict[str, TaskFacts]:
    async with bot.sessions() as session:
        org = await find_organization(session, ORG)
        return {f.number: f for f in await task_facts(session, org, as_of=day)}


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_status_on_a_date_follows_history_and_undo(bot: Harness) -> None:
    await at(
        bot,
        datetime(2026, 1, 9, 10, tzinfo=TZ),
        "trinh",
        "/capnhat 1 Hoàn thành, QĐ số 12/QĐ-UBND ngày 09/01/2026",
    )
    await at(
        bot, datetime(2026, 1, 21, 0, 30, tzinfo=TZ), "trinh", "/capnhat 17 đang thực hiện 50%"
    )
    await at(bot, datetime(2026, 4, 2, 9, tzinfo=TZ), "trinh", "/capnhat 17 Hoàn thành")
    await at(bot, datetime(2026, 4, 2, 9, 5, tzinfo=TZ), "trinh", "/hoantac")  # takes back "done"
    before = await facts_on(bot, D(2026, 1, 8))
    assert before["1"].status == "not_started"
    on_ninth = await facts_on(bot, D(2026, 1, 9))
    assert on_ninth["1"].status == "done" and on_ninth["1"].done_on == D(2026, 1, 9)
    # 00:30 on 21/01 in Hà Nội is still 20/01 in UTC: the local day counts.
    assert (await facts_on(bot, D(2026, 1, 21)))["17"].status == "in_progress"
    assert (await facts_on(bot, D(2026, 1, 20)))["17"].status == "not_started"
    # The "done" stood on 02/04 until it was undone the same day, so on 02/04 it is undone.
    assert (await facts_on(bot, D(2026, 4, 2)))["17"].status == "in_progress"
    async with bot.sessions() as session:
        task = await session.scalar(select(Task).where(Task.number == "17"))
    assert task is not None and task.status == "in_progress"  # same as the history says


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_tiendo_text_categories_units_and_overdue(bot: Harness, capsys) -> None:  # noqa: ANN001
    await at(
        bot,
        datetime(2026, 1, 9, 10, tzinfo=TZ),
        "trinh",
        "/capnhat 1 Hoàn thành, QĐ số 12/QĐ-UBND ngày 09/01/2026",
    )
    await at(
        bot, datetime(2026, 4, 9, 10, tzinfo=TZ), "trinh", "/capnhat 6 Hoàn thành"
    )  # due Quý I
    await at(
        bot, datetime(2026, 4, 9, 11, tzinfo=TZ), "trinh", "/capnhat 18 đang thực hiện"
    )  # Thường xuyên
    reply = await at(bot, datetime(2026, 6, 9, 8, tzinfo=TZ), "trinh", "/tiendo")
    assert "đến ngày 09/06/2026" in reply
    assert "Hoàn thành: 3/39 (7,7%)" in reply
    assert "• Hoàn thành đúng hạn: 2" in reply and "• Hoàn thành nhưng quá hạn: 1" in reply
    assert "Đơn vị chậm nhất:" in reply
    overdue = reply.split("Nhiệm vụ quá hạn: số ")[1].split(", ")
    assert "16" in overdue and "17" in overdue and "1" not in overdue and "6" not in overdue
    # What the CLI says for the same day is the same count.
    assert (await cli_figures(bot, capsys, "2026-06-09"))["done_on_time"] == 2


async def cli_figures(bot: Harness, capsys: pytest.CaptureFixture[str], as_of: str) -> dict:
    url = bot.sessions.kw["bind"].url.render_as_string(hide_password=False)
    argv = ["progress", "--db", url, "--org", ORG, "--as-of", as_of, "--json"]
    assert await asyncio.to_thread(cli_main, argv) == 0
    return json.loads(capsys.readouterr().out)


async def test_cli_progress_json_shape(bot: Harness, capsys) -> None:  # noqa: ANN001
    await at(bot, datetime(2026, 1, 9, 10, tzinfo=TZ), "trinh", "/capnhat 1 Hoàn thành")
    data = await cli_figures(bot, capsys, "2026-02-01")
    keys = {
        "total",
        "done_on_time",
        "done_late",
        "overdue",
        "in_progress",
        "not_started",
        "not_applicable",
    }
    assert set(data) == keys | {"by_unit", "by_section", "continuing", "plans"}
    assert data["total"] == 39 and data["done_on_time"] == 1 and data["continuing"] == 0
    assert sum(data[k] for k in keys - {"total"}) == 39
    assert set(data["by_section"]) == {"I", "II", "III", "IV", "V", "VI", "VII"}
    assert sum(s["total"] for s in data["by_section"].values()) == 39
    assert set(data["by_unit"]["Phòng Văn hóa - Xã hội"]) == keys | {"continuing"}
    assert data["by_unit"]["Phòng Văn hóa - Xã hội"]["done_on_time"] == 1
    assert (await cli_figures(bot, capsys, "2026-01-08"))[
        "done_on_time"
    ] == 0  # before it was reported


async def test_tiendo_quarter_and_unit_narrowing(bot: Harness) -> None:
    bot.clock.move_to(datetime(2026, 11, 2, 8, tzinfo=TZ))
    q1 = text_of(await bot.say("trinh", "/tiendo quy1"))
    assert "quý I/2026 (số liệu đến ngày 31/03/2026)" in q1
    whole = text_of(await bot.say("trinh", "/tiendo"))
    total_q1 = int(q1.split("Hoàn thành: 0/")[1].split(" ")[0])
    assert total_q1 < 39 and "Hoàn thành: 0/39" in whole and ", đến ngày 02/11/2026:" in whole
    unit = text_of(await bot.say("trinh", "/tiendo phòng kinh tế"))
    assert "Phòng Kinh tế, đến ngày 02/11/2026" in unit and "Hoàn thành: 0/3 (0%)" in unit
    assert "Đơn vị chậm nhất" not in unit
    both = text_of(await bot.say("trinh", "/tiendo Q1 Phòng Kinh tế"))
    assert "Phòng Kinh tế, quý I/2026" in both
    assert "Không tìm thấy đơn vị" in text_of(await bot.say("trinh", "/tiendo Phòng Không Có"))


async def test_officer_sees_own_units_only(bot: Harness) -> None:
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    mine = text_of(await bot.say("lan", "/tiendo"))
    assert "Phòng Văn hóa - Xã hội" in mine and "/39" not in mine
    refused = text_of(await bot.say("lan", "/tiendo Phòng Kinh tế"))
    assert "chỉ xem được tiến độ của đơn vị mình" in refused


async def test_chart_only_on_telegram(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="telegram")
    await bot.import_sample()
    await bot.register("trinh", "leader")
    replies = await bot.say("trinh", "/tiendo")
    assert replies[0].text.startswith("Tiến độ") and "Hoàn thành: 0/39 (0%)" in replies[0].text
    photo = replies[0].photo
    assert photo is not None and photo.kind == "photo" and photo.data.startswith(b"\x89PNG")
    bot.channel = "zalo"
    await bot.register("trinh-zalo", "leader")
    on_zalo = await bot.say("trinh-zalo", "/tiendo")
    assert "Hoàn thành: 0/39 (0%)" in on_zalo[0].text and on_zalo[0].photo is None


async def test_viewer_of_several_organizations(sessions, clock) -> None:  # noqa: ANN001
    from handlers.imports.plans import import_plan_file
    from models.invites import create_invite
    from tests.harness import SAMPLE_DOCX

    bot = Harness(sessions, clock, channel="console")
    await bot.import_sample()
    async with bot.sessions() as session, session.begin():
        await import_plan_file(
            session,
            data=SAMPLE_DOCX.read_bytes(),
            filename="kh.docx",
            organization="Phường Nhị Chiểu",
            now=clock.now(),
        )
    await bot.register("trinh", "leader")
    bot.clock.move_to(datetime(2026, 4, 10, 8, tzinfo=TZ))
    await bot.say("trinh", "/capnhat 1 Hoàn thành")
    for name in (ORG, "Phường Nhị Chiểu"):
        async with bot.sessions() as session, session.begin():
            org = await find_organization(session, name)
            code = (
                await create_invite(session, org, role="viewer", unit=None, uses=1, now=clock.now())
            ).code
        await bot.say("so", f"/dangky {code}")
    lines = text_of(await bot.say("so", "/tiendo")).splitlines()
    assert lines[0] == "Tiến độ theo xã/phường (chậm nhất trước):"
    assert lines[1].startswith("Phường Nhị Chiểu: Hoàn thành: 0/39")  # worse first
    assert lines[2].startswith(f"{ORG}: Hoàn thành: 1/39 (2,6%)")
    detail = text_of(await bot.say("so", f"/tiendo {ORG.lower()}"))
    assert f"— {ORG}, đến ngày 10/04/2026" in detail and "Hoàn thành: 1/39" in detail


# ------------------------------------------- a deadline on a day off, through the bot

ON_DAY_OFF = [("1", "Ngày 15/03/2026", D(2026, 3, 15)), ("2", "Ngày 17/02/2026", TET)]


async def _move_deadlines(bot: Harness) -> None:
    """Tasks 1 and 2 of the sample, due on Sunday 15/3 and in Tết (17/2), with the
    reminders planned again as an import would."""
    from models.queries import get_task
    from scheduler.planner import replan_task

    services = bot.conversation.services
    async with bot.sessions() as session, session.begin():
        for number, text, due in ON_DAY_OFF:
            task_id = await session.scalar(select(Task.id).where(Task.number == number))
            task = await get_task(session, task_id)
            assert task is not None
            task.deadline_text, task.deadline_kind, task.deadline_due = text, "due", due
            await replan_task(session, task, bot.clock.now(), services.planning, services.calendar)


def _count(reply: str, label: str) -> int:
    return int(reply.split(f"{label}: ")[1].split()[0])


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_a_deadline_on_a_day_off_is_overdue_only_after_the_next_working_day(
    bot: Harness, capsys: pytest.CaptureFixture[str]
) -> None:
    bot.clock.move_to(datetime(2026, 2, 20, 9, tzinfo=TZ))  # reminders are planned 35 days ahead
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    await _move_deadlines(bot)
    # reminders: the first overdue one for 15/3 (Sunday) is on Tuesday 17/3, for Tết on 24/2
    from models.outbox import OutboxItem

    async with bot.sessions() as session:
        firsts = {}
        for number, _text, _due in ON_DAY_OFF:
            task = await session.scalar(select(Task).where(Task.number == number))
            first = await session.scalar(
                select(OutboxItem.send_at)
                .where(OutboxItem.task_id == task.id, OutboxItem.kind == "overdue")
                .order_by(OutboxItem.send_at)
            )
            firsts[number] = first.astimezone(TZ).date() if first else None
    assert firsts == {"1": D(2026, 3, 17), "2": D(2026, 2, 24)}

    figures = {}
    for day in (D(2026, 2, 23), D(2026, 2, 24), D(2026, 3, 16), D(2026, 3, 17)):
        moment = datetime.combine(day, datetime.min.time(), TZ).replace(hour=9)
        quahan = await at(bot, moment, "trinh", "/quahan")
        tiendo = await at(bot, moment, "trinh", "/tiendo")
        baocao = await at(bot, moment, "trinh", "/baocao quy1")
        cli = await cli_figures(bot, capsys, day.isoformat())
        overdue = (
            tiendo.split("Nhiệm vụ quá hạn: số ")[1].split("\n")[0].split(", ")
            if "Nhiệm vụ quá hạn: số " in tiendo
            else []
        )
        figures[day] = (
            {n for n, _t, _d in ON_DAY_OFF if f"\n  {n}. " in quahan},
            {n for n, _t, _d in ON_DAY_OFF if n in overdue},
            _count(baocao, "Quá hạn nhưng chưa hoàn thành"),
            cli["overdue"],
        )
    # On the next working day the deadline still runs; the day after, it is missed.
    assert figures[D(2026, 2, 23)][:2] == (set(), set())
    assert figures[D(2026, 2, 24)][:2] == ({"2"}, {"2"})
    assert figures[D(2026, 3, 16)][:2] == ({"2"}, {"2"})
    assert figures[D(2026, 3, 17)][:2] == ({"1", "2"}, {"1", "2"})
    for before, after in ((D(2026, 2, 23), D(2026, 2, 24)), (D(2026, 3, 16), D(2026, 3, 17))):
        # the report's figures and the CLI's count the same tasks one day later
        assert figures[after][2] == figures[before][2] + 1
        assert figures[after][3] == figures[before][3] + 1
    bot.clock.move_to(datetime(2026, 3, 16, 9, tzinfo=TZ))
    card = text_of(await bot.say("trinh", "/viec 1"))
    assert "Hạn hôm nay 15/03/2026, ngày nghỉ, tính đến hết 16/03/2026" in card


@pytest.mark.parametrize(
    ("today", "words"),
    [
        (D(2026, 3, 13), "hạn 15/03/2026 — còn 1 ngày làm việc"),  # Friday: Monday still counts
        (
            D(2026, 3, 15),
            "hạn 15/03/2026, ngày nghỉ, tính đến hết 16/03/2026 — còn 1 ngày làm việc",
        ),
        (D(2026, 3, 16), "hạn hôm nay 15/03/2026, ngày nghỉ, tính đến hết 16/03/2026"),
        (D(2026, 3, 17), "hạn 15/03/2026 — quá hạn 1 ngày làm việc"),
    ],
)
def test_deadline_in_words_counts_from_the_next_working_day(today: date, words: str) -> None:
    from types import SimpleNamespace

    from handlers.tasks.view import deadline_in_words, is_overdue

    task = SimpleNamespace(
        id=1, number="1", status="in_progress", deadline_kind="due", deadline_due=D(2026, 3, 15),
        deadline_start=None, deadline_every=None, deadline_text="Ngày 15/03/2026", original_due=None,
    )  # fmt: skip
    assert deadline_in_words(task, today, WorkCalendar()) == words
    assert is_overdue(task, today, WorkCalendar()) == (today == D(2026, 3, 17))


async def test_a_quarters_total_says_what_it_counts_beside_the_whole_plan(bot: Harness) -> None:
    """/tiendo quy1 and /baocao the same minute gave 3/32 and 3/39 without a word why:
    the quarter's figures say which tasks they count and the whole plan's, as /baocao."""
    for number in ("1", "6", "25"):
        await at(bot, datetime(2026, 3, 2, 9, tzinfo=TZ), "trinh", f"/capnhat {number} Hoàn thành")
    bot.clock.move_to(datetime(2026, 3, 10, 9, tzinfo=TZ))
    q1 = text_of(await bot.say("trinh", "/tiendo quý 1"))
    part = int(q1.split("Hoàn thành: 3/")[1].split(" ")[0])
    assert part < 39
    assert (
        f"Hoàn thành: 3/{part} ({q1.split(f'3/{part} (')[1].split(')')[0]})\n"
        f"(Tính {part} nhiệm vụ có hạn đến hết quý I/2026, thường xuyên hoặc cả năm; "
        "cả kế hoạch: 3/39, như /baocao.)\n"
    ) in q1
    assert "Tính " not in text_of(await bot.say("trinh", "/tiendo"))  # the whole plan: no note
    replies = await bot.say("trinh", "/baocao quy1")
    assert "Tỷ lệ hoàn thành: 3/39 = 7,7% (cả kế hoạch, lũy kế)" in text_of(replies)
