"""A leader's actions on the web view over real HTTP (aiohttp's test server): approving
and rejecting an extension, nudging a unit, giving an instruction. Each is recorded as
the chat records it (the same history rows, the same outbox notices); without the
CSRF token, for a task out of sight or by someone who is not a leader, nothing
changes; a second submit records nothing twice."""

from __future__ import annotations

import asyncio
import re
from datetime import date

import pytest
from sqlalchemy import select

from models.outbox import OutboxItem
from models.plan_store import find_organization
from models.plans import StatusUpdate, Task
from models.queries import list_tasks
from tests.conftest import BACKENDS
from tests.harness import ORG
from tests.web_support import Site, follow_other_commune

TASK = "6"  # led by Phòng Văn hóa - Xã hội (Lan's unit), due 31/03/2026


async def task_of(site: Site, number: str) -> Task:
    async with site.bot.sessions() as session:
        org = await find_organization(session, ORG)
        for task in await list_tasks(session, org):
            if task.number == number:
                return task
    raise AssertionError(number)


async def rows(site: Site, task_id: int, *kinds: str) -> list[StatusUpdate]:
    async with site.bot.sessions() as session:
        found = await session.scalars(
            select(StatusUpdate)
            .where(StatusUpdate.task_id == task_id, StatusUpdate.kind.in_(kinds))
            .order_by(StatusUpdate.id)
        )
        return list(found)


async def notices(site: Site, task_id: int, kind: str) -> list[OutboxItem]:
    async with site.bot.sessions() as session:
        found = await session.scalars(
            select(OutboxItem).where(OutboxItem.task_id == task_id, OutboxItem.kind == kind)
        )
        return list(found)


async def page_csrf(site: Site, task_id: int) -> tuple[str, str]:
    page = await (await site.client.get(f"/web/viec/{task_id}")).text()
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token, page
    return page, token.group(1)


async def asked_extension(site: Site) -> tuple[int, int]:
    replies = await site.bot.say("lan", f"/giahan {TASK} 20/4 chờ hướng dẫn của Sở")
    assert "Xin gia hạn đến 20/04/2026" in replies[0].text, replies[0].text
    task = await task_of(site, TASK)
    request = (await rows(site, task.id, "extension_request"))[-1]
    return task.id, request.id


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_a_leader_approves_an_extension_from_the_page(site: Site) -> None:
    task_id, request_id = await asked_extension(site)
    await site.sign_in("hung")
    page, csrf = await page_csrf(site, task_id)
    assert "Đề nghị gia hạn đến 20/04/2026" in page and 'action="/web/viec/' in page
    form = {"csrf": csrf, "request": str(request_id), "decision": "approve", "note": "Đồng ý, hoàn thành trước 20/4"}
    answer = await site.client.post(f"/web/viec/{task_id}/giahan", data=form)
    text = await answer.text()
    assert answer.status == 200 and "Đã duyệt gia hạn nhiệm vụ 6 đến 20/04/2026" in text, text
    task = await task_of(site, TASK)
    assert task.deadline_due == date(2026, 4, 20) and task.original_due == date(2026, 3, 31)
    decided = await rows(site, task_id, "extension_approved")
    assert len(decided) == 1 and decided[0].channel == "web" and decided[0].reason == "Đồng ý, hoàn thành trước 20/4"
    told = await notices(site, task_id, "extension_decision")
    assert len(told) == 1 and told[0].occurrence == str(request_id)
    history = await (await site.client.get(f"/web/viec/{task_id}")).text()
    assert "Đồng ý gia hạn đến 20/04/2026 — Đồng ý, hoàn thành trước 20/4" in history
    assert "Đề nghị gia hạn đến" not in history  # nothing waits any more
    again = await site.client.post(f"/web/viec/{task_id}/giahan", data=form)  # a double submit
    assert again.status == 409 and "đã được Hung duyệt" in await again.text()
    assert len(await rows(site, task_id, "extension_approved", "extension_rejected")) == 1
    assert len(await notices(site, task_id, "extension_decision")) == 1


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_two_submits_at_once_record_one_decision(site: Site) -> None:
    task_id, request_id = await asked_extension(site)
    await site.sign_in("hung")
    _page, csrf = await page_csrf(site, task_id)
    form = {"csrf": csrf, "request": str(request_id), "decision": "approve", "note": "Đồng ý"}
    answers = await asyncio.gather(
        *(site.client.post(f"/web/viec/{task_id}/giahan", data=form) for _ in range(3))
    )
    assert sorted(a.status for a in answers) == [200, 409, 409]
    assert len(await rows(site, task_id, "extension_approved", "extension_rejected")) == 1
    assert len(await notices(site, task_id, "extension_decision")) == 1


async def test_an_approval_without_words_asks_for_no_next_message(site: Site) -> None:
    task_id, request_id = await asked_extension(site)
    await site.sign_in("hung")
    _page, csrf = await page_csrf(site, task_id)
    form = {"csrf": csrf, "request": str(request_id), "decision": "approve", "note": ""}
    answer = await (await site.client.post(f"/web/viec/{task_id}/giahan", data=form)).text()
    assert "Đã duyệt gia hạn nhiệm vụ 6 đến 20/04/2026 (hạn cũ 31/03/2026)." in answer
    assert "tin tiếp theo" not in answer
    decided = await rows(site, task_id, "extension_approved")
    assert [(d.reason, d.text) for d in decided] == [(None, "Duyệt gia hạn")]  # as /duyet 6 records it


async def test_a_rejection_needs_its_reason(site: Site) -> None:
    task_id, request_id = await asked_extension(site)
    await site.sign_in("hung")
    _page, csrf = await page_csrf(site, task_id)
    form = {"csrf": csrf, "request": str(request_id), "decision": "reject", "note": "  "}
    bare = await site.client.post(f"/web/viec/{task_id}/giahan", data=form)
    assert bare.status == 400 and "lý do từ chối" in await bare.text()
    assert await rows(site, task_id, "extension_rejected") == []
    form["note"] = "Cần hoàn thành đúng hạn theo chỉ đạo của UBND thành phố"
    answer = await site.client.post(f"/web/viec/{task_id}/giahan", data=form)
    assert answer.status == 200 and "Đã từ chối đề nghị gia hạn nhiệm vụ 6" in await answer.text()
    rejected = await rows(site, task_id, "extension_rejected")
    assert [r.reason for r in rejected] == [form["note"]]
    assert (await task_of(site, TASK)).deadline_due == date(2026, 3, 31)
    assert len(await notices(site, task_id, "extension_decision")) == 1


@pytest.mark.parametrize("csrf", ["missing", "wrong"])
async def test_without_the_csrf_token_nothing_changes(site: Site, csrf: str) -> None:
    task_id, request_id = await asked_extension(site)
    await site.sign_in("hung")
    form = {"request": str(request_id), "decision": "approve", "note": "", "text": "Khẩn trương"}
    if csrf == "wrong":
        form["csrf"] = "x" * 43
    for action in ("giahan", "nhac", "chidao"):
        answer = await site.client.post(f"/web/viec/{task_id}/{action}", data=form)
        assert answer.status == 403, action
    assert await rows(site, task_id, "extension_approved", "nudge", "instruction", "note") == []
    assert (await task_of(site, TASK)).deadline_due == date(2026, 3, 31)


async def test_an_officer_cannot_take_a_leaders_action(site: Site) -> None:
    task_id, request_id = await asked_extension(site)
    await site.bot.register("binh", "officer", "Phòng Văn hóa - Xã hội")
    await site.sign_in("binh")  # sees the task (their unit leads it), decides nothing
    page, csrf = await page_csrf(site, task_id)
    assert "/giahan" not in page and "/nhac" not in page and "/chidao" not in page
    form = {"csrf": csrf, "request": str(request_id), "decision": "approve", "text": "Khẩn trương"}
    for action in ("giahan", "nhac", "chidao"):
        answer = await site.client.post(f"/web/viec/{task_id}/{action}", data=form)
        assert answer.status == 403, action
    assert await rows(site, task_id, "extension_approved", "nudge", "instruction", "note") == []
    assert await notices(site, task_id, "nudge") == []


async def test_a_task_out_of_sight_is_not_found(site: Site) -> None:
    task_id, request_id = await asked_extension(site)
    await site.bot.register("minh", "officer", "Phòng Kinh tế")  # no part in task 6
    await site.sign_in("minh")
    csrf = await site.csrf()
    form = {"csrf": csrf, "request": str(request_id), "decision": "approve", "text": "x"}
    for action in ("giahan", "nhac", "chidao"):
        assert (await site.client.post(f"/web/viec/{task_id}/{action}", data=form)).status == 404
    assert (await site.client.post("/web/viec/999999/nhac", data=form)).status == 404
    assert await rows(site, task_id, "extension_approved", "nudge", "instruction") == []


async def test_a_viewer_reads_the_task_and_decides_nothing(site: Site) -> None:
    task_id, request_id = await asked_extension(site)
    await site.sign_in("mai")  # a viewer reads the task pages of the commune
    page, csrf = await page_csrf(site, task_id)
    assert "/giahan" not in page and "/nhac" not in page
    form = {"csrf": csrf, "request": str(request_id), "decision": "approve", "text": "x"}
    for action in ("giahan", "nhac", "chidao"):
        assert (await site.client.post(f"/web/viec/{task_id}/{action}", data=form)).status == 403
    other = await follow_other_commune(site.bot, "hung")
    assert (await site.client.get(f"/web/xa/{other}/diem")).status == 404
    assert await rows(site, task_id, "extension_approved", "nudge", "instruction") == []


async def test_a_leader_nudges_the_unit_once_a_day(site: Site) -> None:
    task = await task_of(site, TASK)
    await site.sign_in("hung")
    page, csrf = await page_csrf(site, task.id)
    assert f'action="/web/viec/{task.id}/nhac"' in page
    answer = await site.client.post(f"/web/viec/{task.id}/nhac", data={"csrf": csrf})
    assert answer.status == 200 and "Đã nhắc lại nhiệm vụ 6 cho Lan" in await answer.text()
    nudges = await rows(site, task.id, "nudge")
    assert len(nudges) == 1 and nudges[0].channel == "web"
    assert len(await notices(site, task.id, "nudge")) == 1
    again = await site.client.post(f"/web/viec/{task.id}/nhac", data={"csrf": csrf})
    assert again.status == 409 and "đã được nhắc lại hôm nay" in await again.text()
    assert len(await rows(site, task.id, "nudge")) == 1 and len(await notices(site, task.id, "nudge")) == 1
    history = await (await site.client.get(f"/web/viec/{task.id}")).text()
    assert "Đề nghị nhắc lại cán bộ phụ trách: Lan" in history


async def test_english_speakers_get_the_leader_pages_in_english(site: Site) -> None:
    await site.bot.say("hung", "/ngonngu en")
    task_id, _request_id = await asked_extension(site)
    await site.sign_in("hung")
    page, csrf = await page_csrf(site, task_id)
    assert 'lang="en"' in page and "Extension requested until 20/04/2026" in page and "Remind the unit" in page
    answer = await site.client.post(f"/web/viec/{task_id}/nhac", data={"csrf": csrf})
    assert answer.status == 200 and "Back to task 6" in await answer.text()
    org = (await site.client.get("/web/", allow_redirects=False)).headers["Location"]
    form = await (await site.client.get(org + "/baocao")).text()
    assert "Reporting period" in form and "Results appendix and Form 1 (Word)" in form


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_a_leader_gives_an_instruction_once(site: Site) -> None:
    task = await task_of(site, TASK)
    await site.sign_in("hung")
    _page, csrf = await page_csrf(site, task.id)
    words = "Đề nghị khẩn trương hoàn thành trước 20/3"
    answer = await site.client.post(f"/web/viec/{task.id}/chidao", data={"csrf": csrf, "text": words})
    assert answer.status == 200 and "Đã gửi ý kiến chỉ đạo về nhiệm vụ 6 cho Lan" in await answer.text()
    given = await rows(site, task.id, "instruction", "note")
    assert [(r.kind, r.text, r.channel) for r in given] == [("instruction", words, "web")]
    assert len(await notices(site, task.id, "instruction")) == 1
    again = await site.client.post(f"/web/viec/{task.id}/chidao", data={"csrf": csrf, "text": words})
    assert again.status == 409 and "không gửi lại" in await again.text()
    assert len(await rows(site, task.id, "instruction", "note")) == 1
    empty = await site.client.post(f"/web/viec/{task.id}/chidao", data={"csrf": csrf, "text": " "})
    assert empty.status == 400
    history = await (await site.client.get(f"/web/viec/{task.id}")).text()
    assert f"Chỉ đạo (đã gửi đơn vị): {words}" in history
