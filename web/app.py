"""The web view's shared parts: the middleware that opens one
database session per request, finds the signed-in visitor and sets the security
headers, the Jinja2 environment (built with the app, never at import), and rendering."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from documents.report_rows import CATEGORY_LABELS
from handlers.context import FilePublisher, Services
from locales import _, current_language, ngettext, set_language
from models.progress import percent_text
from web.gate import Gate

HERE = Path(__file__).resolve().parent
COOKIE = "dondoc_phien"
# The hand-shake is a file of ours ('self'); no inline script, no other origin.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'self' https://web.telegram.org"
)
SITE = web.AppKey("site", object)
DB = web.RequestKey("db", AsyncSession)
VISITOR = web.RequestKey("visitor", object)


@dataclass
class Site:
    """What the pages need: the chat's services, the door, the download shelf."""

    services: Services
    gate: Gate
    shelf: FilePublisher | None
    templates: jinja2.Environment


def templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(("html",)),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(gettext=_, ngettext=ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(labels=CATEGORY_LABELS, percent=percent_text)
    return env


def site_of(request: web.Request) -> Site:
    return request.app[SITE]  # type: ignore[return-value]


def render(request: web.Request, name: str, *, status: int = 200, **values: Any) -> web.Response:
    site = site_of(request)
    html = site.templates.get_template(name).render(
        lang=current_language(), visitor=request.get(VISITOR), **values
    )
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


def redirect(location: str) -> web.Response:
    return web.Response(status=303, headers={"Location": location})


def message(request: web.Request, status: int, title: str, text: str) -> web.Response:
    return render(request, "message.html", status=status, title=title, text=text)


def not_found(request: web.Request) -> web.Response:
    return message(
        request,
        404,
        _("Không tìm thấy"),
        _("Không có trang này, hoặc anh/chị không có quyền xem."),
    )


def signed_out(request: web.Request) -> web.Response:
    return message(
        request,
        401,
        _("Anh/chị chưa đăng nhập"),
        _("Phiên đăng nhập đã hết hạn hoặc không còn hiệu lực. Xin nhắn /web cho dondoc để nhận liên kết mới."),
    )


OPEN_PATHS = ("/web/vao/", "/web/static/", "/web/app", "/web/telegram", "/web/ra")


@web.middleware
async def gatekeeper(request: web.Request, handler: Any) -> web.StreamResponse:
    """One database session per request, the visitor from the cookie (pages other than
    the way in need one), the person's language, and the headers every answer carries."""
    site = site_of(request)
    set_language("vi")
    async with site.services.sessions() as db:
        request[DB] = db
        path = request.path
        visitor = await site.gate.visitor(db, request.cookies.get(COOKIE))
        request[VISITOR] = visitor
        if visitor is not None:
            set_language(visitor.person.language)
        if visitor is None and path.startswith("/web") and not path.startswith(OPEN_PATHS):
            response: web.StreamResponse = signed_out(request)
            response.del_cookie(COOKIE, path="/web")
        else:
            try:
                response = await handler(request)
            except web.HTTPNotFound:
                response = not_found(request)
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers.setdefault("Cache-Control", "private, no-store")
    return response
