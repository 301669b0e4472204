"""Getting into the web view over real HTTP (aiohttp's test server): the /web link
opens a session once, within 15 minutes, for its person only; the Mini App's initData
is checked as Telegram specifies; sign-out needs the CSRF token; every URL naming a
commune, task or file is checked against the chat's permissions."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select

from models.people import Membership
from models.plan_store import find_organization
from models.queries import list_tasks
from tests.harness import ORG
from tests.web_support import (
    BOT_TOKEN,
    Site,
    follow_other_commune,
    init_data,
    person_id,
)
from web.security import Refused, check_init_data


async def org_id(site: Site) -> int:
    async with site.bot.sessions() as session:
        return (await session.scalars(select(Membership.organization_id))).first()


async def a_task(site: Site, *, unit_leads: bool) -> int:
    """A task the officer's unit leads (or one it has no part in)."""
    async with site.bot.sessions() as session:
        org = await find_organization(session, ORG)
        tasks = await list_tasks(session, org)
        for task in tasks:
            names = {link.unit.name for link in task.unit_links}
            if ("Phòng Văn hóa - Xã hội" in names) == unit_leads:
                return task.id
    raise AssertionError("no such task")


async def test_the_link_opens_a_session_once(site: Site) -> None:
    path = await site.link_for("hung")
    landing = await site.client.get(path)
    assert landing.status == 200  # a preview fetching the link uses nothing up
    assert landing.headers["X-Frame-Options"] == "DENY"
    assert landing.headers["Referrer-Policy"] == "no-referrer"
    opened = await site.client.post(path, allow_redirects=False)
    assert opened.status == 303 and opened.headers["Location"] == "/web/"
    cookie = opened.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/web" in cookie
    home = await site.client.get("/web/", allow_redirects=False)
    assert home.status == 303
    page = await site.client.get(home.headers["Location"])
    text = await page.text()
    assert page.status == 200 and "Hoàn thành:" in text and 'lang="vi"' in text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    site.client.session.cookie_jar.clear()
    again = await site.client.post(path, allow_redirects=False)
    assert again.status == 403 and "đã được dùng" in await again.text()


async def test_an_expired_link_and_a_tampered_link_open_nothing(site: Site) -> None:
    path = await site.link_for("hung")
    tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    refused = await site.client.post(tampered, allow_redirects=False)
    assert refused.status == 403 and "không hợp lệ" in await refused.text()
    site.bot.clock.move_to(site.bot.clock.now() + timedelta(minutes=15, seconds=1))
    late = await site.client.post(path, allow_redirects=False)
    assert late.status == 403 and "hết hạn" in await late.text()


async def test_without_a_session_every_page_says_to_ask_again(site: Site) -> None:
    for path in ("/web/", f"/web/xa/{await org_id(site)}", "/web/viec/1", "/web/tep/1"):
        answer = await site.client.get(path, allow_redirects=False)
        assert answer.status == 401, path
        assert "/web" in await answer.text()


async def test_an_officer_sees_their_units_tasks_and_not_the_others(site: Site) -> None:
    await site.sign_in("lan")
    own, other = await a_task(site, unit_leads=True), await a_task(site, unit_leads=False)
    assert (await site.client.get(f"/web/viec/{own}")).status == 200
    hidden = await site.client.get(f"/web/viec/{other}")
    assert hidden.status == 404
    assert (await site.client.get("/web/viec/999999")).status == 404  # same answer
    page = await (await site.client.get(f"/web/xa/{await org_id(site)}")).text()
    assert "Phòng Văn hóa - Xã hội" in page


async def test_a_leader_sees_every_task_of_the_commune(site: Site) -> None:
    await site.sign_in("hung")
    for unit_leads in (True, False):
        task = await a_task(site, unit_leads=unit_leads)
        assert (await site.client.get(f"/web/viec/{task}")).status == 200


async def test_a_viewer_of_one_commune_cannot_open_another(site: Site) -> None:
    other = await follow_other_commune(site.bot, "hung")
    await site.sign_in("mai")
    assert (await site.client.get(f"/web/xa/{await org_id(site)}")).status == 200
    assert (await site.client.get(f"/web/xa/{other}")).status == 404
    task = await a_task(site, unit_leads=True)
    assert (await site.client.get(f"/web/viec/{task}")).status == 200  # read-only (tests/test_web_city.py)


async def test_a_removed_person_is_let_in_no_more(site: Site) -> None:
    await site.sign_in("lan")
    pending = await site.link_for("lan")
    assert (await site.client.get("/web/", allow_redirects=False)).status == 303
    pid = await person_id(site.bot, "lan")
    async with site.bot.sessions() as session, session.begin():
        await session.execute(delete(Membership).where(Membership.person_id == pid))
    assert (await site.client.get("/web/", allow_redirects=False)).status == 401
    refused = await site.client.post(pending, allow_redirects=False)
    assert refused.status == 403


async def test_a_changed_role_ends_the_session(site: Site) -> None:
    await site.sign_in("lan")
    pid = await person_id(site.bot, "lan")
    async with site.bot.sessions() as session, session.begin():
        row = await session.scalar(select(Membership).where(Membership.person_id == pid))
        row.role = "leader"
    assert (await site.client.get("/web/", allow_redirects=False)).status == 401


async def test_sign_out_needs_the_csrf_token(site: Site) -> None:
    await site.sign_in("hung")
    missing = await site.client.post("/web/thoat", data={}, allow_redirects=False)
    assert missing.status == 403
    assert (await site.client.get("/web/", allow_redirects=False)).status == 303  # still in
    token = await site.csrf()
    out = await site.client.post("/web/thoat", data={"csrf": token}, allow_redirects=False)
    assert out.status == 303 and out.headers["Location"] == "/web/ra"
    assert (await site.client.get("/web/", allow_redirects=False)).status == 401


async def test_the_session_lasts_eight_hours(site: Site) -> None:
    await site.sign_in("hung")
    site.bot.clock.move_to(site.bot.clock.now() + timedelta(hours=8, seconds=1))
    assert (await site.client.get("/web/", allow_redirects=False)).status == 401


async def test_the_link_is_not_given_in_a_group(site: Site) -> None:
    replies = await site.bot.say("hung", "/web", chat_type="group")
    assert "/web/vao/" not in replies[0].text and "riêng" in replies[0].text


async def test_mini_app_init_data_opens_a_session(site: Site) -> None:
    lan = await telegram_officer(site)
    answer = await site.client.post("/web/telegram", data={"initData": init_data(lan)})
    assert answer.status == 200 and (await answer.json())["ok"]
    assert (await site.client.get("/web/", allow_redirects=False)).status == 303


async def telegram_officer(site: Site) -> int:
    """A Telegram user (a numeric id, as Telegram's) registered as an officer; the
    clock set to the real time, since initData is signed with it."""
    await site.bot.register("7001", "officer", "Phòng Văn hóa - Xã hội")
    site.bot.clock.move_to(datetime.now(UTC))
    return 7001


@pytest.mark.parametrize("case", ["tampered", "stale", "other bot", "stranger"])
async def test_mini_app_refusals(site: Site, case: str) -> None:
    now = int(time.time())
    lan = await telegram_officer(site)
    data = {
        "tampered": init_data(lan).replace("Lan", "Hung"),
        "stale": init_data(lan, auth_date=now - 86_400 - 1),
        "other bot": init_data(lan, token="999:another-bot"),
        "stranger": init_data(424242),
    }[case]
    answer = await site.client.post("/web/telegram", data={"initData": data})
    assert answer.status == 403
    assert (await site.client.get("/web/", allow_redirects=False)).status == 401


def test_init_data_check_is_telegrams() -> None:
    now = datetime.now(UTC)
    user = check_init_data(BOT_TOKEN, init_data(77), now)
    assert user.id == 77
    with pytest.raises(Refused):
        check_init_data(BOT_TOKEN, init_data(77) + "&user=x", now)  # a key twice
    with pytest.raises(Refused) as stale:
        check_init_data(BOT_TOKEN, init_data(77, int(now.timestamp()) - 90_000), now)
    assert stale.value.reason == "expired"


async def test_evidence_goes_out_through_the_signed_shelf(site: Site) -> None:
    from handlers.messages import Attachment
    from models.evidence import EvidenceFile

    data = b"%PDF-1.7\n" + b"quyet dinh 12/QD-UBND " * 50 + b"\n%%EOF"
    await site.bot.say("lan", "/viec 1")
    await site.bot.say("lan", "Hoàn thành, QĐ số 12/QĐ-UBND", attachment=Attachment("QD-12.pdf", data, "document", ref="console:QD-12.pdf"))
    async with site.bot.sessions() as session:
        row = await session.scalar(select(EvidenceFile))
        assert row is not None
    await site.sign_in("lan")
    page = await (await site.client.get(f"/web/viec/{row.task_id}")).text()
    assert f"/web/tep/{row.id}" in page and "QD-12.pdf" in page
    sent = await site.client.get(f"/web/tep/{row.id}", allow_redirects=False)
    assert sent.status == 303 and "/tep/" in sent.headers["Location"]
    got = await site.client.get("/" + sent.headers["Location"].split("/", 3)[3])
    assert got.status == 200 and await got.read() == data
    site.client.session.cookie_jar.clear()
    await site.sign_in("mai")  # a viewer of the commune reads its tasks and their files
    assert (await site.client.get(f"/web/tep/{row.id}", allow_redirects=False)).status == 303


async def test_english_speakers_get_english_pages(site: Site) -> None:
    await site.bot.say("hung", "/ngonngu en")
    await site.sign_in("hung")
    page = await site.client.get(f"/web/xa/{await org_id(site)}")
    text = await page.text()
    assert 'lang="en"' in text and "Sign out" in text and "Đăng xuất" not in text
