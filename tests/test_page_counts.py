"""Page counts beside the commune's own (issue 22, item 6), rendered through LibreOffice
and skipped when it is missing.

- The score table dondoc builds from the commune's own score sheet (samples/bang-diem-…
  .docx, read by /nhap) prints in at most 1,2 times the pages of that sheet printed as
  the commune keeps it (its .docx). The sample's .xlsx is a bare data export (portrait,
  no wrapping, texts cut at the column edge): what it prints is not a document, so both
  of dondoc's files are held to the .docx.
- The result appendix of the plan (samples/ke-hoach-cchc-2026-mau.docx, the plan's own
  appendix of the same 39 rows) has the same six columns, "Kết quả thực hiện" where the
  plan has "Sản phẩm", and a six-month result is as long as a product (a line or three):
  its table gets the same 1,2. Biểu mẫu 1 (and, in the .xlsx, the figures by unit) have
  no counterpart in the plan: each is held to one page of its own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from handlers.messages import Attachment
from tests.conftest import SAMPLES
from tests.harness import Harness, team, text_of
from tests.render_support import needs_libreoffice, page_texts, squeeze, to_pdf
from tests.test_reports import tell_story

pytestmark = needs_libreoffice
SCORE_SHEET = SAMPLES / "bang-diem-chinh-quyen-than-thien-6thang-2026.docx"
PLAN = SAMPLES / "ke-hoach-cchc-2026-mau.docx"


RATIO = 1.2
FORM = "Công tác chỉ đạo điều hành cải cách hành chính"  # Biểu mẫu 1's subtitle
FIGURES = "SỐ LIỆU THEO ĐƠN VỊ VÀ THEO MỤC"


async def pages(path: Path, tmp_path: Path) -> list[str]:
    """The printed pages' texts, without white space."""
    return page_texts(await to_pdf(path, tmp_path))


def first_page_with(texts: list[str], fragment: str) -> int:
    squeezed = squeeze(fragment)
    return next(i for i, page in enumerate(texts) if squeezed in page)


@pytest.fixture
async def bot(sessions, clock) -> Harness:  # noqa: ANN001
    return await team(sessions, clock, head="admin")


async def save(tmp_path: Path, attachment: Attachment, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(attachment.data)
    return path


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
async def test_score_table_pages_beside_the_communes_own(bot: Harness, tmp_path: Path, suffix: str) -> None:
    await bot.say("trinh", "/nhap")
    answer = text_of(await bot.say("trinh", attachment=Attachment(SCORE_SHEET.name, SCORE_SHEET.read_bytes())))
    assert "Đã nhập bảng điểm" in answer, answer
    files = [r.document for r in await bot.say("trinh", "/baocao diem") if r.document]
    (ours,) = [f for f in files if f.filename.endswith(suffix)]
    own = len(await pages(Path(shutil.copy(SCORE_SHEET, tmp_path / "own.docx")), tmp_path))
    mine = len(await pages(await save(tmp_path, ours, f"dondoc-diem{suffix}"), tmp_path))
    assert mine <= RATIO * own, (mine, own)


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
async def test_appendix_pages_beside_the_plans_own(bot: Harness, tmp_path: Path, suffix: str) -> None:
    await tell_story(bot)
    files = [r.document for r in await bot.say("trinh", "/baocao") if r.document]
    (ours,) = [f for f in files if f.filename.endswith(suffix)]
    own = len(await pages(Path(shutil.copy(PLAN, tmp_path / "own.docx")), tmp_path))
    texts = await pages(await save(tmp_path, ours, f"dondoc-phuluc{suffix}"), tmp_path)
    table = first_page_with(texts, FORM)  # the pages before Biểu mẫu 1
    assert table <= RATIO * own, (table, own)
    after_form = first_page_with(texts, FIGURES) if suffix == ".xlsx" else len(texts)
    assert after_form - table == 1  # Biểu mẫu 1 on one page
    assert len(texts) - after_form <= 1  # the figures by unit and by section on one


# A result as long as the plan's products (47 characters on average): "Hoàn thành" and
# the document that did it.
RESULT = "Hoàn thành\nKế hoạch số {n}/KH-UBND ngày 15/3/2026"


async def test_a_full_appendix_pages_beside_the_plans_own(bot: Harness, tmp_path: Path) -> None:
    """Every row with a result, as long as the plan's product for the same row."""
    await bot.register("an", "admin")
    for number in range(1, 40):
        answer = text_of(await bot.say("an", f"/ketqua {number} {RESULT.format(n=100 + number)}"))
        assert "Phụ lục sẽ ghi" in answer, answer
    files = [r.document for r in await bot.say("trinh", "/baocao") if r.document]
    own = len(await pages(Path(shutil.copy(PLAN, tmp_path / "own.docx")), tmp_path))
    for ours in files:
        suffix = Path(ours.filename).suffix
        texts = await pages(await save(tmp_path, ours, f"dondoc-day-du{suffix}"), tmp_path)
        table = first_page_with(texts, FORM)
        assert table <= RATIO * own, (suffix, table, own)
