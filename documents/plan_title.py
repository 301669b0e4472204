"""A plan's title as its document writes it.

A plan document opens with "KẾ HOẠCH" on a line of its own and its subject on the next
line or two ("Chuyển đổi số, phát triển kinh tế số và xã hội số" / "trên địa bàn
phường Hòa Bình năm 2026"); its appendix is headed "DANH MỤC NHIỆM VỤ … THỰC HIỆN CÔNG
TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2026". :func:`plan_title` turns either into the plan's name,
"Kế hoạch chuyển đổi số … năm 2026", or None when the lines name no plan. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from models.unit_names import fold

SUBJECT_LINES = 3  # lines of a subject after "KẾ HOẠCH"
_STOPS = ("(", "can cu", "thuc hien", "kinh gui", "i.", "phan ", "muc dich", "so:", "so ")
_RULE = re.compile(r"^[-_=.*–—\s]+$")
_PLACES = ("xa", "phuong", "thi tran", "huyen", "quan", "thanh pho", "tinh", "thi xa")
_APPENDIX_SUBJECT = re.compile(
    r"\bthuc hien\s+(?:ke hoach\s+)?(?:cong tac\s+)?(.+)$"
)


def _is_capitals(line: str) -> bool:
    return line == line.upper() and line.lower() != line


def sentence_case(text: str) -> str:
    """A subject written in capitals, as a sentence goes on: "CHUYỂN ĐỔI SỐ TRÊN ĐỊA
    BÀN PHƯỜNG HÒA BÌNH" → "chuyển đổi số trên địa bàn phường Hòa Bình" (the name after
    a place word keeps its capitals)."""
    if not _is_capitals(text):
        return text[:1].lower() + text[1:] if text[1:2].islower() else text
    words = text.lower().split()
    out: list[str] = []
    naming = False
    for i, word in enumerate(words):
        folded = fold(word)
        pair = fold(" ".join(words[i - 1 : i + 1])) if i else ""
        if folded in ("nam", "giai", "den") or word[:1].isdigit():
            naming = False
        out.append(word[:1].upper() + word[1:] if naming else word)
        if folded in _PLACES or pair in _PLACES:
            naming = True
    return " ".join(out)


def _subject_after_heading(lines: Sequence[str]) -> str | None:
    for index, line in enumerate(lines):
        key = fold(line).strip(" :")
        if key == "ke hoach":
            subject: list[str] = []
            for more in lines[index + 1 : index + 1 + SUBJECT_LINES]:
                if not more.strip() or _RULE.match(more) or fold(more).startswith(_STOPS):
                    break
                subject.append(more.strip())
            if subject:
                return " ".join(subject)
        elif key.startswith("ke hoach ") and _is_capitals(line) and not key.startswith(
            ("ke hoach so", "ke hoach so:")
        ):
            return line.strip()[len("KẾ HOẠCH") :].strip(" :")
    return None


def plan_title(lines: Sequence[str]) -> str | None:
    """The plan's name from the lines above its table (or its whole opening)."""
    lines = [" ".join(line.split()) for line in lines]
    subject = _subject_after_heading(lines)
    if subject is None:
        block = [line for line in lines if line and _is_capitals(line)]
        joined = " ".join(block)
        match = _APPENDIX_SUBJECT.search(fold(joined))
        if match is None:
            return None
        subject = joined[match.start(1) :].strip()
    subject = subject.rstrip(" .;:")
    if not subject:
        return None
    return "Kế hoạch " + sentence_case(subject)[:280]
