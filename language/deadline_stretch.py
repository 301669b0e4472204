"""Lists of deadline windows that follow each other without a gap ("Quý I và quý II năm
2026", "Tháng 5, 6, 7/2026", "Tháng 8, tháng 9 năm 2026") are one continuous stretch to
the last item's end, not a repeating list: read as lists by ``language.deadline_tokens``,
joined here. Part of the hand-written deadline grammar. Pure: no I/O and no clock.
"""

from __future__ import annotations

from language.deadline_tokens import Point, Span, year_of


def _months(what: Point | Span, written: int | None) -> tuple[Point, Point] | None:
    """The first and last month-like point of a list item, or None for a day."""
    first, last = (what.first, what.last) if isinstance(what, Span) else (what, what)
    if first.unit == "day" or last.unit == "day":
        return None
    year = last.year or written
    return first._replace(year=first.year or year), last._replace(year=year)


def stretch(items: list[tuple[str, Point | Span]]) -> Span | None:
    """One continuous stretch, when the items of a list follow each other without a gap
    ("Quý I và quý II năm 2026", "Tháng 5, 6, 7/2026"): from the first item's start to
    the last one's end. None for a list with a gap ("Tháng 3 và tháng 9") or of days."""
    written = year_of(items[-1][1])
    bounds = []
    for how, what in items:
        months = _months(what, written)
        if how != "plain" or months is None:
            return None
        bounds.append(months)
    for (_a, before), (after, _b) in zip(bounds, bounds[1:], strict=False):
        end = (before.year or 0) * 12 + before.b
        if (after.year or 0) * 12 + after.a != end + 1:
            return None
    return Span(bounds[0][0], bounds[-1][1])
