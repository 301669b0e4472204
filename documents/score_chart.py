"""The /diem chart for Telegram: one horizontal bar per criterion (or per commune), the
points reached in green over the maximum in grey, "22,5/24" after each bar. Same
drawing rules as ``documents.charts`` (object API, Agg canvas, nothing at import)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO

from documents.charts import NAME_CHARS, TITLE_CHARS
from models.score_tree import format_points

REACHED, MAXIMUM = "#2e7d32", "#e0e0e0"
WIDTH_IN, DPI, ROW_IN, TOP_IN, BOTTOM_IN = 5.0, 216, 0.62, 0.55, 0.3


def score_chart(rows: Sequence[tuple[str, Decimal, Decimal]], title: str) -> bytes:
    """A PNG of ``(name, points, maximum)`` rows, the first on top."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    title = "\n".join(textwrap.wrap(title, TITLE_CHARS, max_lines=3, placeholder="…")) or title
    top = TOP_IN + 0.25 * title.count("\n")
    height = top + BOTTOM_IN + ROW_IN * max(len(rows), 1)
    figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.03, BOTTOM_IN / height, 0.94, ROW_IN * len(rows) / height))
    widest = float(max((m for _n, _p, m in rows), default=Decimal(1)) or 1)
    for y, (name, points, maximum) in enumerate(rows):
        axes.barh(y, float(maximum), height=0.5, color=MAXIMUM)
        axes.barh(y, float(points), height=0.5, color=REACHED)
        name = name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1].rstrip() + "…"
        axes.text(0, y - 0.36, name, ha="left", va="bottom", fontsize=11)
        axes.text(float(maximum) + widest * 0.015, y, f"{format_points(points)}/{format_points(maximum)}",
                  ha="left", va="center", fontsize=10, color="#424242")  # fmt: skip
    axes.set_ylim(len(rows) - 0.5, -0.75)
    axes.set_xlim(0, widest * 1.25)
    axes.set_axis_off()
    figure.text(0.03, 1 - 0.12 / height, title, fontsize=12, fontweight="bold", va="top")
    out = BytesIO()
    figure.savefig(out, format="png", pil_kwargs={"compress_level": 1})
    return out.getvalue()
