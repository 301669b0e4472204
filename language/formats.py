"""How dondoc writes back what it reads: a date as Vietnamese documents write it
("14/01/2026"), the one form every message and document uses, and a moment as a
colleague writes it ("08:31 ngày 13/01/2026")."""

from __future__ import annotations

from datetime import date, datetime

from locales import _


def format_date(d: date) -> str:
    """Vietnamese style: 14/01/2026."""
    return d.strftime("%d/%m/%Y")


def format_moment(moment: datetime) -> str:
    """A time and its day, "08:31 ngày 13/01/2026" ("08:31 13/01/2026" read as one
    number to officers); ``moment`` is already in the reader's zone."""
    return _("{time} ngày {date}").format(time=moment.strftime("%H:%M"), date=format_date(moment.date()))
