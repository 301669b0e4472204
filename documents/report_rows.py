"""The content of the result appendix ("Kết quả thực hiện nhiệm vụ"), shared by the
.docx and .xlsx writers and by the chat summary: the reporting period, the table rows
under their section rows, results written the way officials write them, and the
Biểu mẫu 1 figures.

The appendix is the document the commune submits, so its words are always Vietnamese
(not translated); the category labels are marked for extraction because the chat and
the chart show them in the person's language. Which category a task falls in is
decided in ``models.progress`` only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from babel.numbers import format_decimal
from sqlalchemy.ext.asyncio import AsyncSession

from documents.category_words import CATEGORY_LABELS as CATEGORY_LABELS  # re-exported
from documents.report_review import review_reasons
from documents.result_words import result_text
from models.org_names import OrgName, org_name
from models.people import Organization
from models.plans import Plan, Task
from models.plans_assigned_period import period_progress, period_start
from models.progress import (
    DeadlineEnd,
    Progress,
    Reported,
    Tally,
    TaskFacts,
    quarter_end,
    rate_text,
    tally,
)
from models.progress_queries import day_end, standing_reports, task_facts
from models.queries import (
    appendix_texts,
    current_plans,
    list_tasks,
)
from models.unit_names import fold

PERIODS = ("quy", "6thang", "nam")
ROMAN = ("I", "II", "III", "IV")
HEADER = (
    "TT",
    "Nội dung công việc",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Thời gian thực hiện/hoàn thành",
    "Kết quả thực hiện",
)


def vn_number(value: float, pattern: str = "#,##0.#") -> str:
    """Vietnamese style: 9.275 and 51,9."""
    return format_decimal(value, format=pattern, locale="vi")


def vn_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class Period:
    kind: str  # "quy" | "6thang" | "nam"
    year: int
    quarter: int | None = None

    @property
    def end(self) -> date:
        if self.kind == "quy":
            return quarter_end(self.year, self.quarter or 1)
        return date(self.year, 6, 30) if self.kind == "6thang" else date(self.year, 12, 31)

    @property
    def label(self) -> str:
        """As written inside a title: "quý III năm 2026", "6 tháng đầu năm 2026"."""
        if self.kind == "quy":
            return f"quý {ROMAN[(self.quarter or 1) - 1]} năm {self.year}"
        return f"6 tháng đầu năm {self.year}" if self.kind == "6thang" else f"năm {self.year}"


def make_period(kind: str | None, year: int, today: date, quarter: int | None = None) -> Period:
    """The period of a report on the plan of ``year``. Without a kind, the one the
    reporting rhythm asks for now: quarter I and III reports, the six-month report in
    quarter II, the yearly report in quarter IV. "quy" without a number is the quarter
    of ``today`` (the first or last quarter when ``today`` is outside ``year``)."""
    if today.year < year:
        current = 1
    elif today.year > year:
        current = 4
    else:
        current = (today.month - 1) // 3 + 1
    if kind is None:
        kind = {2: "6thang", 4: "nam"}.get(current, "quy")
    if kind not in PERIODS:
        raise ValueError(kind)
    return Period(kind, year, (quarter or current) if kind == "quy" else None)


def report_as_of(period: Period, today: date) -> date:
    """Figures of a period count up to its end, or up to today while it runs."""
    return min(today, period.end)


def place_name(organization: str) -> str:
    """The place in a date line: "UBND xã Nghi Dương" → "Nghi Dương"."""
    return org_name(organization).place


def day_month(day: date) -> tuple[str, str]:
    """Day and month as official documents write them (Nghị định 30/2020): the day
    zero-padded below 10, the month below 3 ("09", "6"; "05", "02")."""
    return f"{day.day:02d}", f"{day.month:02d}" if day.month < 3 else str(day.month)


def official_date(day: date) -> str:
    """ "09/6/2026", "30/3/2026", "15/01/2026"."""
    d, m = day_month(day)
    return f"{d}/{m}/{day.year}"


def date_line(organization: str, day: date) -> str:
    """ "Nghi Dương, ngày 09 tháng 6 năm 2026"."""
    d, m = day_month(day)
    return f"{place_name(organization)}, ngày {d} tháng {m} năm {day.year}"


@dataclass(frozen=True)
class Row:
    section: str | None  # a section row ("I. CẢI CÁCH THỂ CHẾ") when set
    cells: tuple[str, ...] = ()
    review: tuple[str, ...] = ()  # why the compiler should look at it (report_review)


@dataclass
class Report:
    organization: str
    plan_title: str
    year: int
    period: Period
    as_of: date
    rows: list[Row]
    progress: Progress
    city: Tally | None = None
    units: list[str] = field(default_factory=list)  # the units it is narrowed to, if any
    issued: date | None = None  # the day the file is made (the document's date)
    number: str | None = None  # of the report the appendix goes with ("116")
    dated: date | None = None  # that report's date
    appendix: str = "01"  # "PHỤ LỤC 01"

    @property
    def name(self) -> OrgName:
        return org_name(self.organization)

    @property
    def of_whom(self) -> str:
        """ "xã Nghi Dương", as written inside a sentence."""
        return self.name.of_whom

    @property
    def author(self) -> str:
        """Whose document it is: "Ủy ban nhân dân xã Nghi Dương", or the units' own
        names when it covers only their tasks ("Phòng Kinh tế")."""
        return "; ".join(self.units) if self.units else self.name.committee

    @property
    def issuer(self) -> tuple[str, str]:
        """The heading's issuing body: the commune's, or the unit's under its commune."""
        return self.name.unit_issuer(self.units[0]) if self.units else self.name.issuer

    @property
    def title(self) -> str:
        whose = f"của {'; '.join(self.units)}" if self.units else self.of_whom
        if self.plan_title and "cai cach hanh chinh" not in fold(self.plan_title):
            # Another plan than CCHC: its own name ("Kế hoạch chuyển đổi số năm 2026").
            mine = f" {whose}" if self.units else ""
            return f"Kết quả thực hiện {self.plan_title}{mine} {self.period.label}"
        return (
            f"Kết quả thực hiện nhiệm vụ công tác cải cách hành chính {whose} {self.period.label}"
        )

    @property
    def attached_to(self) -> str:
        """ "(Kèm theo Báo cáo số 116/BC-UBND ngày 30/3/2026 của Ủy ban nhân dân xã …)",
        with blanks to fill by hand when the number or the date is not known yet."""
        number = self.number or "       "
        day = official_date(self.dated) if self.dated else f"      /     /{self.year}"
        symbol = "" if self.units else "/BC-UBND"
        return f"(Kèm theo Báo cáo số {number}{symbol} ngày {day} của {self.author})"

    @property
    def rate(self) -> str:
        return rate_text(self.progress.overall.done, self.progress.overall.total)

    @property
    def to_review(self) -> list[Row]:
        return [row for row in self.rows if row.review]


def _joined(names: Sequence[str], note: str) -> str:
    return "; ".join([*names, *([note] if note else [])])


def deadline_cell(task: Task, due: date | None = None) -> str:
    """The plan's deadline words, and the extended date when ``due`` (the date standing
    on the report's day, default the task's current one) is not the plan's."""
    text = task.deadline_text
    original = getattr(task, "original_due", None)
    due = due if due is not None else task.deadline_due
    if original is not None and due is not None and due != original:
        text += f"\n(Gia hạn đến {vn_date(due)})"
    return text


def task_row(
    task: Task,
    facts: TaskFacts,
    reports: Sequence[Reported],
    year: int,
    as_of: date,
    *,
    deadline_end: DeadlineEnd,
    wording: str | None = None,
    period_end: date | None = None,
) -> Row:
    """One task's row; ``wording``: the compiler's own text for the result (/ketqua)."""
    result = wording or result_text(
        facts, reports, year, as_of, deadline_end=deadline_end, period_end=period_end
    )
    original = getattr(task, "original_due", None)
    if not result and facts.status == "not_started" and original and facts.due and facts.due != original:
        # Not started, but the leaders moved its deadline: that is the result to date,
        # not a blank row nobody reported.
        result = f"Chưa thực hiện, đã được gia hạn đến {vn_date(facts.due)}"
    return Row(
        None,
        (
            task.number,
            " ".join(task.content.split()),
            _joined([u.name for u in task.units("lead")], task.lead_note),
            _joined([u.name for u in task.units("cooperating")], task.cooperating_note),
            deadline_cell(task, facts.due),
            result,
        ),
        review_reasons(facts, reports, result) if wording is None else (),  # the compiler decided
    )


# ---------------------------------------------------------------- from the database


async def report_plan(session: AsyncSession, org: Organization) -> Plan | None:
    plan_id = (await current_plans(session, [org.id])).get(org.id)
    return await session.get(Plan, plan_id) if plan_id is not None else None


async def city_tally(
    session: AsyncSession, org: Organization, period: Period, as_of: date, deadline_end: DeadlineEnd
) -> Tally | None:
    """Biểu mẫu 1 row 4: the tasks the city gave that count in the report's period
    (``models.plans_assigned_period``), if the organization has a list of them."""
    start = period_start(period.kind, period.year, period.quarter)
    found = await period_progress(
        session, org, start, period.end, as_of, deadline_end=deadline_end
    )
    return found.overall if found is not None else None


@dataclass(frozen=True)
class Loaded:
    """What a report reads of a plan on its day, read once for the appendix and the
    draft alike (``narrative_data.gather``)."""

    tasks: Sequence[Task]  # led by the units asked for, in plan order
    facts: dict[int, TaskFacts]
    reports: dict[int, list[Reported]]  # standing on the day, oldest first
    wordings: dict[int, str]  # the compiler's rows (/ketqua) set before the day's end


async def load_plan(
    session: AsyncSession,
    org: Organization,
    plan: Plan,
    *,
    as_of: date,
    unit_ids: Sequence[int] | None = None,
) -> Loaded:
    tasks = await list_tasks(session, org, unit_ids=unit_ids, roles=("lead",), plan=plan)
    ids = [t.id for t in tasks]
    facts = await task_facts(session, org, as_of=as_of, plan=plan, unit_ids=unit_ids)
    return Loaded(
        tasks,
        {f.task_id: f for f in facts},
        dict(await standing_reports(session, ids, as_of, org.timezone)),
        await appendix_texts(session, ids, day_end(as_of, org.timezone)),
    )


async def build_report(
    session: AsyncSession,
    org: Organization,
    *,
    period: Period,
    as_of: date,
    deadline_end: DeadlineEnd,
    plan: Plan | None = None,
    unit_ids: Sequence[int] | None = None,
    unit_names: Sequence[str] = (),
    issued: date | None = None,
    number: str | None = None,
    dated: date | None = None,
    appendix: str = "01",
    loaded: Loaded | None = None,
) -> Report | None:
    """The appendix of ``org``'s current plan (or ``plan``) with results on ``as_of``;
    only the tasks led by ``unit_ids`` when given. None when there is no plan.
    ``deadline_end`` is the working-day rule for due dates on days off (the caller's
    ``WorkCalendar.deadline_end``), so the figures count overdue like /quahan."""
    plan = plan or await report_plan(session, org)
    if plan is None:
        return None
    loaded = loaded or await load_plan(session, org, plan, as_of=as_of, unit_ids=unit_ids)
    tasks, facts, reports, wordings = loaded.tasks, loaded.facts, loaded.reports, loaded.wordings
    rows: list[Row] = []
    section = None
    for task in tasks:
        if task.section_id != section:
            section = task.section_id
            numeral, title = task.section.numeral, task.section.title
            title = title.upper()  # section rows in capitals, as in the plans and reports
            rows.append(Row(f"{numeral}. {title}" if numeral else title))
        rows.append(
            task_row(
                task,
                facts[task.id],
                reports.get(task.id, []),
                plan.year,
                as_of,
                deadline_end=deadline_end,
                wording=wordings.get(task.id),
                period_end=period.end,
            )
        )
    return Report(
        organization=org.name,
        plan_title=plan.title,
        year=plan.year,
        period=period,
        as_of=as_of,
        rows=rows,
        progress=tally(facts.values(), as_of, deadline_end=deadline_end),
        city=None
        if unit_ids is not None
        else await city_tally(session, org, period, as_of, deadline_end),
        units=list(unit_names),
        issued=issued,
        number=number,
        dated=dated,
        appendix=appendix,
    )
