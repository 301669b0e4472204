"""Whether the date an extension request asks for can go to a leader (a pure rule).

The date itself is read in ``status_dates``; here it is judged, in this order:
- a done or not-applicable task needs no extension;
- no date read: say how to write one;
- a length ("thêm 1 tháng", "gia hạn 10 ngày làm việc") counts from the current deadline,
  or from today once that has passed;
- a day or a period written without a year more than ``AMBIGUOUS_DAYS`` away is asked
  about ("2/1" typed on 5 January means a day that has passed, not next year); with the
  year written ("15/1/2027", "quý 1 năm 2027", "15/1 năm sau") or a date said relative
  to today ("cuối năm", "hết tháng sau") the date stands;
- a day already past, or not after the current deadline, is refused;
- a date later than the longest extension (``max_months`` after the current deadline,
  or after today once that has passed) is refused, naming the limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from language.formats import format_date
from language.status_dates import DELTA, RELATIVE, add_months, delta_date
from language.status_words import fold
from locales import _

AMBIGUOUS_DAYS = 180  # a date without a year further away than this is asked about
DEFAULT_MAX_MONTHS = 6  # [extensions] max_months
YEAR, COUNT, NO_YEAR = "year", "count", "no_year"  # how the date was written

_FOUR_DIGITS = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_SHORT_YEAR = re.compile(r"(?<![\d/])\d{1,2}\s?[/.-]\s?\d{1,2}\s?[/.-]\s?(\d{2})(?![\d/])")
_YEAR_WORDS = re.compile(r"\bnam\s(sau|toi|nay)\b")


@dataclass(frozen=True)
class Asked:
    """The date asked for, and how it was written (``YEAR``, ``COUNT`` or ``NO_YEAR``)."""

    until: date | None
    form: str


def written_years(folded: str, today: date) -> set[int]:
    """The years a folded text names: "2027", "15/1/27", "năm sau", "năm nay"."""
    years = {int(m[1]) for m in _FOUR_DIGITS.finditer(folded)}
    years |= {2000 + int(m[1]) for m in _SHORT_YEAR.finditer(folded)}
    years |= {today.year + (m[1] != "nay") for m in _YEAR_WORDS.finditer(folded)}
    return years


def how_asked(text: str, until: date | None, today: date, due: date | None) -> Asked:
    """How ``until`` (read from ``text`` relative to ``today``) was written; a length is
    counted again from the current deadline ``due`` (or today, once it has passed)."""
    if until is None:
        return Asked(None, NO_YEAR)
    folded = fold(text)[0]
    for m in DELTA.finditer(folded):
        if delta_date(m, today) == until:  # the reader took its date from this length
            base = max(due, today) if due is not None else today
            return Asked(delta_date(m, base), COUNT)
    if until.year in written_years(folded, today) or any(p.search(folded) for p in RELATIVE):
        return Asked(until, YEAR)
    return Asked(until, NO_YEAR)


def check_extension(
    due: date | None,
    status: str,
    until: date | None,
    text: str,
    today: date,
    max_months: int = DEFAULT_MAX_MONTHS,
    *,
    confirmed: bool = False,
) -> tuple[date | None, str | None]:
    """The date an extension request really asks for, or why it cannot be sent;
    ``confirmed``: the person tapped to confirm ``until`` itself (its year is sure)."""
    if status in ("done", "not_applicable"):
        return None, _("Nhiệm vụ này đã hoàn thành nên không cần gia hạn.")
    asked = Asked(until, YEAR) if confirmed else how_asked(text, until, today, due)
    until = asked.until
    if until is None:
        return None, _(
            "Tôi chưa đọc được ngày xin gia hạn. Ví dụ: «Xin gia hạn đến 20/12 vì chờ kinh phí»."
        )
    if asked.form == NO_YEAR and (until - today).days > AMBIGUOUS_DAYS:
        return None, _(
            "Ngày xin gia hạn {date} còn hơn 6 tháng nữa; nếu đúng, vui lòng ghi rõ cả năm, ví dụ {date}."
        ).format(date=format_date(until))
    if until <= today:
        return None, _("Ngày xin gia hạn {date} đã qua; vui lòng ghi một ngày sắp tới.").format(
            date=format_date(until)
        )
    if due is not None and until <= due:
        return None, _("Ngày xin gia hạn {date} phải sau hạn hiện tại {due}.").format(
            date=format_date(until), due=format_date(due)
        )
    limit = longest_extension(due, today, max_months)
    if until > limit:
        return None, _(
            "Ngày xin gia hạn {date} vượt mức gia hạn tối đa {months} tháng (muộn nhất {limit}); vui lòng xin một ngày sớm hơn, hoặc báo trực tiếp lãnh đạo nếu cần lâu hơn."
        ).format(date=format_date(until), months=max_months, limit=format_date(limit))
    return until, None


def year_offer(
    due: date | None,
    status: str,
    until: date | None,
    text: str,
    today: date,
    max_months: int = DEFAULT_MAX_MONTHS,
) -> date | None:
    """The date read from a request written without a year and more than
    ``AMBIGUOUS_DAYS`` away ("/giahan 38 15/11" on 12/01), when it would be sent once the
    person confirms it: offered with one tap (a number on Zalo), not to be typed again."""
    asked = how_asked(text, until, today, due)
    if asked.until is None or asked.form != NO_YEAR or (asked.until - today).days <= AMBIGUOUS_DAYS:
        return None
    _until, problem = check_extension(
        due, status, asked.until, text, today, max_months, confirmed=True
    )
    return asked.until if problem is None else None


def longest_extension(due: date | None, today: date, max_months: int) -> date:
    """The latest day an extension may ask for: ``max_months`` after the current deadline,
    or after today once the deadline has passed (or without one)."""
    base = max(due, today) if due is not None else today
    return add_months(base, max_months)


def day_off_line(until: date, met_until: date) -> str:
    """A line saying that the date asked for is a day off (a weekend, Tết, a holiday),
    so by law the deadline runs to the end of the next working day ``met_until``
    (``WorkCalendar.deadline_end``); empty when ``until`` is a working day."""
    if met_until == until:
        return ""
    return _(
        "Lưu ý: {date} là ngày nghỉ; hạn sẽ được tính đến hết ngày làm việc tiếp theo, {end}."
    ).format(date=format_date(until), end=format_date(met_until))
