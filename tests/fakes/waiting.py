"""What the fake API servers ``FakeTelegram`` and ``FakeZalo`` share: serving HTTP on a
free port of 127.0.0.1 (``start``/``stop``, or ``async with``), and waiting for the fake
to reach a state.

Synchronous code (a queued update, a handled API call) calls ``_notify``; async waiters
(``wait_until`` and the fakes' long polls through ``_wait_change``) wake up and re-check
their condition. A fake that mixes this in keeps ``sent`` (the messages the bot sent,
each with ``method``, ``chat_id`` and ``text``), ``_updates`` (the queued updates) and
``_waiters`` (a set, empty at first) as attributes.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable, Collection
from typing import Any, Generic, Protocol, Self, TypeVar

from aiohttp import web


class _Message(Protocol):
    method: str
    chat_id: Any
    text: str | None


M = TypeVar("M", bound=_Message)


class Waiting(Generic[M]):
    sent: list[M]
    _updates: Collection[dict]
    _waiters: set[asyncio.Future]
    _runner: web.AppRunner | None
    _closing: bool
    port: int | None
    client_max_size: int = 1024**2  # the largest request body accepted

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        raise NotImplementedError

    async def start(self) -> None:
        app = web.Application(client_max_size=self.client_max_size)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        self._closing = False

    async def stop(self) -> None:
        self._closing = True
        self._notify()  # pending long polls return at once
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def _notify(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    async def _wait_change(self, timeout: float) -> None:
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.add(waiter)
        try:
            await asyncio.wait_for(waiter, max(timeout, 0))
        except TimeoutError:
            pass
        finally:
            self._waiters.discard(waiter)

    async def wait_until(
        self, check: Callable[[], Any], timeout: float = 5.0, what: str = ""
    ) -> Any:
        """Wait until ``check()`` is truthy (re-checked after every API call and queued
        update); returns its value, or fails with an AssertionError listing the last
        messages sent."""
        deadline = time.monotonic() + timeout
        while not (found := check()):
            if time.monotonic() >= deadline:
                recent = "\n".join(
                    f"  {m.method} to {m.chat_id}: {m.text!r}" for m in self.sent[-10:]
                )
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {what or check}; last sent:\n{recent}"
                )
            await self._wait_change(deadline - time.monotonic())
        return found

    async def wait_for(
        self, predicate: Callable[[M], bool] | str, timeout: float = 5.0, *, since: int = 0
    ) -> M:
        """The first message in ``sent[since:]`` matching ``predicate`` (a callable, or a
        string the text must contain), waiting up to ``timeout`` seconds for it."""
        if isinstance(predicate, str):
            needle = predicate
            predicate = lambda m: needle in (m.text or "")  # noqa: E731
        return await self.wait_until(
            lambda: next((m for m in self.sent[since:] if predicate(m)), None),
            timeout,
            f"a message matching {predicate!r}",
        )

    async def wait_sent(self, count: int, timeout: float = 5.0) -> list[M]:
        """Wait until at least ``count`` messages were sent; returns ``sent``."""
        await self.wait_until(lambda: len(self.sent) >= count, timeout, f"{count} sent messages")
        return self.sent

    async def wait_idle(self, timeout: float = 5.0) -> None:
        """Wait until the bot has fetched every queued update (they may still be processing)."""
        await self.wait_until(lambda: not self._updates or None, timeout, "updates to be fetched")
