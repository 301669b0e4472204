"""How dondoc writes back what it reads: a date as Vietnamese documents write it
("14/01/2026"), the one form every message and document uses."""

from __future__ import annotations

from datetime import date


def format_date(d: date) -> str:
    """Vietnamese style: 14/01/2026."""
    return d.strftime("%d/%m/%Y")
