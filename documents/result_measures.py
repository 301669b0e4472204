"""A result cell is the task's latest state, not every reply appended: from the accounts
an officer gave over time (oldest first), keep each sentence once, and for a figure
given again for the same measure ("giải ngân 3.850/21.372 triệu đồng, đạt 18%", later
"giải ngân 11.729/21.372 triệu đồng, đạt 54,9%"; "trên 200 tin bài", later "trên 450
tin bài") only the later one. Pure functions on text, for ``documents.result_words``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from models.unit_names import fold

# A sentence ends at ". ", "; " or a line break; "3.850" and "12/QĐ-UBND." stay whole.
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=\S)|\n+")
_NUMBER = re.compile(r"\d")
# "15/KH-UBND", "02/2026/NĐ-CP": a document cited, which accumulates, never replaces.
_REFERENCE = re.compile(r"\d+\s*/\s*(?:\d{4}\s*/\s*)?[a-z]")
_WORDS = re.compile(r"[a-z]+")
_IGNORED = {"va", "cua", "cac", "da", "duoc", "la", "voi", "cho", "trong", "so", "ngay"}
SAME = 0.6  # the share of a measure's words two sentences must have in common


def _key(sentence: str) -> str:
    return " ".join(re.sub(r"[^\w%/]+", " ", fold(sentence)).split())


def _measure(sentence: str) -> frozenset[str] | None:
    """The words around the figures of a sentence that gives figures; None without."""
    folded = fold(sentence)
    if not _NUMBER.search(folded) or _REFERENCE.search(folded):
        return None
    return frozenset(w for w in _WORDS.findall(folded) if w not in _IGNORED)


def _same_measure(a: frozenset[str], b: frozenset[str]) -> bool:
    shared = len(a & b)
    return shared >= 2 and shared >= SAME * min(len(a), len(b))


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip(" .;")]


def latest_state(accounts: Sequence[str]) -> list[str]:
    """``accounts`` (oldest first) with repeated sentences and superseded figures
    dropped; accounts left empty go, the others keep their order."""
    seen: set[str] = set()
    measures: list[frozenset[str]] = []
    kept: list[list[str]] = []
    for account in reversed(accounts):  # the newest wins
        mine: list[str] = []
        for sentence in reversed(sentences(account)):
            key = _key(sentence)
            measure = _measure(sentence)
            if key in seen or (
                measure is not None and any(_same_measure(measure, m) for m in measures)
            ):
                continue
            seen.add(key)
            if measure is not None:
                measures.append(measure)
            mine.insert(0, sentence)
        kept.insert(0, mine)
    out = []
    for parts in kept:
        if parts:
            text = " ".join(p if p.endswith((".", ";", "!", "?")) else p + "." for p in parts)
            out.append(text[:-1] if len(parts) == 1 and not parts[0].endswith(".") else text)
    return out
