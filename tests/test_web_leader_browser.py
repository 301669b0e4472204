"""A leader's pages in a real browser (Playwright driving Debian's Chromium, as
``tests/test_web_browser.py``): approving an extension from the task page, then seeing
it in the task's history and in the database; downloading the appendix and reading it
back with python-docx; the score sheet at 360 px and 1280 px without sideways scroll,
with screenshots (``DONDOC_TEST_SHOTS``). Skipped, saying why, without Chromium."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

from docx import Document
from sqlalchemy import select

from handlers.messages import Attachment
from models.plans import StatusUpdate, Task
from tests.browser_support import needs_chromium, shots
from tests.harness import text_of
from tests.score_sheet import sheet_docx, sheet_rows
from tests.web_support import Site

pytestmark = needs_chromium


async def signed_in(site: Site, browser, user: str, width: int = 360):  # noqa: ANN001, ANN201
    page = await browser.new_page(viewport={"width": width, "height": 780}, accept_downloads=True)
    await page.goto(str(site.client.make_url(await site.link_for(user))))
    await page.get_by_role("button", name="Mở trang tiến độ").click()
    await page.wait_for_url("**/web/xa/*")
    return page


async def no_sideways_scroll(page, width: int) -> None:  # noqa: ANN001
    scroll = await page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page scrolls sideways at {width} px ({scroll} px wide)"


async def test_a_leader_approves_an_extension_in_the_browser(site: Site, browser) -> None:  # noqa: ANN001
    said = await site.bot.say("lan", "/giahan 6 20/4 chờ hướng dẫn của Sở")
    assert "Xin gia hạn đến 20/04/2026" in said[0].text
    async with site.bot.sessions() as session:
        task_id = await session.scalar(select(Task.id).where(Task.number == "6"))
    page = await signed_in(site, browser, "hung")
    await page.goto(str(site.client.make_url(f"/web/viec/{task_id}")))
    assert "Đề nghị gia hạn đến 20/04/2026" in await page.locator("#gia-han").inner_text()
    await no_sideways_scroll(page, 360)
    await page.screenshot(path=str(shots() / "task-actions-360.png"), full_page=True)
    await page.get_by_label("Lý do từ chối hoặc chỉ đạo kèm theo").fill("Đồng ý, hoàn thành trước 20/4")
    await page.get_by_role("button", name="Duyệt gia hạn").click()
    await page.wait_for_url(f"**/web/viec/{task_id}/giahan")
    assert "Đã duyệt gia hạn nhiệm vụ 6 đến 20/04/2026" in await page.locator(".answer").inner_text()
    await page.screenshot(path=str(shots() / "approved-answer-360.png"), full_page=True)
    await page.get_by_role("link", name="Về nhiệm vụ 6").click()
    await page.wait_for_url(f"**/web/viec/{task_id}")
    history = await page.locator("ol.history").inner_text()
    assert "Đồng ý gia hạn đến 20/04/2026 — Đồng ý, hoàn thành trước 20/4" in history
    assert await page.locator("#gia-han").count() == 0
    async with site.bot.sessions() as session:
        task = await session.get(Task, task_id)
        decided = list(await session.scalars(select(StatusUpdate).where(
            StatusUpdate.task_id == task_id, StatusUpdate.kind == "extension_approved")))
    assert task.deadline_due == date(2026, 4, 20) and [d.channel for d in decided] == ["web"]
    await page.set_viewport_size({"width": 1280, "height": 900})
    await page.screenshot(path=str(shots() / "task-approved-1280.png"), full_page=True)


async def test_downloading_the_appendix_in_the_browser(site: Site, browser) -> None:  # noqa: ANN001
    await site.bot.say("lan", "/capnhat 1 Đã ban hành Kế hoạch số 22/KH-UBND ngày 02/01/2026")
    page = await signed_in(site, browser, "hung")
    await page.get_by_role("link", name="Tải báo cáo").click()
    await page.wait_for_url("**/baocao")
    await page.get_by_label("Kỳ báo cáo").select_option("quy1")
    await page.get_by_label("Phụ lục kết quả và Biểu mẫu 1 (Word)").check()
    await no_sideways_scroll(page, 360)
    await page.screenshot(path=str(shots() / "downloads-360.png"), full_page=True)
    async with page.expect_download() as waiting:
        await page.get_by_role("button", name="Tải về").click()
    download = await waiting.value
    assert download.suggested_filename.endswith("-quy1-2026.docx")
    saved = Path(await download.path()).read_bytes()
    document = Document(BytesIO(saved))
    assert "PHỤ LỤC 01" in "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert any("Kế hoạch số 22/KH-UBND" in c for c in cells)


async def test_the_score_sheet_fits_a_phone_and_a_desktop(site: Site, browser) -> None:  # noqa: ANN001
    bot = site.bot
    await bot.register("trinh", "admin")
    await bot.say("trinh", "/nhap")
    said = text_of(await bot.say("trinh", attachment=Attachment("bang-diem.docx", sheet_docx(sheet_rows(filled=True)))))
    assert "Đã nhập bảng điểm" in said, said
    await bot.say("trinh", "/chamdiem 4.3 3 chưa đủ minh chứng")
    figures = text_of(await bot.say("hung", "/diem"))
    page = await signed_in(site, browser, "hung")
    await page.get_by_role("link", name="Bảng điểm").click()
    await page.wait_for_url("**/diem")
    total = await page.locator('[data-figure="score-total"]').inner_text()
    assert total in figures
    await no_sideways_scroll(page, 360)
    await page.screenshot(path=str(shots() / "score-360.png"), full_page=True)
    await page.set_viewport_size({"width": 1280, "height": 900})
    await no_sideways_scroll(page, 1280)
    await page.screenshot(path=str(shots() / "score-1280.png"), full_page=True)
