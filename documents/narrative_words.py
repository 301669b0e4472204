"""Small pieces of the narrative report's wording, pure: the periods a report covers
and looks ahead to, a document reference written out the way reports cite it
("QĐ số 12/QĐ-UBND ngày 09/01/2026" → "Quyết định số 12/QĐ-UBND ngày 09/01/2026":
only the kind is spelt out, the number, symbol and date stay exactly as recorded), who
issued it, and section titles in sentence case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from documents.report_rows import ROMAN, Period
from models.unit_names import fold

PART, HEADING, TEXT, ITEM = "part", "heading", "text", "item"
SHORT = 110  # characters of a task's content when it is named in another part

# The kind of a document by its abbreviation (as typed, or as the symbol's code).
KINDS = {
    "qd": "Quyết định",
    "kh": "Kế hoạch",
    "cv": "Công văn",
    "tb": "Thông báo",
    "bc": "Báo cáo",
    "nq": "Nghị quyết",
    "ttr": "Tờ trình",
    "ct": "Chỉ thị",
    "hd": "Hướng dẫn",
    "gm": "Giấy mời",
    "pa": "Phương án",
    "qc": "Quy chế",
    "ctr": "Chương trình",
    "nd": "Nghị định",
    "tt": "Thông tư",
}
_SPELT = {fold(k): k for k in KINDS.values()}  # "quyet dinh" → already spelt out
_ABBREVIATED = re.compile(r"^(?P<kind>[^\W\d_]{2,3})\.?\s*(?:(?:số|so)\s*[:.]?\s*)?(?=\d)", re.I)
_BARE = re.compile(r"^\d+(?:/\d{4})?/(?P<code>[^\W\d_]+)", re.I)


def period_start(period: Period) -> date:
    if period.kind == "quy":
        return date(period.year, 3 * (period.quarter or 1) - 2, 1)
    return date(period.year, 7 if period.kind == SECOND_HALF else 1, 1)


SECOND_HALF = "6thangcuoi"  # the months July to December, a period only looked ahead to


def next_period(period: Period) -> Period:
    """What the "Phương hướng" part looks ahead to: the next quarter after a quarter, the
    last six months after the first six, the next year after the year."""
    if period.kind == "6thang":
        return Period(SECOND_HALF, period.year)
    if period.kind == "quy" and (period.quarter or 1) < 4:
        return Period("quy", period.year, (period.quarter or 1) + 1)
    return Period("nam", period.year + 1)


def ahead_label(period: Period) -> str:
    """ "quý III năm 2026", "năm 2027"."""
    if period.kind == "quy":
        return f"quý {ROMAN[(period.quarter or 1) - 1]} năm {period.year}"
    if period.kind == SECOND_HALF:
        return f"6 tháng cuối năm {period.year}"
    return period.label


def written_out(reference: str) -> str:
    """The document's kind spelt out before its number; everything else as recorded."""
    text = " ".join(reference.split())
    folded = fold(text)
    if any(folded.startswith(spelt) for spelt in _SPELT):
        return text
    if match := _ABBREVIATED.match(text):
        kind = KINDS.get(fold(match.group("kind")))
        if kind:
            return f"{kind} số {text[match.end() :]}"
        return text
    if match := _BARE.match(text):
        kind = KINDS.get(fold(match.group("code")), "Văn bản")
        return f"{kind} số {text}"
    return text


# A symbol of a body above the commune: the Government, the Prime Minister, a ministry,
# the National Assembly, the Party, a province or city department ("02/NQ-CP", "15/CT-TTg").
_ABOVE = re.compile(r"-(?:cp|ttg|qh\d*|ubtvqh\d*|tw|bnv|btc|btp|btttt|snv|stc|stp|vpcp)\b")
_THEIRS = re.compile(r"\bcua\s+(?:ubnd|uy ban nhan dan|chu tich ubnd)\s+(?:thanh pho|tinh|quan|huyen)\b|"
                     r"\bcua\s+(?:chinh phu|thu tuong|bo|so|quoc hoi)\b")


def by_the_committee(reference: str) -> bool:
    """The commune's own act: its symbol names UBND ("12/QĐ-UBND", "45/UBND-VP") and
    nothing says it is a higher body's ("… của UBND thành phố", "02/NQ-CP"). A higher
    body's document is cited as what the commune carried out, never as issued by it."""
    folded = fold(reference)
    return "ubnd" in folded and not _ABOVE.search(folded) and not _THEIRS.search(folded)


def sentence_case(title: str) -> str:
    """ "CẢI CÁCH THỂ CHẾ" → "Cải cách thể chế"; a title in mixed case stays."""
    title = " ".join(title.split())
    if title.isupper():
        title = title.lower()
    return title[:1].upper() + title[1:]


def full_stop(text: str) -> str:
    text = text.strip().rstrip(" ,;:")
    return text if text.endswith((".", "!", "?", "./.")) else text + "."


@dataclass(frozen=True)
class Sentence:
    text: str
    review: bool = False  # highlighted: the compiler should look at it


@dataclass(frozen=True)
class Block:
    kind: str  # PART "I. …", HEADING "1. …", TEXT a paragraph, ITEM "- …"
    sentences: tuple[Sentence, ...]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


def block(kind: str, *sentences: Sentence | str) -> Block:
    return Block(kind, tuple(s if isinstance(s, Sentence) else Sentence(s) for s in sentences))


def short(text: str) -> str:
    if len(text) <= SHORT:
        return text
    return text[:SHORT].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
