"""dondoc's monitoring server (``[monitoring] enabled``): ``GET /healthz`` answers the
health report as JSON, 200 when healthy and 503 when not, and ``GET /metrics`` the
Prometheus text format. Nothing else is served; no request reads a body."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channel_watch import ChannelWatch
from bot.config import Config
from bot.health import check_health
from bot.metrics import CONTENT_TYPE, Metrics
from models.db import session_factory
from models.outbox_stats import outbox_figures
from scheduler.clock import Clock

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger(__name__)


class OpsServer:
    def __init__(self, config: Config, clock: Clock, engine: AsyncEngine,
                 watch: ChannelWatch, metrics: Metrics) -> None:  # fmt: skip
        self.config, self.clock, self.engine = config, clock, engine
        self.watch, self.metrics = watch, metrics
        self._runner: web.AppRunner | None = None

    async def healthz(self, _request: web.Request) -> web.Response:
        from aiohttp import web

        report = await check_health(self.config, self.clock.now(), self.watch, engine=self.engine)
        return web.Response(
            status=200 if report["healthy"] else 503,
            text=json.dumps(report, ensure_ascii=False, default=str),
            content_type="application/json",
            charset="utf-8",
            headers={"Cache-Control": "no-store"},
        )

    async def metrics_page(self, _request: web.Request) -> web.Response:
        from aiohttp import web

        now = self.clock.now()
        try:
            async with session_factory(self.engine)() as session:
                self.metrics.observe_outbox(await outbox_figures(session, now), now)
        except Exception:  # the counters are still worth serving
            log.exception("reading the outbox for /metrics failed")
        return web.Response(
            body=self.metrics.exposition(), headers={"Content-Type": CONTENT_TYPE}
        )

    async def start(self) -> None:
        from aiohttp import web

        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/metrics", self.metrics_page)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        settings = self.config.monitoring
        await web.TCPSite(self._runner, settings.listen, settings.port).start()
        log.info("monitoring on port %s: /healthz, /metrics", self.bound_port)

    @property
    def bound_port(self) -> int | None:
        if self._runner is None or not self._runner.addresses:
            return None
        return int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
