"""One way to name the organization in documents, from whatever the admin typed."""

from __future__ import annotations

import pytest

from documents.report_rows import date_line
from models.org_names import org_name


@pytest.mark.parametrize(
    "typed",
    [
        "UBND xã Nghi Dương",
        "Ủy ban nhân dân xã Nghi Dương",
        "ỦY BAN NHÂN DÂN XÃ NGHI DƯƠNG",
        "xã Nghi Dương",
        "Xã Nghi Dương",
        "  UBND  Xã   Nghi Dương. ",
    ],
)
def test_every_spelling_gives_the_same_forms(typed: str) -> None:
    name = org_name(typed)
    assert name.issuer == ("ỦY BAN NHÂN DÂN", "XÃ NGHI DƯƠNG")
    assert name.committee == "Ủy ban nhân dân xã Nghi Dương"
    assert name.of_whom == "xã Nghi Dương" and name.display == "Xã Nghi Dương"
    assert name.place == "Nghi Dương"


def test_wards_towns_and_places_that_look_like_kinds() -> None:
    assert org_name("Phường Nhị Chiểu").committee == "Ủy ban nhân dân phường Nhị Chiểu"
    assert org_name("UBND P. Nhị Chiểu").issuer == ("ỦY BAN NHÂN DÂN", "PHƯỜNG NHỊ CHIỂU")
    assert org_name("Thị trấn Phú Xuyên").place == "Phú Xuyên"
    assert org_name("Xá Đàn").place == "Xá Đàn"  # a place, not "xã Đàn"
    assert org_name("UBND xã Xá Đàn").place == "Xá Đàn"
    assert org_name("xa nghi duong").issuer == ("ỦY BAN NHÂN DÂN", "XÃ NGHI DUONG")


def test_a_unit_heading_sits_under_its_commune() -> None:
    assert org_name("UBND xã Nghi Dương").unit_issuer("Phòng Kinh tế") == (
        "ỦY BAN NHÂN DÂN XÃ NGHI DƯƠNG",
        "PHÒNG KINH TẾ",
    )


def test_the_date_line_names_the_place_once() -> None:
    from datetime import date

    assert date_line("UBND xã Nghi Dương", date(2026, 6, 9)) == (
        "Nghi Dương, ngày 09 tháng 6 năm 2026"
    )
