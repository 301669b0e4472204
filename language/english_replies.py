"""Replies typed in English in a Vietnamese appendix (issue 26). Documents are in
Vietnamese: a reply such as "Done, decision 15/QĐ-UBND of 05/03/2026" is not copied
into the "Kết quả thực hiện" cell; the cell takes the reading — the status heading, the
figures and the documents cited, named in Vietnamese ("Quyết định 15/QĐ-UBND ngày
05/03/2026") — and the English words stay in the task's history only.

Hand-written and small: a reply is English when most of its words are common English
words of status replies and it has no Vietnamese letter outside document symbols.
Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata

_ENGLISH = frozenset(
    """a about after all already an and approval approved are at be because been before
    but by can cases comments commune completed complete could dated days decision did
    directive done draft due extend extension finished for from half has have held i in
    into is issued it items its late left letter meeting meetings month months more
    mostly no not notice now of official on or our part people plan please progress
    published quarter report resolution sent signed since started still submitted the
    this time to training until waiting was we week weeks will with working yesterday
    yet""".split()
)
_SYMBOL = re.compile(r"\S*[\d/]\S*")  # "15/QĐ-UBND", "05/03/2026", "60%": not words
_WORD = re.compile(r"[^\W\d_]+")
_VIETNAMESE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯ]|[\u0300-\u0303\u0309\u0323]")
_TYPES = (
    (re.compile(r"^(?:official letter|letter|dispatch)\b", re.IGNORECASE), "Công văn"),
    (re.compile(r"^decision\b", re.IGNORECASE), "Quyết định"),
    (re.compile(r"^report\b", re.IGNORECASE), "Báo cáo"),
    (re.compile(r"^plan\b", re.IGNORECASE), "Kế hoạch"),
    (re.compile(r"^notice\b", re.IGNORECASE), "Thông báo"),
    (re.compile(r"^resolution\b", re.IGNORECASE), "Nghị quyết"),
    (re.compile(r"^directive\b", re.IGNORECASE), "Chỉ thị"),
)
_NUMBER = re.compile(r"\s(?:no\.?|number)\s?:?\s?(?=\d)", re.IGNORECASE)
_DATED = re.compile(r"\s(?:of|dated)\s(?=\d)", re.IGNORECASE)


def is_english(text: str) -> bool:
    """Is a reply written in English ("Done, report no. 12/BC-UBND sent")?"""
    plain = _SYMBOL.sub(" ", unicodedata.normalize("NFD", text[:4096]))
    if _VIETNAMESE.search(plain):
        return False
    words = [w.casefold() for w in _WORD.findall(plain) if len(w) > 1 or w in "aI"]
    known = sum(w in _ENGLISH for w in words)
    return known >= 1 and known * 5 >= len(words) * 3


def in_vietnamese(reference: str) -> str:
    """A document cited in English named in Vietnamese: "decision 15/QĐ-UBND of
    05/03/2026" → "Quyết định 15/QĐ-UBND ngày 05/03/2026"; others as written."""
    for pattern, name in _TYPES:
        found = pattern.match(reference)
        if found:
            rest = _DATED.sub(" ngày ", _NUMBER.sub(" số ", reference[found.end() :]))
            return name + rest
    return reference
