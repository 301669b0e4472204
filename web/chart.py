"""A stacked bar chart as inline SVG geometry: one bar per unit, one segment per
category, with its share in numbers beside it (no colour alone carries meaning)."""

from __future__ import annotations

from dataclasses import dataclass

from models.progress import Tally

# Category → fill, readable on white and told apart without colour by the legend order.
COLOURS = {
    "done_on_time": "#1b7f3b",
    "done_late": "#7fb069",
    "overdue": "#c62828",
    "in_progress": "#f2a900",
    "not_started": "#9e9e9e",
    "not_applicable": "#d7d7d7",
}
WIDTH = 100  # the bar's width in the drawing's units


@dataclass(frozen=True)
class Segment:
    key: str
    x: float
    width: float
    count: int
    colour: str


@dataclass(frozen=True)
class Bar:
    label: str
    done: int
    total: int
    segments: list[Segment]


def bars(rows: list[tuple[str, Tally]]) -> list[Bar]:
    """One bar per row, its segments in the order of the legend."""
    out = []
    for label, t in rows:
        x = 0.0
        segments = []
        for key, colour in COLOURS.items():
            count = t.counts[key]
            if not count or not t.total:
                continue
            width = WIDTH * count / t.total
            segments.append(Segment(key, round(x, 3), round(width, 3), count, colour))
            x += width
        out.append(Bar(label, t.done, t.total, segments))
    return out
