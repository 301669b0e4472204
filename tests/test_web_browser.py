"""The web view in a real browser: Playwright for Python driving Debian's Chromium
(``apt-get install chromium``; ``playwright install`` cannot download browsers here).
Opens the /web link, checks the figures against ``dondoc progress --json``, clicks
through to a task and its history, opens the Mini App with a fake
``window.Telegram.WebApp``, and saves 360 px and 1280 px screenshots
(``DONDOC_TEST_SHOTS``, default a temporary folder). Without Chromium the tests are
skipped, saying why."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from tests.browser_support import cli_progress, needs_chromium, shots
from tests.web_support import Site, build_site, init_data

pytestmark = needs_chromium


@pytest.fixture
async def site(sessions, clock, database_url) -> AsyncIterator[Site]:  # noqa: ANN001
    # Half a year on, so that some tasks are overdue and others done.
    clock.move_to(datetime(2026, 7, 15, 2, 0, tzinfo=UTC))
    built = await build_site(sessions, clock)
    await built.bot.say("lan", "/capnhat 1 Hoàn thành")
    built.database_url = database_url  # type: ignore[attr-defined]
    yield built
    await built.client.close()


async def test_the_link_the_figures_a_task_and_screenshots(site: Site, browser) -> None:  # noqa: ANN001
    link = str(site.client.make_url(await site.link_for("hung")))
    page = await browser.new_page(viewport={"width": 360, "height": 780})
    await page.goto(link)
    await page.get_by_role("button", name="Mở trang tiến độ").click()
    await page.wait_for_url("**/web/xa/*")
    assert await page.locator("html").get_attribute("lang") == "vi"
    expected = await asyncio.to_thread(cli_progress, site.database_url, "2026-07-15")
    for key in ("done_on_time", "done_late", "overdue", "in_progress", "not_started", "not_applicable"):
        shown = await page.locator(f'[data-figure="{key}"]').first.inner_text()
        assert int(shown) == expected[key], key
    done = await page.locator('[data-figure="done"]').first.inner_text()
    total = expected["total"]
    assert f"/{total} (" in done
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the page scrolls sideways at 360 px"
    await page.screenshot(path=str(shots() / "commune-360.png"), full_page=True)
    await page.set_viewport_size({"width": 1280, "height": 900})
    await page.screenshot(path=str(shots() / "commune-1280.png"), full_page=True)
    await page.set_viewport_size({"width": 360, "height": 780})
    await page.locator("ul.tasks a").first.click()
    await page.wait_for_url("**/web/viec/*")
    assert await page.get_by_role("heading", name="Lịch sử").is_visible()
    await page.screenshot(path=str(shots() / "task-360.png"), full_page=True)
    await page.goto(str(site.client.make_url(f"/web/viec/{await task_one(site)}")))
    assert "Hoàn thành" in await page.locator("ol.history").inner_text()
    await page.set_viewport_size({"width": 1280, "height": 900})
    await page.screenshot(path=str(shots() / "task-1280.png"), full_page=True)


async def test_the_mini_app_signs_in_with_init_data(site: Site, browser) -> None:  # noqa: ANN001
    await site.bot.register("7001", "leader")
    site.bot.clock.move_to(datetime.now(UTC))
    context = await browser.new_context(viewport={"width": 360, "height": 780})
    data = json.dumps(init_data(7001))
    fake = "window.Telegram = {WebApp: {initData: " + data + ", ready() {}, expand() {}}};"
    await context.add_init_script(fake)
    page = await context.new_page()
    await page.goto(str(site.client.make_url("/web/app")))
    await page.wait_for_url("**/web/xa/*")
    assert "Hoàn thành:" in await page.locator('[data-figure="done"]').first.inner_text()
    await context.close()


async def task_one(site: Site) -> int:
    from sqlalchemy import select

    from models.plans import Section, Task

    async with site.bot.sessions() as session:
        return await session.scalar(
            select(Task.id).join(Section, Task.section_id == Section.id).order_by(Section.order, Task.position).limit(1)
        )
