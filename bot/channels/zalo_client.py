"""A small async client of the Zalo Bot Platform API (``bot-api.zaloplatforms.com``).

Why our own, on httpx: the PyPI packages for this API are immature — one turns every
error into ``None``, so a refused message looks like a sent one; another drives personal
Zalo accounts by logging in as them, which a commune must never do. This module is the
whole API surface dondoc needs, with the behaviour we rely on:

* every call is a JSON POST to ``{base_url}/bot{token}/{method}``; an answer with
  ``"ok": false`` raises :class:`ZaloApiError` (``error_code``, ``description``);
* HTTP 429, HTTP 5xx and network errors are retried with exponential backoff (0.5 s,
  1 s, 2 s, 4 s; a ``Retry-After`` header wins), then raised — except a send whose
  answer timed out after the request left: it may have arrived, so it is raised at once
  as ``MAYBE_SENT`` and the reminder dispatcher decides;
* ``getUpdates`` returns at most one update per call; when nobody wrote during the
  long poll Zalo answers ``{"ok": false, "error_code": 408, "description": "Request
  timeout"}`` (HTTP 408 or 200) or an empty result — both mean "no update", not an error;
* a text over 2000 characters is split on line boundaries and sent in order;
* the token sits in every URL, so it is masked in our exceptions and log lines, our
  exceptions never chain httpx's (whose request carries the URL), and httpx's own
  request log lines are masked too.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from bot.channels.text_split import split_text
from scheduler.send_gate import may_send

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://bot-api.zaloplatforms.com"
MAX_TEXT = 2000  # characters per sendMessage
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
NETWORK_ERROR = 0  # error_code of a ZaloApiError raised for a network failure
MAYBE_SENT = -1  # error_code: a send timed out after the request left; it may have arrived
SENDS = frozenset({"sendMessage", "sendPhoto"})  # never resent blindly after a read timeout
MASK = "***"

Sleep = Callable[[float], Awaitable[None]]


# Where Zalo keeps what users send (its CDN) and its own services: pictures are
# downloaded from these hosts (and their subdomains) only, never following a redirect to
# another host. ``[zalo] picture_hosts`` replaces the list.
#
# What this rests on (searched December 2026): Zalo's Bot Platform documentation
# (bot.zaloplatforms.com/docs, copied in XuanNguyenNB/QuanLyThuChi_Bot_Telegram_Zalom,
# docs/ZALO_BOT_API.md) shows no example of a received picture, only that
# ``message.image.received`` carries ``photo`` (a URL) and ``caption``. Real picture
# URLs seen in public material all sit on zdn.vn and zadn.vn: Zalo's photo CDN in
# Salework's Zalo API docs (docs.salework.net/.../tra-loi-tin-nhan-anh-link:
# f27-zpc.zdn.vn, t-f27-zpc.zdn.vn, b-f13-zpc.zdn.vn, photo-link-talk.zadn.vn) and in
# zca-js users' notes (Hoanganh010999/songthuyeducation, ZALO_IMAGE_PHOTOID_METHOD.md:
# f21-zpc.zdn.vn, b-f12-zpc.zdn.vn); avatars on s120-ava-talk.zadn.vn. Files (not
# pictures) come from file-stal-N.dlfl.vn and redirect to other hosts, so they are
# not listed. None of these is a Bot Platform payload: check the host of the first real
# picture in the log ("not a Zalo host") and set picture_hosts if it differs.
PLATFORM_HOSTS = ("zdn.vn", "zadn.vn", "zalo.me", "zalo.vn", "zaloapp.com", "zaloplatforms.com")
MAX_REDIRECTS = 3


class ZaloApiError(Exception):
    """The API refused a call (``ok: false``), or it could not be reached
    (``error_code`` 0). The message never contains the token."""

    def __init__(
        self,
        error_code: int,
        description: str,
        *,
        method: str = "",
        retry_after: float | None = None,
    ) -> None:
        self.error_code = error_code
        self.description = description
        self.method = method
        self.retry_after = retry_after  # seconds Zalo asked us to wait (429), if it said
        where = f"{method}: " if method else ""
        super().__init__(f"{where}Zalo API error {error_code}: {description}")


class TooLarge(Exception):
    """A download over its limit; ``size``: the size announced, or read so far."""

    def __init__(self, size: int) -> None:
        super().__init__(f"file of {size} bytes or more")
        self.size = size


# -- masking ------------------------------------------------------------------------------

_SECRETS: set[str] = set()


def mask(text: str) -> str:
    """``text`` with every known token replaced by ``***``."""
    for secret in _SECRETS:
        if secret:
            text = text.replace(secret, MASK)
    return text


class _MaskTokens(logging.Filter):
    """Masks tokens in records of httpx/httpcore, which log request URLs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _SECRETS:
            message = record.getMessage()
            masked = mask(message)
            if masked != message:
                record.msg, record.args = masked, None
        return True


_FILTER = _MaskTokens()


def _protect(token: str) -> None:
    _SECRETS.add(token)
    for name in ("httpx", "httpcore"):
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


# -- the client ---------------------------------------------------------------------------


class ZaloClient:
    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        http: httpx.AsyncClient | None = None,
        retries: int = 4,
        backoff: float = 0.5,
        max_delay: float = 30.0,
        request_timeout: float = 15.0,
        sleep: Sleep = asyncio.sleep,
        picture_hosts: tuple[str, ...] | list[str] = (),
    ) -> None:
        if not token:
            raise ValueError("a Zalo bot token is required")
        self._token = token
        _protect(token)
        self.base_url = base_url.rstrip("/")
        self._own_http = http is None
        self._http = http or httpx.AsyncClient()
        self.retries, self.backoff, self.max_delay = retries, backoff, max_delay
        self.request_timeout = request_timeout
        self._sleep = sleep
        # Host names, lower case, without a leading dot: "zdn.vn" also allows "f1.zdn.vn".
        chosen = [h.strip().lower().strip(".") for h in picture_hosts if h.strip(" .")]
        self.picture_hosts = tuple(chosen) or PLATFORM_HOSTS

    def __repr__(self) -> str:
        return f"ZaloClient(base_url={self.base_url!r}, token={MASK!r})"

    async def aclose(self) -> None:
        if self._own_http:
            await self._http.aclose()

    async def __aenter__(self) -> ZaloClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- methods ----------------------------------------------------------------------------

    async def get_me(self) -> dict[str, Any]:
        return await self.call("getMe") or {}

    async def get_updates(self, timeout: int = 30) -> list[dict[str, Any]]:
        """The next update (Zalo hands out one per call), waiting up to ``timeout``
        seconds; ``[]`` when none came. A list, in case Zalo ever sends several."""
        result = await self.call(
            "getUpdates",
            {"timeout": str(timeout)},  # Zalo's docs pass it as a string
            http_timeout=timeout + self.request_timeout,
            empty_on_timeout=True,
        )
        if isinstance(result, list):
            return [u for u in result if isinstance(u, dict) and u]
        return [result] if isinstance(result, dict) and result else []

    async def set_webhook(self, url: str, secret_token: str) -> dict[str, Any]:
        return await self.call("setWebhook", {"url": url, "secret_token": secret_token}) or {}

    async def delete_webhook(self) -> dict[str, Any]:
        return await self.call("deleteWebhook") or {}

    async def get_webhook_info(self) -> dict[str, Any] | None:
        """The webhook set, or ``None``: Zalo answers 404 when there is none."""
        try:
            return await self.call("getWebhookInfo") or None
        except ZaloApiError as err:
            if err.error_code == 404:
                return None
            raise

    async def send_message(self, chat_id: str, text: str) -> list[str]:
        """Send ``text``, split on line boundaries into pieces of at most 2000
        characters, in order; returns the message ids (one per piece)."""
        ids: list[str] = []
        if not text.strip():
            return ids
        for piece in split_text(text, MAX_TEXT):
            result = await self.call("sendMessage", {"chat_id": str(chat_id), "text": piece})
            ids.append(str((result or {}).get("message_id", "")))
        return ids

    async def send_photo(self, chat_id: str, photo_url: str, caption: str = "") -> str:
        params = {"chat_id": str(chat_id), "photo": photo_url}
        if caption:
            params["caption"] = caption[:MAX_TEXT]
        result = await self.call("sendPhoto", params)
        return str((result or {}).get("message_id", ""))

    async def download(self, url: str, limit: int) -> bytes:
        """The file at ``url`` (a picture someone sent: Zalo's link expires), read up to
        ``limit`` bytes; more raises ``TooLarge`` (the size announced or read so far).
        Network errors and HTTP errors raise ``ZaloApiError``; tried once."""
        if not url.startswith(("https://", "http://")):
            raise ZaloApiError(400, "not an http(s) address", method="download")
        if not self.is_platform_host(url):
            raise ZaloApiError(400, "not a Zalo host", method="download")
        try:
            for _hop in range(MAX_REDIRECTS + 1):
                async with self._http.stream(
                    "GET", url, timeout=self.request_timeout, follow_redirects=False
                ) as response:
                    if response.is_redirect:
                        target = urljoin(url, response.headers.get("Location", ""))
                        if urlsplit(target).netloc.lower() != urlsplit(url).netloc.lower():
                            raise ZaloApiError(400, "redirect to another host", method="download")
                        url = target
                        continue
                    if response.status_code >= 400:
                        raise ZaloApiError(response.status_code, f"HTTP {response.status_code}",
                                           method="download")  # fmt: skip
                    announced = response.headers.get("Content-Length", "")
                    if announced.isdigit() and int(announced) > limit:
                        raise TooLarge(int(announced))
                    data = bytearray()
                    async for chunk in response.aiter_bytes():
                        data += chunk
                        if len(data) > limit:
                            raise TooLarge(len(data))
                    return bytes(data)
        except httpx.HTTPError as exc:
            raise ZaloApiError(NETWORK_ERROR, mask(_describe(exc)), method="download") from None
        raise ZaloApiError(400, "too many redirects", method="download")

    def is_platform_host(self, url: str) -> bool:
        """Is ``url`` on one of Zalo's own hosts (or the host of the API the bot talks
        to, a test server included)? Pictures are fetched from nowhere else."""
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
        own = (urlsplit(self.base_url).hostname or "").lower()
        return bool(host) and (
            host == own
            or any(host == h or host.endswith("." + h) for h in self.picture_hosts)
        )

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        """Cosmetic ("typing…"): tried once, never retried."""
        await self.call("sendChatAction", {"chat_id": str(chat_id), "action": action}, retries=0)

    # -- transport --------------------------------------------------------------------------

    async def call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        http_timeout: float | None = None,
        empty_on_timeout: bool = False,
        retries: int | None = None,
    ) -> Any:
        """Call ``method``; returns its ``result``. Retries 429/5xx/network errors."""
        retries = self.retries if retries is None else retries
        url = f"{self.base_url}/bot{self._token}/{method}"
        attempt = 0
        while True:
            if method in SENDS:
                may_send()  # a reminder: not after a stop, nor in the quiet hours
            try:
                response = await self._http.post(
                    url, json=params or {}, timeout=http_timeout or self.request_timeout
                )
            except httpx.TransportError as exc:
                if method in SENDS and isinstance(exc, httpx.ReadTimeout | httpx.WriteTimeout):
                    # The message may have arrived: the dispatcher decides, not a blind resend.
                    raise ZaloApiError(MAYBE_SENT, mask(_describe(exc)), method=method) from None
                failure = ZaloApiError(NETWORK_ERROR, mask(_describe(exc)), method=method)
                wait = None
            else:
                body = _json(response)
                if empty_on_timeout and _is_empty_poll(response.status_code, body):
                    return None
                if response.status_code not in RETRY_STATUSES and _error_code(body) != 429:
                    return _result(method, response.status_code, body)
                wait = _retry_after(response, body)
                failure = _error(method, response.status_code, body)
                failure.retry_after = wait
            if attempt >= retries:
                raise failure from None
            delay = min(wait if wait is not None else self.backoff * 2**attempt, self.max_delay)
            attempt += 1
            log.warning(
                "Zalo %s failed (%s); retry %d/%d in %.1f s",
                method, failure.description, attempt, retries, delay,
            )  # fmt: skip
            await self._sleep(delay)


def _describe(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _json(response: httpx.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _error_code(body: dict[str, Any] | None) -> int | None:
    if not body or body.get("ok") is not False:
        return None
    try:
        return int(body.get("error_code"))
    except (TypeError, ValueError):
        return None


def _is_empty_poll(status: int, body: dict[str, Any] | None) -> bool:
    return _error_code(body) == 408 or (status == 408 and body is None)


def _error(method: str, status: int, body: dict[str, Any] | None) -> ZaloApiError:
    code = _error_code(body) or status
    description = str((body or {}).get("description") or f"HTTP {status}")
    return ZaloApiError(code, mask(description), method=method)


def _result(method: str, status: int, body: dict[str, Any] | None) -> Any:
    if body is None:
        raise ZaloApiError(status, f"HTTP {status}, not a JSON answer", method=method)
    if body.get("ok") is not True or status >= 400:
        raise _error(method, status, body)
    return body.get("result")


def _retry_after(response: httpx.Response, body: dict[str, Any] | None) -> float | None:
    header = response.headers.get("Retry-After")
    if header is not None:
        try:
            return max(float(header), 0.0)
        except ValueError:
            return None  # an HTTP date: fall back to our own backoff
    parameters = (body or {}).get("parameters")
    if isinstance(parameters, dict) and isinstance(parameters.get("retry_after"), int | float):
        return max(float(parameters["retry_after"]), 0.0)
    return None
