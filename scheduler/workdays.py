"""Working days in Vietnam: which days an office works, and counting in working days.

Saturdays, Sundays and the public holidays of the ``holidays`` package (Tết included)
are days off (kept in ``scheduler/holiday_table.py`` for 2020–2040, written from it by
``scripts/make_holiday_table.py``). The package also knows the official swaps, where a Saturday is worked to
make a bridge day off (22/8/2026 worked for 31/8/2026): those Saturdays are working
days. The organisation's own ``extra_days_off`` and ``extra_working_days`` (from the
config) override both; a date listed in both is a day off.

A deadline that falls on a day off ends at the end of the next working day (Bộ luật
Dân sự 2015, article 148): :meth:`WorkCalendar.deadline_end` is that rule, the one
place it is written. Reminders, /quahan, the deadline in words and the report figures
all count overdue from it (``models.progress`` receives it as a function, since
models import nothing of ours).

Pure: no I/O and no clock; every function takes the date it is about.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from scheduler.holiday_table import FIRST, LAST, TABLE

_COUNTRY = "VN"
_MAX_SEARCH = 3 * 366  # a calendar with no working day must fail, not loop forever


@cache
def _official(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(public holidays, weekend days worked instead) of ``year``, computed once: from
    the package's own figures kept in ``holiday_table`` for 2020–2040 (importing the
    package loads every country's module, about 8 MB in ``dondoc run``), else from it."""
    if FIRST <= year <= LAST:
        days_off, worked = TABLE[year]
        return frozenset(map(date.fromisoformat, days_off)), frozenset(map(date.fromisoformat, worked))
    import holidays

    # Swaps may be declared in the year before or after the one they affect.
    table = holidays.country_holidays(_COUNTRY, years=range(year - 1, year + 2))
    days_off_found = frozenset(d for d in table if d.year == year)
    worked_found = frozenset(d for d in getattr(table, "weekend_workdays", ()) if d.year == year)
    return days_off_found, worked_found


def public_holidays(year: int) -> frozenset[date]:
    return _official(year)[0]


@dataclass(frozen=True)
class WorkCalendar:
    extra_days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()  # compensating working days

    @classmethod
    def from_dates(
        cls, days_off: Iterable[date | str] = (), working_days: Iterable[date | str] = ()
    ) -> WorkCalendar:
        """Build from config lists; strings are ISO dates ("2026-08-22")."""

        def as_dates(values: Iterable[date | str]) -> frozenset[date]:
            return frozenset(v if isinstance(v, date) else date.fromisoformat(v) for v in values)

        return cls(as_dates(days_off), as_dates(working_days))

    def is_working_day(self, d: date) -> bool:
        if d in self.extra_days_off:
            return False
        if d in self.extra_working_days:
            return True
        days_off, worked = _official(d.year)
        if d in worked:
            return True
        return d.weekday() < 5 and d not in days_off

    def _step(self, d: date, step: int) -> date:
        """The first working day from ``d`` (included) in direction ``step``."""
        for _ in range(_MAX_SEARCH):
            if self.is_working_day(d):
                return d
            d += timedelta(days=step)
        raise ValueError("no working day within three years")

    def previous_working_day(self, d: date) -> date:
        """``d`` itself if it is a working day, else the last one before it."""
        return self._step(d, -1)

    def next_working_day(self, d: date) -> date:
        """``d`` itself if it is a working day, else the first one after it."""
        return self._step(d, 1)

    def deadline_end(self, due: date) -> date:
        """The last day on which a deadline falling on ``due`` is met: ``due`` itself on
        a working day, else the next working day (Bộ luật Dân sự 2015, article 148:
        a time limit whose last day is a weekend or a holiday ends at the end of the
        next working day). A task is overdue only on the day after it."""
        return self.next_working_day(due)

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (before it if ``n`` < 0); ``d`` itself is
        not counted, so ``add_working_days(d, 0)`` is ``d``."""
        step = 1 if n >= 0 else -1
        for _ in range(abs(n)):
            d = self._step(d + timedelta(days=step), step)
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """Working days from ``a`` to ``b``: ``a`` excluded, ``b`` included; negative when
        ``b`` is before ``a``. ``working_days_between(d, add_working_days(d, n)) == n``."""
        if b < a:
            # Mirror image: count [b, a) and negate.
            return -sum(self.is_working_day(b + timedelta(days=i)) for i in range((a - b).days))
        return sum(self.is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))
