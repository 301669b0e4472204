"""The operator's view of a running dondoc, end to end against the fake Bot API:
``/metrics`` counts a storm exactly (sent, refused, retried), and ``/healthz`` turns
unhealthy while the API is down for a minute, and healthy again after."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import timedelta
from pathlib import Path

import aiohttp
import httpx
import pytest
from aiohttp import web
from sqlalchemy import func, select

from bot.config import Config
from bot.runner import run_bot
from models.outbox import OutboxItem
from scheduler.clock import Clock
from tests.fakes.telegram_api import FakeTelegram
from tests.storm_seed import AT, FIRST_CHAT, OCCURRENCE, seed_storm
from tests.test_runner import config_for, free_port

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def monitored(tg: FakeTelegram, database_url: str, tmp_path: Path) -> tuple[Config, int]:
    config = config_for(tg, database_url, global_rate=500.0)
    port = free_port()
    config.monitoring.enabled, config.monitoring.port = True, port
    config.monitoring.min_free_mb = 0
    config.evidence.folder = str(tmp_path / "evidence")
    return config, port


async def get(port: int, path: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=15) as http:
        return await http.get(f"http://127.0.0.1:{port}{path}")


async def until(check, timeout: float = 20.0):  # noqa: ANN001, ANN201
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        try:
            found = await check()
        except httpx.HTTPError:
            found = None
        if found:
            return found
        if loop.time() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.1)


def sample(text: str, name: str, **labels: str) -> float:
    label = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = re.escape(name) + (r"\{" + re.escape(label) + r"\}" if label else "") + r" (\S+)"
    match = re.search(r"^" + pattern + r"$", text, re.M)
    assert match, f"{name}{{{label}}} not in /metrics"
    return float(match.group(1))


async def test_metrics_count_a_storm_exactly(sessions, database_url, tmp_path) -> None:  # noqa: ANN001
    people = 120
    chats = await seed_storm(sessions, people)
    blocked = chats[:3]
    async with FakeTelegram() as tg:
        for chat in blocked:
            tg.block_user(chat)
        tg.fail_next("sendMessage", status=429, retry_after=1)
        config, port = monitored(tg, database_url, tmp_path)
        stop = asyncio.Event()
        runner = asyncio.create_task(run_bot(config, Clock.starting_at(AT + timedelta(minutes=1)), stop=stop))
        typing = chats[10:15]  # five officers write after their reminder
        try:
            async def settled() -> bool:
                async with sessions() as session:
                    open_rows = await session.scalar(
                        select(func.count()).select_from(OutboxItem).where(
                            OutboxItem.state.in_(("pending", "sending")), OutboxItem.occurrence == OCCURRENCE
                        )
                    )
                return open_rows == 0
            await until(settled, timeout=60)
            for chat in typing:
                tg.send_text(chat, "/viec")
            await until(lambda: asyncio.sleep(0, all(len(tg.messages_to(c)) == 2 for c in typing)))
            page = (await get(port, "/metrics")).text
        finally:
            stop.set()
            assert await asyncio.wait_for(runner, 30) == 0
    quiet = [m for m in tg.sent if m.chat_id >= FIRST_CHAT and m.chat_id not in typing]
    assert len(quiet) == people - len(blocked) - len(typing)  # one reminder each
    assert sample(page, "dondoc_messages_sent_total", channel="telegram") == people - len(blocked)
    assert sample(page, "dondoc_messages_failed_total", channel="telegram") == len(blocked)
    assert sample(page, "dondoc_messages_retried_total", channel="telegram") == 1
    assert sample(page, "dondoc_outbox_rows", state="sent") == people - len(blocked)
    assert sample(page, "dondoc_updates_handled_total", channel="telegram") == len(typing)
    assert sample(page, "dondoc_update_seconds_count", channel="telegram") == len(typing)
    assert sample(page, "dondoc_outbox_due_unsent") == 0
    assert sample(page, "dondoc_outbox_lag_seconds") == 0


class Gateway:
    """The road between dondoc and the fake Bot API: forwards every request, or, while
    ``down``, answers 502 as a gateway does when the API cannot be reached."""

    def __init__(self, target: FakeTelegram) -> None:
        self.target, self.down = target, False
        self._runner: web.AppRunner | None = None
        self.port = free_port()

    async def _forward(self, request: web.Request) -> web.StreamResponse:
        if self.down:
            return web.Response(status=502, text="Bad Gateway")
        url = f"http://127.0.0.1:{self.target.port}{request.rel_url}"
        headers = {k: v for k, v in request.headers.items() if k.lower() == "content-type"}
        async with aiohttp.ClientSession() as http, http.request(
            request.method, url, data=await request.read(), headers=headers
        ) as answer:
            body = await answer.read()
            return web.Response(status=answer.status, body=body, content_type=answer.content_type)

    async def __aenter__(self) -> Gateway:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()


async def test_health_is_unhealthy_while_the_api_is_down_and_healthy_after(sessions, database_url, tmp_path) -> None:  # noqa: ANN001
    await seed_storm(sessions, 5)
    async with FakeTelegram() as tg, Gateway(tg) as gateway:
        config, port = monitored(tg, database_url, tmp_path)
        config.telegram.base_url = f"http://127.0.0.1:{gateway.port}/bot"
        config.monitoring.channel_grace = 30
        clock = Clock.starting_at(AT + timedelta(minutes=1))
        stop = asyncio.Event()
        runner = asyncio.create_task(run_bot(config, clock, stop=stop))
        try:
            async def healthy() -> dict | None:
                answer = await get(port, "/healthz")
                return answer.json() if answer.status_code == 200 else None
            async def all_sent() -> dict | None:
                report = await healthy()
                return report if report and report["outbox"]["by_state"].get("sent") == 5 else None
            report = await until(all_sent)
            assert report["healthy"] and report["channels"]["telegram"]["ok"]
            assert report["database"]["schema"]["up_to_date"]
            assert report["outbox"]["by_state"].get("sent") == 5
            # The API goes away: a blip within the grace is still healthy...
            gateway.down = True
            answer = await get(port, "/healthz")
            assert answer.status_code == 200, answer.text
            assert answer.json()["channels"]["telegram"]["last_error"]
            # ...a minute without contact is not.
            clock.move_to(clock.now() + timedelta(seconds=61))
            answer = await get(port, "/healthz")
            assert answer.status_code == 503, answer.text
            problems = answer.json()["problems"]
            assert any("Kênh telegram không liên lạc được" in p for p in problems), problems
            assert tg.token not in answer.text
            # The API comes back: healthy again.
            gateway.down = False
            report = await until(healthy)
            assert report["channels"]["telegram"]["ok"]
        finally:
            stop.set()
            assert await asyncio.wait_for(runner, 30) == 0
    assert json.dumps(report)  # the report is plain JSON
