"""Short codes of plans ("CCHC", "CĐS", "PCI") and task references that name one.

A commune runs several plans a year, each with its own task numbering; people name a
task of one of them as "CĐS 6", "cds6", "cds-6", "6 CĐS" or "CĐS.6". :func:`code_from_title`
chooses a code when a plan is imported, :func:`read_task_ref` reads a typed reference
against the codes an organization has, and :func:`mark_plan_refs` rewrites the references
inside a free-text reply so that ``language.task_refs`` finds the task numbers, telling
which plan each number belongs to. Pure functions; every pattern is linear.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MAX_CODE = 8  # characters of a code
_YEAR_TAIL = re.compile(r"\s*(?:,\s*)?(?:năm|nam|giai đoạn|giai doan)\s+\d{4}.*$", re.I | re.S)
_LEADING = re.compile(
    r"^(?:(?:kế hoạch|ke hoach|kh)\s+)?(?:(?:về việc|ve viec|thực hiện|thuc hien|triển khai|"
    r"trien khai|tổ chức|to chuc|công tác|cong tac)\s+)*",
    re.I,
)
_PLACE_TAIL = re.compile(
    r"\s+(?:trên địa bàn|tren dia ban|của|cua|tại|tai)\s.*$|\s+(?:xã|phường|thị trấn)\s.*$",
    re.I | re.S,
)
_ACRONYM = re.compile(r"\(([A-ZĐ][A-ZĐ0-9]{1,7})\)")
_WORD = re.compile(r"[^\W\d_]+", re.U)
_SMALL_WORDS = {"và", "va", "của", "cua", "các", "cac", "trong", "đến", "den", "về", "ve"}


def fold_code(text: str) -> str:
    """A code as compared: upper case, no diacritics, letters and digits only
    ("CĐS" → "CDS")."""
    out = []
    for ch in unicodedata.normalize("NFD", text.upper()):
        if ch in "ĐÐđ":
            out.append("D")
        elif ch.isascii() and ch.isalnum():
            out.append(ch)
    return "".join(out)


def code_from_title(title: str) -> str:
    """The code a plan gets from its title: an acronym in brackets ("… (PCI)"), else the
    initials of its subject ("Kế hoạch chuyển đổi số năm 2026" → "CĐS", "cải cách hành
    chính" → "CCHC"); "KH" when the title says nothing."""
    text = unicodedata.normalize("NFC", " ".join(title.split()))
    acronym = _ACRONYM.search(text)
    if acronym:
        return acronym.group(1)[:MAX_CODE]
    subject = _YEAR_TAIL.sub("", _LEADING.sub("", text))
    subject = _PLACE_TAIL.sub("", subject) or subject
    subject = subject.split(",")[0]  # "Chuyển đổi số, phát triển kinh tế số …": its head
    initials = []
    for word in _WORD.findall(subject):
        if word.lower() in _SMALL_WORDS:
            continue
        if len(word) > 1 and word.isupper():  # an abbreviation inside: "UBND", "PCI"
            initials.append(word)
        else:
            initials.append(word[0].upper())
    code = "".join(initials)[:MAX_CODE]
    return code or "KH"


def unique_code(code: str, taken: Iterable[str]) -> str:
    """``code``, or ``code`` with the first free number ("CĐS2") when another plan of
    the organization already has it (compared folded)."""
    used = {fold_code(c) for c in taken}
    if fold_code(code) not in used:
        return code
    n = 2
    while fold_code(f"{code}{n}") in used:
        n += 1
    return f"{code}{n}"


def valid_code(text: str) -> str | None:
    """A code the admin typed, tidied ("cđs" → "CĐS"), or None if it cannot be one: 1–8
    letters or digits, beginning with a letter."""
    code = unicodedata.normalize("NFC", text.strip()).upper()
    if not 1 <= len(code) <= MAX_CODE or not code[0].isalpha():
        return None
    if not all(ch.isalnum() for ch in code):
        return None
    return code


@dataclass(frozen=True)
class TaskRef:
    code: str | None  # the plan's code as the organization writes it; None: not named
    number: str  # "6", or "II.6" with a section


def _code_pattern(codes: Sequence[str]) -> str:
    folded = sorted({fold_code(c) for c in codes if fold_code(c)}, key=len, reverse=True)
    return "|".join(re.escape(c) for c in folded)


def _fold_same_length(text: str) -> str:
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch.upper())[:1] or ch
        out.append("D" if base in "ĐÐ" else base if len(base) == 1 else ch)
    return "".join(out)


def _by_fold(codes: Sequence[str]) -> dict[str, str]:
    return {fold_code(c): c for c in codes}


_NUMBER = r"(?:[IVX]{1,5}\.|[A-H]\.)?\d{1,4}(?:\.\d{1,3})?"


def read_task_ref(text: str, codes: Sequence[str]) -> TaskRef | None:
    """A typed reference to one task: "6", "II.6", "CĐS 6", "cds6", "6 CĐS", "CĐS.6";
    None when the text is not one."""
    folded = " ".join(_fold_same_length(text).split()).strip(" .")
    pattern = _code_pattern(codes)
    if pattern:
        match = re.fullmatch(rf"({pattern})\s?[-.:]?\s?({_NUMBER})", folded) or re.fullmatch(
            rf"({_NUMBER})\s?[-.]?\s?({pattern})", folded
        )
        if match:
            code, number = match.groups()
            if not code[0].isalpha():
                code, number = number, code
            return TaskRef(_by_fold(codes)[code], number)
    if re.fullmatch(_NUMBER, folded):
        return TaskRef(None, folded)
    return None


def mark_plan_refs(text: str, codes: Sequence[str]) -> tuple[str, dict[str, str]]:
    """``text`` with each "CĐS 6" / "cds6" / "6 CĐS" written "nhiệm vụ 6", and which
    plan code each number was named with ({"6": "CĐS"}); a number named with two codes
    keeps the first. Text without codes comes back as it was."""
    pattern = _code_pattern(codes)
    if not pattern:
        return text, {}
    folded = _fold_same_length(text)
    by_fold = _by_fold(codes)
    found: dict[str, str] = {}
    pieces: list[str] = []
    last = 0
    regex = re.compile(
        rf"(?<![\w/])(?:({pattern})\s?[-.:]?\s?(\d{{1,4}})|(\d{{1,4}})\s?({pattern}))(?![\w/%])"
    )
    for match in regex.finditer(folded):
        code = match.group(1) or match.group(4)
        number = str(int(match.group(2) or match.group(3)))
        found.setdefault(number, by_fold[code])
        pieces.append(text[last : match.start()])
        pieces.append(f"nhiệm vụ {number}")
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces), found
