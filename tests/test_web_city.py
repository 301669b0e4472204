"""The city page, search and a viewer's task pages over real HTTP (aiohttp's test
server): who gets which page (a viewer sees the communes they follow and no other,
404 otherwise), the figures beside ``dondoc progress --json``, sorting by the header's
links, the month-by-month trend, and search by /tim's rules with its filters."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from models.people import Membership, Unit
from models.plan_store import find_organization
from models.plans import Plan
from models.queries import list_tasks
from tests.harness import ORG
from tests.web_support import Site, build_site, follow_other_commune, person_id

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
async def site(sessions, clock, database_url) -> AsyncIterator[Site]:  # noqa: ANN001
    clock.move_to(datetime(2026, 7, 15, 2, 0, tzinfo=UTC))  # some tasks overdue, some done
    built = await build_site(sessions, clock)
    await built.bot.say("lan", "/capnhat 1 Hoàn thành")
    built.database_url = database_url  # type: ignore[attr-defined]
    yield built
    await built.client.close()


def cli_progress(database_url: str, as_of: str) -> dict[str, object]:
    """``dondoc progress --json``, run as the command it is."""
    out = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--db", database_url, "--json", "progress", "--org", ORG, "--as-of", as_of],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    return json.loads(out.stdout)


async def org_id(site: Site) -> int:
    async with site.bot.sessions() as session:
        return (await find_organization(session, ORG)).id


def figure(page: str, org: int, key: str) -> str:
    row = re.search(rf'<tr data-org="{org}">(.*?)</tr>', page, re.S)
    assert row, page
    found = re.search(rf'data-figure="{key}">([^<]*)', row.group(1))
    assert found, row.group(1)
    return found.group(1).strip()


async def get(site: Site, path: str) -> tuple[int, str]:
    answer = await site.client.get(path, allow_redirects=False)
    return answer.status, await answer.text()


async def test_the_city_page_shows_progress_figures_for_each_commune(site: Site) -> None:
    await follow_other_commune(site.bot, "mai")
    await site.sign_in("mai")
    status, page = await get(site, "/web/thanhpho")
    assert status == 200 and 'lang="vi"' in page and "Tiến độ các xã/phường" in page
    expected = await asyncio.to_thread(cli_progress, site.database_url, "2026-07-15")
    org = await org_id(site)
    assert int(figure(page, org, "total")) == expected["total"]
    done = expected["done_on_time"] + expected["done_late"]
    assert figure(page, org, "done") == str(done)
    assert int(figure(page, org, "overdue")) == expected["overdue"]
    assert figure(page, org, "last") == "15/07/2026"  # lan's report this morning
    assert "Phường Hai" in page  # followed, no plan yet: a row of zeros
    # The trend: January to July, July being the table's own figures.
    months = re.findall(r'<tr data-month="(\d+)"><td>[^<]*</td><td>(\d+)/(\d+)</td>', page)
    assert [int(m) for m, _d, _t in months] == list(range(1, 8))
    assert (int(months[-1][1]), int(months[-1][2])) == (done, expected["total"])
    june = await asyncio.to_thread(cli_progress, site.database_url, "2026-06-30")
    assert int(months[5][1]) == june["done_on_time"] + june["done_late"]


async def test_the_header_links_sort_on_the_server(site: Site) -> None:
    other = await follow_other_commune(site.bot, "mai")
    org = await org_id(site)
    await site.sign_in("mai")
    order = {}
    for query in (
        "?xep=ten&chieu=tang",
        "?xep=ten&chieu=giam",
        "?xep=quahan&chieu=giam",
        "?xep=quahan&chieu=tang",
        "?xep=khong-co",
    ):
        page = (await get(site, "/web/thanhpho" + query))[1]
        order[query] = [int(x) for x in re.findall(r'<tr data-org="(\d+)">', page)]
    assert order["?xep=ten&chieu=tang"] == [other, org]  # "Phường Hai" before "Xã …"
    assert order["?xep=ten&chieu=giam"] == [org, other]
    assert order["?xep=quahan&chieu=giam"] == [org, other]  # ours has overdue tasks
    assert order["?xep=quahan&chieu=tang"] == [other, org]
    assert order["?xep=khong-co"] == order["?xep=quahan&chieu=giam"]  # unknown: the default
    page = (await get(site, "/web/thanhpho?xep=ten&chieu=tang"))[1]
    assert 'href="?xep=ten&amp;chieu=giam"' in page and 'aria-sort="ascending"' in page


@pytest.mark.parametrize("user", ["hung", "lan"])
async def test_only_viewers_have_the_city_page(site: Site, user: str) -> None:
    await site.sign_in(user)
    assert (await get(site, "/web/thanhpho"))[0] == 404
    assert "/web/thanhpho" not in (await get(site, "/web/tim"))[1]  # nor its link


async def test_a_viewer_of_b_only_sees_b_and_gets_404_for_a(site: Site) -> None:
    other = await follow_other_commune(site.bot, "mai")
    org = await org_id(site)
    pid = await person_id(site.bot, "mai")
    async with site.bot.sessions() as session, session.begin():
        await session.execute(
            delete(Membership).where(Membership.person_id == pid, Membership.organization_id == org)
        )
    await site.sign_in("mai")
    page = (await get(site, "/web/thanhpho"))[1]
    assert re.findall(r'<tr data-org="(\d+)">', page) == [str(other)]
    async with site.bot.sessions() as session:
        task = (await list_tasks(session, await find_organization(session, ORG)))[0]
        plan = await session.scalar(select(Plan.id))
        unit = await session.scalar(select(Unit.id).where(Unit.organization_id == org))
    assert (await get(site, f"/web/xa/{org}"))[0] == 404
    assert (await get(site, f"/web/viec/{task.id}"))[0] == 404
    for query in (f"xa={org}", f"ke_hoach={plan}", f"don_vi={unit}", "xa=abc", "ke_hoach=99999"):
        assert (await get(site, f"/web/tim?q=ke+hoach&{query}"))[0] == 404, query
    status, found = await get(site, "/web/tim?q=ke+hoach")
    assert status == 200 and "Tìm thấy 0 nhiệm vụ" in found


async def test_a_viewer_reads_the_task_pages_of_the_commune_they_follow(site: Site) -> None:
    await site.sign_in("mai")
    async with site.bot.sessions() as session:
        tasks = await list_tasks(session, await find_organization(session, ORG))
    status, page = await get(site, f"/web/viec/{tasks[0].id}")
    assert status == 200 and "Lịch sử" in page and "Hoàn thành" in page
    assert page.count("<form") == 1 and "/web/thoat" in page  # read-only: only sign-out
    commune = (await get(site, f"/web/xa/{await org_id(site)}"))[1]
    assert "/web/viec/" in commune  # the overdue and next tasks link to their pages


async def test_search_follows_tim_and_links_what_the_person_may_open(site: Site) -> None:
    await site.sign_in("lan")  # an officer of Phòng Văn hóa - Xã hội
    chat = (await site.bot.say("lan", "/tim tuyen truyen"))[0].text
    count = int(re.search(r"Tìm thấy (\d+) nhiệm vụ", chat).group(1))
    status, page = await get(site, "/web/tim?q=tuyen+truyen")
    assert status == 200 and f"Tìm thấy {count} nhiệm vụ" in page and count > 0
    async with site.bot.sessions() as session:
        org = await find_organization(session, ORG)
        mine = {
            t.id
            for t in await list_tasks(
                session, org, unit_ids=[await unit_id(session, "Phòng Văn hóa - Xã hội")]
            )
        }
        every = await list_tasks(session, org)
    found = [int(x) for x in re.findall(r'<li data-task="(\d+)">', page)]
    linked = {int(x) for x in re.findall(r'href="/web/viec/(\d+)"', page)}
    assert linked == {t for t in found if t in mine}  # the others are shown, not linked
    # Filters alone list tasks: a unit, a status, a deadline month.
    unit = await unit_id_of(site, "Phòng Kinh tế")
    page = (await get(site, f"/web/tim?don_vi={unit}"))[1]
    led = [
        t
        for t in every
        if unit in {u.id for link in [t] for u in link.units("lead") + link.units("cooperating")}
    ]
    assert f"Tìm thấy {len(led)} nhiệm vụ" in page
    done = (await get(site, "/web/tim?tinh_trang=done"))[1]
    assert "Tìm thấy 1 nhiệm vụ" in done
    month = next(t.deadline_due for t in every if t.deadline_due)
    due_then = [
        t
        for t in every
        if t.deadline_due
        and (t.deadline_due.year, t.deadline_due.month) == (month.year, month.month)
    ]
    page = (await get(site, f"/web/tim?thang={month:%Y-%m}"))[1]
    assert f"Tìm thấy {len(due_then)} nhiệm vụ" in page
    long = (await get(site, "/web/tim?q=" + "a" * 101))[1]
    assert "Từ khóa dài quá" in long
    empty = (await get(site, "/web/tim"))[1]
    assert "Tìm thấy" not in empty and 'name="q"' in empty


async def unit_id(session, name: str) -> int:  # noqa: ANN001
    return await session.scalar(select(Unit.id).where(Unit.name == name))


async def unit_id_of(site: Site, name: str) -> int:
    async with site.bot.sessions() as session:
        return await unit_id(session, name)


async def test_pages_in_english_for_english_speakers(site: Site) -> None:
    await site.bot.say("mai", "/ngonngu en")
    await site.sign_in("mai")
    page = (await get(site, "/web/thanhpho"))[1]
    assert (
        'lang="en"' in page
        and "Progress of the communes" in page
        and "Tiến độ các xã/phường" not in page
    )
    search = (await get(site, "/web/tim?q=tuyen+truyen"))[1]
    assert "Search tasks" in search and "Tìm nhiệm vụ" not in search


async def test_the_commune_page_words_the_categories_as_documents_do(site: Site) -> None:
    """A continuous task being carried out is counted done on time and said so on its
    own line, as /tiendo and Biểu mẫu 1 say it (``documents.category_words``)."""
    replies = await site.bot.say("hung", "/capnhat 18 Đang thực hiện")
    assert "Xin lỗi" not in replies[0].text, replies[0].text
    await site.sign_in("hung")
    page = (await get(site, f"/web/xa/{await org_id(site)}"))[1]
    expected = await asyncio.to_thread(cli_progress, site.database_url, "2026-07-15")
    assert expected["continuing"] >= 1
    line = re.search(r'<tr class="inner"><th scope="row">([^<]*)</th><td data-figure="continuing">(\d+)<', page)
    assert line and "đã thực hiện và tiếp tục thực hiện" in line.group(1), page
    assert int(line.group(2)) == expected["continuing"]
    for key in ("done_on_time", "done_late", "overdue", "in_progress"):  # the official four
        assert int(re.search(rf'data-figure="{key}">(\d+)<', page).group(1)) == expected[key]
    assert "Nhiệm vụ thường xuyên, định kỳ" not in page  # no count of our own


async def test_ended_months_are_kept_and_today_moves(site: Site) -> None:
    await site.sign_in("mai")
    first = (await get(site, "/web/thanhpho"))[1]
    await site.bot.say("lan", "/capnhat 6 Hoàn thành")  # recorded today: July moves, June stays
    second = (await get(site, "/web/thanhpho"))[1]

    def months(page: str) -> list[tuple[int, int]]:
        found = re.findall(r'<tr data-month="\d+"><td>[^<]*</td><td>(\d+)/(\d+)</td>', page)
        return [(int(d), int(t)) for d, t in found]

    assert months(second)[:6] == months(first)[:6]
    assert months(second)[6][0] == months(first)[6][0] + 1
    june = await asyncio.to_thread(cli_progress, site.database_url, "2026-06-30")
    assert months(second)[5] == (june["done_on_time"] + june["done_late"], june["total"])
