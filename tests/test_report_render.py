"""The appendix through LibreOffice, as a compiler prints it: the .docx and the .xlsx
rendered to PDF, A4 landscape pages, the header row on every page of the table, no task
row split across two pages (each row's first and last words on the same page), and
Biểu mẫu 1 on a single page."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from docx import Document

from tests.harness import Harness, team
from tests.render_support import needs_libreoffice, page_sizes, page_texts, squeeze, to_pdf
from tests.test_reports import tell_story

pytestmark = needs_libreoffice


@pytest.fixture
async def bot(sessions, clock) -> Harness:  # noqa: ANN001
    return await team(sessions, clock)


async def render(path: Path, tmp_path: Path) -> list[str]:
    """The PDF's pages (A4 landscape) as text without any white space; no empty page."""
    pdf = await to_pdf(path, tmp_path)
    for width, height in page_sizes(pdf):
        assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    return [page for page in page_texts(pdf) if page]


def page_of(pages: list[str], fragment: str) -> set[int]:
    return {i for i, page in enumerate(pages) if squeeze(fragment) in page}


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
async def test_prints_whole_rows_with_headers(bot: Harness, tmp_path: Path, suffix: str) -> None:
    await tell_story(bot)
    docx, xlsx = (r.document for r in await bot.say("trinh", "/baocao") if r.document)
    table = Document(BytesIO(docx.data)).tables[1]
    rows = [
        tuple(c.text for c in r.cells)
        for r in table.rows[1:]
        if len({id(c._tc) for c in r.cells}) > 1
    ]
    for attachment in [a for a in (docx, xlsx) if a.filename.endswith(suffix)]:
        path = tmp_path / attachment.filename
        path.write_bytes(attachment.data)
        pages = await render(path, tmp_path)
        table_pages = [p for p in pages if squeeze("Nội dung công việc") in p]
        assert len(table_pages) >= 2  # 39 tasks take more than one page
        first = pages.index(table_pages[0])
        # The header row repeats: every page from the table's first one has it, up to the
        # last page that holds a task.
        last_task = max(page_of(pages, rows[-1][1][:40]))
        assert all(squeeze("Nội dung công việc") in pages[i] for i in range(first, last_task + 1))
        # Biểu mẫu 1 is printed on one page, its first row to its last.
        (form_page,) = page_of(pages, "Công tác chỉ đạo điều hành cải cách hành chính")
        assert squeeze("Tổ chức đối thoại của lãnh đạo") in pages[form_page]
        for row in rows:
            start = page_of(pages, row[1][:30])  # the task's first words
            end_text = (row[5] or row[1]).split("\n")[-1][-25:]  # the last words of its row
            end = page_of(pages, end_text)
            assert start and end, (attachment.filename, row[0])
            # A row may run on to the next page, never further.
            assert any(e in (s, s + 1) for s in start for e in end), (attachment.filename, row[0])
