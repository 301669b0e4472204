"""Limits for dondoc's own web servers (the download links, the Zalo webhook), so that a
flood of connections cannot take the bot down nor fill the disk with log lines
(issue 25, point 6). aiohttp has no limit on connections and no timeout for a request
that is sent slowly, so ``GuardedSite`` wraps each connection's protocol:

- at most ``PER_CLIENT`` open connections from one address, ``OVERALL`` in all (well
  under the usual 1,024 open files); one over is closed at once;
- a request's headers must arrive within ``HEADER_TIMEOUT`` seconds of its first byte
  (or of the connection), and its body within ``BODY_TIMEOUT`` of the headers' end;
- errors are logged once per kind per ``LOG_EVERY`` seconds, with how many were left
  out (``RateLimitedLog``, also a filter for aiohttp's own loggers).

Times come from the event loop's monotonic clock: these are durations on one
connection, not moments of the day (``scheduler.clock`` is for those).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aiohttp import web

PER_CLIENT = 20
OVERALL = 400
HEADER_TIMEOUT = 10.0
BODY_TIMEOUT = 30.0
LOG_EVERY = 60.0
MAX_HEADER_BYTES = 16 * 1024  # searched for the end of the headers
_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d{1,12})\s*\r\n", re.I)
_CHUNKED = re.compile(rb"\r\ntransfer-encoding:[^\r]*chunked", re.I)
log = logging.getLogger(__name__)


class RateLimitedLog(logging.Filter):
    """Lets one record of a kind (logger and message template) through per
    ``LOG_EVERY`` seconds; the next one that passes says how many were left out."""

    def __init__(self, every: float = LOG_EVERY) -> None:
        super().__init__()
        self.every = every
        self._last: dict[tuple[str, str], float] = {}
        self._skipped: Counter[tuple[str, str]] = Counter()

    def allow(self, kind: tuple[str, str]) -> int | None:
        """None to drop this record; else how many of its kind were dropped before."""
        try:
            now = asyncio.get_running_loop().time()
        except RuntimeError:
            return 0  # outside the event loop: nothing floods, nothing to pace
        last = self._last.get(kind)
        if last is not None and now - last < self.every:
            self._skipped[kind] += 1
            return None
        self._last[kind] = now
        if len(self._last) > 1000:  # kinds are few; never let the table grow unbounded
            self._last.clear()
        return self._skipped.pop(kind, 0)

    def filter(self, record: logging.LogRecord) -> bool:
        skipped = self.allow((record.name, str(record.msg)[:200]))
        if skipped is None:
            return False
        if skipped:
            record.msg = f"{record.msg} (và {skipped} lần tương tự trong {self.every:.0f} giây qua)"
        return True

    def warning(self, kind: str, message: str, *args: object) -> None:
        skipped = self.allow((__name__, kind))
        if skipped is not None:
            suffix = f" (và {skipped} lần tương tự)" if skipped else ""
            log.warning(message + suffix, *args)


class _Guarded(asyncio.Protocol):
    """One connection: counted, timed, and handed to aiohttp's own protocol."""

    def __init__(self, guard: ConnectionGuard, inner: Any) -> None:
        self.guard, self.inner = guard, inner
        self.peer = "?"
        self.transport: asyncio.Transport | None = None
        self.pending = bytearray()  # bytes of a request whose headers have not ended
        self.body_left: int | None = None  # bytes of a body still awaited (-1: chunked)
        self.timer: asyncio.TimerHandle | None = None
        self.counted = False

    # -- asyncio.Protocol ---------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        peer = transport.get_extra_info("peername")
        self.peer = str(peer[0]) if peer else "?"
        if not self.guard.admit(self.peer):
            transport.abort()
            return
        self.counted = True
        self.inner.connection_made(transport)
        self._arm(HEADER_TIMEOUT, "header")

    def data_received(self, data: bytes) -> None:
        if not self.counted:
            return
        self._watch(data)
        self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received() if self.counted else None

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        if self.counted:
            self.counted = False
            self.guard.release(self.peer)
            self.inner.connection_lost(exc)

    def pause_writing(self) -> None:
        self.inner.pause_writing()

    def resume_writing(self) -> None:
        self.inner.resume_writing()

    # -- timing ---------------------------------------------------------------------------
    def _watch(self, data: bytes) -> None:
        if self.body_left is not None:
            if self.body_left < 0:  # chunked: ends with an empty chunk
                self.pending = (self.pending + data)[-16:]
                if b"0\r\n\r\n" not in self.pending:
                    return
            else:
                self.body_left -= len(data)
                if self.body_left > 0:
                    return
            self.body_left, self.pending = None, bytearray()
            self._disarm()
            return
        if not self.pending and self.timer is None:
            self._arm(HEADER_TIMEOUT, "header")  # a new request on a kept-alive connection
        self.pending += data[: MAX_HEADER_BYTES + 4]
        end = self.pending.find(b"\r\n\r\n")
        if end < 0:
            return  # aiohttp refuses over-long headers itself
        head, rest = bytes(self.pending[: end + 4]), bytes(self.pending[end + 4 :])
        self.pending = bytearray()
        self._disarm()
        length = _LENGTH.search(head)
        if _CHUNKED.search(head):
            self.body_left = -1
        elif length and int(length.group(1)) > 0:
            self.body_left = int(length.group(1))
        if self.body_left is not None:
            self._arm(BODY_TIMEOUT, "body")
            if rest:
                self._watch(rest)

    def _arm(self, seconds: float, what: str) -> None:
        self._disarm()
        loop = asyncio.get_running_loop()
        self.timer = loop.call_later(seconds, self._expired, what)

    def _disarm(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def _expired(self, what: str) -> None:
        self.timer = None
        self.guard.log.warning(
            f"slow-{what}", "HTTP: closed a connection from %s (request %s too slow)", self.peer, what
        )
        if self.transport is not None:
            self.transport.abort()


class ConnectionGuard:
    """Counts the open connections of one server, per client address and in all."""

    def __init__(self, per_client: int | None = None, overall: int | None = None) -> None:
        self.per_client = per_client or PER_CLIENT
        self.overall = overall or OVERALL
        self.open: Counter[str] = Counter()
        self.log = RateLimitedLog()

    def admit(self, peer: str) -> bool:
        if sum(self.open.values()) >= self.overall:
            self.log.warning("overall", "HTTP: %s connections open, refusing more", self.overall)
            return False
        if self.open[peer] >= self.per_client:
            self.log.warning(
                "per-client", "HTTP: %s has %s connections open, refusing more", peer, self.per_client
            )
            return False
        self.open[peer] += 1
        return True

    def release(self, peer: str) -> None:
        self.open[peer] -= 1
        if self.open[peer] <= 0:
            del self.open[peer]

    def wrap(self, factory: Any) -> Any:
        return lambda: _Guarded(self, factory())


_AIOHTTP_LOGGERS = ("aiohttp.server", "aiohttp.web", "aiohttp.access", "aiohttp.internal")


def pace_aiohttp_logs() -> None:
    """aiohttp's own loggers pass through one ``RateLimitedLog`` (installed once)."""
    for name in _AIOHTTP_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RateLimitedLog) for f in logger.filters):
            logger.addFilter(RateLimitedLog())


def guarded_site(runner: web.AppRunner, host: str, port: int) -> web.BaseSite:
    """A TCP site for ``runner`` whose connections are limited and timed."""
    from aiohttp import web

    class GuardedSite(web.TCPSite):
        async def start(self) -> None:
            await web.BaseSite.start(self)
            pace_aiohttp_logs()
            loop = asyncio.get_running_loop()
            server = self._runner.server
            assert server is not None
            self._server = await loop.create_server(
                ConnectionGuard().wrap(server), self._host, self._port, reuse_address=True
            )

    return GuardedSite(runner, host, port)
