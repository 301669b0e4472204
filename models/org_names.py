"""The name of a commune or ward in the forms its documents need, from whatever the
admin typed: "UBND xã Nghi Dương", "Ủy ban nhân dân xã Nghi Dương", "ỦY BAN NHÂN DÂN
XÃ NGHI DƯƠNG", "xã Nghi Dương", "Xa Nghi Duong", "Phường Nhị Chiểu", "P. Nhị Chiểu" or
just "Nghi Dương" all give:

- the issuing body (Nghị định 30/2020): «ỦY BAN NHÂN DÂN» over «XÃ NGHI DƯƠNG»;
- the committee inside a sentence: «Ủy ban nhân dân xã Nghi Dương»;
- the organization inside a sentence: «xã Nghi Dương»; as a title: «Xã Nghi Dương»;
- the place of the date line: «Nghi Dương».

One pure function (:func:`org_name`) used by every document and message; standard
library only, so every room may use it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from models.unit_names import fold

# Folded kind words → the kind as written inside a sentence.
_KINDS = (
    ("thi tran", "thị trấn"),
    ("dac khu", "đặc khu"),
    ("phuong", "phường"),
    ("xa", "xã"),
    ("p", "phường"),  # "P. Nhị Chiểu"
)
# Folded words for the committee that may come before the kind.
_COMMITTEE = re.compile(r"^(?:(?:uy ban nhan dan|ubnd|ub)\b[\s.:,-]*)+")
_KIND = re.compile(r"^(?P<kind>thi tran|dac khu|phuong|xa|p)(?:\b[\s.:,-]*|\.\s*)(?=\S)")


@dataclass(frozen=True)
class OrgName:
    kind: str  # "xã", "phường", "thị trấn", "đặc khu", or "" when none was typed
    place: str  # "Nghi Dương"

    @property
    def of_whom(self) -> str:
        """Inside a sentence: "xã Nghi Dương"."""
        return f"{self.kind} {self.place}".strip()

    @property
    def display(self) -> str:
        """As a name on its own: "Xã Nghi Dương"."""
        name = self.of_whom
        return name[:1].upper() + name[1:]

    @property
    def committee(self) -> str:
        """ "Ủy ban nhân dân xã Nghi Dương"."""
        return f"Ủy ban nhân dân {self.of_whom}"

    @property
    def issuer(self) -> tuple[str, str]:
        """The issuing body's two lines: ("ỦY BAN NHÂN DÂN", "XÃ NGHI DƯƠNG")."""
        return "ỦY BAN NHÂN DÂN", self.of_whom.upper()

    def unit_issuer(self, unit: str) -> tuple[str, str]:
        """A unit's heading: its commune's committee over the unit
        ("ỦY BAN NHÂN DÂN XÃ NGHI DƯƠNG", "PHÒNG KINH TẾ")."""
        return f"ỦY BAN NHÂN DÂN {self.of_whom.upper()}", " ".join(unit.split()).upper()


def _tidy_case(place: str) -> str:
    """A place typed all in capitals or all in small letters gets a capital per word."""
    if place.isupper() or place.islower():
        return " ".join(w[:1].upper() + w[1:].lower() for w in place.split())
    return place


@lru_cache(maxsize=4096)  # a province's /tiendo names its 480 communes on every call
def org_name(typed: str) -> OrgName:
    """The forms of an organization's name from what was typed (see the module)."""
    text = " ".join(unicodedata.normalize("NFC", typed).split()).strip(" ,.;:-")
    folded = fold(text)
    if len(folded) != len(text):  # letters no longer line up: keep the whole name
        return OrgName("", _tidy_case(text))
    at = 0
    committee = _COMMITTEE.match(folded)
    if committee:
        at = committee.end()
    kind = ""
    found = _KIND.match(folded[at:])
    if found:
        word = found.group("kind")
        written = text[at : at + len(word)].lower()
        spelt = dict(_KINDS)[word]
        # "Xá Đàn" is a place, not "xã Đàn": the kind word as spelt or typed unaccented.
        if written in (spelt, word) and (word != "p" or "." in found.group(0)):
            kind = spelt
            at += found.end()
    place = text[at:].strip(" ,.;:-") or text
    return OrgName(kind, _tidy_case(place))
