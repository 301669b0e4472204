"""One rule for shortening a text to a line: on one line, within a limit, cut between
words with "…", so that a task title never ends in half a word ("tà…")."""

from __future__ import annotations

import re

_BULLET = re.compile(r"^\s*[-–•+*]\s+")


def short(text: str, limit: int = 120) -> str:
    """``text`` on one line, at most ``limit`` characters, cut between words ("…")."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:
        word_start = cut.rfind(" ")
        if word_start >= limit // 2:  # never cut away more than half to end on a word
            cut = cut[:word_start]
    return cut.rstrip(" ,;:-–(") + "…"


def without_bullet(text: str) -> str:
    """A sheet's item as said in a message: "- Công khai …" → "Công khai …" (the
    sheet's own dash stays in the documents, which reproduce its layout)."""
    return _BULLET.sub("", text)
