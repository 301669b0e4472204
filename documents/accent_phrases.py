"""Accents put back on the administrative phrases officers most often type without them
("thuong xuyen ra soat theo quy dinh" → "thường xuyên rà soát theo quy định"), only
where it is safe: a clause (between commas, semicolons, full stops, brackets) is
restored when every word of it belongs to a phrase of the table below, numbers and
dates aside; any other word ("ra" alone could be ra, rà or rá) leaves the clause as
typed, and ``report_review`` flags the row for the compiler. Pure, standard library.
"""

from __future__ import annotations

import re

# Folded phrase → as written. Only phrases whose unaccented form has one reading in a
# commune's reports; single words only when they have one ("theo").
PHRASES: dict[str, str] = {
    "thuong xuyen": "thường xuyên",
    "hoan thanh": "hoàn thành",
    "da hoan thanh": "đã hoàn thành",
    "chua hoan thanh": "chưa hoàn thành",
    "thuc hien": "thực hiện",
    "da thuc hien": "đã thực hiện",
    "dang thuc hien": "đang thực hiện",
    "chua thuc hien": "chưa thực hiện",
    "tiep tuc thuc hien": "tiếp tục thực hiện",
    "trien khai": "triển khai",
    "da trien khai": "đã triển khai",
    "dang trien khai": "đang triển khai",
    "ban hanh": "ban hành",
    "da ban hanh": "đã ban hành",
    "ke hoach": "kế hoạch",
    "quyet dinh": "quyết định",
    "bao cao": "báo cáo",
    "van ban": "văn bản",
    "cong van": "công văn",
    "thong bao": "thông báo",
    "to chuc": "tổ chức",
    "da to chuc": "đã tổ chức",
    "hoi nghi": "hội nghị",
    "tuyen truyen": "tuyên truyền",
    "kiem tra": "kiểm tra",
    "ra soat": "rà soát",
    "theo quy dinh": "theo quy định",
    "quy dinh": "quy định",
    "cong khai": "công khai",
    "dung han": "đúng hạn",
    "qua han": "quá hạn",
    "tien do": "tiến độ",
    "ty le": "tỷ lệ",
    "ho so": "hồ sơ",
    "thu tuc hanh chinh": "thủ tục hành chính",
    "cai cach hanh chinh": "cải cách hành chính",
    "chua phat sinh": "chưa phát sinh",
    "phat sinh": "phát sinh",
    "huong dan": "hướng dẫn",
    "chua co huong dan": "chưa có hướng dẫn",
    "cho huong dan": "chờ hướng dẫn",
    "kinh phi": "kinh phí",
    "chua co kinh phi": "chưa có kinh phí",
    "chua den thoi gian thuc hien": "chưa đến thời gian thực hiện",
    "theo ke hoach": "theo kế hoạch",
    "theo chi dao": "theo chỉ đạo",
    "cap tren": "cấp trên",
    "theo": "theo",
}
_LONGEST = max(len(p.split()) for p in PHRASES)
_CLAUSE = re.compile(r"[^,;.!?()\n]+")
# Words that need no accent: numbers, dates, percentages, and these codes.
_NEUTRAL = re.compile(r"^(?:[\d/.:%-]+|\d+/(?:KH|BC|TB)-UBND|UBND|CCHC|TTHC|PAKN|KH|BC)$")


def _cased(accented: str, typed: str) -> str:
    if typed.isupper() and len(typed) > 1:
        return accented.upper()
    return accented[:1].upper() + accented[1:] if typed[:1].isupper() else accented


def _clause(match: re.Match[str]) -> str:
    typed = match.group()
    words = typed.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        if _NEUTRAL.match(words[i]):
            out.append(words[i])
            i += 1
            continue
        for n in range(min(_LONGEST, len(words) - i), 0, -1):
            key = " ".join(words[i : i + n]).lower()
            if key in PHRASES:
                out.append(_cased(PHRASES[key], " ".join(words[i : i + n])))
                i += n
                break
        else:
            return typed  # a word outside the table: the clause stays as typed
    if not out:
        return typed
    lead = typed[: len(typed) - len(typed.lstrip())]
    trail = typed[len(typed.rstrip()) :]
    return lead + " ".join(out) + trail


def restore_accents(text: str) -> str:
    """``text`` with the accents of the table's phrases put back, clause by clause where
    every word is the table's; text with any accent already is left as typed."""
    if not text.isascii():
        return text
    return _CLAUSE.sub(_clause, text)


def left_unaccented(text: str) -> str:
    """The clauses of an unaccented ``text`` that :func:`restore_accents` leaves as typed
    (joined by commas); "" when every clause was restored or ``text`` has accents."""
    if not text.isascii():
        return ""
    return ", ".join(m.group().strip() for m in _CLAUSE.finditer(text) if _clause(m) == m.group())
