"""Progress charts as PNG pictures for the chat: one horizontal bar per unit (or per
organization), stacked in the official categories, with Vietnamese labels, sized to be
read on a phone. Matplotlib's object API with the Agg canvas: no global state, no
window, nothing built at import time. DejaVu Sans (matplotlib's own font) has every
Vietnamese letter.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from io import BytesIO

COLORS = {
    "done_on_time": "#2e7d32",
    "done_late": "#9ccc65",
    "overdue": "#c62828",
    "in_progress": "#1e88e5",
    "not_started": "#bdbdbd",
    "not_applicable": "#eeeeee",
}
DARK = {"done_on_time", "overdue", "in_progress"}  # white numbers on these
WIDTH_IN, DPI = 5.0, 216  # 1,080 pixels wide, so 11 pt reads well on a phone
NAME_CHARS = 44  # what fits on one line at 11 pt
TITLE_CHARS = 46  # and at 12 pt bold
ROW_IN, TOP_IN, BOTTOM_IN = 0.62, 0.55, 1.0


def progress_chart(
    rows: Sequence[tuple[str, Mapping[str, int]]],
    categories: Sequence[tuple[str, str]],
    title: str,
) -> bytes:
    """A stacked horizontal bar per ``(name, counts)`` row, the first row on top, its
    name above it and "done/total" after it; ``categories`` are (key, label) pairs in
    stacking order, the first two counting as done."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import PatchCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, Rectangle

    title = "\n".join(textwrap.wrap(title, TITLE_CHARS, max_lines=3, placeholder="…")) or title
    top = TOP_IN + 0.25 * title.count("\n")
    height = top + BOTTOM_IN + ROW_IN * max(len(rows), 1)
    figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.03, BOTTOM_IN / height, 0.94, ROW_IN * len(rows) / height))
    totals = [sum(counts.get(key, 0) for key, _ in categories) for _, counts in rows]
    widest = max(totals, default=0) or 1
    positions = list(range(len(rows)))
    left = [0] * len(rows)
    boxes, colors = [], []
    for key, _label in categories:
        values = [counts.get(key, 0) for _, counts in rows]
        for y, value, start in zip(positions, values, left, strict=True):
            if not value:
                continue
            boxes.append(Rectangle((start, y - 0.25), value, 0.5))
            colors.append(COLORS[key])
            if value / widest > 0.035:
                axes.text(start + value / 2, y + 0.02, str(value), ha="center", va="center",
                          fontsize=9, fontweight="bold",
                          color="white" if key in DARK else "#212121")  # fmt: skip
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.add_collection(
        PatchCollection(boxes, facecolors=colors, edgecolors="white", linewidths=0.6)
    )
    done_keys = [key for key, _ in categories[:2]]
    for y, (name, counts), total in zip(positions, rows, totals, strict=True):
        name = name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1].rstrip() + "…"
        axes.text(0, y - 0.36, name, ha="left", va="bottom", fontsize=11)
        done = sum(counts.get(key, 0) for key in done_keys)
        axes.text(total + widest * 0.015, y, f"{done}/{total}", ha="left", va="center",
                  fontsize=10, color="#424242")  # fmt: skip
    axes.set_ylim(len(rows) - 0.5, -0.75)
    axes.set_xlim(0, widest * 1.16)
    axes.set_axis_off()
    figure.text(0.03, 1 - 0.12 / height, title, fontsize=12, fontweight="bold", va="top")
    figure.legend(
        handles=[Patch(color=COLORS[key], label=label) for key, label in categories],
        loc="lower left",
        ncol=2,
        fontsize=9,
        frameon=False,
        bbox_to_anchor=(0.0, 0.02),
        handlelength=1.2,
        columnspacing=0.8,
    )
    out = BytesIO()
    figure.savefig(out, format="png", pil_kwargs={"compress_level": 1})
    return out.getvalue()
