"""Unit names: one key for every spelling, tidy display names, cells naming several units."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.unit_names import (
    ABBREVIATIONS,
    display_name,
    fold,
    is_generic_unit_text,
    normalise_unit_name,
    split_unit_cell,
)

SAMPLE_TXT = Path(__file__).resolve().parents[1] / "samples" / "ke-hoach-cchc-2026-mau.txt"

SAME_UNIT = [
    ["Phòng Văn hoá-xã hội", "Phòng Văn hóa - Xã hội", "Phòng Văn hoá-Xã hội", "phòng VH-XH",
     "Phòng VHXH", "PHÒNG VĂN HÓA – XÃ HỘI", "Phòng Văn hóa và Xã hội", "P.VH-XH"],
    ["Văn phòng HĐND và UBND xã", "Văn phòng HĐND và UBND", "Văn phòng HĐND&UBND",
     "Văn phòng HĐND & UBND xã", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã",
     "Văn phòng Hội đồng nhân dân và Uỷ ban nhân dân", "VP HĐND-UBND"],
    ["Trung tâm phục vụ hành chính công xã", "Trung tâm Phục vụ hành chính công",
     "Trung tâm PVHCC", "TT PVHCC", "TTPVHCC"],
    ["Trung tâm Dịch vụ sự nghiệp công", "Trung tâm DVSNC", "TTDVSNC xã"],
    ["Phòng Kinh tế xã", "Phòng Kinh tế", "phòng kinh tế", "Phòng KT"],
    ["Công an xã", "Công an", "CÔNG AN XÃ"],
]


@pytest.mark.parametrize("variants", SAME_UNIT, ids=lambda v: v[0])
def test_variants_share_one_key(variants: list[str]) -> None:
    keys = {normalise_unit_name(name) for name in variants}
    assert len(keys) == 1, keys


def test_different_units_differ() -> None:
    keys = [normalise_unit_name(group[0]) for group in SAME_UNIT]
    assert len(set(keys)) == len(keys)
    assert normalise_unit_name("Phòng Kinh tế") != normalise_unit_name("Phòng Kinh tế - Hạ tầng")


def test_key_ignores_unicode_form_and_case() -> None:
    name = "Trung tâm Phục vụ hành chính công"
    decomposed = unicodedata.normalize("NFD", name)
    assert normalise_unit_name(decomposed) == normalise_unit_name(name.upper())
    assert normalise_unit_name("Thuỷ lợi") == normalise_unit_name("Thủy lợi")
    assert normalise_unit_name("Uỷ ban nhân dân xã") == normalise_unit_name("UBND")


def test_abbreviations_are_expanded_consistently() -> None:
    for short, long in ABBREVIATIONS.items():
        assert normalise_unit_name(f"{short} Thử") == normalise_unit_name(f"{long} Thử"), short


def test_display_name() -> None:
    assert display_name("  Phòng Văn hoá-xã hội ") == "Phòng Văn hóa - Xã hội"
    assert display_name("Phòng Văn hóa - Xã hội") == "Phòng Văn hóa - Xã hội"
    assert display_name("Uỷ ban nhân dân xã") == "Ủy ban nhân dân xã"
    assert display_name("Phòng   Kinh tế;") == "Phòng Kinh tế"
    assert display_name("- Trung tâm Dịch vụ sự nghiệp công") == "Trung tâm Dịch vụ sự nghiệp công"
    assert display_name("Văn phòng HĐND-UBND") == "Văn phòng HĐND-UBND"
    assert display_name("Công an xã") == "Công an xã"
    assert display_name("Quý khách") == "Quý khách"  # "qu" + "y": the mark stays on "y"
    decomposed = unicodedata.normalize("NFD", "Phòng Kinh tế")
    assert display_name(decomposed) == "Phòng Kinh tế"


def test_split_several_units() -> None:
    cell = "- Trung tâm Dịch vụ sự nghiệp công;\n- Văn phòng HĐND và UBND xã"
    assert split_unit_cell(cell) == (
        ["Trung tâm Dịch vụ sự nghiệp công", "Văn phòng HĐND và UBND xã"], [])
    assert split_unit_cell("Phòng Kinh tế; Công an xã") == (["Phòng Kinh tế", "Công an xã"], [])
    html = "<ul><li>- Phòng Kinh tế</li><li>Phòng VH-XH</li></ul>"
    assert split_unit_cell(html) == (["Phòng Kinh tế", "Phòng VH-XH"], [])
    assert split_unit_cell("Phòng Kinh tế, Hạ tầng và Đô thị") == (
        ["Phòng Kinh tế, Hạ tầng và Đô thị"], [])
    assert split_unit_cell("Phòng Kinh tế;\nPhòng Kinh tế xã") == (["Phòng Kinh tế"], [])
    assert split_unit_cell("Trung tâm Phục vụ hành\nchính công") == (
        ["Trung tâm Phục vụ hành chính công"], [])
    assert split_unit_cell("") == ([], [])
    assert split_unit_cell(" \n ") == ([], [])


@pytest.mark.parametrize("cell", [
    "Các phòng, đơn vị sự nghiệp thuộc xã",
    "Các cơ quan chuyên môn UBND xã",
    "Các cơ quan chuyên môn liên quan",
    "Các cơ quan; đơn vị sự nghiệp công lập thuộc UBND xã",
    "Các cơ quan chuyên môn; đơn vị sự nghiệp công lập thuộc UBND xã",
    "Các đơn vị sự nghiệp công lập thuộc UBND xã",
    "Cac co quan chuyen mon",
    "Toàn bộ cán bộ, công chức",
    "Tất cả các phòng",
    "Ban chỉ đạo CCHC xã",
    "Cơ quan, đơn vị liên quan",
])
def test_generic_cells_stay_text(cell: str) -> None:
    assert is_generic_unit_text(cell)
    assert split_unit_cell(cell) == ([], [cell])


def test_generic_cell_split_over_lines_stays_whole() -> None:
    cell = "Các cơ quan chuyên môn;\nđơn vị sự nghiệp công lập thuộc UBND xã"
    assert split_unit_cell(cell) == (
        [], ["Các cơ quan chuyên môn; đơn vị sự nghiệp công lập thuộc UBND xã"])


def test_units_and_generic_text_in_one_cell() -> None:
    cell = "- Phòng Kinh tế\n- Các cơ quan chuyên môn liên quan"
    assert split_unit_cell(cell) == (["Phòng Kinh tế"], ["Các cơ quan chuyên môn liên quan"])


def seed_cells() -> list[tuple[str, str]]:
    """(lead, cooperating) of every task row of the seed plan's appendix."""
    rows = []
    for line in SAMPLE_TXT.read_text(encoding="utf-8").splitlines()[1:]:
        cells = line.split("\t")
        if len(cells) >= 4 and cells[0].strip().isdigit():
            rows.append((cells[2], cells[3]))
    return rows


def test_seed_plan_lead_units() -> None:
    rows = seed_cells()
    assert len(rows) == 39
    units: dict[str, str] = {}
    generic: list[str] = []
    for lead, _cooperating in rows:
        names, texts = split_unit_cell(lead)
        generic.extend(texts)
        for name in names:
            units.setdefault(normalise_unit_name(name), name)
    expected = ["Phòng Văn hóa - Xã hội", "Phòng Kinh tế", "Văn phòng HĐND và UBND",
                "Trung tâm Phục vụ hành chính công", "Trung tâm Dịch vụ sự nghiệp công",
                "Công an xã"]
    assert set(units) == {normalise_unit_name(name) for name in expected}
    assert units[normalise_unit_name("Công an xã")] == "Công an xã"
    assert units[normalise_unit_name("Phòng Văn hoá-xã hội")] == "Phòng Văn hóa - Xã hội"
    assert generic == ["Các cơ quan chuyên môn liên quan"]  # task 4: no unit, a generic text


def test_seed_plan_cooperating_cells_are_all_generic() -> None:
    for _lead, cooperating in seed_cells():
        names, texts = split_unit_cell(cooperating)
        assert names == []
        assert texts == ([cooperating.strip()] if cooperating.strip() else [])


WORDS = st.sampled_from(["Phòng", "Văn hoá", "Văn hóa", "xã hội", "Xã hội", "Kinh tế", "HĐND",
                         "UBND", "và", "&", "-", "Trung tâm", "Thuỷ", "Thủy", "Công an"])


@given(st.lists(WORDS, min_size=1, max_size=6))
def test_key_is_stable_under_display_and_spelling(words: list[str]) -> None:
    name = " ".join(words)
    key = normalise_unit_name(name)
    assert normalise_unit_name(display_name(name)) == key
    assert normalise_unit_name(name.upper()) == key
    assert normalise_unit_name(unicodedata.normalize("NFD", name)) == key
    assert normalise_unit_name(name.replace(" - ", "-").replace(" ", "  ")) == key
    assert key == key.strip() and "  " not in key and fold(key) == key


@given(st.text(max_size=60))
def test_any_text_is_handled(text: str) -> None:
    normalise_unit_name(text)
    display_name(text)
    units, generic = split_unit_cell(text)
    assert all(unit.strip() for unit in units) and all(g.strip() for g in generic)
