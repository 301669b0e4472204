"""The way in and out: the page a sign-in link opens (a button, so that a link preview
fetching the address does not use the link up), the POST that opens the session, the
Mini App's hand-shake, and sign-out (a POST with the CSRF token)."""

from __future__ import annotations

from aiohttp import web

from locales import N_, _
from web.app import COOKIE, VISITOR, message, redirect, render, site_of
from web.security import Refused, check_csrf

REFUSED_LINK = {  # reason -> what the person reads
    "invalid": N_("Liên kết đăng nhập không hợp lệ (có thể đã bị sửa)."),
    "expired": N_("Liên kết đăng nhập đã hết hạn (liên kết chỉ dùng được trong 15 phút)."),
    "used": N_("Liên kết đăng nhập này đã được dùng (mỗi liên kết chỉ dùng được một lần)."),
    "changed": N_("Quyền của anh/chị đã thay đổi từ khi nhận liên kết này."),
}


def with_session(response: web.StreamResponse, request: web.Request, token: str) -> web.StreamResponse:
    settings = site_of(request).gate.settings
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(settings.session_lifetime.total_seconds()),
        path="/web",
        httponly=True,
        samesite="Lax",
        secure=settings.secure,
    )
    return response


async def landing(request: web.Request) -> web.StreamResponse:
    """GET of a sign-in link: nothing is used up yet."""
    response = render(request, "landing.html", token=request.match_info["token"])
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'"
    )
    return response


async def open_link(request: web.Request) -> web.StreamResponse:
    try:
        token = await site_of(request).gate.open_link(request.match_info["token"])
    except Refused as refused:
        text = _(REFUSED_LINK.get(refused.reason, REFUSED_LINK["invalid"]))
        return message(
            request, 403, _("Không đăng nhập được"), text + " " + _("Xin nhắn /web cho dondoc để nhận liên kết mới.")
        )
    return with_session(redirect("/web/"), request, token)


async def mini_app(request: web.Request) -> web.StreamResponse:
    """The Mini App's first page: its script sends the raw initData (web/static/miniapp.js)."""
    if request.get(VISITOR) is not None:
        return redirect("/web/")
    return render(request, "miniapp.html")


async def telegram(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    try:
        token = await site_of(request).gate.open_telegram(str(form.get("initData", "")))
    except Refused as refused:
        status = 403
        text = (
            _("Tài khoản Telegram này chưa đăng ký với dondoc. Xin nhắn /dangky MÃ_MỜI cho dondoc.")
            if refused.reason == "unknown"
            else _("Telegram không xác nhận được phiên này. Xin đóng và mở lại trang từ dondoc.")
        )
        return web.json_response({"ok": False, "reason": refused.reason, "text": text}, status=status)
    return with_session(web.json_response({"ok": True, "next": "/web/"}), request, token)


async def sign_out(request: web.Request) -> web.StreamResponse:
    visitor = request[VISITOR]
    form = await request.post()
    secret = site_of(request).gate.settings.secret
    if not check_csrf(secret, visitor.session_token, form.get("csrf")):  # type: ignore[arg-type]
        return message(request, 403, _("Yêu cầu không hợp lệ"), _("Trang đã cũ; xin tải lại trang rồi thử lại."))
    await site_of(request).gate.sign_out(visitor.session_token)
    response = redirect("/web/ra")
    response.del_cookie(COOKIE, path="/web")
    return response


async def signed_out_page(request: web.Request) -> web.StreamResponse:
    return message(
        request, 200, _("Đã đăng xuất"), _("Anh/chị đã đăng xuất. Nhắn /web cho dondoc khi cần xem lại.")
    )


def add_routes(app: web.Application) -> None:
    app.router.add_get("/web/vao/{token}", landing)
    app.router.add_post("/web/vao/{token}", open_link)
    app.router.add_get("/web/app", mini_app)
    app.router.add_post("/web/telegram", telegram)
    app.router.add_post("/web/thoat", sign_out)
    app.router.add_get("/web/ra", signed_out_page)
