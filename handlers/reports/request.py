"""What a /baocao message asks for, read once for every report: the kind (the appendix,
the draft report, the plan's decision), the period ("quy3", "6thang", "nam"), the
report's number and date, the appendix's own number, and whose tasks it covers
(``report_scope``). The appendix (``appendix``), the draft (``narrative``) and the
dispatch (``commands``) build on it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from documents.report_review import LABELS
from documents.report_rows import Period, Report, make_period
from handlers.context import Request
from handlers.messages import Outgoing
from handlers.permissions import is_leader, officer_units
from handlers.reports.plan_choice import ask_which, one_plan
from handlers.reports.progress import parse_quarter
from language.plan_codes import code_from_title
from locales import _
from models.org_names import org_name
from models.people import Organization
from models.plans import Plan
from models.queries import active_plans
from models.unit_names import fold

APPENDIX, NARRATIVE, DECISION = "appendix", "narrative", "decision"
_KIND = re.compile(r"^\s*(bao\s*cao|phu\s*luc(?!\s*(?:so\s*)?\d)|ke\s*hoach)\b\s*[:,]?")
_KINDS = {"baocao": NARRATIVE, "phuluc": APPENDIX, "kehoach": DECISION}
_SIX_MONTHS = re.compile(r"^6\s*(?:thang)?(?:\s*dau\s*nam)?$")
_YEAR = re.compile(r"^(?:ca\s*)?nam$")
# "số 116", "số: 116/BC-UBND" and "ngày 30/3/2026", read on folded text (same length).
_NUMBER = re.compile(r"\bso\s*[:.]?\s*(\d{1,6})(?:\s*/\s*bc-ubnd)?\b")
_APPENDIX = re.compile(r"\bphu\s*luc\s*(?:so\s*)?(\d{1,2})\b")
_DATED = re.compile(r"\bngay\s*[:.]?\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b")


def split_kind(args: str) -> tuple[str, str]:
    """("narrative", "quy") for "baocao quy" / "báo cáo quy"; the appendix otherwise."""
    folded = fold(args)  # as long as ``args``: the spans line up
    match = _KIND.match(folded)
    if match is None:
        return APPENDIX, args
    return _KINDS[match.group(1).replace(" ", "")], args[match.end() :].strip()


def hint() -> str:
    """The line under the appendix's summary that offers the other choice."""
    return _("Dự thảo báo cáo kèm phụ lục này: nhắn /baocao baocao (ví dụ /baocao baocao quy).")


@dataclass(frozen=True)
class ReportArgs:
    rest: str  # the words left for the period
    number: str | None = None
    dated: date | None = None
    appendix: str = "01"  # "PHỤ LỤC 01"; "phụ lục 2" makes it "PHỤ LỤC 02"


def parse_report_args(args: str) -> ReportArgs | None:
    """Take "phụ lục 2", "số 116" and "ngày 30/3/2026" out of ``args``; None for an
    impossible date."""
    folded = fold(args)
    number = dated = None
    appendix = "01"
    spans = []
    if match := _APPENDIX.search(folded):  # before "số", which "phụ lục số 2" contains
        appendix, folded = (
            f"{int(match.group(1)):02d}",
            folded.replace(match.group(0), " " * len(match.group(0))),
        )
        spans.append(match.span())
    if match := _NUMBER.search(folded):
        number = match.group(1)
        spans.append(match.span())
    if match := _DATED.search(folded):
        day, month, year = (int(g) for g in match.groups())
        try:
            dated = date(year, month, day)
        except ValueError:
            return None
        spans.append(match.span())
    rest = args
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    return ReportArgs(" ".join(rest.split()), number, dated, appendix)


def parse_period(args: str) -> tuple[str | None, int | None] | None:
    """(kind, quarter) from "quy", "quy3", "quý III", "6thang", "6 tháng", "nam";
    (None, None) for nothing; None when the words name no period."""
    quarter, rest = parse_quarter(args)
    if quarter is not None:
        return ("quy", quarter) if not rest else None
    word = " ".join(fold(args).split())
    if not word:
        return None, None
    if word in ("quy", "q"):
        return "quy", None
    if _SIX_MONTHS.match(word):
        return "6thang", None
    if _YEAR.match(word):
        return "nam", None
    return None


def named_in(scope: str, title: str) -> bool:
    """Whether a title already names the scope ("Xã X" in "… xã X quý I"), so a summary
    does not say it twice."""
    return " ".join(fold(scope).split()) in " ".join(fold(title).split())


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def file_stem(report: Report) -> str:
    period = report.period
    when = {"quy": f"quy{period.quarter}", "6thang": "6thang", "nam": "nam"}[period.kind]
    # A unit's appendix is named as the unit's, so it never replaces the commune's.
    whose = "-".join([slug(report.organization), *(slug(unit) for unit in report.units)])
    # Each plan's appendix under its own code ("ket-qua-cds-…"): two plans never share a name.
    code = slug(code_from_title(report.plan_title)) if report.plan_title else "cchc"
    return f"ket-qua-{code}-{whose}-{when}-{period.year}"


def review_text(report: Report, *, admin: bool = True) -> str | None:
    """The rows to look at before the appendix goes out, grouped by why; None when there
    are none. One line per reason keeps it short on Zalo (2,000 characters)."""
    rows = report.to_review
    if not rows:
        return None
    lines = [
        _(
            "Trước khi nộp, xin xem lại {count} dòng của phụ lục (ô kết quả có ghi chú «Cần xem lại» trong tệp; ghi chú không in ra):"
        ).format(count=len(rows))
    ]
    for reason, label in LABELS.items():
        numbers = [row.cells[0] for row in rows if reason in row.review]
        if numbers:
            lines.append(
                _("- {reason}: nhiệm vụ {numbers}").format(
                    reason=_(label), numbers=", ".join(numbers)
                )
            )
    lines.append(
        _("Nội dung gõ không dấu chưa được sửa tự động: xin đơn vị cập nhật lại bằng /capnhat.")
        if any("no_diacritics" in row.review for row in rows)
        else (
            # A unit's own appendix is read by its officer: the one who updates.
            _("Anh/chị cập nhật bằng /capnhat SỐ nội dung, rồi nhắn lại /baocao.")
            if report.units
            else _("Đơn vị có thể cập nhật bằng /capnhat SỐ nội dung, rồi nhắn lại /baocao.")
        )
    )
    if admin:  # /ketqua is an admin's command: not offered to those who cannot use it
        lines.append(
            _("Quản trị có thể tự ghi lời cho một dòng của phụ lục: /ketqua SỐ nội dung.")
        )
    return "\n".join(lines)


def report_scope(request: Request, org: Organization) -> tuple[list[int] | None, list[str]]:
    """Whose tasks a report covers: the whole organization for leaders and viewers
    (None), an officer's own units otherwise, with their names."""
    if is_leader(request.grants, org.id) or request.role == "viewer":
        return None, []
    names = [m.unit.name for m in request.person.memberships if m.unit and m.organization_id == org.id]
    return sorted(officer_units(request.grants, org.id)), names


@dataclass(frozen=True)
class ReportAsk:
    """What a /baocao message asks for, read and checked: the words, the plan, the
    period, today, and whose tasks (``report_scope``)."""

    given: ReportArgs
    plan: Plan
    period: Period
    today: date
    unit_ids: list[int] | None
    unit_names: list[str]


async def report_ask(request: Request, args: str, unclear: str) -> ReportAsk | list[Outgoing]:
    """``args`` read for the appendix or the draft; the answer instead when the date is
    impossible, the period unclear (``unclear``, formatted with ``args``) or no plan
    was imported."""
    given = parse_report_args(args)
    if given is None:
        return [
            Outgoing(
                _(
                    "Ngày của báo cáo không hợp lệ «{args}». Ví dụ: /baocao quy1 số 116 ngày 30/3/2026."
                ).format(args=args)
            )
        ]
    org = request.organization
    plans = await active_plans(request.session, org, request.today())
    if not plans:
        return [Outgoing(_("{org} chưa có kế hoạch nào được nhập.").format(org=org_name(org.name).display))]
    plan, rest = one_plan(request, plans, given.rest)  # "/baocao CĐS quy1": that plan's
    if plan is None and len(plans) > 1:
        return await ask_which(request, plans, args)
    plan = plan or plans[0]
    period_args = parse_period(rest)
    if period_args is None:
        return [Outgoing(unclear.format(args=rest))]
    unit_ids, unit_names = report_scope(request, org)
    today = request.today(org)
    period = make_period(period_args[0], plan.year, today, period_args[1])
    return ReportAsk(given, plan, period, today, unit_ids, unit_names)
