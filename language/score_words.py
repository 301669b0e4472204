"""Reading a score reply as officers type it: "/diem 1.2 0,5 Đã công khai…",
"/diem 1.2 tự chấm 0,5", "/diem 1.2 đạt 1 điểm, Kế hoạch số 12/KH-UBND…". Pure
functions, linear patterns on folded text (diacritics off, same length as typed)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from language.task_refs import fold_same_length

_REF = re.compile(r"^#?((?:[ivx]{1,4}|\d{1,3})(?:\.\d{1,3}){0,3}(?:\.?[a-z])?)\.?(?=\s|$|,|:)", re.I)
_NUMBER = r"(\d{1,3}(?:[.,]\d{1,2})?)(?!\d|[.,/]\d|\s*%)"
_BARE = re.compile(rf"^\s*{_NUMBER}\s*(?:diem\b|d\b)?")
_PHRASE = re.compile(
    rf"\b(?:tu cham|tu danh gia|de xuat|dat|cham|duoc)\s*(?:[:=]\s*)?{_NUMBER}\s*(?:diem\b|d\b)?"
    rf"|{_NUMBER}\s*diem\b"
)


@dataclass(frozen=True)
class ScoreWords:
    ref: str
    points: Decimal | None
    text: str  # the result in words, as typed


def parse_score_words(args: str) -> ScoreWords | None:
    """(item, points, result text) of "/diem" arguments; None without an item."""
    args = " ".join(args.split())
    match = _REF.match(args)
    if match is None:
        return None
    ref = ("#" if args.startswith("#") else "") + match.group(1)
    rest = args[match.end() :].lstrip(" ,:;-")
    points, text = find_points(rest)
    return ScoreWords(ref, points, text)


def find_points(text: str) -> tuple[Decimal | None, str]:
    """The points said in ``text`` and the words around them."""
    folded = fold_same_length(text)  # one character for one: the spans map back
    match = _BARE.match(folded) or _PHRASE.search(folded)
    if match is None:
        return None, text.strip()
    number = next(group for group in match.groups() if group)
    left = (text[: match.start()] + " " + text[match.end() :]).strip(" ,.;:-")
    return points_of(number), " ".join(left.split())


def points_of(number: str) -> Decimal:
    """ "0,5" → 0.5, "10" → 10: the number as a score sheet's cell reads it."""
    value = Decimal(number.replace(",", "."))
    return value if ("," in number or "." in number) else Decimal(int(value))
