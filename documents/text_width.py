"""How many lines a text takes in a wrapped spreadsheet cell, measured with the advance
widths of Times New Roman (those of its metric twin, Liberation Serif, in em): an
estimate by characters alone is either too tall (rows with empty lines, pages lost: a
row never splits across pages in a sheet) or too short (text cut off in print).
Vietnamese letters are as wide as their base letter. Pure, standard library."""

from __future__ import annotations

import unicodedata

_WIDTHS = {
    **dict.fromkeys("acez", 0.444), **dict.fromkeys("bdghknopquvxy0123456789", 0.5),
    **dict.fromkeys("ijlt.,", 0.278), **dict.fromkeys("frI-()", 0.333), "s": 0.389,
    "m": 0.778, "w": 0.722, **dict.fromkeys("ADGHKNOQUVXY", 0.722), **dict.fromkeys("BCR", 0.667),
    **dict.fromkeys("ELTZ", 0.611), **dict.fromkeys("FPS", 0.556), "J": 0.389, "M": 0.889,
    "W": 0.944, " ": 0.25, ";": 0.278, ":": 0.278, "/": 0.278, "%": 0.833, "&": 0.778,
}  # fmt: skip
_OTHER = 0.6  # anything else (quotes, dashes, signs): on the wide side
BOLD = 1.07  # Times New Roman Bold is about 6% wider
PADDING = 5.0  # points of a cell's width that text never uses (the margins and grid)
UNIT = 6.5  # points per unit of column width: a digit of Times New Roman 13


def _base(char: str) -> str:
    if char in "đĐ":
        return "d" if char == "đ" else "D"
    return unicodedata.normalize("NFD", char)[0]


def em_width(text: str) -> float:
    return sum(_WIDTHS.get(_base(c), _OTHER) for c in text)


def wrapped_lines(text: str, width: float, size: float, *, bold: bool = False) -> int:
    """Lines of ``text`` (its own line breaks kept) in a column ``width`` units wide, in
    ``size`` pt, wrapped at spaces as Excel and LibreOffice do."""
    room = (width * UNIT - PADDING) / size / (BOLD if bold else 1.0)
    space = _WIDTHS[" "]
    total = 0
    for part in text.split("\n"):
        lines, used = 1, 0.0
        for word in part.split():
            need = em_width(word)
            if used and used + space + need > room:
                lines, used = lines + 1, 0.0
            if used:
                used += space
            while need > room:  # a word longer than the column breaks inside
                lines, need = lines + 1, need - room
            used += need
        total += lines
    return total
