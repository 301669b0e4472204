"""The progress chart: a PNG a phone can show, drawn with every Vietnamese letter (no
missing-glyph warning), one bar per row, for one unit or a dozen organizations."""

from __future__ import annotations

import warnings
from io import BytesIO

import pytest
from PIL import Image

from documents.charts import progress_chart
from documents.report_rows import CATEGORY_LABELS

ROWS = [
    (
        "Phòng Văn hóa - Xã hội",
        {"done_on_time": 2, "done_late": 1, "overdue": 1, "not_started": 11},
    ),
    ("Trung tâm Phục vụ hành chính công", {"done_on_time": 1, "overdue": 2, "not_started": 5}),
    ("Văn phòng HĐND và UBND", {"in_progress": 2, "not_started": 8, "not_applicable": 1}),
]


def picture(rows, title: str = "Tiến độ đến 09/06/2026: 4/39 (10,3%)") -> Image.Image:  # noqa: ANN001
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font" would fail here
        data = progress_chart(rows, CATEGORY_LABELS, title)
    assert data.startswith(b"\x89PNG")
    return Image.open(BytesIO(data))


def test_phone_sized_png_grows_with_rows() -> None:
    one = picture(ROWS[:1])
    three = picture(ROWS)
    assert one.width == three.width == 1080
    assert three.height > one.height
    assert three.height < 2400  # fits a phone screen or two


@pytest.mark.parametrize("count", [0, 1, 12])
def test_any_number_of_rows(count: int) -> None:
    rows = [
        (
            f"Phường số {i} có tên rất dài để thử việc cắt bớt tên đơn vị",
            {"done_on_time": i, "overdue": 1},
        )
        for i in range(count)
    ]
    assert picture(rows).width == 1080


def test_every_vietnamese_letter_is_drawn() -> None:
    letters = (
        "ăâđêôơư ĂÂĐÊÔƠƯ áàảãạ ấầẩẫậ ắằẳẵặ éèẻẽẹ ếềểễệ íìỉĩị óòỏõọ ốồổỗộ ớờởỡợ úùủũụ ứừửữự ýỳỷỹỵ"
    )
    assert picture([(letters[:40], {"not_started": 1})], letters).width == 1080


def test_the_colours_are_on_the_picture() -> None:
    image = picture(ROWS).convert("RGB")
    colours = {colour for _count, colour in image.getcolors(maxcolors=1 << 20)}
    assert (0x2E, 0x7D, 0x32) in colours  # done on time
    assert (0xC6, 0x28, 0x28) in colours  # overdue
