"""The web view in tests: a ``Harness`` with the sample plan and people, a ``Gate`` on
its database and clock, and the real aiohttp application behind a real TCP server
(aiohttp's test server), so requests go over HTTP with cookies like a browser's."""

from __future__ import annotations

import json
import re
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.download_links import PATH_PREFIX, DownloadShelf
from bot.file_server import add_download_routes
from handlers.context import Services
from models.invites import find_person
from models.people import Membership, Organization
from tests.harness import Harness
from web.gate import Gate, WebSettings
from web.security import init_data_hash
from web.server import make_app

BOT_TOKEN = "123456:TEST-token-for-the-mini-app"
SECRET = b"w" * 32
SHELF = web.AppKey("test shelf", DownloadShelf)
LINK = re.compile(r"https?://\S+/web/vao/\S+")


@dataclass
class Site:
    bot: Harness
    gate: Gate
    client: TestClient

    async def link_for(self, user: str) -> str:
        """The path of the sign-in link /web gives ``user`` in a private chat."""
        replies = await self.bot.say(user, "/web")
        found = LINK.search(replies[0].text)
        assert found, replies[0].text
        return "/" + found.group(0).split("/", 3)[3]

    async def sign_in(self, user: str) -> None:
        path = await self.link_for(user)
        answer = await self.client.post(path, allow_redirects=False)
        assert answer.status == 303, await answer.text()

    async def csrf(self) -> str:
        page = await (await self.client.get("/web/")).text()
        found = re.search(r'name="csrf" value="([^"]+)"', page)
        assert found, page
        return found.group(1)


def init_data(user_id: int, auth_date: int | None = None, token: str = BOT_TOKEN) -> str:
    """``initData`` as Telegram signs it for ``user_id``."""
    fields = {
        "query_id": "AAH-test",
        "user": json.dumps({"id": user_id, "first_name": "Lan", "language_code": "vi"}),
        "auth_date": str(auth_date if auth_date is not None else int(time.time())),
    }
    fields["hash"] = init_data_hash(token, fields)
    return urlencode(fields)


async def build_site(sessions, clock, *, channel: str = "telegram") -> Site:  # noqa: ANN001
    bot = Harness(sessions, clock, channel=channel)
    await bot.import_sample()
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    await bot.register("hung", "leader")
    await bot.register("mai", "viewer")
    app = make_app_for(bot)
    client = TestClient(TestServer(app, port=0))
    await client.start_server()
    public = str(client.make_url("")).rstrip("/")
    gate = bot.conversation.services.web
    assert isinstance(gate, Gate)
    gate.settings = WebSettings(public, SECRET, BOT_TOKEN)  # the port is known now
    app[SHELF].public_url = public + PATH_PREFIX
    return Site(bot, gate, client)


def make_app_for(bot: Harness):  # noqa: ANN201 - an aiohttp Application
    services: Services = bot.conversation.services
    gate = Gate(WebSettings("http://127.0.0.1", SECRET, BOT_TOKEN), services.sessions, services.clock)
    services.web = gate
    shelf = DownloadShelf(
        Path(tempfile.mkdtemp(prefix="dondoc-web-shelf-")), "", SECRET, services.clock,
        lifetime=timedelta(minutes=10),
    )
    app = make_app(services, gate, shelf)
    add_download_routes(app, shelf)
    app[SHELF] = shelf
    return app


async def person_id(bot: Harness, user: str) -> int:
    async with bot.sessions() as session:
        person = await find_person(session, bot.channel, user)
        assert person is not None
        return person.id


async def follow_other_commune(bot: Harness, user: str) -> int:
    """Give ``user`` a viewer's grant on a second commune; its id."""
    async with bot.sessions() as session, session.begin():
        other = Organization(name="Phường Hai", created_at=bot.clock.now())
        session.add(other)
        await session.flush()
        person = await find_person(session, bot.channel, user)
        session.add(Membership(person_id=person.id, organization_id=other.id, role="viewer"))
        return other.id


async def memberships(bot: Harness, user: str) -> list[Membership]:
    async with bot.sessions() as session:
        pid = await person_id(bot, user)
        return list(await session.scalars(select(Membership).where(Membership.person_id == pid)))
