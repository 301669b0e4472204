"""Names of a commune's units (cơ quan, đơn vị): comparison keys, display names, cells.

Plans spell the same unit in many ways: "Phòng Văn hoá-xã hội", "Phòng Văn hóa - Xã hội",
"phòng VH-XH", "Phòng VHXH"; "Văn phòng HĐND&UBND xã" and "Văn phòng HĐND và UBND".
:func:`normalise_unit_name` turns every variant into one comparison key;
:func:`display_name` tidies a name for showing it; :func:`split_unit_cell` reads a table
cell that may name several units, or only a generic group ("Các cơ quan chuyên môn liên
quan") that is kept as text and never becomes a unit.

Pure functions, standard library only (no SQLAlchemy), so every room may use them.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "ABBREVIATIONS",
    "GENERIC_PREFIXES",
    "display_name",
    "fold",
    "is_generic_unit_text",
    "normalise_unit_name",
    "split_unit_cell",
]

#: Abbreviations met in unit names, written as in the plans, with their expansion.
#: Matching ignores case and diacritics ("HĐND", "hdnd"), so a key is only ever compared
#: after :func:`fold`. Joined forms ("VHXH", "TTPVHCC") are listed as such because the
#: plans write them without separators.
ABBREVIATIONS: dict[str, str] = {
    "HĐND": "Hội đồng nhân dân",
    "UBND": "Ủy ban nhân dân",
    "VH": "Văn hóa",
    "XH": "Xã hội",
    "VHXH": "Văn hóa Xã hội",
    "KT": "Kinh tế",
    "VP": "Văn phòng",
    "P": "Phòng",  # "P.VH-XH"
    "TT": "Trung tâm",
    "TTHC": "Thủ tục hành chính",
    "HCC": "Hành chính công",
    "PVHCC": "Phục vụ hành chính công",
    "TTPVHCC": "Trung tâm Phục vụ hành chính công",
    "DVSNC": "Dịch vụ sự nghiệp công",
    "TTDVSNC": "Trung tâm Dịch vụ sự nghiệp công",
    "SNC": "Sự nghiệp công",
    "CCHC": "Cải cách hành chính",
    "MTTQ": "Mặt trận Tổ quốc",
    "BCH": "Ban chỉ huy",
    "QS": "Quân sự",
}

#: A cell whose folded text starts with one of these names a group, not a unit.
GENERIC_PREFIXES: tuple[str, ...] = (
    "cac ", "cac,", "toan bo", "toan the", "tat ca", "ban chi dao", "moi ", "nhung ",
)

_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_OLD_TONE_RE = re.compile(r"([bcdđghklmnpqrstvx]*)(oa|oe|uy)")
_WORD_RE = re.compile(r"\w+")
_BULLET_RE = re.compile(r"^[-–—•+*·]+\s*")
_SPACES_RE = re.compile(r"\s+")
_HYPHEN_RE = re.compile(r"(\w+)\s*[-–—]\s*(\w)")
_LI_RE = re.compile(r"</?li\b[^>]*>|</?ul\b[^>]*>|<br\s*/?>", re.IGNORECASE)
_TAG_RE = re.compile(r"</?[a-z][^>]*>", re.IGNORECASE)
_TRAILING_PLACE = ("xa", "phuong")


def fold(text: str) -> str:
    """Casefolded text without diacritics ("Đ" → "d"), for comparisons only."""
    text = unicodedata.normalize("NFC", text).replace("Đ", "D").replace("đ", "d")
    text = unicodedata.normalize("NFD", text)
    return "".join(c for c in text if unicodedata.category(c) != "Mn").casefold()


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text).replace("&", " va "))


_ABBREVIATION_TOKENS: dict[str, list[str]] = {
    fold(short): _tokens(long) for short, long in ABBREVIATIONS.items()
}


def normalise_unit_name(name: str) -> str:
    """The comparison key of a unit name: two spellings of one unit give the same key.

    Diacritics are dropped (so old and new tone placement, "hoá"/"hóa", agree), case is
    folded, punctuation and hyphens become spaces, "&" and "và" are ignored, known
    abbreviations are expanded and a trailing "xã"/"phường" is dropped.
    """
    words: list[str] = []
    for token in _tokens(name):
        words.extend(_ABBREVIATION_TOKENS.get(token, [token]))
    words = [w for w in words if w != "va"]
    if len(words) > 1 and words[-1] in _TRAILING_PLACE:
        words.pop()
    return " ".join(words)


def _new_style_tone(word: str) -> str:
    """Move an old-style tone mark ("hoá", "thuỷ", "uỷ") to the new place ("hóa", "thủy")."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in _TONE_MARKS]
    if len(tones) != 1:
        return word
    base = "".join(c for c in decomposed if c not in _TONE_MARKS)
    match = _OLD_TONE_RE.fullmatch(base.lower())
    if match is None or match.group(1).endswith("q"):
        return word
    first_vowel = len(match.group(1))
    moved = base[: first_vowel + 1] + tones[0] + base[first_vowel + 1 :]
    return unicodedata.normalize("NFC", moved)


def _tidy_hyphen(match: re.Match[str]) -> str:
    before, after = match.group(1), match.group(2)
    if before.isupper() and len(before) > 1 and after.isupper():
        return f"{before}-{after}"  # "HĐND-UBND", "VH-XH" stay tight
    return f"{before} - {after.upper()}"


def display_name(name: str) -> str:
    """A tidy form of a unit name for display.

    NFC, collapsed spaces, no bullet or trailing punctuation, new-style tone placement
    ("hoá" → "hóa") and spaced hyphens between words, with a capital after the hyphen as
    official names write it ("Phòng Văn hoá-xã hội" → "Phòng Văn hóa - Xã hội").
    """
    text = unicodedata.normalize("NFC", name)
    text = _SPACES_RE.sub(" ", text).strip()
    text = _BULLET_RE.sub("", text).rstrip(" ;,.:").strip()
    text = _WORD_RE.sub(lambda m: _new_style_tone(m.group(0)), text)
    return _HYPHEN_RE.sub(_tidy_hyphen, text)


def is_generic_unit_text(text: str) -> bool:
    """True for a group of units ("Các phòng, đơn vị…", "Cơ quan, đơn vị liên quan")."""
    folded = _SPACES_RE.sub(" ", fold(_BULLET_RE.sub("", text.strip()))).strip()
    if not folded:
        return False
    return folded == "cac" or folded.startswith(GENERIC_PREFIXES) or "lien quan" in folded


def _pieces(cell: str) -> list[str]:
    """Lines of a cell, without list markup and bullets."""
    text = _LI_RE.sub("\n", cell)
    text = _TAG_RE.sub("", unicodedata.normalize("NFC", text))
    lines: list[str] = []
    for line in (_SPACES_RE.sub(" ", line).strip() for line in text.splitlines()):
        if line and lines and line[0].islower():
            lines[-1] += " " + line  # a name wrapped onto the next line: "…hành\nchính công"
        elif line:
            lines.append(line)
    return lines


def split_unit_cell(cell: str) -> tuple[list[str], list[str]]:
    """Split a lead/cooperating cell into (unit names, generic texts).

    Units are separated by new lines, bullets, "<li>" and ";" — never by commas, which
    occur inside names. A generic group ("Các cơ quan; đơn vị sự nghiệp công lập thuộc
    UBND xã") stays whole as one text even when it contains ";". Unit names are returned
    as :func:`display_name` forms, without duplicates (by :func:`normalise_unit_name`).
    """
    lines = _pieces(cell)
    if not lines:
        return [], []
    bulleted = any(_BULLET_RE.match(line) for line in lines[1:])
    if is_generic_unit_text(lines[0]) and not bulleted:
        return [], [" ".join(_BULLET_RE.sub("", line) for line in lines)]
    units: list[str] = []
    generic: list[str] = []
    seen: set[str] = set()
    for line in lines:
        line = _BULLET_RE.sub("", line).strip()
        if is_generic_unit_text(line):
            generic.append(line.rstrip(" ;,."))
            continue
        for part in line.split(";"):
            name = display_name(part)
            key = normalise_unit_name(name)
            if not key:
                continue
            if is_generic_unit_text(name):
                generic.append(name)
            elif key not in seen:
                seen.add(key)
                units.append(name)
    return units, [g for g in generic if g]
