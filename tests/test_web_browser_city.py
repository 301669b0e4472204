"""The city page and search in a real browser (Playwright driving Debian's Chromium, as
``tests/test_web_browser.py``): a viewer following three communes opens the /web link,
reads the city table against ``dondoc progress --json``, sorts it by tapping a header,
goes to a commune and one of its tasks, and searches; every page is checked for
sideways scrolling at 360 px and saved at 360 px and 1280 px (``DONDOC_TEST_SHOTS``,
default /tmp/dondoc-web-shots). Without Chromium the tests are skipped, saying why."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from handlers.imports.plans import import_plan_file
from models.invites import find_person
from models.people import Membership, Organization
from models.unit_names import fold
from tests.browser_support import cli_progress, needs_chromium, shots
from tests.harness import ORG, SAMPLE_DOCX
from tests.web_support import Site, build_site

pytestmark = needs_chromium
playwright_api = pytest.importorskip("playwright.async_api", reason="playwright is not installed (pip install -e '.[dev]')")
OTHERS = ("Phường Hòa Bình", "Xã Đông Hưng")


@pytest.fixture
async def site(sessions, clock, database_url) -> AsyncIterator[Site]:  # noqa: ANN001
    clock.move_to(datetime(2026, 7, 15, 2, 0, tzinfo=UTC))
    built = await build_site(sessions, clock)
    await built.bot.say("lan", "/capnhat 1 Hoàn thành")
    await built.bot.say("hung", "/capnhat 18 Đang thực hiện")
    async with sessions() as session, session.begin():  # two more communes the viewer follows
        for name in OTHERS:
            await import_plan_file(session, data=SAMPLE_DOCX.read_bytes(), filename=SAMPLE_DOCX.name, organization=name, now=clock.now())
        mai = await find_person(session, "telegram", "mai")
        for org in await session.scalars(select(Organization).where(Organization.name.in_(OTHERS))):
            session.add(Membership(person_id=mai.id, organization_id=org.id, role="viewer"))
    built.database_url = database_url  # type: ignore[attr-defined]
    yield built
    await built.client.close()


async def no_sideways_scroll(page, width: int) -> None:  # noqa: ANN001
    scrolled = await page.evaluate("document.documentElement.scrollWidth")
    assert scrolled <= width, f"{page.url} scrolls sideways at {width} px ({scrolled})"


async def both_widths(page, name: str) -> None:  # noqa: ANN001
    await page.set_viewport_size({"width": 360, "height": 780})
    await no_sideways_scroll(page, 360)
    await page.screenshot(path=str(shots() / f"{name}-360.png"), full_page=True)
    await page.set_viewport_size({"width": 1280, "height": 900})
    await no_sideways_scroll(page, 1280)
    await page.screenshot(path=str(shots() / f"{name}-1280.png"), full_page=True)
    await page.set_viewport_size({"width": 360, "height": 780})


async def test_a_viewer_reads_the_city_sorts_it_and_opens_a_task(site: Site, browser) -> None:  # noqa: ANN001
    link = str(site.client.make_url(await site.link_for("mai")))
    page = await browser.new_page(viewport={"width": 360, "height": 780})
    await page.goto(link)
    await page.get_by_role("button", name="Mở trang tiến độ").click()
    await page.wait_for_url("**/web/")
    await page.get_by_role("link", name="Các xã/phường").click()
    await page.wait_for_url("**/web/thanhpho")
    expected = await asyncio.to_thread(cli_progress, site.database_url, "2026-07-15")
    row = page.locator("tr[data-org]", has_text=ORG)
    assert int(await row.locator('[data-figure="total"]').inner_text()) == expected["total"]
    done = expected["done_on_time"] + expected["done_late"]
    assert (await row.locator('[data-figure="done"]').inner_text()).startswith(f"{done} (")
    assert int(await row.locator('[data-figure="overdue"]').inner_text()) == expected["overdue"]
    assert await page.locator("figure.line svg circle").count() == 7  # January to July
    await both_widths(page, "city")
    await page.get_by_role("link", name="Xã/phường", exact=True).click()  # sort by name, A to Z
    await page.wait_for_url("**xep=ten**")
    names = await page.locator("tbody th a").all_inner_texts()
    assert names == sorted(names, key=fold) and len(names) == 3  # Đ with D, as people read
    await page.get_by_role("link", name="Xã/phường ▲", exact=True).click()  # and back, Z to A
    assert await page.locator("tbody th a").all_inner_texts() == names[::-1]
    await page.get_by_role("link", name=ORG).click()
    await page.wait_for_url("**/web/xa/*")
    await page.locator("ul.tasks a").first.click()  # a viewer reads the task
    await page.wait_for_url("**/web/viec/*")
    assert await page.get_by_role("heading", name="Lịch sử").is_visible()


async def test_search_with_filters_in_the_browser(site: Site, browser) -> None:  # noqa: ANN001
    await site.sign_in("lan")
    cookies = [
        {"name": c.key, "value": c.value, "url": str(site.client.make_url("/web/"))}
        for c in site.client.session.cookie_jar
    ]
    context = await browser.new_context(viewport={"width": 360, "height": 780})
    await context.add_cookies(cookies)
    page = await context.new_page()
    await page.goto(str(site.client.make_url("/web/tim")))
    await page.get_by_label("Từ khóa (không cần gõ dấu)").fill("tuyen truyen")
    await page.get_by_role("button", name="Tìm", exact=True).click()
    await page.wait_for_url("**/web/tim?q=tuyen+truyen**")
    chat = (await site.bot.say("lan", "/tim tuyen truyen"))[0].text
    heading = await page.locator('[data-figure="found"]').inner_text()
    assert heading.split()[2] in chat.split()  # the same count as /tim
    await both_widths(page, "search")
    await page.get_by_label("Tình trạng").select_option("done")
    await page.get_by_label("Từ khóa (không cần gõ dấu)").fill("")
    await page.get_by_role("button", name="Tìm", exact=True).click()
    await page.wait_for_url("**tinh_trang=done**")
    assert await page.locator('[data-figure="found"]').inner_text() == "Tìm thấy 1 nhiệm vụ"
    await page.locator("ul.found a").first.click()
    await page.wait_for_url("**/web/viec/*")
    await context.close()
