"""Pure rules of score sheets, shared by the reader, the store, the figures and the
result table: reading points as people write them ("1,9", "96,8", "1 điểm"), writing
them the Vietnamese way (Babel, locale vi), and the totals of a tree of items.

An item with children takes its points from them; a leaf's standing score is the
compiler's confirmed score if there is one, else the newest self-assessed one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from babel.numbers import format_decimal

__all__ = ["Node", "Totals", "format_points", "parse_points", "totals"]

# "1", "1,9", "96,8", "0.5", "1,25"; an optional "điểm"/"đ" after it.
_POINTS_RE = re.compile(r"^\s*(\d{1,4})(?:[.,](\d{1,2}))?\s*(?:điểm|diem|đ|d)?\s*$", re.I)


def parse_points(text: object) -> Decimal | None:
    """The points in a cell or a reply, else None: "1,9" → 1.9, "10" → 10."""
    if text is None:
        return None
    if isinstance(text, int | float | Decimal) and not isinstance(text, bool):
        try:
            return clean(Decimal(str(text)).quantize(Decimal("0.01")))
        except InvalidOperation:
            return None
    match = _POINTS_RE.match(str(text))
    if match is None:
        return None
    whole, fraction = match.group(1), match.group(2) or ""
    value = Decimal(f"{whole}.{fraction}" if fraction else whole)
    return value if fraction else Decimal(int(value))


def format_points(value: Decimal | None, empty: str = "") -> str:
    """Points as a Vietnamese reads them: "96,8", "100", "0,25"."""
    if value is None:
        return empty
    return format_decimal(value, format="#,##0.##", locale="vi")


def clean(value: Decimal) -> Decimal:
    """1.50 → 1.5, 10.00 → 10: equal decimals compare and print alike."""
    return value.normalize() if value != value.to_integral_value() else Decimal(int(value))


@dataclass
class Node:
    """What the totals need of one item; ``children`` in sheet order."""

    key: object
    max_points: Decimal | None
    points: Decimal | None = None  # a leaf's standing score
    children: list[Node] = field(default_factory=list)


@dataclass
class Totals:
    max_points: Decimal
    points: Decimal
    leaves: int
    scored: int  # leaves with a score

    @property
    def unscored(self) -> int:
        return self.leaves - self.scored


def totals(node: Node) -> Totals:
    """The maximum and the points of ``node``: its own for a leaf, its leaves' sum else."""
    if not node.children:
        scored = node.points is not None
        return Totals(node.max_points or Decimal(0), node.points or Decimal(0), 1, int(scored))
    parts = [totals(child) for child in node.children]
    return Totals(
        sum((p.max_points for p in parts), Decimal(0)),
        sum((p.points for p in parts), Decimal(0)),
        sum(p.leaves for p in parts),
        sum(p.scored for p in parts),
    )


def sum_points(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


def standing(confirmed: Decimal | None, proposed: Decimal | None) -> Decimal | None:
    return confirmed if confirmed is not None else proposed


def unique_refs(wanted: Sequence[str]) -> list[str]:
    """The refs as wanted, a suffix added to any repeated one ("1.2", "1.2-2")."""
    seen: dict[str, int] = {}
    out = []
    for ref in wanted:
        count = seen.get(ref, 0) + 1
        seen[ref] = count
        out.append(ref if count == 1 else f"{ref}-{count}")
    return out
