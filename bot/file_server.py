"""The bot's own web server for download links (``bot.download_links``): one GET route,
``/tep/{token}/{name}``, that sends the one file a valid, unexpired link names. In Zalo
webhook mode the route lives on the webhook's server (the public address already
reaches it); when Zalo polls, ``FileServer`` serves it alone on ``[downloads] port``.

Answers to a refused link are short pages: 403 for a link that was changed, 410 for an
expired one, 404 when the file is gone; in the browser's language (``Accept-Language``,
through the gettext catalogs), Vietnamese when it asks for none we have. Nothing else is
served.
"""

from __future__ import annotations

import logging
import unicodedata
from typing import TYPE_CHECKING
from urllib.parse import quote

from bot.download_links import PATH_PREFIX, DownloadShelf, LinkRefused
from bot.http_guard import RateLimitedLog, guarded_site
from locales import DEFAULT_LANGUAGE, LANGUAGES, N_, _, language

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger(__name__)

REFUSALS = {  # reason -> (HTTP status, what the person reads, in the request's language)
    "invalid": (403, N_("Liên kết tải tệp không hợp lệ (có thể đã bị sửa). Xin nhắn /baocao cho dondoc để nhận liên kết mới.")),
    "expired": (410, N_("Liên kết tải tệp đã hết hạn. Xin nhắn /baocao cho dondoc để nhận liên kết mới.")),
    "missing": (404, N_("Tệp không còn trên máy chủ. Xin nhắn /baocao cho dondoc để nhận liên kết mới.")),
}
TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".png": "image/png",  # a chart, which Zalo fetches by its URL
}


def preferred_language(header: str | None) -> str:
    """The first language of an ``Accept-Language`` header that dondoc speaks, by the
    header's weights ("en-US,en;q=0.9,vi;q=0.8" is English); else Vietnamese."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "")[:500].split(",")[:20]):
        tag, _sep, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        code = tag.strip().lower().split("-")[0]
        if code in LANGUAGES and weight > 0:
            ranked.append((-weight, index, code))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE


def content_disposition(disposition: str, name: str) -> str:
    """RFC 6266: an ASCII ``filename`` for old clients and the exact name as
    ``filename*`` (RFC 8187, UTF-8, percent-encoded), with no character a header or a
    shell could misread."""
    plain = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;%' else "_" for c in plain)
    return f"{disposition}; filename=\"{fallback or 'tep'}\"; filename*=UTF-8''{quote(name, safe='')}"


def add_download_routes(app: web.Application, shelf: DownloadShelf) -> None:
    from aiohttp import web

    if not any(isinstance(f, RateLimitedLog) for f in log.filters):
        log.addFilter(RateLimitedLog())  # a flood of bad links is one line a minute

    async def download(request: web.Request) -> web.StreamResponse:
        try:
            path = shelf.open(request.match_info["token"])
            if path.name != request.match_info["name"]:
                raise LinkRefused("missing")  # the token opens one file, by its own name
        except LinkRefused as refused:
            status, words = REFUSALS[refused.reason]
            lang = preferred_language(request.headers.get("Accept-Language"))
            with language(lang):
                text = _(words)
            log.info("download link refused: %s", refused.reason)  # paced: bot.http_guard
            return web.Response(
                status=status, text=text, content_type="text/plain", charset="utf-8",
                headers={"Content-Language": lang, "Vary": "Accept-Language"},
            )
        headers = {
            "Content-Type": TYPES.get(path.suffix, "application/octet-stream"),
            "Content-Disposition": content_disposition(
                "inline" if path.suffix == ".png" else "attachment", path.name
            ),
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        }
        return web.FileResponse(path, headers=headers)

    app.router.add_get(PATH_PREFIX + "/{token}/{name}", download)


class FileServer:
    """The download route on a server of its own (when no webhook server runs)."""

    def __init__(self, shelf: DownloadShelf, listen: str, port: int) -> None:
        self.shelf, self.listen, self.port = shelf, listen, port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        from aiohttp import web

        app = web.Application()
        add_download_routes(app, self.shelf)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await guarded_site(self._runner, self.listen, self.port).start()
        log.info("download links served on port %s%s", self.bound_port, PATH_PREFIX)

    @property
    def bound_port(self) -> int | None:
        if self._runner is None or not self._runner.addresses:
            return None
        return int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
