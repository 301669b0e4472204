"""The deadline grammar: every phrase of the spec and of the seed plan, what people
type instead, and properties that hold for any text."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from language.deadlines import (
    EVERY,
    KINDS,
    Deadline,
    describe_problem,
    normalize,
    occurrences,
    parse_deadline,
)

YEAR = 2026
TODAY = date(2026, 5, 20)
D = date

# (text, kind, start, due, every) with plan year 2026 and today 20/5/2026
CASES = [
    # due: a last day
    ("Trước ngày 15/01/2026", "due", None, D(2026, 1, 14), None),
    ("Ngày 15/01/2026", "due", None, D(2026, 1, 15), None),
    ("Chậm nhất ngày 20/6/2026", "due", None, D(2026, 6, 20), None),
    ("Chậm nhất là ngày 20/6/2026", "due", None, D(2026, 6, 20), None),
    ("Hạn 30/6", "due", None, D(2026, 6, 30), None),
    ("15/01/2026", "due", None, D(2026, 1, 15), None),
    ("15-01-2026", "due", None, D(2026, 1, 15), None),
    ("15 tháng 01 năm 2026", "due", None, D(2026, 1, 15), None),
    ("Hoàn thành trước ngày 01/03/2026", "due", None, D(2026, 2, 28), None),
    ("Trước quý III/2026", "due", None, D(2026, 6, 30), None),
    ("Đến hết tháng 6/2026", "due", None, D(2026, 6, 30), None),
    (
        "Trước ngày 15/01/2026 theo Kế hoạch số 310/KH-UBND ngày 24/11/2025",
        "due",
        None,
        D(2026, 1, 14),
        None,
    ),
    # period: a window
    ("Quý III/2026", "period", D(2026, 7, 1), D(2026, 9, 30), None),
    ("Quý I năm 2026", "period", D(2026, 1, 1), D(2026, 3, 31), None),
    ("quý 3/2026", "period", D(2026, 7, 1), D(2026, 9, 30), None),
    ("Quý IV/2026", "period", D(2026, 10, 1), D(2026, 12, 31), None),
    ("Quý I-II/2026", "period", D(2026, 1, 1), D(2026, 6, 30), None),
    ("Tháng 10/2026", "period", D(2026, 10, 1), D(2026, 10, 31), None),
    ("Tháng 1 năm 2026", "period", D(2026, 1, 1), D(2026, 1, 31), None),
    ("Trong tháng 3", "period", D(2026, 3, 1), D(2026, 3, 31), None),
    ("Tháng 2", "period", D(2026, 2, 1), D(2026, 2, 28), None),
    ("Tháng 7-9/2026", "period", D(2026, 7, 1), D(2026, 9, 30), None),
    ("Tháng 8-9/2026", "period", D(2026, 8, 1), D(2026, 9, 30), None),
    ("Tháng 01/2026 đến tháng 5/2026", "period", D(2026, 1, 1), D(2026, 5, 31), None),
    ("Từ tháng 7 đến tháng 9 năm 2026", "period", D(2026, 7, 1), D(2026, 9, 30), None),
    ("Từ ngày 01/3/2026 đến ngày 31/5/2026", "period", D(2026, 3, 1), D(2026, 5, 31), None),
    ("01/3/2026 - 31/5/2026", "period", D(2026, 3, 1), D(2026, 5, 31), None),
    ("Cả năm 2026", "period", D(2026, 1, 1), D(2026, 12, 31), None),
    ("Năm 2026", "period", D(2026, 1, 1), D(2026, 12, 31), None),
    ("Cả năm", "period", D(2026, 1, 1), D(2026, 12, 31), None),
    ("Trong năm 2026", "period", D(2026, 1, 1), D(2026, 12, 31), None),
    ("6 tháng đầu năm 2026", "period", D(2026, 1, 1), D(2026, 6, 30), None),
    ("6 tháng cuối năm", "period", D(2026, 7, 1), D(2026, 12, 31), None),
    # recurring: the occurrence containing 20/5/2026, else the next
    ("Tháng 10 hàng năm", "recurring", D(2026, 10, 1), D(2026, 10, 31), "year"),
    ("Tháng 10 hằng năm", "recurring", D(2026, 10, 1), D(2026, 10, 31), "year"),
    ("Hằng tháng", "recurring", D(2026, 5, 1), D(2026, 5, 31), "month"),
    ("Hàng tháng", "recurring", D(2026, 5, 1), D(2026, 5, 31), "month"),
    ("Định kỳ hằng quý", "recurring", D(2026, 4, 1), D(2026, 6, 30), "quarter"),
    ("Hằng năm", "recurring", D(2026, 1, 1), D(2026, 12, 31), "year"),
    ("Trước ngày 10 tháng cuối quý", "recurring", D(2026, 4, 1), D(2026, 6, 9), "quarter"),
    ("Trước ngày 20 hằng tháng", "recurring", D(2026, 6, 1), D(2026, 6, 19), "month"),
    ("Ngày 25 hằng tháng", "recurring", D(2026, 5, 1), D(2026, 5, 25), "month"),
    ("Trước ngày 15/01 hằng năm", "recurring", D(2026, 1, 1), D(2026, 1, 14), "year"),
    # continuous
    ("Thường xuyên", "continuous", None, None, None),
    ("Liên tục", "continuous", None, None, None),
    ("Thường xuyên, liên tục", "continuous", None, None, None),
    # on request: no date, even one inside a document reference
    ("Theo yêu cầu của Sở Tài chính", "on_request", None, None, None),
    ("Theo yêu cầu của Sở Nội vụ", "on_request", None, None, None),
    ("Theo chỉ đạo của cấp trên", "on_request", None, None, None),
    ("Theo chỉ đạo của cấp trên trong năm 2026", "on_request", None, None, None),
    (
        "Theo hướng dẫn của Trung ương và Kế hoạch số 310/KH-UBND ngày 24/11/2025 của UBND "
        "thành phố",
        "on_request",
        None,
        None,
        None,
    ),
    ("Khi có hướng dẫn", "on_request", None, None, None),
    # unknown: never a guessed date
    ("", "unknown", None, None, None),
    ("   ", "unknown", None, None, None),
    ("abc", "unknown", None, None, None),
    ("Sớm", "unknown", None, None, None),
    ("Định kỳ", "unknown", None, None, None),
    ("Năm", "unknown", None, None, None),
    ("Kế hoạch số 310/KH-UBND ngày 24/11/2025", "unknown", None, None, None),
    ("Từ ngày 01/3/2026", "unknown", None, None, None),
    ("31/02/2026", "unknown", None, None, None),
    ("Trước ngày 31/02/2026", "unknown", None, None, None),
    ("Ngày 32/01/2026", "unknown", None, None, None),
    ("Tháng 13/2026", "unknown", None, None, None),
    ("Quý V/2026", "unknown", None, None, None),
    ("Tháng 9-7/2026", "unknown", None, None, None),
    ("Quý III/2026 và năm sau", "unknown", None, None, None),
]


@pytest.mark.parametrize(("text", "kind", "start", "due", "every"), CASES)
def test_spec_phrases(text, kind, start, due, every):
    d = parse_deadline(text, YEAR, TODAY)
    assert (d.kind, d.start, d.due, d.every) == (kind, start, due, every)
    assert d.text == text


# Every deadline cell of the seed plan (xã Nguyễn Bình Khiêm, 2026), with today at the
# start of the plan year.
SEED = [
    ("Trước ngày 15/01/2026", "due", None, D(2026, 1, 14), None),
    ("Cả năm 2026", "period", D(2026, 1, 1), D(2026, 12, 31), None),
    ("Theo yêu cầu của Sở Nội vụ", "on_request", None, None, None),
    ("Quý IV/2026", "period", D(2026, 10, 1), D(2026, 12, 31), None),
    ("Quý I/2026", "period", D(2026, 1, 1), D(2026, 3, 31), None),
    ("Theo chỉ đạo của cấp trên", "on_request", None, None, None),
    ("Tháng 10 hàng năm", "recurring", D(2026, 10, 1), D(2026, 10, 31), "year"),
    ("Theo chỉ đạo của cấp trên trong năm 2026", "on_request", None, None, None),
    ("Quý I năm 2026", "period", D(2026, 1, 1), D(2026, 3, 31), None),
    ("Thường xuyên", "continuous", None, None, None),
    (
        "Theo hướng dẫn của Trung ương và Kế hoạch số 310/KH-UBND ngày 24/11/2025 của UBND "
        "thành phố",
        "on_request",
        None,
        None,
        None,
    ),
    ("Tháng 1 năm 2026", "period", D(2026, 1, 1), D(2026, 1, 31), None),
    ("Tháng 01/2026 đến tháng 5/2026", "period", D(2026, 1, 1), D(2026, 5, 31), None),
    ("Tháng 10/2026", "period", D(2026, 10, 1), D(2026, 10, 31), None),
    ("Tháng 7-9/2026", "period", D(2026, 7, 1), D(2026, 9, 30), None),
    ("Tháng 8-9/2026", "period", D(2026, 8, 1), D(2026, 9, 30), None),
]


@pytest.mark.parametrize(("text", "kind", "start", "due", "every"), SEED)
def test_seed_plan_cells(text, kind, start, due, every):
    d = parse_deadline(text, YEAR, D(2026, 1, 5))
    assert (d.kind, d.start, d.due, d.every) == (kind, start, due, every)
    assert describe_problem(d) is None


# What people type: no diacritics, abbreviations, case, dashes, spaces, notes.
VARIANTS = [
    ("quy III/2026", "Quý III/2026"),
    ("QUÝ III/2026", "Quý III/2026"),
    ("Quý 3", "Quý III/2026"),
    ("Quý 3 năm 2026", "Quý III/2026"),
    ("Q3/2026", "Quý III/2026"),
    ("QIII/2026", "Quý III/2026"),
    ("q 3 / 2026", "Quý III/2026"),
    ("Quý III / 2026.", "Quý III/2026"),
    ("Quý I năm 2026 (đã điều chỉnh)", "Quý I/2026"),
    ("Quý I năm 2026 (đã điều chỉnh (lần 2))", "Quý I/2026"),
    ("Quý I năm 2026 (ghi chú chưa đóng", "Quý I/2026"),
    ("  Quý   I\n năm\t2026 ", "Quý I/2026"),
    ("Quý I năm 2026", "Quý I/2026"),
    ("thuong xuyen", "Thường xuyên"),
    ("THƯỜNG XUYÊN", "Thường xuyên"),
    ("lien tuc", "Thường xuyên"),
    ("truoc ngay 15/01/2026", "Trước ngày 15/01/2026"),
    ("TRƯỚC NGÀY 15/01/2026", "Trước ngày 15/01/2026"),
    ("Trước ngày  15 / 01 / 2026", "Trước ngày 15/01/2026"),
    ("Trước ngày 15.01.2026", "Trước ngày 15/01/2026"),
    ("Thời gian: trước ngày 15/01/2026", "Trước ngày 15/01/2026"),
    ("Tháng 7–9/2026", "Tháng 7-9/2026"),
    ("Tháng 7—9/2026", "Tháng 7-9/2026"),
    ("Tháng 7 - 9 năm 2026", "Tháng 7-9/2026"),
    ("thang 7-9/2026", "Tháng 7-9/2026"),
    ("Tháng 01/2026 – tháng 5/2026", "Tháng 01/2026 đến tháng 5/2026"),
    ("thang 01/2026 den thang 5/2026", "Tháng 01/2026 đến tháng 5/2026"),
    ("Tháng 10 hằng năm", "Tháng 10 hàng năm"),
    ("thang 10 hang nam", "Tháng 10 hàng năm"),
    ("theo yeu cau cua So Noi vu", "Theo yêu cầu của Sở Nội vụ"),
    ("Theo yêu cầu của Sở Nội Vụ", "Theo yêu cầu của Sở Nội vụ"),
    ("ca nam 2026", "Cả năm 2026"),
    ("Cả năm 2026 (thường xuyên)", "Cả năm 2026"),
    ("<i>Cả năm 2026</i>", "Cả năm 2026"),
    ("dinh ky hang quy", "Định kỳ hằng quý"),
    ("Định kỳ hàng quý", "Định kỳ hằng quý"),
    ("Trước ngày 10 của tháng cuối mỗi quý", "Trước ngày 10 tháng cuối quý"),
    ("Chậm nhất ngày 20/06/2026", "Chậm nhất ngày 20/6/2026"),
]


@pytest.mark.parametrize(("typed", "official"), VARIANTS)
def test_typed_variants_read_like_the_official_phrase(typed, official):
    got, want = parse_deadline(typed, YEAR, TODAY), parse_deadline(official, YEAR, TODAY)
    assert want.kind != "unknown"
    assert (got.kind, got.start, got.due, got.every) == (
        want.kind,
        want.start,
        want.due,
        want.every,
    )


def test_decomposed_unicode_is_read_like_composed():
    import unicodedata

    text = unicodedata.normalize("NFD", "Trước ngày 15/01/2026")
    assert parse_deadline(text, YEAR, TODAY).due == D(2026, 1, 14)


def test_normalize():
    assert normalize("  Quý I năm 2026 (đã điều chỉnh)\n") == "quy i nam 2026"
    assert normalize("Đ đ Ð") == "d d d"
    assert normalize("Tháng 7–9/2026") == "thang 7-9/2026"
    assert normalize("Q3/2026") == "quy 3/2026"


def test_a_missing_year_is_the_plan_year():
    assert parse_deadline("Hạn 30/6", 2027, TODAY).due == D(2027, 6, 30)
    d = parse_deadline("Quý 2", 2027, TODAY)
    assert (d.start, d.due) == (D(2027, 4, 1), D(2027, 6, 30))
    d = parse_deadline("Từ ngày 01/3 đến ngày 31/5/2028", 2027, TODAY)
    assert (d.start, d.due) == (D(2028, 3, 1), D(2028, 5, 31))  # the end's year is shared


def test_leap_year_february():
    assert parse_deadline("29/02/2028", 2028, TODAY).due == D(2028, 2, 29)
    assert parse_deadline("29/02/2026", 2026, TODAY).kind == "unknown"


@pytest.mark.parametrize(
    ("today", "start", "due"),
    [
        (D(2025, 12, 1), D(2026, 1, 1), D(2026, 1, 19)),  # before the plan year: the first
        (D(2026, 1, 19), D(2026, 1, 1), D(2026, 1, 19)),  # the due day still counts
        (D(2026, 1, 20), D(2026, 2, 1), D(2026, 2, 19)),  # after it: the next one
        (D(2026, 12, 25), D(2026, 12, 1), D(2026, 12, 19)),  # none left: the year's last
        (D(2027, 3, 1), D(2026, 12, 1), D(2026, 12, 19)),
    ],
)
def test_recurring_picks_the_current_occurrence(today, start, due):
    d = parse_deadline("Trước ngày 20 hằng tháng", YEAR, today)
    assert (d.start, d.due) == (start, due)


def test_quarterly_report_occurrences():
    d = parse_deadline("Trước ngày 10 tháng cuối quý", YEAR, TODAY)
    assert occurrences(d, YEAR) == [
        (D(2026, 1, 1), D(2026, 3, 9)),
        (D(2026, 4, 1), D(2026, 6, 9)),
        (D(2026, 7, 1), D(2026, 9, 9)),
        (D(2026, 10, 1), D(2026, 12, 9)),
    ]


def test_monthly_occurrences_clamp_short_months():
    d = parse_deadline("Ngày 31 hằng tháng", YEAR, TODAY)
    occ = occurrences(d, YEAR)
    assert len(occ) == 12
    assert occ[1] == (D(2026, 2, 1), D(2026, 2, 28))
    assert occ[3] == (D(2026, 4, 1), D(2026, 4, 30))


def test_occurrences_of_other_kinds():
    due = parse_deadline("Trước ngày 15/01/2026", YEAR, TODAY)
    assert occurrences(due, YEAR) == [(D(2026, 1, 14), D(2026, 1, 14))]
    period = parse_deadline("Quý III/2026", YEAR, TODAY)
    assert occurrences(period, YEAR) == [(D(2026, 7, 1), D(2026, 9, 30))]
    yearly = parse_deadline("Tháng 10 hàng năm", YEAR, TODAY)
    assert occurrences(yearly, YEAR) == [(D(2026, 10, 1), D(2026, 10, 31))]
    for text in ("Thường xuyên", "Theo yêu cầu của Sở Nội vụ", "abc"):
        assert occurrences(parse_deadline(text, YEAR, TODAY), YEAR) == []


def test_to_json():
    assert parse_deadline("Quý III/2026", YEAR, TODAY).to_json() == {
        "kind": "period",
        "start": "2026-07-01",
        "due": "2026-09-30",
        "every": None,
    }
    assert parse_deadline("Thường xuyên", YEAR, TODAY).to_json() == {
        "kind": "continuous",
        "start": None,
        "due": None,
        "every": None,
    }


def test_describe_problem():
    assert describe_problem(parse_deadline("Quý III/2026", YEAR, TODAY)) is None
    message = describe_problem(parse_deadline("Sớm", YEAR, TODAY))
    assert message is not None
    assert "«Sớm»" in message and "Quý III/2026" in message and "Thường xuyên" in message
    assert "31/02/2026" in describe_problem(parse_deadline("31/02/2026", YEAR, TODAY))
    assert "Chưa có thời hạn" in describe_problem(parse_deadline("", YEAR, TODAY))


# ---------------------------------------------------------------- properties

_ALPHABET = st.sampled_from(
    list("0123456789/-.() ,:\n–—")
    + [
        "Quý",
        "quy",
        "I",
        "II",
        "III",
        "IV",
        "Q",
        "Tháng",
        "thang",
        "năm",
        "Cả",
        "đến",
        "Từ",
        "ngày",
        "Trước",
        "hằng",
        "hàng",
        "tháng",
        "quý",
        "cuối",
        "đầu",
        "6",
        "2026",
        "31",
        "12",
        "Thường xuyên",
        "Theo",
        "yêu cầu",
        "số",
        "KH-UBND",
        "nửa",
        "Chậm nhất",
        "hết",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), st.lists(_ALPHABET, max_size=12).map(" ".join)))
def test_any_text_parses_without_raising(text):
    d = parse_deadline(text, YEAR, TODAY)
    assert isinstance(d, Deadline)
    assert d.kind in KINDS
    if d.start is not None and d.due is not None:
        assert d.start <= d.due
    if d.kind in ("continuous", "on_request", "unknown"):
        assert d.start is None and d.due is None
    if d.kind == "recurring":
        assert d.every in EVERY
        assert all(s <= e for s, e in occurrences(d, YEAR))
    else:
        assert d.every is None
    assert (describe_problem(d) is None) == (d.kind != "unknown")


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 31),
    st.integers(1, 12),
    st.integers(2000, 2100),
    st.sampled_from(["Ngày {}/{}/{}", "Trước ngày {}/{}/{}", "{}-{}-{}"]),
)
def test_any_day_of_the_calendar_is_read_or_refused(day, month, year, pattern):
    d = parse_deadline(pattern.format(day, month, year), YEAR, TODAY)
    try:
        real = date(year, month, day)
    except ValueError:
        assert d.kind == "unknown"
    else:
        assert d.kind == "due"
        assert d.due == (real if "Trước" not in pattern else real.fromordinal(real.toordinal() - 1))
