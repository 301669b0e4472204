"""The web view's aiohttp application and its server: the routes of ``web.entry``
and ``web.pages``, the static files, and the download shelf's ``/tep/`` route when the
shelf is the web view's own (evidence files go out through it)."""

from __future__ import annotations

import logging

from aiohttp import web

from handlers.context import FilePublisher, Services
from web import city_page, entry, pages, search_page
from web.app import HERE, SITE, Site, gatekeeper, templates
from web.gate import Gate

log = logging.getLogger(__name__)


def make_app(services: Services, gate: Gate, shelf: FilePublisher | None) -> web.Application:
    app = web.Application(middlewares=[gatekeeper], client_max_size=64 * 1024)
    app[SITE] = Site(services, gate, shelf, templates())
    entry.add_routes(app)
    pages.add_routes(app)
    city_page.add_routes(app)
    search_page.add_routes(app)
    app.router.add_static("/web/static", HERE / "static")
    return app


class WebServer:
    """The web view on ``[web] listen`` and ``port``."""

    def __init__(self, app: web.Application, listen: str, port: int) -> None:
        self.app, self.listen, self.port = app, listen, port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.listen, self.port).start()
        log.info("web view served on port %s/web/", self.bound_port)

    @property
    def bound_port(self) -> int | None:
        if self._runner is None or not self._runner.addresses:
            return None
        return int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
