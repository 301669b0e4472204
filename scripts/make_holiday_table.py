"""Writes ``scheduler/holiday_table.py``: Vietnam's public holidays and swapped working
Saturdays of 2020–2040 as the ``holidays`` package computes them, so that ``dondoc run``
need not import that package (it loads every country's module, about 8 MB) for the
years a commune works in. ``tests/test_workdays.py`` checks the table against the
installed package: after upgrading it, run ``.venv/bin/python scripts/make_holiday_table.py``."""

from __future__ import annotations

from pathlib import Path

import holidays

FIRST, LAST = 2020, 2040
TARGET = Path(__file__).resolve().parent.parent / "scheduler" / "holiday_table.py"


def official(year: int) -> tuple[list[str], list[str]]:
    """(public holidays, weekend days worked instead) of ``year``, as ISO dates."""
    # Swaps may be declared in the year before or after the one they affect.
    table = holidays.country_holidays("VN", years=range(year - 1, year + 2))
    days_off = sorted(d.isoformat() for d in table if d.year == year)
    worked = sorted(d.isoformat() for d in getattr(table, "weekend_workdays", ()) if d.year == year)
    return days_off, worked


def main() -> None:
    lines = [
        '"""Vietnam\'s public holidays and swapped working Saturdays, by year (written by',
        f"scripts/make_holiday_table.py from holidays {holidays.__version__}; do not edit).\"\"\"",
        "",
        "FIRST, LAST = " + f"{FIRST}, {LAST}",
        "TABLE: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {",
    ]
    for year in range(FIRST, LAST + 1):
        days_off, worked = official(year)
        lines.append(f"    {year}: (")
        lines.append("        (" + "".join(f'"{d}", ' for d in days_off).rstrip() + "),")
        lines.append("        (" + "".join(f'"{d}", ' for d in worked).rstrip() + "),")
        lines.append("    ),")
    lines.append("}  # fmt: skip")
    TARGET.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
